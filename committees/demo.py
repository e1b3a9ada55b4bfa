"""Demo committees of Auvergne-Rhône-Alpes and the Rhône (``manage.py seed_demo``).

The regional committee (within the CREFOP), the two departmental committees of the Rhône
(conseil départemental and Métropole de Lyon, INS-CDE-RHONE), and three local committees of
the Rhône outside the Métropole: « CLE Beaujolais – Val de Saône » (arrondissement of
Villefranche-sur-Saône), « CLE Sud-Ouest lyonnais » (three EPCI) — both installed — and
« CLE Est lyonnais », still in preparation because Cap emploi has no seat yet.

Everything goes through the services, so the rules are checked and the permissions derived as
in real use. Idempotent: a committee that already exists (same level and name) is left as it
is. Every person is invented; the demo personas come from ``cte_portal.core.demo``: the
DREETS agent works for Auvergne-Rhône-Alpes and the DDETS agent for the Rhône (DOMAIN §4).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils.text import slugify

from committees.models import (
    Category,
    Committee,
    CoPresidency,
    CrefopMode,
    FormerInstance,
    Level,
    SpecialAuthority,
    StaffAssignment,
    WrittenOpinion,
)
from committees.services.committees import (
    add_written_opinion,
    create_committee,
    install_committee,
    set_perimeter,
)
from committees.services.composition import (
    add_copresident,
    add_member,
    adopt_rules,
    default_mandate_end,
    save_rules_draft,
)
from committees.services.former_instances import add_former_instance
from committees.services.staff import start_staff_assignment
from cte_portal.core.demo import seed_users
from cte_portal.users.models import User
from territories.models import Arrondissement, Commune, Departement, Epci, Region

REGION = "84"
RHONE = "69"
METROPOLE_DE_LYON = "200046977"  # EPCI kind MET69: never in the Rhône CLEs below
ARRONDISSEMENT_VILLEFRANCHE = "692"
SUD_OUEST_LYONNAIS = (
    "246900757",  # CC de la Vallée du Garon
    "246900740",  # CC du Pays Mornantais
    "246900724",  # CC des Vallons du Lyonnais
)  # (the CC des Monts du Lyonnais reaches the Loire: it would need written opinions)
EST_LYONNAIS = ("246900575", "246900765")  # CC de l'Est Lyonnais, CC du Pays de l'Ozon
DEMO_DOMAIN = "cte-demo.example"
ASSIGNMENTS_START = date(2024, 7, 1)  # INS-DATES: committees installed from July 2024
# A one-page PDF standing for the scanned opinion of a collectivité president.
DEMO_OPINION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The mandate shown as ending soon on the dashboard and the committee page (DEC-MANDATE).
ENDING_IN_DAYS = 60


@dataclass
class Seat:
    """A seat to fill: an invented person of an organisation, in a category."""

    category: str
    organisation: str
    first_name: str
    last_name: str
    job_title: str
    votes: int | None = None
    is_permanent: bool = True
    ends_soon: bool = False
    person_key: str = ""  # a demo persona instead of an invented person
    represents: tuple = ()  # ("epci" | "departement" | "region", code): the body represented


@dataclass
class Chair:
    side: str
    office: str
    first_name: str = ""
    last_name: str = ""
    authority: str = ""
    person_key: str = ""
    votes: int = 1
    represents: tuple = ()


@dataclass
class Plan:
    level: str
    name: str
    installed_on: date | None
    arrete: str
    chairs: list
    seats: list
    special_authority: str = ""
    crefop_mode: str = ""
    former: list = field(default_factory=list)
    rules_adopted_on: date | None = None
    perimeter: dict = field(default_factory=dict)
    # DEC-SPECIAL-CDE: (authority, date) of the collectivité president's opinion on the
    # composition, stored before installation.
    composition_opinion: tuple = ()


def _person(seat_or_chair, organisation: str, personas: dict) -> User:
    if seat_or_chair.person_key:
        return personas[seat_or_chair.person_key]
    first, last = seat_or_chair.first_name, seat_or_chair.last_name
    email = f"{_slug(first)}.{_slug(last)}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "organisation": organisation,
            "job_title": getattr(seat_or_chair, "job_title", "")
            or getattr(seat_or_chair, "office", ""),
        },
    )
    if created:
        user.set_unusable_password()  # demo members do not sign in; the personas do
        user.save(update_fields=["password"])
    return user


def _body(represents: tuple):
    """The collectivité a demo seat represents, when the loaded reference has it."""
    if not represents:
        return None
    kind, code = represents
    model = {"region": Region, "departement": Departement, "epci": Epci}[kind]
    return model.objects.filter(code=code).first()


def _slug(text: str) -> str:
    return slugify(text).replace("-", "")


# --- Rules of procedure (INS-RULES) -----------------------------------------------------------


def _rules_text(name: str, secretariat: str) -> dict:
    return {
        "principles": (
            f"Le {name} recherche le consensus. Les stratégies sont adoptées par consensus ; "
            "les demandes d'audit sont votées."
        ),
        "secretariat": secretariat,
        "bodies": (
            "Une séance plénière réunit les membres permanents ; un comité technique prépare "
            "les séances avec les services des membres."
        ),
        "means": (
            "Les membres mettent à disposition les salles de réunion et les données utiles au "
            "suivi de la feuille de route ; le secrétariat diffuse les documents huit jours "
            "avant chaque séance."
        ),
        "meetings": "Trois réunions par an au moins, dont une plénière ouverte aux acteurs.",
        "commissions": (
            "Des groupes de travail thématiques peuvent être créés par décision des "
            "co-présidents (mobilité, garde d'enfants, recrutement)."
        ),
        "iae_commission": (
            "La commission inclusion et insertion par l'activité économique du comité "
            "départemental traite des sujets IAE ; le comité y fait remonter ses besoins."
        ),
        "coordination": (
            "Les co-présidents participent au moins une fois par an aux autres niveaux "
            " ; la feuille de route est partagée avec le comité "
            "départemental."
        ),
        "user_representation": (
            "Deux personnes accompagnées sont associées aux travaux sur le suivi des actions."
        ),
    }


# --- The plans --------------------------------------------------------------------------------

S = CoPresidency.Side


def _plans(today: date) -> list:
    return [
        Plan(
            level=Level.REGIONAL,
            name="Comité régional pour l'emploi Auvergne-Rhône-Alpes",
            crefop_mode=CrefopMode.WITHIN,
            installed_on=date(2024, 7, 4),
            arrete="Arrêté du préfet de région n° 24-287 du 4 juillet 2024",
            chairs=[
                Chair(S.STATE, "Préfet de la région Auvergne-Rhône-Alpes", "Arnaud", "Delcourt"),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Président du conseil régional Auvergne-Rhône-Alpes",
                    "Gilles",
                    "Ravier",
                    authority="Région Auvergne-Rhône-Alpes",
                    represents=("region", REGION),
                ),
            ],
            seats=[
                Seat(
                    Category.STATE,
                    "DREETS Auvergne-Rhône-Alpes",
                    "Nathalie",
                    "Rouvière",
                    "Directrice régionale",
                ),
                Seat(
                    Category.STATE,
                    "Région académique Auvergne-Rhône-Alpes",
                    "Didier",
                    "Lacombe",
                    "Délégué régional académique à la formation professionnelle",
                ),
                Seat(
                    Category.REGION,
                    "Région Auvergne-Rhône-Alpes",
                    "Valérie",
                    "Chassagne",
                    "Vice-présidente déléguée à l'emploi et à la formation",
                    represents=("region", REGION),
                ),
                Seat(
                    Category.DEPARTEMENT,
                    "Département du Rhône",
                    "Alain",
                    "Vernay",
                    "Vice-président délégué à l'insertion",
                    represents=("departement", RHONE),
                ),
                Seat(
                    Category.DEPARTEMENT,
                    "Département de l'Ain",
                    "Brigitte",
                    "Morel",
                    "Vice-présidente déléguée à l'emploi",
                    represents=("departement", "01"),
                ),
                Seat(
                    Category.EMPLOYEE_UNIONS,
                    "CFDT Auvergne-Rhône-Alpes",
                    "Sandrine",
                    "Boissonnet",
                    "Secrétaire régionale",
                ),
                Seat(
                    Category.EMPLOYER_ORGS,
                    "MEDEF Auvergne-Rhône-Alpes",
                    "Philippe",
                    "Montagnon",
                    "Délégué emploi-formation",
                ),
                Seat(
                    Category.FRANCE_TRAVAIL,
                    "France Travail Auvergne-Rhône-Alpes",
                    "Cécile",
                    "Aubertin",
                    "Directrice régionale adjointe",
                ),
                Seat(
                    Category.MISSIONS_LOCALES,
                    "Association régionale des missions locales Auvergne-Rhône-Alpes",
                    "Julien",
                    "Pradel",
                    "Délégué régional",
                ),
                Seat(
                    Category.CAP_EMPLOI,
                    "Cap emploi — coordination régionale",
                    "Élodie",
                    "Tessier",
                    "Coordinatrice régionale",
                ),
            ],
            former=[
                (
                    FormerInstance.Kind.SPER,
                    "SPER Auvergne-Rhône-Alpes",
                    FormerInstance.Outcome.REMOVED,
                ),
                (
                    FormerInstance.Kind.STEERING,
                    "Commission emploi du CREFOP Auvergne-Rhône-Alpes",
                    FormerInstance.Outcome.INTEGRATED,
                ),
            ],
        ),
        Plan(
            level=Level.DEPARTMENTAL,
            name="Comité départemental pour l'emploi du Rhône",
            installed_on=date(2024, 7, 11),
            arrete="Arrêté préfectoral n° 69-2024-07-11-00003",
            chairs=[
                Chair(
                    S.STATE,
                    "Préfet du Rhône, représenté par le sous-préfet chargé de mission",
                    person_key="prefect",
                ),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Présidente du conseil départemental du Rhône",
                    authority="Département du Rhône",
                    person_key="elected",
                ),
            ],
            seats=[
                Seat(
                    Category.STATE,
                    "DDETS du Rhône",
                    "Frédéric",
                    "Arnoux",
                    "Directeur départemental",
                ),
                Seat(
                    Category.DEPARTEMENT,
                    "Département du Rhône",
                    "Martine",
                    "Vial",
                    "Vice-présidente déléguée à l'insertion et au RSA",
                    represents=("departement", RHONE),
                ),
                Seat(
                    Category.EMPLOYEE_UNIONS,
                    "Union départementale CGT du Rhône",
                    "Yannick",
                    "Perret",
                    "Secrétaire général",
                ),
                Seat(
                    Category.EMPLOYER_ORGS,
                    "CPME du Rhône",
                    "Agnès",
                    "Berthier",
                    "Vice-présidente emploi",
                ),
                Seat(
                    Category.FRANCE_TRAVAIL,
                    "France Travail — direction territoriale du Rhône",
                    "",
                    "",
                    "",
                    person_key="member",
                ),
                Seat(
                    Category.MISSIONS_LOCALES,
                    "Missions locales du Rhône",
                    "Samir",
                    "Haddad",
                    "Président de l'association départementale",
                ),
                Seat(Category.CAP_EMPLOI, "Cap emploi Rhône", "Laure", "Desmarais", "Directrice"),
            ],
            former=[
                (FormerInstance.Kind.SPED, "SPED du Rhône", FormerInstance.Outcome.REMOVED),
                (
                    FormerInstance.Kind.STEERING,
                    "Conseil départemental de l'insertion par l'activité économique du Rhône",
                    FormerInstance.Outcome.INTEGRATED,
                ),
            ],
            rules_adopted_on=date(2024, 10, 15),
        ),
        Plan(
            level=Level.DEPARTMENTAL,
            name="Comité départemental pour l'emploi de la Métropole de Lyon",
            special_authority=SpecialAuthority.METROPOLE_LYON,
            installed_on=date(2024, 7, 12),
            composition_opinion=("Président de la Métropole de Lyon", date(2024, 7, 5)),
            arrete="Arrêté préfectoral n° 69-2024-07-12-00001",
            chairs=[
                Chair(
                    S.STATE,
                    "Préfet du Rhône, représenté par le sous-préfet chargé de mission",
                    person_key="prefect",
                ),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Président de la Métropole de Lyon",
                    "Marc",
                    "Delorme",
                    authority="Métropole de Lyon",
                ),
            ],
            seats=[
                Seat(
                    Category.STATE,
                    "DDETS du Rhône",
                    "Hugo",
                    "Sarrazin",
                    "Directeur départemental adjoint",
                ),
                Seat(
                    Category.DEPARTEMENT,
                    "Métropole de Lyon",
                    "Inès",
                    "Belkacem",
                    "Vice-présidente à l'insertion et à l'emploi",
                ),
                Seat(
                    Category.EMPLOYEE_UNIONS,
                    "Union départementale FO du Rhône",
                    "Christophe",
                    "Guérin",
                    "Secrétaire général adjoint",
                ),
                Seat(
                    Category.EMPLOYER_ORGS,
                    "MEDEF Lyon-Rhône",
                    "Béatrice",
                    "Fauvel",
                    "Déléguée générale",
                ),
                Seat(
                    Category.FRANCE_TRAVAIL,
                    "France Travail — direction territoriale de Lyon",
                    "Stéphane",
                    "Maurin",
                    "Directeur territorial",
                ),
                Seat(
                    Category.MISSIONS_LOCALES,
                    "Mission locale de Lyon",
                    "Aïcha",
                    "Mansouri",
                    "Directrice",
                ),
                Seat(Category.CAP_EMPLOI, "Cap emploi Rhône", "Laure", "Desmarais", "Directrice"),
            ],
            former=[
                (
                    FormerInstance.Kind.LOCAL_AUTHORITY_BODY,
                    "Comité de pilotage du programme métropolitain d'insertion pour l'emploi",
                    FormerInstance.Outcome.INTEGRATED,
                ),
            ],
        ),
        Plan(
            level=Level.LOCAL,
            name="CLE Beaujolais – Val de Saône",
            installed_on=date(2024, 10, 3),
            arrete="Arrêté préfectoral n° 69-2024-10-03-00002",
            perimeter={"arrondissements": (ARRONDISSEMENT_VILLEFRANCHE,)},
            chairs=[
                Chair(
                    S.STATE, "Sous-préfète de Villefranche-sur-Saône", "Aurélie", "Masson", votes=1
                ),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Président de la communauté d'agglomération Villefranche Beaujolais Saône",
                    "Pierre-Yves",
                    "Garnier",
                    authority="CA Villefranche Beaujolais Saône",
                    represents=("epci", "200040590"),
                ),
            ],
            seats=[
                Seat(
                    Category.STATE,
                    "DDETS du Rhône — unité territoriale nord",
                    "Olivier",
                    "Chaput",
                    "Responsable d'unité",
                    votes=2,
                ),
                Seat(
                    Category.COMMUNES_EPCI,
                    "CC Saône-Beaujolais",
                    "Monique",
                    "Dufresne",
                    "Vice-présidente au développement économique",
                    represents=("epci", "200067817"),
                ),
                Seat(
                    Category.COMMUNES_EPCI,
                    "CA de l'Ouest Rhodanien",
                    "Bruno",
                    "Lachaux",
                    "Vice-président à l'emploi",
                    represents=("epci", "200040566"),
                ),
                Seat(
                    Category.FRANCE_TRAVAIL,
                    "France Travail — agence de Villefranche-sur-Saône",
                    "Émilie",
                    "Rambaud",
                    "Directrice d'agence",
                ),
                Seat(
                    Category.MISSIONS_LOCALES,
                    "Mission locale Beaujolais – Val de Saône",
                    "Karine",
                    "Bouvier",
                    "Directrice",
                ),
                Seat(
                    Category.CAP_EMPLOI,
                    "Cap emploi Rhône",
                    "Thierry",
                    "Gauthier",
                    "Conseiller référent",
                    ends_soon=True,
                ),
                # INS-CLE-BALANCE: other network members who carry out the actions.
                Seat(
                    Category.OTHER_NETWORK,
                    "PLIE Villefranche Beaujolais",
                    "Sophie",
                    "Lamure",
                    "Coordinatrice du PLIE",
                    is_permanent=False,
                ),
                Seat(
                    Category.OTHER_NETWORK,
                    "Tremplin Beaujolais (atelier et chantier d'insertion)",
                    "Mehdi",
                    "Bensaïd",
                    "Directeur",
                    is_permanent=False,
                ),
            ],
            former=[
                (
                    FormerInstance.Kind.SPEL,
                    "SPEL de Villefranche-sur-Saône",
                    FormerInstance.Outcome.INTEGRATED,
                ),
                (
                    FormerInstance.Kind.SPEL,
                    "SPEL de Tarare et de l'Ouest rhodanien",
                    FormerInstance.Outcome.REMOVED,
                ),
            ],
            rules_adopted_on=date(2025, 1, 21),
        ),
        Plan(
            level=Level.LOCAL,
            name="CLE Sud-Ouest lyonnais",
            installed_on=date(2024, 11, 14),
            arrete="Arrêté préfectoral n° 69-2024-11-14-00004",
            perimeter={"epcis": SUD_OUEST_LYONNAIS},
            chairs=[
                Chair(
                    S.STATE,
                    "Préfet du Rhône, représenté par le sous-préfet chargé de mission",
                    person_key="prefect",
                ),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Président de la CC de la Vallée du Garon",
                    "Gérard",
                    "Vidal",
                    authority="CC de la Vallée du Garon",
                    represents=("epci", "246900757"),
                ),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Présidente de la CC du Pays Mornantais",
                    "Sylvie",
                    "Peyron",
                    authority="CC du Pays Mornantais",
                    represents=("epci", "246900740"),
                ),
            ],
            seats=[
                Seat(
                    Category.STATE,
                    "DDETS du Rhône — unité territoriale sud",
                    "Nicolas",
                    "Berger",
                    "Chargé de mission emploi",
                    votes=2,
                ),
                Seat(
                    Category.COMMUNES_EPCI,
                    "CC des Vallons du Lyonnais",
                    "Josiane",
                    "Rivoire",
                    "Vice-présidente à l'économie et à l'emploi",
                    represents=("epci", "246900724"),
                ),
                Seat(
                    Category.FRANCE_TRAVAIL,
                    "France Travail — agence de Brignais",
                    "Damien",
                    "Fournel",
                    "Directeur d'agence",
                ),
                Seat(
                    Category.MISSIONS_LOCALES,
                    "Mission locale Sud-Ouest lyonnais",
                    "Leïla",
                    "Benyahia",
                    "Directrice",
                ),
                Seat(
                    Category.OTHER_NETWORK,
                    "Maison de l'emploi et de la formation du Sud-Ouest lyonnais",
                    "Hélène",
                    "Chabert",
                    "Directrice",
                    is_permanent=False,
                ),
                Seat(
                    Category.CAP_EMPLOI,
                    "Cap emploi Rhône",
                    "Thierry",
                    "Gauthier",
                    "Conseiller référent",
                ),
            ],
            former=[
                (
                    FormerInstance.Kind.SPEL,
                    "SPEL du Sud-Ouest lyonnais",
                    FormerInstance.Outcome.REMOVED,
                ),
            ],
        ),
        Plan(
            level=Level.LOCAL,
            name="CLE Est lyonnais",
            installed_on=None,  # in preparation: Cap emploi has no seat yet (INS-COMPOSITION)
            arrete="",
            perimeter={"epcis": EST_LYONNAIS},
            chairs=[
                Chair(
                    S.STATE,
                    "Préfet du Rhône, représenté par le sous-préfet chargé de mission",
                    person_key="prefect",
                ),
                Chair(
                    S.LOCAL_AUTHORITY,
                    "Président de la CC de l'Est Lyonnais",
                    "Raphaël",
                    "Combaz",
                    authority="CC de l'Est Lyonnais",
                    represents=("epci", "246900575"),
                ),
            ],
            seats=[
                Seat(
                    Category.STATE,
                    "DDETS du Rhône — unité territoriale est",
                    "Camille",
                    "Jourdan",
                    "Chargée de mission emploi",
                ),
                Seat(
                    Category.COMMUNES_EPCI,
                    "CC du Pays de l'Ozon",
                    "Françoise",
                    "Mathevet",
                    "Vice-présidente à l'emploi",
                    represents=("epci", "246900765"),
                ),
                Seat(
                    Category.FRANCE_TRAVAIL,
                    "France Travail — agence de Genas",
                    "Antoine",
                    "Roussel",
                    "Directeur d'agence",
                ),
                Seat(
                    Category.MISSIONS_LOCALES,
                    "Mission locale Est lyonnais",
                    "Yasmina",
                    "Khelifi",
                    "Directrice",
                ),
            ],
        ),
    ]


# --- Seeding ----------------------------------------------------------------------------------


def _territory() -> tuple[Region, Departement]:
    region = Region.objects.filter(code=REGION).first()
    rhone = Departement.objects.filter(code=RHONE).first()
    if region is None or rhone is None or not Commune.objects.filter(departement=rhone).exists():
        raise CommandError(
            "Le référentiel territorial n'est pas chargé (région 84, département 69) : lancez "
            "d'abord « python manage.py import_territories »."
        )
    return region, rhone


def _perimeter(plan: Plan) -> dict:
    """Perimeter picks present in the loaded reference, never the Métropole de Lyon."""
    arrondissements = list(
        Arrondissement.objects.filter(code__in=plan.perimeter.get("arrondissements", ()))
    )
    epcis = list(
        Epci.objects.filter(code__in=plan.perimeter.get("epcis", ())).exclude(
            code=METROPOLE_DE_LYON
        )
    )
    return {"arrondissements": arrondissements, "epcis": epcis}


def _seed_committee(plan: Plan, *, region, rhone, personas, parent, today) -> Committee:
    existing = Committee.objects.filter(level=plan.level, name=plan.name).first()
    if existing:
        return existing
    committee = create_committee(
        level=plan.level,
        name=plan.name,
        region=region,
        departements=[] if plan.level == Level.REGIONAL else [rhone],
        special_authority=plan.special_authority,
        crefop_mode=plan.crefop_mode,
        arrete_reference=plan.arrete,
        parent=parent,
    )
    if plan.level == Level.LOCAL:
        set_perimeter(committee=committee, **_perimeter(plan))
    start = plan.installed_on or today
    for chair in plan.chairs:
        add_copresident(
            committee=committee,
            side=chair.side,
            person=_person(chair, chair.authority or "Préfecture du Rhône", personas),
            office=chair.office,
            authority=chair.authority,
            votes=chair.votes,
            started_on=start,
            represented=_body(chair.represents),
        )
    for seat in plan.seats:
        mandate_end = None
        if seat.ends_soon:
            # An arrêté appointed this member until the renewal of the Cap emploi agreement:
            # the mandate ends within 90 days and shows on the dashboard (DEC-MANDATE).
            mandate_end = min(today + timedelta(days=ENDING_IN_DAYS), default_mandate_end(start))
        add_member(
            committee=committee,
            person=_person(seat, seat.organisation, personas),
            organisation=seat.organisation,
            category=seat.category,
            is_permanent=seat.is_permanent,
            votes=seat.votes,
            mandate_start=start,
            mandate_end=mandate_end,
            appointment_arrete=plan.arrete,
            represented=_body(seat.represents),
        )
    for kind, name, outcome in plan.former:
        add_former_instance(committee=committee, kind=kind, name=name, outcome=outcome)
    if plan.rules_adopted_on:
        secretariat = (
            "Le secrétariat est assuré par la DDETS du Rhône."
            if plan.level != Level.REGIONAL
            else "Le secrétariat est assuré par la DREETS."
        )
        draft = save_rules_draft(committee=committee, **_rules_text(plan.name, secretariat))
        adopt_rules(rules=draft, adopted_on=plan.rules_adopted_on)
    if plan.composition_opinion:
        authority, given_on = plan.composition_opinion
        add_written_opinion(
            committee=committee,
            subject=WrittenOpinion.Subject.SPECIAL_CDE,
            authority=authority,
            given_on=given_on,
            document=ContentFile(DEMO_OPINION_PDF, name="avis-composition-cde-metropole.pdf"),
        )
    if plan.installed_on:
        committee = install_committee(
            committee=committee, installed_on=plan.installed_on, arrete_reference=plan.arrete
        )
    return committee


def seed_staff_assignments(*, personas: dict, region: Region, rhone: Departement) -> None:
    """The DREETS persona works for the region, the DDETS persona for the Rhône (idempotent)."""
    staff = [
        (personas["dreets"], StaffAssignment.Service.DREETS, {"region": region}),
        (personas["ddets"], StaffAssignment.Service.DDETS, {"departement": rhone}),
    ]
    for user, service, territory in staff:
        # Through the service, so that the permissions on existing committees follow.
        start_staff_assignment(
            user=user, service=service, started_on=ASSIGNMENTS_START, **territory
        )


def seed_invited_agent(*, rhone: Departement) -> User:
    """An agent of the DDETS du Rhône invited but who has not chosen a password yet: the
    admin's and the DREETS agent's landing pages show the invitation without answer. No
    e-mail leaves a demo."""
    user, created = User.objects.get_or_create(
        email=f"nouvel.agent@{DEMO_DOMAIN}",
        defaults={
            "first_name": "Mathis",
            "last_name": "Girard",
            "organisation": "DDETS du Rhône",
            "job_title": "Chargé de mission insertion",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        start_staff_assignment(
            user=user,
            service=StaffAssignment.Service.DDETS,
            started_on=date.today(),
            departement=rhone,
        )
    return user


def seed_committees() -> dict[str, Committee]:
    """Seed the demo staff assignments and committees (idempotent); return them by name."""
    personas = seed_users()
    region, rhone = _territory()
    seed_staff_assignments(personas=personas, region=region, rhone=rhone)
    today = date.today()
    committees = {}
    cre = cde = None
    for plan in _plans(today):
        parent = None
        if plan.level == Level.DEPARTMENTAL:
            parent = cre
        elif plan.level == Level.LOCAL:
            parent = cde
        committee = _seed_committee(
            plan, region=region, rhone=rhone, personas=personas, parent=parent, today=today
        )
        if plan.level == Level.REGIONAL:
            cre = committee
        elif plan.level == Level.DEPARTMENTAL and not plan.special_authority:
            cde = committee
        committees[plan.name] = committee
    seed_invited_agent(rhone=rhone)
    # DEC-OUTRE-MER, DEC-CLE-PERIMETER: La Réunion, a bassin d'emploi, a perimeter review.
    from committees.demo_outre_mer import seed_outre_mer_and_perimeters  # noqa: PLC0415

    seed_outre_mer_and_perimeters(personas=personas, today=today)
    return committees
