"""A small world for the committee API and permission-matrix tests.

Territory: ``tests.factories.territories.MATRIX`` (Rhône and Ain in Auvergne-Rhône-Alpes,
Côte-d'Or in Bourgogne-Franche-Comté). Committees and people are built by the factories of
``tests.factories.committees``, that is through the services, so that the guardian object
permissions are derived exactly as in production — never granted by hand.
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
    Membership,
    RulesOfProcedure,
    StaffAssignment,
)
from committees.models.rules import REQUIRED_CATEGORIES, Category
from tests.factories.committees import (
    CommitteeFactory,
    CoPresidencyFactory,
    MembershipFactory,
    ddets_agent,
    dreets_agent,
)
from tests.factories.territories import MATRIX, Territory, build_territory
from tests.factories.users import UserFactory

START = date(2024, 9, 1)


# --- People ----------------------------------------------------------------------------------


def seat(committee: Committee, category: str = Category.STATE, **kwargs) -> Membership:
    """A member of ``category`` (a new person unless given), permanent titular by default."""
    kwargs["person"] = kwargs.get("person") or UserFactory(phone="04 72 00 00 00")
    return MembershipFactory(committee=committee, category=category, **kwargs)


def copreside(committee: Committee, side: str = CoPresidency.Side.STATE, **kwargs):
    local = side == CoPresidency.Side.LOCAL_AUTHORITY
    defaults = (
        {"office": "Président", "authority": "Collectivité"} if local else {"office": "Préfète"}
    )
    return CoPresidencyFactory(committee=committee, side=side, **defaults | kwargs)


def complete_composition(committee: Committee) -> None:
    """Both co-presidency sides and every permanent category of the level (INS-COMPOSITION)."""
    sides = set(committee.copresidencies.values_list("side", flat=True))
    for side in CoPresidency.Side.values:
        if side not in sides:
            copreside(committee, side)
    for category in REQUIRED_CATEGORIES[committee.level]:
        seat(committee, category)


# --- Committees ------------------------------------------------------------------------------


def make_cre(t: Territory) -> Committee:
    return CommitteeFactory(cre=True, name="CRE Auvergne-Rhône-Alpes", region=t.ara)


def make_cde(t: Territory) -> Committee:
    return CommitteeFactory(cde=True, name="CDE du Rhône", region=t.ara, departements=[t.d69])


def make_cle(t: Territory, *, name="CLE Beaujolais", epcis=None) -> Committee:
    return CommitteeFactory(
        cle=True,
        name=name,
        region=t.ara,
        departements=[t.d69],
        perimeter={"epcis": epcis or [t.epci_villefranche]},
    )


def make_foreign_cle(t: Territory) -> Committee:
    return CommitteeFactory(
        cle=True,
        name="CLE Dijon Métropole",
        region=t.bfc,
        departements=[t.d21],
        perimeter={"epcis": [t.epci_dijon]},
    )


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
    territories: Territory
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
    t = build_territory(MATRIX)
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
