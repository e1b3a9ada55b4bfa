"""Demo of the Outre-mer committees and of the CLE perimeters (called by
``committees.demo.seed_committees``, so by ``manage.py seed_demo``).

- DEC-OUTRE-MER: La Réunion's single regional-and-departmental committee, co-presided by the
  préfet, the présidente du conseil régional and the président du conseil départemental, with
  its IAE commission, and « CLE Nord – CINOR » (the CINOR's three communes) reporting to it.
- DEC-CLE-PERIMETER: a bassin d'emploi of the Rhône (the arrondissement of
  Villefranche-sur-Saône's communes) and a recorded review of the « CLE Beaujolais – Val de
  Saône » perimeter.
- INS-CDE-RHONE: « CLE Lyon – Villeurbanne », in the Métropole de Lyon, reports to the
  Métropole's CDE.

Through the services, idempotent (rows are looked up by name first); what the loaded
reference lacks (La Réunion in a sample reference) is left out. Every person is invented.
"""

from datetime import date

from committees.demo import Chair, Seat, _person
from committees.models import (
    Category,
    Committee,
    CoPresidency,
    Level,
    PerimeterReview,
    SpecialAuthority,
)
from committees.services.committees import create_committee, install_committee, set_perimeter
from committees.services.composition import add_copresident, add_member
from committees.services.perimeter import define_employment_area, record_perimeter_review
from territories.models import Commune, Departement, EmploymentArea, Epci, Region

REUNION_REGION = "04"
REUNION = "974"
CINOR = "249740119"
SINGLE_NAME = "Comité pour l'emploi de La Réunion"
CLE_NORD = "CLE Nord – CINOR"
SINGLE_INSTALLED = date(2025, 1, 20)  # décret n° 2024-1147 in force on 1 January 2025
SINGLE_ARRETE = "Arrêté préfectoral n° 2025-0042/SG/DEETS du 20 janvier 2025"
CLE_INSTALLED = date(2025, 3, 10)
CLE_ARRETE = "Arrêté préfectoral n° 2025-0311/SG/DEETS du 10 mars 2025"
BEAUJOLAIS = "CLE Beaujolais – Val de Saône"
LYON_CLE = "CLE Lyon – Villeurbanne"
LYON_COMMUNES = ("69123", "69266")  # Lyon, Villeurbanne (Métropole de Lyon)
LYON_INSTALLED = date(2024, 11, 4)
LYON_ARRETE = "Arrêté préfectoral n° 69-2024-11-04-002 du 4 novembre 2024"
BASSIN_VILLEFRANCHE = "Bassin d'emploi de Villefranche-sur-Saône"

S = CoPresidency.Side

SINGLE_CHAIRS = [
    Chair(S.STATE, "Préfet de La Réunion", "Jérôme", "Fontaine"),
    Chair(
        S.LOCAL_AUTHORITY,
        "Présidente du conseil régional de La Réunion",
        "Marie-Claude",
        "Hoarau",
        authority="Conseil régional de La Réunion",
    ),
    Chair(
        S.LOCAL_AUTHORITY,
        "Président du conseil départemental de La Réunion",
        "Jean-Paul",
        "Payet",
        authority="Conseil départemental de La Réunion",
    ),
]

SINGLE_SEATS = [
    Seat(Category.STATE, "DEETS de La Réunion", "Sandrine", "Técher", "Directrice"),
    Seat(Category.REGION, "Région Réunion", "Patrick", "Grondin", "Vice-président à l'emploi"),
    Seat(
        Category.DEPARTEMENT,
        "Département de La Réunion",
        "Nadia",
        "Ramassamy",
        "Vice-présidente à l'insertion",
    ),
    Seat(Category.EMPLOYEE_UNIONS, "CGTR", "Eric", "Boyer", "Secrétaire régional"),
    Seat(Category.EMPLOYER_ORGS, "MEDEF Réunion", "Sophie", "Lauret", "Déléguée générale"),
    Seat(
        Category.FRANCE_TRAVAIL,
        "France Travail Réunion",
        "Olivier",
        "Maillot",
        "Directeur régional",
    ),
    Seat(
        Category.MISSIONS_LOCALES,
        "Association régionale des missions locales de La Réunion",
        "Isabelle",
        "Hoareau",
        "Présidente",
    ),
    Seat(Category.CAP_EMPLOI, "Cap emploi Réunion", "Fabrice", "Rivière", "Directeur"),
]

CLE_CHAIRS = [
    Chair(S.STATE, "Sous-préfet de Saint-Denis, représentant le préfet", "Karim", "Bénard"),
    Chair(
        S.LOCAL_AUTHORITY,
        "Président de la CINOR",
        "Didier",
        "Fontaine",
        authority="CA Intercommunale du Nord de la Réunion (CINOR)",
    ),
]

CLE_SEATS = [
    Seat(Category.STATE, "DEETS de La Réunion — pôle emploi nord", "Laure", "Grondin", "Cheffe"),
    Seat(
        Category.COMMUNES_EPCI,
        "Commune de Sainte-Marie",
        "Jocelyn",
        "Morel",
        "Adjoint à l'emploi",
    ),
    Seat(
        Category.FRANCE_TRAVAIL,
        "France Travail — agence de Saint-Denis",
        "Aurélie",
        "Clain",
        "Directrice d'agence",
    ),
    Seat(Category.MISSIONS_LOCALES, "Mission locale Nord", "Thierry", "Dijoux", "Directeur"),
    Seat(Category.CAP_EMPLOI, "Cap emploi Réunion — antenne nord", "Annie", "Robert", "Chargée"),
]


LYON_CHAIRS = [
    Chair(
        S.STATE,
        "Préfet du Rhône, représenté par la sous-préfète chargée de la politique de la ville",
        "Hélène",
        "Marchal",
    ),
    Chair(
        S.LOCAL_AUTHORITY,
        "Vice-président de la Métropole de Lyon chargé de l'emploi",
        "Karim",
        "Haddad",
        authority="Métropole de Lyon",
    ),
    Chair(
        S.LOCAL_AUTHORITY,
        "Adjointe au maire de Villeurbanne chargée de l'emploi",
        "Claire",
        "Vernay",
        authority="Ville de Villeurbanne",
    ),
]

LYON_SEATS = [
    Seat(Category.STATE, "DDETS du Rhône — unité Lyon", "Paul", "Bernardin", "Chef d'unité"),
    Seat(Category.COMMUNES_EPCI, "Ville de Lyon", "Sonia", "Mercier", "Adjointe à l'emploi"),
    Seat(
        Category.FRANCE_TRAVAIL,
        "France Travail — agence de Lyon Part-Dieu",
        "Marc",
        "Tissot",
        "Directeur d'agence",
    ),
    Seat(Category.MISSIONS_LOCALES, "Mission locale de Lyon", "Farida", "Bensalem", "Directrice"),
    Seat(Category.CAP_EMPLOI, "Cap emploi Rhône", "Luc", "Garnier", "Chargé de mission"),
]


def _seat_everyone(committee: Committee, chairs, seats, *, start: date, arrete: str, personas):
    for chair in chairs:
        add_copresident(
            committee=committee,
            side=chair.side,
            person=_person(chair, chair.authority or "Préfecture de La Réunion", personas),
            office=chair.office,
            authority=chair.authority,
            started_on=start,
        )
    for seat in seats:
        add_member(
            committee=committee,
            person=_person(seat, seat.organisation, personas),
            organisation=seat.organisation,
            category=seat.category,
            mandate_start=start,
            appointment_arrete=arrete,
        )


def seed_la_reunion(*, personas: dict) -> dict[str, Committee]:
    """DEC-OUTRE-MER: La Réunion's single committee and one CLE (when the reference has them)."""
    region = Region.objects.filter(code=REUNION_REGION).first()
    reunion = Departement.objects.filter(code=REUNION).first()
    cinor = Epci.objects.filter(code=CINOR).first()
    if not (region and reunion and cinor and Commune.objects.filter(epci=cinor).exists()):
        return {}
    single = Committee.objects.filter(level=Level.DEPARTMENTAL, name=SINGLE_NAME).first()
    if single is None:
        single = create_committee(
            level=Level.DEPARTMENTAL,
            name=SINGLE_NAME,
            region=region,
            departements=[reunion],
            outre_mer_single=True,
            arrete_reference=SINGLE_ARRETE,
        )
        _seat_everyone(
            single,
            SINGLE_CHAIRS,
            SINGLE_SEATS,
            start=SINGLE_INSTALLED,
            arrete=SINGLE_ARRETE,
            personas=personas,
        )
        single = install_committee(committee=single, installed_on=SINGLE_INSTALLED)
    cle = Committee.objects.filter(level=Level.LOCAL, name=CLE_NORD).first()
    if cle is None:
        cle = create_committee(
            level=Level.LOCAL,
            name=CLE_NORD,
            region=region,
            departements=[reunion],
            arrete_reference=CLE_ARRETE,
            parent=single,
        )
        set_perimeter(committee=cle, epcis=[cinor])
        _seat_everyone(
            cle, CLE_CHAIRS, CLE_SEATS, start=CLE_INSTALLED, arrete=CLE_ARRETE, personas=personas
        )
        cle = install_committee(committee=cle, installed_on=CLE_INSTALLED)
    return {SINGLE_NAME: single, CLE_NORD: cle}


def seed_perimeter_examples(*, today: date) -> None:
    """DEC-CLE-PERIMETER: a bassin d'emploi of the Rhône and a recorded perimeter review."""
    rhone = Departement.objects.filter(code="69").first()
    communes = list(Commune.objects.current().filter(arrondissement_id="692"))
    if rhone and communes and not EmploymentArea.objects.filter(departement=rhone).exists():
        define_employment_area(
            name=BASSIN_VILLEFRANCHE,
            departement=rhone,
            communes=communes,
            insee_code="8421",
            description="Les communes de l'arrondissement de Villefranche-sur-Saône.",
        )
    beaujolais = Committee.objects.filter(level=Level.LOCAL, name=BEAUJOLAIS).first()
    if (
        beaujolais
        and beaujolais.is_installed
        and not PerimeterReview.objects.filter(committee=beaujolais).exists()
    ):
        reviewed_on = min(date(2025, 10, 6), today)
        if reviewed_on >= beaujolais.installed_on:
            record_perimeter_review(
                committee=beaujolais,
                reviewed_on=reviewed_on,
                outcome=PerimeterReview.Outcome.KEPT,
                notes=(
                    "Périmètre maintenu après concertation avec les présidents du conseil "
                    "régional et du conseil départemental, sur proposition du CDE."
                ),
            )


def seed_metropole_cle(*, personas: dict) -> Committee | None:
    """INS-CDE-RHONE: a CLE of the Métropole de Lyon, under the Métropole's CDE."""
    metropole = Committee.objects.filter(
        level=Level.DEPARTMENTAL, special_authority=SpecialAuthority.METROPOLE_LYON
    ).first()
    communes = list(Commune.objects.current().filter(code__in=LYON_COMMUNES))
    rhone = Departement.objects.filter(code="69").first()
    if metropole is None or rhone is None or len(communes) != len(LYON_COMMUNES):
        return None
    cle = Committee.objects.filter(level=Level.LOCAL, name=LYON_CLE).first()
    if cle is None:
        cle = create_committee(
            level=Level.LOCAL,
            name=LYON_CLE,
            region=rhone.region,
            departements=[rhone],
            arrete_reference=LYON_ARRETE,
            parent=metropole,
        )
        set_perimeter(committee=cle, communes=communes)
        _seat_everyone(
            cle,
            LYON_CHAIRS,
            LYON_SEATS,
            start=LYON_INSTALLED,
            arrete=LYON_ARRETE,
            personas=personas,
        )
        cle = install_committee(committee=cle, installed_on=LYON_INSTALLED)
    return cle


def seed_outre_mer_and_perimeters(*, personas: dict, today: date) -> dict[str, Committee]:
    committees = seed_la_reunion(personas=personas)
    lyon = seed_metropole_cle(personas=personas)
    if lyon:
        committees[LYON_CLE] = lyon
    seed_perimeter_examples(today=today)
    return committees
