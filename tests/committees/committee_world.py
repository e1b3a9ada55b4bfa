"""A small world for the committee API and permission-matrix tests.

Territories: two regions (Auvergne-Rhône-Alpes, Bourgogne-Franche-Comté), three départements
(Rhône and Ain in the first, Côte-d'Or in the second), a few arrondissements, EPCI and
communes. Committees and people are built through the services only (create_committee,
set_perimeter, start_staff_assignment, add_copresident, add_member), so that the guardian
object permissions are derived exactly as in production — never granted by hand.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from guardian.models import UserObjectPermission

from committees.models import (
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    FormerInstance,
    Level,
    Membership,
    RulesOfProcedure,
    StaffAssignment,
)
from committees.models.rules import REQUIRED_CATEGORIES, Category
from committees.services.committees import create_committee, set_perimeter
from committees.services.composition import add_copresident, add_member
from committees.services.staff import start_staff_assignment
from territories.models import Arrondissement, Commune, Departement, Epci, Region
from tests.factories.users import UserFactory

START = date(2024, 9, 1)


@dataclass
class Territories:
    ara: Region
    bfc: Region
    d69: Departement
    d01: Departement
    d21: Departement
    arr_villefranche: Arrondissement
    arr_dijon: Arrondissement
    epci_villefranche: Epci
    epci_beaujolais: Epci
    epci_dombes: Epci
    epci_dijon: Epci


def make_territories() -> Territories:
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone="metro")
    bfc = Region.objects.create(code="27", name="Bourgogne-Franche-Comté", zone="metro")
    d69 = Departement.objects.create(code="69", name="Rhône", region=ara, zone="metro")
    d01 = Departement.objects.create(code="01", name="Ain", region=ara, zone="metro")
    d21 = Departement.objects.create(code="21", name="Côte-d'Or", region=bfc, zone="metro")
    arr_villefranche = Arrondissement.objects.create(
        code="692", name="Villefranche-sur-Saône", departement=d69
    )
    arr_bourg = Arrondissement.objects.create(code="012", name="Bourg-en-Bresse", departement=d01)
    arr_dijon = Arrondissement.objects.create(code="212", name="Dijon", departement=d21)
    epci_villefranche = Epci.objects.create(
        code="200040590", name="CA Villefranche Beaujolais Saône", kind="CA"
    )
    epci_beaujolais = Epci.objects.create(
        code="200040574", name="CC Beaujolais Pierres Dorées", kind="CC"
    )
    epci_dombes = Epci.objects.create(code="240100883", name="CC de la Dombes", kind="CC")
    epci_dijon = Epci.objects.create(code="242100410", name="Dijon Métropole", kind="METRO")
    for code, name, population, departement, arrondissement, epci in (
        ("69264", "Villefranche-sur-Saône", 37081, d69, arr_villefranche, epci_villefranche),
        ("69010", "Arnas", 4051, d69, arr_villefranche, epci_villefranche),
        ("69024", "Anse", 7847, d69, arr_villefranche, epci_beaujolais),
        ("01165", "Jassans-Riottier", 6626, d01, arr_bourg, epci_dombes),
        ("21231", "Dijon", 159346, d21, arr_dijon, epci_dijon),
        ("21166", "Chenôve", 13837, d21, arr_dijon, epci_dijon),
    ):
        Commune.objects.create(
            code=code,
            name=name,
            population=population,
            departement=departement,
            region=departement.region,
            arrondissement=arrondissement,
            epci=epci,
        )
    return Territories(
        ara=ara,
        bfc=bfc,
        d69=d69,
        d01=d01,
        d21=d21,
        arr_villefranche=arr_villefranche,
        arr_dijon=arr_dijon,
        epci_villefranche=epci_villefranche,
        epci_beaujolais=epci_beaujolais,
        epci_dombes=epci_dombes,
        epci_dijon=epci_dijon,
    )


# --- People ----------------------------------------------------------------------------------


def ddets_agent(departement: Departement, **fields):
    user = UserFactory(organisation=f"DDETS {departement.name}", **fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DDETS, departement=departement, started_on=START
    )
    return user


def dreets_agent(region: Region, **fields):
    user = UserFactory(organisation=f"DREETS {region.name}", **fields)
    start_staff_assignment(
        user=user, service=StaffAssignment.Service.DREETS, region=region, started_on=START
    )
    return user


def seat(committee: Committee, category: str = Category.STATE, **kwargs) -> Membership:
    """A member of ``category`` (a new person unless given), permanent titular by default."""
    person = kwargs.pop("person", None) or UserFactory(phone="04 72 00 00 00")
    return add_member(
        committee=committee,
        person=person,
        organisation=kwargs.pop("organisation", f"Organisme {person.last_name}"),
        category=category,
        mandate_start=kwargs.pop("mandate_start", START),
        **kwargs,
    )


def copreside(committee: Committee, side: str = CoPresidency.Side.STATE, **kwargs):
    person = kwargs.pop("person", None) or UserFactory()
    local = side == CoPresidency.Side.LOCAL_AUTHORITY
    defaults = {
        "office": "Président" if local else "Préfète",
        "authority": "Collectivité" if local else "",
        "started_on": START,
    }
    return add_copresident(committee=committee, side=side, person=person, **defaults | kwargs)


def complete_composition(committee: Committee) -> None:
    """Both co-presidency sides and every permanent category of the level (INS-COMPOSITION)."""
    sides = set(committee.copresidencies.values_list("side", flat=True))
    for side in CoPresidency.Side.values:
        if side not in sides:
            copreside(committee, side)
    for category in REQUIRED_CATEGORIES[committee.level]:
        seat(committee, category)


# --- Committees ------------------------------------------------------------------------------


def make_cre(t: Territories) -> Committee:
    return create_committee(
        level=Level.REGIONAL, name="CRE Auvergne-Rhône-Alpes", region=t.ara, crefop_mode="within"
    )


def make_cde(t: Territories) -> Committee:
    return create_committee(
        level=Level.DEPARTMENTAL, name="CDE du Rhône", region=t.ara, departements=[t.d69]
    )


def make_cle(t: Territories, *, name="CLE Beaujolais", epcis=None) -> Committee:
    committee = create_committee(level=Level.LOCAL, name=name, region=t.ara, departements=[t.d69])
    return set_perimeter(committee=committee, epcis=epcis or [t.epci_villefranche])


def make_foreign_cle(t: Territories) -> Committee:
    committee = create_committee(
        level=Level.LOCAL, name="CLE Dijon Métropole", region=t.bfc, departements=[t.d21]
    )
    return set_perimeter(committee=committee, epcis=[t.epci_dijon])


# --- The persona world of the permission matrix ----------------------------------------------

PERSONAS = (
    "admin",
    "dreets_own",
    "dreets_other",
    "ddets_own",
    "ddets_other",
    "copresident",
    "member",
    "outsider",
)
COMMITTEES = ("cre", "cde", "cle", "foreign_cle")


@dataclass
class World:
    territories: Territories
    committees: dict[str, Committee] = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def make_world() -> World:
    """The committees of the Rhône (own CRE, CDE, CLE) and a CLE of the Côte-d'Or (foreign),
    and one persona per access level (DOMAIN §4):

    - admin: an admin (DGEFP);
    - dreets_own / dreets_other: DREETS agents of Auvergne-Rhône-Alpes / Bourgogne-F.-C.;
    - ddets_own / ddets_other: DDETS agents of the Rhône / the Ain (same region);
    - copresident: local-authority co-president of the CDE and of the CLE of the Rhône;
    - member: France Travail's member of the CLE of the Rhône;
    - outsider: signed in, no role anywhere.
    """
    t = make_territories()
    world = World(territories=t)
    world.committees = {
        "cre": make_cre(t),
        "cde": make_cde(t),
        "cle": make_cle(t),
        "foreign_cle": make_foreign_cle(t),
    }
    users = world.users
    users["admin"] = UserFactory(admin=True, email="admin@dgefp.example.gouv.fr")
    users["dreets_own"] = dreets_agent(t.ara, email="dreets.ara@example.gouv.fr")
    users["dreets_other"] = dreets_agent(t.bfc, email="dreets.bfc@example.gouv.fr")
    users["ddets_own"] = ddets_agent(t.d69, email="ddets.69@example.gouv.fr")
    users["ddets_other"] = ddets_agent(t.d01, email="ddets.01@example.gouv.fr")
    users["copresident"] = UserFactory(email="copresident@rhone.example.fr")
    copreside(
        world.committees["cde"],
        CoPresidency.Side.LOCAL_AUTHORITY,
        person=users["copresident"],
        office="Président du conseil départemental",
        authority="Département du Rhône",
    )
    copreside(
        world.committees["cle"],
        CoPresidency.Side.LOCAL_AUTHORITY,
        person=users["copresident"],
        office="Président de la communauté d'agglomération",
        authority="CA Villefranche Beaujolais Saône",
    )
    users["member"] = UserFactory(email="membre@francetravail.example.fr", phone="0600000000")
    seat(
        world.committees["cle"],
        Category.FRANCE_TRAVAIL,
        person=users["member"],
        organisation="France Travail",
    )
    users["outsider"] = UserFactory(email="curieux@example.fr")
    for committee in world.committees.values():
        committee.refresh_from_db()
    return world


@contextmanager
def rolled_back_world(django_db_blocker):
    """A world built once (for a test module), inside a transaction rolled back at the end.

    Each test then runs in a savepoint of it (pytest-django's ``db``), so one test's writes
    never reach the next one; use ``fresh`` to get instances free of a previous test's
    in-memory changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_world()
        transaction.set_rollback(True)


def fresh(world: World) -> World:
    """The same world, every committee and user reloaded from the database."""
    User = get_user_model()
    return World(
        territories=world.territories,
        committees={key: Committee.objects.get(pk=c.pk) for key, c in world.committees.items()},
        users={key: User.objects.get(pk=u.pk) for key, u in world.users.items()},
    )


# --- Nothing changed -------------------------------------------------------------------------

SNAPSHOT_MODELS = (
    Committee,
    Committee.departements.through,
    Committee.communes.through,
    Committee.perimeter_epcis.through,
    Membership,
    CoPresidency,
    Commission,
    CommissionMember,
    RulesOfProcedure,
    FormerInstance,
    StaffAssignment,
    UserObjectPermission,
)


def snapshot() -> dict:
    """Every row the committee screens and API could write, and the size of their history."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
    }
    rows["users"] = list(
        get_user_model().objects.order_by("pk").values("pk", "email", "first_name", "last_name")
    )
    for model in (Committee, Membership, CoPresidency, Commission, RulesOfProcedure):
        rows[f"history:{model._meta.label}"] = model.history.count()
    return rows
