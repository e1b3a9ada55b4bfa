"""A small world for the funders tests, built through the committees services only.

Territory: the sample territory (``tests.factories.territories.SAMPLE``: Rhône, Ain, Paris),
never the whole of France. The CDE of the Rhône and a CLE below it (arrondissement of
Villefranche-sur-Saône) are installed with their co-presidents and members; a CDE of Paris is
foreign to the Rhône people. Staff assignments, co-presidencies and memberships go through the
services, so that guardian permissions are derived as in production, never granted by hand.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from committees.models import REQUIRED_CATEGORIES, Category
from committees.services.committees import create_committee, install_committee
from funders.services.conferences import add_funder, create_conference
from funders.services.offer import LineValues, add_line
from meetings.models import Meeting
from meetings.services.agenda import add_agenda_item
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.planning import create_meeting
from tests.committees import builders
from tests.factories.committees import (
    CoPresidencyFactory,
    MembershipFactory,
    ddets_agent,
    dreets_agent,
)
from tests.factories.territories import SAMPLE, build_territory
from tests.factories.users import UserFactory

D = Decimal
START = date(2024, 9, 1)


def today() -> date:
    return timezone.localdate()


# The fields of a need raised at a funders' conference, as the needs screens take them.
NEED = {
    "pathway_need": "Garde d'enfants en horaires décalés pour une reprise d'emploi en logistique.",
    "public": "single_parents",
    "territory": "Villefranche-sur-Saône",
    "people_count": 8,
    "access_difficulty": "Aucune place en crèche après 19 h ; délais de plusieurs mois.",
    "raised_by": "Mission locale Beaujolais",
}


@dataclass
class World:
    territory: object
    cre: object
    cde: object
    cle: object
    cde75: object
    ddets69: object
    dreets: object
    ddets75: object
    prefet: object  # State co-president of the CDE
    president_cd: object  # local-authority co-president of the CDE
    elu: object  # local-authority co-president of the CLE
    member: object  # France Travail, member of the CDE
    outsider: object
    admin: object


def _install(committee, *, state, local, member=None):
    CoPresidencyFactory(committee=committee, person=state)
    CoPresidencyFactory(committee=committee, local_authority=True, person=local)
    for category in REQUIRED_CATEGORIES[committee.level]:
        if category == Category.FRANCE_TRAVAIL and member is not None:
            MembershipFactory(
                committee=committee,
                category=category,
                person=member,
                organisation="France Travail Rhône",
            )
        else:
            MembershipFactory(committee=committee, category=category)
    return install_committee(
        committee=committee, installed_on=START, arrete_reference="Arrêté n° 69-2024-09-01-001"
    )


def make_world() -> World:
    territory = build_territory(SAMPLE)
    people = {
        "ddets69": ddets_agent(
            territory.d69, email="ddets69@example.gouv.fr", first_name="Claire", last_name="Duval"
        ),
        "dreets": dreets_agent(territory.ara, email="dreets84@example.gouv.fr"),
        "ddets75": ddets_agent(territory.d75, email="ddets75@example.gouv.fr"),
        "prefet": UserFactory(email="prefet69@example.gouv.fr", organisation="Préfecture"),
        "president_cd": UserFactory(email="president.cd69@example.fr", organisation="CD 69"),
        "elu": UserFactory(email="elu.cle@example.fr", organisation="CA Villefranche"),
        "member": UserFactory(email="ft69@example.fr", organisation="France Travail"),
        "outsider": UserFactory(email="curieux@example.fr", organisation="Ailleurs"),
        "admin": UserFactory(email="admin.funders@example.gouv.fr", admin=True),
    }
    cre = builders.make_cre(territory)
    cde = _install(
        builders.make_cde(territory),
        state=people["prefet"],
        local=people["president_cd"],
        member=people["member"],
    )
    cle = _install(builders.make_cle(territory), state=people["prefet"], local=people["elu"])
    cde75 = create_committee(
        level="departmental",
        name="Comité départemental pour l'emploi de Paris",
        region=territory.idf,
        departements=[territory.d75],
    )
    for committee in (cre, cde, cle, cde75):
        committee.refresh_from_db()
    return World(territory, cre, cde, cle, cde75, **people)


# --- Funders and conferences --------------------------------------------------------------------


def funder(committee, name: str, kind: str = "state", email: str = ""):
    slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
    return add_funder(
        committee=committee,
        kind=kind,
        name=name,
        contact_email=email or f"contact.{slug}.{committee.pk}@example.fr",
        contact_first_name="Alex",
        contact_last_name=name.split()[0],
    )


def conference(committee, user, *, title="Conférence des financeurs 2026", day=None, **kwargs):
    day = day or today() - timedelta(days=30)
    return create_conference(
        committee=committee, user=user, title=title, year=day.year, date=day, **kwargs
    )


def values(funder, **overrides):
    """The values of a plain funding line (whole perimeter, financed alone)."""
    fields = {
        "funder": funder,
        "scheme": "Accompagnement global",
        "scheme_kind": "support",
        "public": "rsa",
        "starts_on": date(today().year, 1, 1),
        "ends_on": date(today().year + 1, 12, 31),
        "amount_committed": D("100000.00"),
        "amount_available": D("40000.00"),
    }
    fields.update(overrides)
    return LineValues(**fields)


def line(conference, funder, **overrides):
    return add_line(conference=conference, values=values(funder, **overrides))


# --- Meetings (meetings.services) -------------------------------------------------------


def funders_meeting(world, *, committee=None, days: int = 20, kind: str = "funders_conference"):
    meeting = create_meeting(
        committee=committee or world.cde,
        user=world.ddets69,
        title="Conférence des financeurs",
        date=today() + timedelta(days=days),
        start_time=time(9, 30),
        end_time=time(12, 0),
        place="Préfecture du Rhône",
        kind=kind,
    )
    add_agenda_item(
        meeting=meeting,
        title="Cartographie de l'offre et règles de cofinancement",
        decision_expected=True,
    )
    return meeting


def convene(world, meeting):
    """DEC-JOINT: submitted by the secretariat, validated by both co-presidents of the CDE."""
    submit_for_validation(meeting=meeting, user=world.ddets69)
    validate_meeting(meeting=meeting, user=world.prefet)
    validate_meeting(meeting=meeting, user=world.president_cd)
    meeting.refresh_from_db()
    return meeting


def move_to(meeting, day):
    """Time passes: the meeting is now on ``day`` (tests only; no service moves the past)."""
    Meeting.objects.filter(pk=meeting.pk).update(date=day)
    meeting.refresh_from_db()
    return meeting
