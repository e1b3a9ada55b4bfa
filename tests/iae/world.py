"""The IAE tests' world: the meetings tests' CDE of the Rhône (``build_scene``) with a member of
its inclusion & IAE commission, a held meeting of that commission, a plenary meeting, a CLE
and a CDE of the Ain. Every write goes through the services."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from committees.models import Commission, Level
from committees.services.committees import create_committee
from committees.services.composition import add_commission_member
from iae import services
from iae.models import IaeRequest, RequestKind, SiaeType
from meetings.models import Meeting
from tests.factories.meetings import Scene, build_scene, make_meeting, move_to
from tests.factories.users import UserFactory

# Invented SIRET numbers with a valid check key.
SIRET_ACI = "41234567800012"
SIRET_EI = "52345678100021"
SIRET_LA_POSTE = "35600000000010"  # La Poste: sum of the digits a multiple of 5


def today() -> date:
    return timezone.localdate()


@dataclass
class World:
    scene: Scene
    cde: object
    secretariat: object
    state: object  # CDE co-president: reads
    member: object  # a member of the IAE commission: reads
    voter: object  # a CDE member outside the commission: no access
    other_ddets: object
    outsider: object
    admin: object
    commission: Commission
    commission_meeting: Meeting
    plenary: Meeting
    cle: object
    cde_ain: object


def build_world() -> World:
    scene = build_scene()
    cde = scene.committee
    t = scene.territories
    commission = cde.commissions.get(kind=Commission.Kind.IAE)
    member = UserFactory(email="directrice@fede-siae.example", organisation="Fédération des SIAE")
    add_commission_member(commission=commission, person=member, organisation="Fédération des SIAE")
    commission_meeting = move_to(
        make_meeting(scene, items=0, title="Commission IAE", commission=commission),
        today() - timedelta(days=5),
    )
    plenary = move_to(make_meeting(scene, items=0), today() - timedelta(days=4))
    cle = create_committee(
        level=Level.LOCAL, name="CLE Villefranche", region=t.ara, departements=[t.d69]
    )
    cde_ain = create_committee(
        level=Level.DEPARTMENTAL, name="CDE de l'Ain", region=t.ara, departements=[t.d01]
    )
    return World(
        scene=scene,
        cde=cde,
        secretariat=scene.secretariat,
        state=scene.state,
        member=member,
        voter=scene.voters["employer_orgs"].person,
        other_ddets=scene.other_ddets,
        outsider=scene.outsider,
        admin=UserFactory(email="admin@dgefp.gouv.fr", admin=True),
        commission=commission,
        commission_meeting=commission_meeting,
        plenary=plenary,
        cle=cle,
        cde_ain=cde_ain,
    )


def request_data(**changes) -> services.RequestData:
    fields = {
        "kind": RequestKind.CONVENTION,
        "structure_name": "Les Jardins de Gerland",
        "siret": SIRET_ACI,
        "siae_type": SiaeType.ACI,
        "period_start": date(today().year + 1, 1, 1),
        "period_end": date(today().year + 1, 12, 31),
        "received_on": today() - timedelta(days=20),
        "fte_requested": Decimal("12.5"),
        "amount_requested": None,
        "subject": "Renouvellement du conventionnement.",
        **changes,
    }
    return services.RequestData(**fields)


def new_request(world: World, committee=None, **changes) -> IaeRequest:
    return services.create_request(
        committee=committee or world.cde, user=world.secretariat, data=request_data(**changes)
    )


def opinion_data(world: World, **changes) -> services.OpinionData:
    fields = {
        "verdict": "favourable",
        "method": "vote",
        "meeting": world.commission_meeting,
        "votes_for": 8,
        "votes_against": 1,
        "votes_abstain": 2,
        **changes,
    }
    return services.OpinionData(**fields)


def give_opinion(world: World, item: IaeRequest, **changes):
    return services.record_opinion(
        iae_request=item, user=world.secretariat, data=opinion_data(world, **changes)
    )
