"""Factories of meetings, and the committee scene the meeting tests play in.

Meetings are written by the meetings services (``create_meeting``, ``add_agenda_item``,
``submit_for_validation``, ``validate_meeting``, ``record_attendance``), so that invitations,
convocations and permissions follow as in production.

``build_scene()`` gives a CDE of the Rhône with both co-presidents, four voting members (State,
Département, employee unions, employer organisations), three members without a vote (France
Travail, Missions locales, Cap emploi), a substitute for the Département's member, its DDETS
agent (the secretariat), a DDETS agent of the Ain and an outsider. Tests take it through the
``scene`` fixture (``tests/fixtures/meetings.py``).
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import factory
from django.utils import timezone

from committees.models import Committee, CoPresidency, Membership
from committees.models.rules import Category
from meetings.models import Invitation, Meeting
from meetings.services import minutes as minutes_service
from meetings.services.agenda import add_agenda_item
from meetings.services.attendance import AttendanceEntry, record_attendance
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.planning import create_meeting
from tests.factories.committees import (
    CommitteeFactory,
    CoPresidencyFactory,
    MembershipFactory,
    ddets_agent,
)
from tests.factories.territories import COMPOSITION, build_territory
from tests.factories.users import UserFactory

Answer = Invitation.Answer
Attendance = Invitation.Attendance


def future_day(days: int = 20) -> date:
    return timezone.localdate() + timedelta(days=days)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A draft meeting in ``days`` days (20 by default), prepared by ``user`` (the committee's
    secretariat), with ``items`` agenda items, the first one expecting a decision."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    committee = None  # required
    user = None  # required: the secretariat
    title = "Séance plénière de printemps"
    date = factory.LazyAttribute(lambda o: future_day(o.days))
    start_time = time(9, 30)
    end_time = time(12, 0)
    place = "Préfecture du Rhône, salle Jean Moulin"

    class Params:
        days = 20

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_meeting(**kwargs)

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        for index in range(2 if extracted is None else extracted):
            add_agenda_item(
                meeting=obj,
                title=f"Point {index + 1}",
                presenter="DDETS du Rhône",
                decision_expected=index == 0,
            )


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
    territories = build_territory(COMPOSITION)
    committee = CommitteeFactory(
        cde=True, name="CDE du Rhône", region=territories.ara, departements=[territories.d69]
    )
    secretariat = ddets_agent(
        territories.d69,
        email="secretariat@ddets69.gouv.fr",
        first_name="Sam",
        last_name="Secret",
        organisation="DDETS du Rhône",
    )
    other_ddets = ddets_agent(territories.d01, email="agent@ddets01.gouv.fr")
    state = UserFactory(email="prefete@rhone.gouv.fr", first_name="Claire", last_name="Préfète")
    local = UserFactory(email="president@rhone.fr", first_name="Louis", last_name="Président")
    state_cp = CoPresidencyFactory(
        committee=committee, person=state, votes=kwargs.get("state_votes", 1)
    )
    local_cp = CoPresidencyFactory(
        committee=committee,
        local_authority=True,
        person=local,
        office="Président du conseil départemental",
        authority="Conseil départemental du Rhône",
        votes=kwargs.get("local_votes", 1),
    )

    def seat(category, **fields):
        person = UserFactory(email=f"{category}@example.fr")
        return MembershipFactory(committee=committee, category=category, person=person, **fields)

    voters = {
        category: seat(category)
        for category in (
            Category.STATE,
            Category.DEPARTEMENT,
            Category.EMPLOYEE_UNIONS,
            Category.EMPLOYER_ORGS,
        )
    }
    network = {
        category: seat(category)
        for category in (Category.FRANCE_TRAVAIL, Category.MISSIONS_LOCALES, Category.CAP_EMPLOI)
    }
    substitute = MembershipFactory(
        committee=committee,
        category=Category.DEPARTEMENT,
        person=UserFactory(email="suppleant@example.fr"),
        substitute=True,
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


def make_meeting(scene: Scene, *, items: int = 2, days: int = 20, **fields) -> Meeting:
    """A draft meeting of the scene's committee, prepared by its secretariat."""
    return MeetingFactory(
        committee=scene.committee, user=scene.secretariat, items=items, days=days, **fields
    )


def convene(scene: Scene, meeting: Meeting) -> Meeting:
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    validate_meeting(meeting=meeting, user=scene.local)
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
    ``proxies={person: holder}``, ``substitutes={person: membership}`` and ``left=(…)``."""
    proxies = represented.get("proxies", {})
    substitutes = represented.get("substitutes", {})
    left = represented.get("left", ())
    entries = []
    for invitation in meeting.invitations.all():
        person = invitation.person
        status = statuses.get(person, Attendance.ABSENT)
        entries.append(
            AttendanceEntry(
                invitation_id=invitation.pk,
                attendance=status,
                substitute_id=substitutes[person].pk if person in substitutes else None,
                proxy_to_id=invitation_of(meeting, proxies[person]).pk
                if person in proxies
                else None,
                left=person in left,
            )
        )
    record_attendance(meeting=meeting, user=scene.secretariat, entries=entries)


def drafted_minutes(scene: Scene, meeting: Meeting, summary: str = "les membres échangent."):
    """The minutes of ``meeting`` drafted by the secretariat, every blank of the draft
    completed: ready to be approved."""
    minutes = minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    return minutes_service.update_minutes(
        minutes=minutes,
        user=scene.secretariat,
        body=minutes.body.replace(minutes_service.DRAFT_BLANK, summary),
    )
