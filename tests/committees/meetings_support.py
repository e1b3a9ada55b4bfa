"""A committee with its people, and meetings built through the services, for the meeting tests.

``scene()`` gives a CDE of the Rhône with both co-presidents, four voting members (State,
Département, employee unions, employer organisations), three members without a vote (France
Travail, Missions locales, Cap emploi), a substitute for the Département's member, its DDETS
agent (the secretariat), a DDETS agent of the Ain and an outsider. Import the fixtures you
need with ``from tests.committees.meetings_fixtures import *  # noqa: F403``.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.utils import timezone

from committees.models import Committee, CoPresidency, Membership
from committees.models.rules import Category
from meetings.models import Invitation, Meeting
from meetings.services import meetings as service
from tests.committees.composition_helpers import (
    copresident,
    ddets_agent,
    make_cde,
    make_territories,
    seat,
)
from tests.factories.users import UserFactory

Answer = Invitation.Answer
Attendance = Invitation.Attendance


@dataclass
class Scene:
    committee: Committee
    secretariat: object
    state: object  # the préfète, State co-president
    local: object  # the president of the conseil départemental
    state_cp: CoPresidency
    local_cp: CoPresidency
    voters: dict  # category → Membership (voting titulars)
    network: dict  # category → Membership (no vote)
    substitute: Membership  # substitute of the Département's member
    other_ddets: object
    outsider: object
    territories: object = None
    extra: dict = field(default_factory=dict)

    def person(self, category: str):
        membership = self.voters.get(category) or self.network[category]
        return membership.person


def build_scene(**kwargs) -> Scene:
    territories = make_territories()
    committee = make_cde(territories)
    secretariat = ddets_agent(
        territories.d69, email="secretariat@ddets69.gouv.fr", first_name="Sam", last_name="Secret"
    )
    other_ddets = ddets_agent(territories.d01, email="agent@ddets01.gouv.fr")
    state = UserFactory(email="prefete@rhone.gouv.fr", first_name="Claire", last_name="Préfète")
    local = UserFactory(email="president@rhone.fr", first_name="Louis", last_name="Président")
    state_cp = copresident(
        committee, CoPresidency.Side.STATE, person=state, votes=kwargs.get("state_votes", 1)
    )
    local_cp = copresident(
        committee,
        CoPresidency.Side.LOCAL_AUTHORITY,
        person=local,
        office="Président du conseil départemental",
        votes=kwargs.get("local_votes", 1),
    )
    voters = {
        category: seat(committee, category, person=UserFactory(email=f"{category}@example.fr"))
        for category in (
            Category.STATE,
            Category.DEPARTEMENT,
            Category.EMPLOYEE_UNIONS,
            Category.EMPLOYER_ORGS,
        )
    }
    network = {
        category: seat(committee, category, person=UserFactory(email=f"{category}@example.fr"))
        for category in (Category.FRANCE_TRAVAIL, Category.MISSIONS_LOCALES, Category.CAP_EMPLOI)
    }
    substitute = seat(
        committee,
        Category.DEPARTEMENT,
        person=UserFactory(email="suppleant@example.fr"),
        role=Membership.Role.SUBSTITUTE,
        substitute_for=voters[Category.DEPARTEMENT],
    )
    outsider = UserFactory(email="outsider@example.fr")
    return Scene(
        committee=committee,
        secretariat=secretariat,
        state=state,
        local=local,
        state_cp=state_cp,
        local_cp=local_cp,
        voters=voters,
        network=network,
        substitute=substitute,
        other_ddets=other_ddets,
        outsider=outsider,
        territories=territories,
    )


def future_day(days: int = 20) -> date:
    return timezone.localdate() + timedelta(days=days)


def make_meeting(scene: Scene, *, items: int = 2, days: int = 20, **kwargs) -> Meeting:
    fields = {
        "title": "Séance plénière de printemps",
        "date": future_day(days),
        "start_time": time(9, 30),
        "end_time": time(12, 0),
        "place": "Préfecture du Rhône, salle Jean Moulin",
        **kwargs,
    }
    meeting = service.create_meeting(committee=scene.committee, user=scene.secretariat, **fields)
    for index in range(items):
        service.add_agenda_item(
            meeting=meeting,
            title=f"Point {index + 1}",
            presenter="DDETS du Rhône",
            decision_expected=index == 0,
        )
    return meeting


def convene(scene: Scene, meeting: Meeting) -> Meeting:
    service.submit_for_validation(meeting=meeting, user=scene.secretariat)
    service.validate_meeting(meeting=meeting, user=scene.state)
    service.validate_meeting(meeting=meeting, user=scene.local)
    meeting.refresh_from_db()
    return meeting


def move_to(meeting: Meeting, day: date) -> Meeting:
    """Time passes: the meeting is now on ``day`` (tests only; no service moves the past)."""
    Meeting.objects.filter(pk=meeting.pk).update(date=day)
    meeting.refresh_from_db()
    return meeting


def start(meeting: Meeting) -> Meeting:
    """The meeting takes place today and has started (00:00 to 23:59)."""
    Meeting.objects.filter(pk=meeting.pk).update(
        date=timezone.localdate(), start_time=time(0, 0), end_time=time(23, 59)
    )
    meeting.refresh_from_db()
    return meeting


def held_today(scene: Scene, **kwargs) -> Meeting:
    """A convened meeting taking place today, started."""
    return start(convene(scene, make_meeting(scene, **kwargs)))


def invitation_of(meeting: Meeting, person) -> Invitation:
    return meeting.invitations.get(person=person)


def attend(scene: Scene, meeting: Meeting, statuses: dict, **represented) -> None:
    """Record attendance: ``statuses`` maps a person to a status; ``represented`` gives
    ``proxies={person: holder}`` and ``substitutes={person: membership}``."""
    proxies = represented.get("proxies", {})
    substitutes = represented.get("substitutes", {})
    left = represented.get("left", ())
    entries = []
    for invitation in meeting.invitations.all():
        person = invitation.person
        status = statuses.get(person, Attendance.ABSENT)
        entries.append(
            service.AttendanceEntry(
                invitation_id=invitation.pk,
                attendance=status,
                substitute_id=substitutes[person].pk if person in substitutes else None,
                proxy_to_id=invitation_of(meeting, proxies[person]).pk
                if person in proxies
                else None,
                left=person in left,
            )
        )
    service.record_attendance(meeting=meeting, user=scene.secretariat, entries=entries)
