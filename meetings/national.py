"""National seeder (``manage.py seed_national``): three years of meetings of every committee.

INS-MEETINGS: four meetings a year from the installation (twelve at scale 1, about 5,500 in
all), each validated by every co-president (DEC-JOINT) and convened; those past were attended
(DEC-QUORUM, DEC-REMOTE), decided by consensus and by a weighted vote (INS-CONSENSUS,
DEC-MAJORITY, DEC-VOTES) and have approved minutes. The next one is convened, the later ones
in preparation. Idempotent: only committees with no meeting get some.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from committees.models import CoPresidency, Membership
from committees.models.rules import CATEGORY_SIDE, Category
from committees.national import national_committees, secretariats
from cte_portal.core.national import NationalRun, bulk
from meetings.models import (
    AgendaItem,
    Ballot,
    Decision,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    Validation,
)

PARIS = ZoneInfo("Europe/Paris")
PER_YEAR = 4  # INS-MEETINGS: at least three a year
YEARS = 3
KINDS = (Meeting.Kind.PLENARY, Meeting.Kind.STRATEGIC, Meeting.Kind.TECHNICAL)
ITEMS = (
    ("Point d'actualité de l'emploi sur le territoire", False, False),
    ("Suivi de la feuille de route", True, False),
    ("Tableau de bord des indicateurs", False, False),
    ("Programmation des actions de l'année", True, True),
)
# Attendance of the people convened, in turn (about 80 % present).
ATTENDANCE = (
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.REMOTE,
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.EXCUSED,
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.ABSENT,
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.PRESENT,
)
ANSWER = {
    Invitation.Attendance.PRESENT: Invitation.Answer.PRESENT,
    Invitation.Attendance.REMOTE: Invitation.Answer.REMOTE,
    Invitation.Attendance.EXCUSED: Invitation.Answer.ABSENT,
    Invitation.Attendance.ABSENT: Invitation.Answer.PENDING,
}


def _at(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def seed_national(run: NationalRun) -> int:
    """Seed the meetings of the national committees that have none (see module doc)."""
    committees = list(national_committees(run).filter(meetings__isnull=True).order_by("pk"))
    if not committees:
        return 0
    progress = run.progress
    secretariat = secretariats(committees)
    ids = [c.pk for c in committees]
    chairs = {}
    for copresidency in CoPresidency.objects.active().filter(committee__in=ids):
        chairs.setdefault(copresidency.committee_id, []).append(copresidency)
    members = {}
    for membership in (
        Membership.objects.active()
        .filter(committee__in=ids, role=Membership.Role.TITULAR)
        .order_by("pk")
    ):
        members.setdefault(membership.committee_id, []).append(membership)
    count = run.scaled(PER_YEAR * YEARS)
    spacing = timedelta(days=365 * YEARS // count)
    progress.start("Réunions : réunions", len(committees))
    meetings = []
    for committee in committees:
        for index in range(count):
            day = committee.installed_on + timedelta(days=30) + index * spacing
            while day.weekday() >= 5:
                day += timedelta(days=1)
            held = day < run.today
            upcoming = not held and (day - run.today) < spacing
            convened = held or upcoming
            meetings.append(
                Meeting(
                    committee=committee,
                    kind=KINDS[index % len(KINDS)],
                    title=f"{KINDS[index % len(KINDS)].label} n° {index + 1} — {committee.name}"[
                        :255
                    ],
                    date=day,
                    start_time=time(9, 30),
                    end_time=time(12, 0),
                    place="Préfecture, salle des commissions",
                    with_local_copresidents=index % PER_YEAR == 0 and committee.level != "local",
                    status=Meeting.Status.CONVENED if convened else Meeting.Status.DRAFT,
                    submitted_at=_at(day - timedelta(days=28)) if convened else None,
                    convened_at=_at(day - timedelta(days=21)) if convened else None,
                    created_by_id=secretariat.get(committee.pk),
                )
            )
        progress.advance()
    meetings = bulk(Meeting, meetings)
    run.added("meetings", len(meetings))
    convened = [m for m in meetings if m.status == Meeting.Status.CONVENED]
    held = [m for m in convened if m.date < run.today]
    bulk(
        Validation,
        [
            Validation(
                meeting=meeting,
                copresidency=chair,
                version=1,
                validated_by_id=chair.person_id,
                validated_at=_at(meeting.date - timedelta(days=25)),
            )
            for meeting in convened
            for chair in chairs.get(meeting.committee_id, [])
        ],
    )
    progress.start("Réunions : ordres du jour", len(meetings) * len(ITEMS))
    items = bulk(
        AgendaItem,
        [
            AgendaItem(
                meeting=meeting,
                position=position,
                title=title,
                description="Présentation par le secrétariat, puis échanges.",
                presenter="Secrétariat du comité",
                duration_minutes=30,
                decision_expected=decision,
                decision_by_vote=vote,
            )
            for meeting in meetings
            for position, (title, decision, vote) in enumerate(ITEMS, start=1)
        ],
        progress=progress,
    )
    items_by_meeting = {}
    for item in items:
        items_by_meeting.setdefault(item.meeting_id, []).append(item)
    # Invitations: co-presidents and titular members; attendance once the meeting was held.
    invitations = []
    for meeting in convened:
        was_held = meeting.date < run.today
        for chair in chairs.get(meeting.committee_id, []):
            invitations.append(
                Invitation(
                    meeting=meeting,
                    person_id=chair.person_id,
                    role=Invitation.Role.COPRESIDENT,
                    organisation=chair.authority or chair.office,
                    copresidency=chair,
                    votes=chair.votes,
                    side=chair.balance_side,
                    is_state_copresident=chair.side == CoPresidency.Side.STATE,
                    answer=Invitation.Answer.PRESENT if was_held else Invitation.Answer.PENDING,
                    attendance=Invitation.Attendance.PRESENT if was_held else "",
                    convocation_sent_at=meeting.convened_at,
                    last_sent_sequence=0,
                )
            )
        for rank, membership in enumerate(members.get(meeting.committee_id, [])):
            attendance = ATTENDANCE[(rank + meeting.pk) % len(ATTENDANCE)] if was_held else ""
            invitations.append(
                Invitation(
                    meeting=meeting,
                    person_id=membership.person_id,
                    role=Invitation.Role.EXPERT
                    if membership.category == Category.INVITED_EXPERT
                    else Invitation.Role.MEMBER,
                    organisation=membership.organisation,
                    membership=membership,
                    votes=membership.votes,
                    side=CATEGORY_SIDE.get(membership.category, ""),
                    answer=ANSWER.get(attendance, Invitation.Answer.PENDING),
                    answered_at=_at(meeting.date - timedelta(days=7)) if attendance else None,
                    attendance=attendance,
                    convocation_sent_at=meeting.convened_at,
                    last_sent_sequence=0,
                )
            )
    progress.start("Réunions : invitations et présences", len(invitations))
    invitations = bulk(Invitation, invitations, progress=progress)
    run.added("invitations", len(invitations))
    voters = {}
    for invitation in invitations:
        if invitation.votes and invitation.attendance in (
            Invitation.Attendance.PRESENT,
            Invitation.Attendance.REMOTE,
        ):
            voters.setdefault(invitation.meeting_id, []).append(invitation)
    totals = {}
    for invitation in invitations:
        totals[invitation.meeting_id] = totals.get(invitation.meeting_id, 0) + (
            1 if invitation.votes else 0
        )
    # Decisions: one by consensus, one by a weighted vote (INS-CONSENSUS, DEC-MAJORITY).
    decisions, ballots_of = [], []
    for meeting in held:
        present = voters.get(meeting.pk, [])
        recorder = secretariat.get(meeting.committee_id) or meeting.created_by_id
        quorum = {
            "quorum_counted": len(present),
            "quorum_total": totals.get(meeting.pk, 0),
            "quorum_reached": len(present) * 2 > totals.get(meeting.pk, 0),
            "recorded_by_id": recorder,
            "recorded_at": _at(meeting.date, 12),
        }
        consensus_item, vote_item = (items_by_meeting[meeting.pk][i] for i in (1, 3))
        decisions.append(
            Decision(
                meeting=meeting,
                agenda_item=consensus_item,
                method=Decision.Method.CONSENSUS,
                text="Le comité approuve le suivi de la feuille de route.",
                outcome=Decision.Outcome.ADOPTED,
                **quorum,
            )
        )
        choices = [
            Ballot.Choice.AGAINST if i % 7 == 3 else Ballot.Choice.FOR for i in range(len(present))
        ]
        votes_for = sum(v.votes for v, c in zip(present, choices, strict=True) if c == "for")
        votes_against = sum(v.votes for v, c in zip(present, choices, strict=True) if c != "for")
        decisions.append(
            Decision(
                meeting=meeting,
                agenda_item=vote_item,
                method=Decision.Method.VOTE,
                text="Le comité adopte la programmation des actions de l'année.",
                outcome=Decision.Outcome.ADOPTED
                if votes_for > votes_against
                else Decision.Outcome.REJECTED,
                votes_for=votes_for,
                votes_against=votes_against,
                **quorum,
            )
        )
        ballots_of.append((present, choices))
    progress.start("Réunions : décisions et votes", len(decisions))
    decisions = bulk(Decision, decisions, progress=progress)
    ballots = []
    for decision, (present, choices) in zip(decisions[1::2], ballots_of, strict=True):
        for invitation, choice in zip(present, choices, strict=True):
            participation = (
                "à distance" if invitation.attendance == Invitation.Attendance.REMOTE else ""
            )
            ballots.append(
                Ballot(
                    decision=decision,
                    invitation=invitation,
                    choice=choice,
                    weight=invitation.votes,
                    participation=participation,
                )
            )
    bulk(Ballot, ballots)
    run.added("ballots", len(ballots))
    # Minutes, approved by every co-president.
    minutes = bulk(
        Minutes,
        [
            Minutes(
                meeting=meeting,
                body=(
                    "Le comité a fait le point sur la situation de l'emploi, suivi sa feuille "
                    "de route et adopté la programmation des actions de l'année."
                ),
                version=1,
                drafted_by_id=secretariat.get(meeting.committee_id) or meeting.created_by_id,
                approved_at=_at(meeting.date + timedelta(days=14)),
            )
            for meeting in held
        ],
    )
    run.added("minutes", len(minutes))
    bulk(
        MinutesApproval,
        [
            MinutesApproval(
                minutes=record,
                copresidency=chair,
                version=1,
                approved_by_id=chair.person_id,
                approved_at=_at(meeting.date + timedelta(days=14)),
            )
            for record, meeting in zip(minutes, held, strict=True)
            for chair in chairs.get(meeting.committee_id, [])
        ],
    )
    return len(meetings)
