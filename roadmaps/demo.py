"""Demo roadmaps for the demo committees (``manage.py seed_demo``, after the committees).

- An illustrative catalogue, clearly marked as such: typologies of breakdown, common result
  indicators (``is_illustrative``: they are not the national list) and national orientations.
- A roadmap in each state: published (the CRE, the CDE du Rhône with its CAR presentation, the
  CLE Beaujolais – Val de Saône with two versions to compare), submitted (CDE de la Métropole,
  one co-president has approved), approved (CLE Sud-Ouest lyonnais), draft (CLE Est lyonnais).
- Indicator values over the last 24 months for every committee, with breakdowns; values of the
  specific indicators of the Beaujolais action sheets; a good practice.
- Escalated subjects: one accepted by the CDE with the sheet that answers it, one redirected by
  the CRE, one pending.

Everything goes through the services, as in real use. Idempotent: a committee that already has
a roadmap, an indicator that already has values, a subject that already exists are left alone.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from committees.demo import seed_committees
from committees.models import Committee, CoPresidency
from cte_portal.core.demo import seed_users
from roadmaps.models import (
    ActionSheet,
    Aggregation,
    CarPresentation,
    Direction,
    EscalatedSubject,
    IndicatorValue,
    NationalOrientation,
    ResultIndicator,
    Roadmap,
    Typology,
    TypologyCategory,
)
from roadmaps.services import lifecycle
from roadmaps.services import roadmaps as services
from roadmaps.services.escalation import answer_subject, raise_subject
from roadmaps.services.indicators import set_indicator_target

CRE = "Comité régional pour l'emploi Auvergne-Rhône-Alpes"
CDE = "Comité départemental pour l'emploi du Rhône"
CDE_METROPOLE = "Comité départemental pour l'emploi de la Métropole de Lyon"
CLE_BEAUJOLAIS = "CLE Beaujolais – Val de Saône"
CLE_SUD_OUEST = "CLE Sud-Ouest lyonnais"
CLE_EST = "CLE Est lyonnais"
MONTHS = 24
ILLUSTRATIVE = "Indicateur illustratif de démonstration : il ne figure pas dans la liste nationale."


# --- Catalogue (illustrative) -------------------------------------------------------------------

TYPOLOGIES = (
    (
        "tranche-age",
        "Tranche d'âge",
        "people",
        (("moins-26", "Moins de 26 ans"), ("26-49", "26 à 49 ans"), ("50-plus", "50 ans et plus")),
    ),
    (
        "rsa",
        "Bénéficiaires du RSA",
        "people",
        (("rsa", "Bénéficiaire du RSA"), ("non-rsa", "Non bénéficiaire")),
    ),
    (
        "handicap",
        "Situation de handicap",
        "people",
        (("rqth", "Reconnu travailleur handicapé"), ("sans-rqth", "Sans reconnaissance")),
    ),
    (
        "duree-chomage",
        "Durée d'inscription",
        "people",
        (("moins-12-mois", "Moins d'un an"), ("longue-duree", "Un an et plus")),
    ),
    (
        "taille-entreprise",
        "Taille de l'entreprise",
        "companies",
        (
            ("tpe", "Moins de 10 salariés"),
            ("pme", "10 à 249 salariés"),
            ("eti-ge", "250 salariés et plus"),
        ),
    ),
)

INDICATORS = (
    {
        "code": "demo-retours-emploi-durable",
        "name": "Retours à l'emploi durable des personnes accompagnées",
        "definition": "Personnes accompagnées en emploi de plus de six mois, cumul sur le mois.",
        "unit": "personnes",
        "direction": Direction.INCREASE,
        "aggregation": Aggregation.SUM,
        "source": "France Travail (données de démonstration)",
        "breakdowns": ("tranche-age", "rsa", "handicap"),
        "scale": 60,
    },
    {
        "code": "demo-orientation-rsa-1-mois",
        "name": "Nouveaux bénéficiaires du RSA orientés en moins d'un mois",
        "definition": "Part des nouveaux bénéficiaires du RSA orientés dans le mois suivant leur entrée.",
        "unit": "%",
        "direction": Direction.INCREASE,
        "aggregation": Aggregation.AVERAGE,
        "source": "Conseil départemental (données de démonstration)",
        "breakdowns": (),
        "scale": 0,
    },
    {
        "code": "demo-demandeurs-longue-duree",
        "name": "Demandeurs d'emploi de longue durée",
        "definition": "Demandeurs d'emploi inscrits depuis un an ou plus, en fin de mois.",
        "unit": "personnes",
        "direction": Direction.DECREASE,
        "aggregation": Aggregation.SUM,
        "source": "France Travail (données de démonstration)",
        "breakdowns": ("tranche-age",),
        "scale": 900,
    },
    {
        "code": "demo-entreprises-accompagnees",
        "name": "Entreprises accompagnées dans leurs recrutements",
        "definition": "Entreprises ayant bénéficié d'un appui au recrutement du réseau dans le mois.",
        "unit": "entreprises",
        "direction": Direction.INCREASE,
        "aggregation": Aggregation.SUM,
        "source": "France Travail et Cap emploi (données de démonstration)",
        "breakdowns": ("taille-entreprise",),
        "scale": 25,
    },
)

ORIENTATIONS = (
    (
        "Exemple — Accompagner toutes les personnes sans emploi",
        "Orientation de démonstration : chaque personne inscrite bénéficie d'un accompagnement "
        "adapté, avec des critères d'orientation communs au réseau pour l'emploi.",
    ),
    (
        "Exemple — Lever les freins périphériques à l'emploi",
        "Orientation de démonstration : mobilité, garde d'enfants, santé et logement sont traités "
        "avec les collectivités compétentes.",
    ),
    (
        "Exemple — Répondre aux besoins de recrutement des entreprises",
        "Orientation de démonstration : les entreprises des secteurs en tension trouvent un appui "
        "coordonné du réseau.",
    ),
)


def seed_catalogue() -> dict[str, ResultIndicator]:
    typologies = {}
    for position, (code, label, kind, categories) in enumerate(TYPOLOGIES, start=1):
        typology, _ = Typology.objects.get_or_create(
            code=code, defaults={"label": label, "kind": kind, "position": position}
        )
        for rank, (category_code, category_label) in enumerate(categories, start=1):
            TypologyCategory.objects.get_or_create(
                typology=typology,
                code=category_code,
                defaults={"label": category_label, "position": rank},
            )
        typologies[code] = typology
    indicators = {}
    for position, spec in enumerate(INDICATORS, start=1):
        indicator, created = ResultIndicator.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "definition": f"{spec['definition']} {ILLUSTRATIVE}",
                "unit": spec["unit"],
                "direction": spec["direction"],
                "aggregation": spec["aggregation"],
                "source": spec["source"],
                "is_illustrative": True,
                "position": position,
            },
        )
        if created:
            indicator.breakdowns.set([typologies[c] for c in spec["breakdowns"]])
        indicators[spec["code"]] = indicator
    for position, (title, text) in enumerate(ORIENTATIONS, start=1):
        NationalOrientation.objects.get_or_create(
            title=title,
            defaults={"text": text, "position": position, "valid_from": date(2024, 7, 1)},
        )
    return indicators


# --- Roadmaps -----------------------------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    problem: str
    objective: str
    expected_results: str
    target_public: str = ""
    target_territory: str = ""
    sector: str = ""
    users_participation: str = ""
    status: str = "to_launch"
    progress: int = 0
    actors: tuple = ()  # (organisation, commitment)
    indicators: tuple = ()  # (name, unit, baseline, target)


@dataclass
class AxisPlan:
    title: str
    diagnostic: str
    stakes: str
    objectives: str
    sheets: list = field(default_factory=list)


MOBILITY = AxisPlan(
    "Lever les freins à la mobilité",
    "Dans les communes rurales, un demandeur d'emploi sur trois n'a pas de véhicule et les "
    "lignes de car ne desservent pas les zones d'activité aux heures de prise de poste.",
    "L'accès aux offres des zones d'activité et aux formations de la vallée.",
    "Proposer une solution de mobilité à chaque personne accompagnée qui en a besoin.",
    [
        Sheet(
            "Garage solidaire et location de véhicules à 2 € par jour",
            "Des offres non pourvues dans la logistique faute de moyen de transport des candidats.",
            "Que chaque candidat retenu puisse se rendre à son poste dès la première semaine.",
            "150 locations par an, 60 % des bénéficiaires en emploi à six mois.",
            target_public="Demandeurs d'emploi sans véhicule",
            target_territory="Communes rurales du Beaujolais",
            users_participation="Un comité d'usagers du garage se réunit chaque trimestre.",
            status="in_progress",
            progress=55,
            actors=(
                ("France Travail", "Repère les candidats et prescrit la location."),
                ("Association Mobilité Beaujolais", "Gère le garage et la flotte de véhicules."),
                ("Communauté d'agglomération", "Finance la moitié du coût de fonctionnement."),
            ),
            indicators=(("Locations de véhicules", "locations", 0, 150),),
        ),
        Sheet(
            "Transport à la demande vers les zones d'activité",
            "Les horaires postés (5 h – 13 h) ne sont desservis par aucune ligne.",
            "Ouvrir un transport à la demande aux horaires de prise de poste.",
            "Trois zones d'activité desservies, 40 trajets par jour.",
            sector="Logistique et industrie",
            status="to_launch",
            actors=(
                ("Région Auvergne-Rhône-Alpes", "Étudie l'extension du transport à la demande."),
            ),
            indicators=(("Trajets quotidiens", "trajets", 0, 40),),
        ),
    ],
)

RECRUITMENT = AxisPlan(
    "Répondre aux besoins de recrutement des entreprises",
    "Les entreprises de la logistique et du bâtiment déclarent 400 projets de recrutement "
    "difficiles par an ; les demandeurs d'emploi connaissent mal ces métiers.",
    "Rapprocher les entreprises en tension et les publics éloignés de l'emploi.",
    "Organiser des recrutements par simulation et des immersions dans chaque filière.",
    [
        Sheet(
            "Préparation opérationnelle à l'emploi collective « logistique »",
            "Des postes de préparateur de commandes restent vacants plus de trois mois.",
            "Former et recruter des personnes du territoire sur ces postes.",
            "Deux sessions de douze stagiaires par an, 75 % d'embauches.",
            target_public="Bénéficiaires du RSA et jeunes de moins de 26 ans",
            sector="Logistique",
            users_participation="Les stagiaires évaluent chaque session avec les employeurs.",
            status="done",
            progress=100,
            actors=(
                ("France Travail", "Finance la formation et sélectionne les candidats."),
                ("Mission locale", "Accompagne les jeunes pendant la formation."),
                (
                    "Club d'entreprises « les entreprises s'engagent »",
                    "Accueille les stagiaires en entreprise.",
                ),
            ),
            indicators=(("Embauches à l'issue de la formation", "personnes", 0, 18),),
        ),
    ],
)

INCLUSION = AxisPlan(
    "Accompagner les bénéficiaires du RSA vers l'emploi",
    "Le délai d'orientation des nouveaux bénéficiaires du RSA dépasse deux mois pour la moitié "
    "d'entre eux ; les freins de garde d'enfants sont fréquents.",
    "Une orientation rapide et un accompagnement qui lève les freins périphériques.",
    "Orienter chaque nouveau bénéficiaire en moins d'un mois.",
    [
        Sheet(
            "Places de crèche à vocation d'insertion professionnelle",
            "Des parents isolés renoncent à une reprise d'emploi faute de mode de garde.",
            "Réserver des places de crèche aux parents en parcours d'insertion.",
            "30 places réservées, 20 reprises d'emploi par an.",
            target_public="Parents isolés bénéficiaires du RSA",
            status="in_progress",
            progress=35,
            actors=(
                ("Caisse d'allocations familiales", "Finance la réservation des places."),
                ("Département du Rhône", "Oriente les parents bénéficiaires du RSA."),
            ),
            indicators=(("Places réservées", "places", 0, 30),),
        ),
    ],
)

COORDINATION = AxisPlan(
    "Coordonner le réseau pour l'emploi sur le territoire",
    "Les comités locaux remontent des besoins communs de mobilité et de garde d'enfants.",
    "Une réponse départementale cohérente aux besoins des territoires.",
    "Mutualiser les solutions qui ont fait leurs preuves dans les comités locaux.",
    [
        Sheet(
            "Plateforme départementale de mobilité",
            "Chaque comité local cherche seul une solution de mobilité.",
            "Une plateforme unique qui diagnostique et oriente vers les solutions locales.",
            "Une plateforme ouverte dans chaque arrondissement d'ici deux ans.",
            target_territory="Département du Rhône hors Métropole",
            status="in_progress",
            progress=20,
            actors=(
                ("Département du Rhône", "Porte la plateforme."),
                ("État (DDETS)", "Cofinance au titre du Pacte des solidarités."),
            ),
        ),
    ],
)

REGIONAL = AxisPlan(
    "Former aux métiers en tension",
    "Les besoins de l'industrie régionale (France 2030, Territoires d'industrie) dépassent l'offre de formation.",
    "Aligner l'offre de formation régionale sur les besoins des entreprises.",
    "Ouvrir 500 places de formation supplémentaires dans l'industrie.",
    [
        Sheet(
            "Parcours industrie avec les Territoires d'industrie",
            "Des postes industriels vacants dans les vallées.",
            "Des parcours de formation construits avec les entreprises.",
            "500 places, 70 % d'accès à l'emploi.",
            sector="Industrie",
            status="in_progress",
            progress=40,
            actors=(
                ("Région Auvergne-Rhône-Alpes", "Finance les formations."),
                ("France Travail", "Oriente les candidats."),
            ),
        ),
    ],
)

PLANS = {
    CRE: ("Feuille de route régionale 2025-2027", [REGIONAL], "published"),
    CDE: (
        "Feuille de route départementale du Rhône 2025-2027",
        [COORDINATION, INCLUSION],
        "published",
    ),
    CDE_METROPOLE: (
        "Feuille de route de la Métropole de Lyon",
        [INCLUSION, RECRUITMENT],
        "submitted",
    ),
    CLE_BEAUJOLAIS: (
        "Feuille de route du Beaujolais – Val de Saône",
        [MOBILITY, RECRUITMENT],
        "published",
    ),
    CLE_SUD_OUEST: ("Feuille de route du Sud-Ouest lyonnais", [RECRUITMENT], "approved"),
    CLE_EST: ("Feuille de route de l'Est lyonnais (projet)", [MOBILITY], "draft"),
}


def _secretariat(committee: Committee, personas: dict):
    return personas["dreets"] if committee.level == "regional" else personas["ddets"]


def _copresidents(committee: Committee) -> list:
    return [
        c.person
        for c in CoPresidency.objects.active().filter(committee=committee).select_related("person")
    ]


def _build(committee: Committee, title: str, axes: list, user) -> Roadmap:
    roadmap = services.create_roadmap(
        committee=committee,
        user=user,
        title=title,
        summary=(
            f"Le territoire du {committee.name} connaît un chômage de longue durée supérieur à la "
            "moyenne régionale et des difficultés de recrutement dans plusieurs filières."
        ),
        orientations=(
            "La feuille de route décline les orientations nationales (accompagnement de toutes "
            "les personnes, freins périphériques, besoins des entreprises) et celles du comité "
            "de niveau supérieur."
        ),
        users_participation=(
            "Des usagers accompagnés participent deux fois par an à un atelier de suivi des "
            "actions, animé par le secrétariat."
        ),
    )
    for plan in axes:
        axis = services.add_axis(
            roadmap=roadmap,
            title=plan.title,
            diagnostic=plan.diagnostic,
            stakes=plan.stakes,
            objectives=plan.objectives,
        )
        for spec in plan.sheets:
            sheet = services.add_action_sheet(
                axis=axis,
                title=spec.title,
                problem=spec.problem,
                objective=spec.objective,
                expected_results=spec.expected_results,
                target_public=spec.target_public,
                target_territory=spec.target_territory,
                sector=spec.sector,
                users_participation=spec.users_participation,
                starts_on=date(2025, 1, 1),
                ends_on=date(2026, 12, 31),
                status=spec.status,
                progress=spec.progress,
            )
            for organisation, commitment in spec.actors:
                services.add_actor(sheet=sheet, organisation=organisation, commitment=commitment)
            for name, unit, baseline, target in spec.indicators:
                services.add_roadmap_indicator(
                    sheet=sheet,
                    name=name,
                    unit=unit,
                    baseline=Decimal(baseline),
                    target=Decimal(target),
                    due_on=date(2026, 12, 31),
                )
    return roadmap


def _advance(roadmap: Roadmap, state: str, secretariat) -> None:
    if state == "draft":
        return
    lifecycle.submit_roadmap(roadmap=roadmap, user=secretariat)
    copresidents = _copresidents(roadmap.committee)
    if state == "submitted":
        lifecycle.approve_roadmap(
            roadmap=roadmap, user=copresidents[0], comment="Accord sur les axes."
        )
        return
    for person in copresidents:
        lifecycle.approve_roadmap(roadmap=roadmap, user=person)
    if state == "published":
        lifecycle.publish_roadmap(roadmap=roadmap, user=secretariat)


def _revise_beaujolais(roadmap: Roadmap, secretariat) -> None:
    """A second version: an axis's objectives revised and an action added, then published."""
    axis = roadmap.axes.order_by("position").first()
    services.update_axis(
        axis=axis,
        objectives="Proposer une solution de mobilité à chaque personne accompagnée, en moins de quinze jours.",
    )
    services.add_action_sheet(
        axis=axis,
        title="Aide au permis de conduire pour les jeunes",
        problem="Le permis est exigé par deux offres sur trois et coûte plus de 1 500 €.",
        objective="Financer et accompagner le permis des jeunes suivis par la Mission locale.",
        expected_results="40 permis obtenus par an.",
        target_public="Jeunes de moins de 26 ans",
        status="in_progress",
        progress=10,
    )
    _advance(roadmap, "published", secretariat)


def seed_roadmaps() -> dict[str, Roadmap]:
    """Seed the demo roadmaps, indicators and subjects (idempotent); return roadmaps by name."""
    personas = seed_users()
    committees = seed_committees()
    indicators = seed_catalogue()
    roadmaps = {}
    for name, (title, axes, state) in PLANS.items():
        committee = committees.get(name)
        if committee is None:
            continue
        roadmap = Roadmap.objects.filter(committee=committee).first()
        if roadmap is None:
            secretariat = _secretariat(committee, personas)
            roadmap = _build(committee, title, axes, secretariat)
            _advance(roadmap, state, secretariat)
            if name == CLE_BEAUJOLAIS:
                _revise_beaujolais(roadmap, secretariat)
            if name == CDE:
                lifecycle.record_car_presentation(
                    roadmap=roadmap,
                    user=secretariat,
                    presented_on=date.today(),
                    outcome=CarPresentation.Outcome.ENDORSED_WITH_REMARKS,
                    remarks="Associer davantage les entreprises à l'axe de coordination.",
                )
            roadmap.refresh_from_db()
        roadmaps[name] = roadmap
        _seed_values(committee, indicators, roadmap)
    _seed_good_practice(roadmaps.get(CLE_BEAUJOLAIS), personas)
    _seed_subjects(committees, roadmaps, personas)
    return roadmaps


# --- Values over 24 months ---------------------------------------------------------------------


def _months(count: int) -> list[date]:
    today = date.today()
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append(date(year, month, 1))
    return list(reversed(result))


def _seed_values(committee: Committee, indicators: dict, roadmap: Roadmap) -> None:
    """24 months of values for each common indicator (and its breakdowns) and each specific
    indicator of the committee's roadmap — only where the committee has none yet."""
    weight = {"regional": 8, "departmental": 3, "local": 1}[committee.level]
    months = _months(MONTHS)
    rows = []
    for spec in INDICATORS:
        indicator = indicators[spec["code"]]
        if IndicatorValue.objects.filter(committee=committee, result_indicator=indicator).exists():
            continue
        categories = list(
            TypologyCategory.objects.filter(typology__code__in=spec["breakdowns"]).select_related(
                "typology"
            )
        )
        for index, period in enumerate(months):
            if spec["aggregation"] == Aggregation.AVERAGE:
                total = Decimal(45 + index + (committee.pk % 7))
            else:
                trend = (
                    (index if spec["direction"] == Direction.INCREASE else -index)
                    * spec["scale"]
                    / 100
                )
                total = Decimal(
                    round(weight * (spec["scale"] + trend + (index % 3) * spec["scale"] / 20))
                )
            rows.append(
                IndicatorValue(
                    committee=committee, result_indicator=indicator, period=period, value=total
                )
            )
            by_typology = {}
            for category in categories:
                by_typology.setdefault(category.typology_id, []).append(category)
            for group in by_typology.values():
                share = total / len(group)
                for rank, category in enumerate(group):
                    part = (share * Decimal(1 + (rank - len(group) // 2) * 0.2)).quantize(
                        Decimal("1")
                    )
                    rows.append(
                        IndicatorValue(
                            committee=committee,
                            result_indicator=indicator,
                            period=period,
                            value=part,
                            category=category,
                        )
                    )
        if spec["aggregation"] == Aggregation.SUM and spec["direction"] == Direction.INCREASE:
            set_indicator_target(
                committee=committee,
                indicator=indicator,
                target=Decimal(round(weight * spec["scale"] * 1.4)),
                due_on=date(2026, 12, 31),
            )
    for specific in ActionSheet.objects.filter(axis__roadmap=roadmap).prefetch_related(
        "indicators"
    ):
        for indicator in specific.indicators.all():
            if indicator.values.exists():
                continue
            target = indicator.target or Decimal(10)
            for index, period in enumerate(months[-12:]):
                rows.append(
                    IndicatorValue(
                        committee=committee,
                        roadmap_indicator=indicator,
                        period=period,
                        value=(target * Decimal(index + 1) / Decimal(14)).quantize(Decimal("1")),
                    )
                )
    IndicatorValue.objects.bulk_create(rows)


def _seed_good_practice(roadmap: Roadmap | None, personas: dict) -> None:
    if roadmap is None:
        return
    sheet = ActionSheet.objects.filter(axis__roadmap=roadmap, status="done").first()
    if sheet is None or hasattr(sheet, "good_practice"):
        return
    services.mark_good_practice(
        sheet=sheet,
        user=personas["ddets"],
        impact="18 embauches sur 24 stagiaires en 2025, dont 10 bénéficiaires du RSA.",
        financial_cost="42 000 € par session (formation financée par France Travail).",
        human_cost="Un conseiller à mi-temps pendant trois mois, un tuteur par entreprise.",
        organisational_cost="Un comité de sélection commun et un bilan à six mois.",
        scale_up_needs="Un groupement d'employeurs volontaires et un organisme de formation local.",
    )


def _seed_subjects(committees: dict, roadmaps: dict, personas: dict) -> None:
    beaujolais, est, cde, cre = (committees.get(n) for n in (CLE_BEAUJOLAIS, CLE_EST, CDE, CRE))
    if None in (beaujolais, est, cde, cre):
        return
    ddets, dreets = personas["ddets"], personas["dreets"]
    if not EscalatedSubject.objects.filter(from_committee=beaujolais).exists():
        sheet = (
            ActionSheet.objects.filter(axis__roadmap__committee=beaujolais).order_by("pk").first()
        )
        subject = raise_subject(
            committee=beaujolais,
            user=ddets,
            title="Une plateforme de mobilité à l'échelle du département",
            need_kind=EscalatedSubject.Need.COORDINATION,
            need="Coordonner les solutions de mobilité des comités locaux et mutualiser leur financement.",
            reason="Chaque comité local finance seul son garage solidaire ; les listes d'attente s'allongent.",
            related_sheets=[sheet] if sheet else [],
        )
        answering = ActionSheet.objects.filter(
            axis__roadmap__committee=cde, title="Plateforme départementale de mobilité"
        ).first()
        if answering is not None:
            answer_subject(
                subject=subject,
                user=ddets,
                status=EscalatedSubject.Status.ACCEPTED,
                answering_sheet=answering,
                answer="Retenu : la plateforme départementale prend en charge la coordination.",
            )
    if not EscalatedSubject.objects.filter(from_committee=est).exists():
        raise_subject(
            committee=est,
            user=ddets,
            title="Places de crèche pour les parents en reprise d'emploi",
            need_kind=EscalatedSubject.Need.MEANS,
            need="Des places de crèche réservées aux parents en parcours d'insertion.",
            reason="Douze parents ont refusé une offre faute de mode de garde depuis janvier.",
        )
    if not EscalatedSubject.objects.filter(from_committee=cde).exists():
        subject = raise_subject(
            committee=cde,
            user=ddets,
            title="Carte des formations industrielles",
            need_kind=EscalatedSubject.Need.CONSISTENCY,
            need="Mettre en cohérence l'offre régionale de formation avec les besoins des vallées.",
            reason="Les formations ouvertes ne correspondent pas aux postes vacants du nord du département.",
        )
        answer_subject(
            subject=subject,
            user=dreets,
            status=EscalatedSubject.Status.REDIRECTED,
            answer="Réorienté vers la commission formation du CREFOP, qui arrête la carte des formations.",
        )
