"""A small world for the roadmap tests, built through the committees services only.

Territories: Auvergne-Rhône-Alpes (Rhône 69, Ain 01) and Bourgogne-Franche-Comté (Côte-d'Or
21), one commune each — a few rows, never the whole of France. Committees, staff
assignments, co-presidencies and memberships are created by ``create_committee``, the
persona factories ``ddets_agent`` / ``dreets_agent``, ``add_copresident`` and ``add_member``,
so that the guardian object permissions are derived as in production, never granted by hand.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from committees.models import Level
from committees.models.rules import Category
from committees.services.committees import create_committee
from committees.services.composition import add_copresident, add_member
from roadmaps.models import (
    ActionSheet,
    Aggregation,
    Direction,
    ResultIndicator,
    Typology,
    TypologyCategory,
)
from roadmaps.services import lifecycle
from roadmaps.services import roadmaps as services
from territories.models import Departement, Region
from tests.factories.committees import ddets_agent, dreets_agent
from tests.factories.territories import TerritorySpec, build_territory
from tests.factories.users import UserFactory

START = date(2024, 9, 1)

# One commune per département that a roadmap names; no arrondissement nor EPCI needed.
TERRITORY = TerritorySpec(
    regions=(("84", "Auvergne-Rhône-Alpes", "metro"), ("27", "Bourgogne-Franche-Comté", "metro")),
    departements=(("69", "Rhône", "84"), ("01", "Ain", "84"), ("21", "Côte-d'Or", "27")),
    communes=(
        ("69264", "Villefranche-sur-Saône", 37081, "69", None, None),
        ("21231", "Dijon", 156920, "21", None, None),
    ),
    names={"ara": "84", "bfc": "27", "d69": "69", "d01": "01", "d21": "21"},
)


@dataclass
class World:
    ara: Region
    bfc: Region
    d69: Departement
    d01: Departement
    d21: Departement
    cre: object
    cde69: object
    cle: object  # CLE Villefranche (69)
    cde21: object
    cle21: object  # CLE Dijon (21), foreign to the Rhône people
    dreets: object
    ddets69: object
    ddets21: object
    prefet: object  # State co-president of the CLE
    elu: object  # local-authority co-president of the CLE
    member: object  # Mission locale, member of the CLE (France Travail's agents contribute)
    outsider: object
    admin: object
    prefet69: object  # State co-president of the CDE 69
    president_cd: object  # local-authority co-president of the CDE 69


def make_world() -> World:
    t = build_territory(TERRITORY)
    ara, bfc, d69, d01, d21 = t.ara, t.bfc, t.d69, t.d01, t.d21

    cre = create_committee(
        level=Level.REGIONAL, name="CRE Auvergne-Rhône-Alpes", region=ara, crefop_mode="within"
    )
    cde69 = create_committee(
        level=Level.DEPARTMENTAL, name="CDE du Rhône", region=ara, departements=[d69]
    )
    cle = create_committee(
        level=Level.LOCAL, name="CLE Villefranche Beaujolais", region=ara, departements=[d69]
    )
    create_committee(
        level=Level.REGIONAL, name="CRE Bourgogne-Franche-Comté", region=bfc, crefop_mode="within"
    )
    cde21 = create_committee(
        level=Level.DEPARTMENTAL, name="CDE de la Côte-d'Or", region=bfc, departements=[d21]
    )
    cle21 = create_committee(
        level=Level.LOCAL, name="CLE Dijon Métropole", region=bfc, departements=[d21]
    )

    people = {
        "dreets": dreets_agent(ara, email="dreets.ara@example.gouv.fr", organisation="DREETS ARA"),
        "ddets69": ddets_agent(d69, email="ddets69@example.gouv.fr", organisation="DDETS du Rhône"),
        "ddets21": ddets_agent(
            d21, email="ddets21@example.gouv.fr", organisation="DDETS de Côte-d'Or"
        ),
        "prefet": UserFactory(
            email="prefet.cle@example.gouv.fr", organisation="Préfecture du Rhône"
        ),
        "elu": UserFactory(email="elu.cle@example.fr", organisation="CA Villefranche"),
        "member": UserFactory(email="ml.cle@example.fr", organisation="Mission locale"),
        "outsider": UserFactory(email="outsider@example.fr", organisation="Ailleurs"),
        "admin": UserFactory(email="admin.roadmaps@example.gouv.fr", admin=True),
        "prefet69": UserFactory(email="prefet69@example.gouv.fr", organisation="Préfecture"),
        "president_cd": UserFactory(email="president.cd69@example.fr", organisation="CD 69"),
    }
    add_copresident(
        committee=cle,
        side="state",
        person=people["prefet"],
        office="Préfète du Rhône",
        started_on=START,
    )
    add_copresident(
        committee=cle,
        side="local_authority",
        person=people["elu"],
        office="Président de la communauté d'agglomération",
        authority="CA Villefranche Beaujolais Saône",
        started_on=START,
    )
    add_copresident(
        committee=cde69,
        side="state",
        person=people["prefet69"],
        office="Préfète du Rhône",
        started_on=START,
    )
    add_copresident(
        committee=cde69,
        side="local_authority",
        person=people["president_cd"],
        office="Président du conseil départemental",
        authority="Département du Rhône",
        started_on=START,
    )
    add_member(
        committee=cle,
        person=people["member"],
        organisation="Mission locale Villefranche",
        category=Category.MISSIONS_LOCALES,
        mandate_start=START,
    )
    for committee in (cre, cde69, cle, cde21, cle21):
        committee.refresh_from_db()
    return World(ara, bfc, d69, d01, d21, cre, cde69, cle, cde21, cle21, **people)


SHEET = {
    "problem": "Des offres non pourvues dans la logistique malgré un vivier local.",
    "objective": "Pourvoir 50 postes avec des personnes du territoire.",
    "expected_results": "50 recrutements en un an.",
    "target_public": "Bénéficiaires du RSA",
}


def axis_values(title: str = "Lever les freins à l'emploi") -> dict:
    return {
        "title": title,
        "diagnostic": "Mobilité difficile en zone rurale.",
        "stakes": "Accès à l'emploi des personnes sans véhicule.",
        "objectives": "Proposer une solution de mobilité à chaque demandeur.",
    }


def build_roadmap(committee, user, *, axes: int = 1, sheets_per_axis: int = 1, title: str = ""):
    """A draft roadmap with its axes and action sheets, through the services."""
    roadmap = services.create_roadmap(
        committee=committee, user=user, title=title or f"Feuille de route — {committee.name}"
    )
    for a in range(axes):
        axis = services.add_axis(roadmap=roadmap, **axis_values(f"Axe {a + 1}"))
        for s in range(sheets_per_axis):
            services.add_action_sheet(axis=axis, title=f"Fiche {a + 1}.{s + 1}", **SHEET)
    roadmap.refresh_from_db()
    return roadmap


def publish(roadmap, world: World, *, copresidents=None, secretariat=None):
    """Submit, have every co-president approve, publish; return the version."""
    copresidents = copresidents or [world.prefet, world.elu]
    secretariat = secretariat or world.ddets69
    lifecycle.submit_roadmap(roadmap=roadmap, user=secretariat)
    for person in copresidents:
        lifecycle.approve_roadmap(roadmap=roadmap, user=person)
    return lifecycle.publish_roadmap(roadmap=roadmap, user=secretariat)


def first_sheet(roadmap) -> ActionSheet:
    return (
        ActionSheet.objects.filter(axis__roadmap=roadmap)
        .order_by("axis__position", "position")
        .first()
    )


def make_indicators():
    """Two common indicators (a volume summed, a rate averaged) and an age typology."""
    age = Typology.objects.create(code="age", label="Tranche d'âge", kind="people")
    young = TypologyCategory.objects.create(
        typology=age, code="moins-26", label="Moins de 26 ans", position=1
    )
    adults = TypologyCategory.objects.create(
        typology=age, code="26-49", label="26 à 49 ans", position=2
    )
    size = Typology.objects.create(code="taille", label="Taille d'entreprise", kind="companies")
    small = TypologyCategory.objects.create(typology=size, code="tpe", label="Moins de 10 salariés")
    returns = ResultIndicator.objects.create(
        code="retours-emploi",
        name="Retours à l'emploi durable",
        definition="Nombre de personnes accompagnées en emploi durable à six mois.",
        unit="personnes",
        direction=Direction.INCREASE,
        aggregation=Aggregation.SUM,
        source="France Travail",
        is_illustrative=True,
        position=1,
    )
    returns.breakdowns.set([age])
    rate = ResultIndicator.objects.create(
        code="taux-orientation",
        name="Taux d'orientation sous un mois",
        definition="Part des nouveaux bénéficiaires du RSA orientés dans le mois.",
        unit="%",
        direction=Direction.INCREASE,
        aggregation=Aggregation.AVERAGE,
        source="Conseil départemental",
        is_illustrative=True,
        position=2,
    )
    return {
        "returns": returns,
        "rate": rate,
        "age": age,
        "young": young,
        "adults": adults,
        "size": size,
        "small": small,
    }


D = Decimal
