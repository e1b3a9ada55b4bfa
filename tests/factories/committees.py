"""Factories of committees, their co-presidents, members and the State agents who run them.

Every row is written by the committees services (``create_committee``, ``set_perimeter``,
``add_copresident``, ``add_member``, ``install_committee``, ``dissolve_committee``,
``start_staff_assignment``), so that guardian object permissions are derived exactly as in
production — never granted by hand.

    CommitteeFactory(cle=True, region=t.ara, departements=[t.d69], perimeter={"epcis": [...]})
    CommitteeFactory(cde=True, region=t.ara, departements=[t.d69], installed=True)
    CommitteeFactory(cre=True, region=t.ara, dissolved=date(2025, 6, 30))
    CoPresidencyFactory(committee=cde, local_authority=True, person=user)
    MembershipFactory(committee=cde, category=Category.FRANCE_TRAVAIL)
    ddets_agent(t.d69), dreets_agent(t.ara)
"""

from datetime import date

import factory

from committees.models import (
    REQUIRED_CATEGORIES,
    Category,
    Committee,
    CoPresidency,
    Level,
    Membership,
    StaffAssignment,
)
from committees.services.committees import (
    create_committee,
    dissolve_committee,
    install_committee,
    set_perimeter,
)
from committees.services.composition import add_copresident, add_member
from committees.services.staff import start_staff_assignment
from tests.factories.territories import DepartementFactory, RegionFactory
from tests.factories.users import UserFactory

START = date(2024, 9, 1)
DISSOLVED_ON = date(2025, 12, 31)
ARRETE = "Arrêté n° 69-2024-09-01-001"


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    """A DDETS agent's département or a DREETS agent's region (``dreets=True``)."""

    class Meta:
        model = StaffAssignment

    user = factory.SubFactory(UserFactory)
    service = StaffAssignment.Service.DDETS
    departement = factory.SubFactory(DepartementFactory)
    region = None
    started_on = START

    class Params:
        dreets = factory.Trait(
            service=StaffAssignment.Service.DREETS,
            departement=None,
            region=factory.SubFactory(RegionFactory),
        )

    @classmethod
    def _create(cls, model_class, **kwargs):
        return start_staff_assignment(**kwargs)


def ddets_agent(departement, **fields):
    """A DDETS agent of ``departement``: runs its CDEs and CLEs, sees its region's CRE."""
    fields.setdefault("organisation", f"DDETS {departement.name}")
    user = UserFactory(**fields)
    StaffAssignmentFactory(user=user, departement=departement)
    return user


def dreets_agent(region, **fields):
    """A DREETS agent of ``region``: runs its CRE, sees every committee of the region."""
    fields.setdefault("organisation", f"DREETS {region.name}")
    user = UserFactory(**fields)
    StaffAssignmentFactory(user=user, dreets=True, region=region)
    return user


class CoPresidencyFactory(factory.django.DjangoModelFactory):
    """A co-president of the State side, or of the local authorities (``local_authority``)."""

    class Meta:
        model = CoPresidency

    committee = None  # required
    side = CoPresidency.Side.STATE
    person = factory.SubFactory(UserFactory)
    office = "Préfète du Rhône"
    authority = ""
    started_on = START

    class Params:
        local_authority = factory.Trait(
            side=CoPresidency.Side.LOCAL_AUTHORITY,
            office="Président",
            authority="Collectivité du territoire",
        )

    @classmethod
    def _create(cls, model_class, **kwargs):
        return add_copresident(**kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A permanent titular member of ``category`` (State by default)."""

    class Meta:
        model = Membership

    committee = None  # required
    person = factory.SubFactory(UserFactory)
    category = Category.STATE
    organisation = factory.LazyAttribute(lambda o: f"Organisme {o.person.last_name}")
    mandate_start = START

    class Params:
        substitute = factory.Trait(role=Membership.Role.SUBSTITUTE)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return add_member(**kwargs)


def compose(committee: Committee, *, skip: tuple = (), **copresidents) -> None:
    """Both co-presidency sides and one titular of every permanent category of the level,
    except ``skip`` (INS-COMPOSITION, DEC-COPRESIDENCY). ``state`` / ``local`` give the
    co-presidents' fields (``person``, ``office``, ``authority``…)."""
    CoPresidencyFactory(committee=committee, **copresidents.get("state", {}))
    CoPresidencyFactory(committee=committee, local_authority=True, **copresidents.get("local", {}))
    for category in REQUIRED_CATEGORIES[committee.level]:
        if category not in skip:
            MembershipFactory(committee=committee, category=category)


def install(committee: Committee, *, on: date = START) -> Committee:
    """Compose ``committee`` (``compose``) and install it on ``on`` (INS-INSTALLATION)."""
    compose(committee)
    return install_committee(committee=committee, installed_on=on, arrete_reference=ARRETE)


class CommitteeFactory(factory.django.DjangoModelFactory):
    """A committee in draft, of the level of its trait: ``cre``, ``cde`` (default) or ``cle``.

    ``perimeter={...}`` sets a CLE's perimeter (``set_perimeter``); ``installed=True`` seats
    both co-presidents and every permanent category and installs it on ``START`` (or on the
    date given); ``dissolved=True`` installs it then dissolves it on ``DISSOLVED_ON`` (or on
    the date given).
    """

    class Meta:
        model = Committee
        skip_postgeneration_save = True

    level = Level.DEPARTMENTAL
    name = factory.Sequence(lambda n: f"Comité pour l'emploi n° {n}")
    region = factory.SubFactory(RegionFactory)
    departements = factory.LazyAttribute(
        lambda o: [] if o.level == Level.REGIONAL else [DepartementFactory(region=o.region)]
    )
    crefop_mode = factory.LazyAttribute(lambda o: "within" if o.level == Level.REGIONAL else "")

    class Params:
        cre = factory.Trait(level=Level.REGIONAL)
        cde = factory.Trait(level=Level.DEPARTMENTAL)
        cle = factory.Trait(level=Level.LOCAL)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_committee(**kwargs)

    @factory.post_generation
    def perimeter(obj, create, extracted, **kwargs):
        if extracted:
            set_perimeter(committee=obj, **extracted)

    @factory.post_generation
    def installed(obj, create, extracted, **kwargs):
        if extracted:
            install(obj, on=START if extracted is True else extracted)

    @factory.post_generation
    def dissolved(obj, create, extracted, **kwargs):
        if extracted:
            if obj.status == Committee.Status.DRAFT:
                install(obj)
            on = DISSOLVED_ON if extracted is True else extracted
            dissolve_committee(committee=obj, dissolved_on=on)
