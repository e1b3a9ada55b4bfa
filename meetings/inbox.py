"""The meetings' part of a person's inbox (``cte_portal.core.inbox``) and of the main menu.

- Co-presidents (or their delegates): the agendas and convocations awaiting their validation
  (DEC-JOINT), the minutes awaiting their approval (DEC-JOINT) once their text can be approved
  (no blank left to complete: the secretariat's draft is not put before them).
- Secretariat: the meetings to prepare and submit, the convened meetings whose answers are
  missing, the meetings held without minutes, the minutes to complete (blanks left in the
  draft) and those not approved yet.
- Every person convened: their answers owed (DEC-PROXY) and their next meetings.

Each kind is one query, whatever the number of committees and meetings.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from committees.inbox import state_agent_flags
from committees.models import CoPresidency
from committees.permissions import COPRESIDE, MANAGE, committee_ids_held
from cte_portal.core.inbox import InboxItem
from cte_portal.core.permissions import is_admin, is_signed_in
from meetings.models import Invitation, Meeting, Minutes, MinutesApproval, Validation
from meetings.services.minutes import placeholders

NEXT_MEETINGS = 5


def _when(meeting: Meeting) -> str:
    return f"{meeting.date:%d/%m/%Y} à {meeting.start_time:%H:%M}"


def _held_copresidencies(user):
    return CoPresidency.objects.active().filter(Q(person=user) | Q(delegate=user))


def _to_validate(user, copresided: set[int]) -> list[InboxItem]:
    """DEC-JOINT: meetings submitted whose current version the person has not validated."""
    validated = Validation.objects.filter(
        meeting=OuterRef("pk"),
        version=OuterRef("version"),
        copresidency__in=_held_copresidencies(user),
    )
    meetings = (
        Meeting.objects.filter(
            committee_id__in=copresided, status=Meeting.Status.PENDING_VALIDATION
        )
        .exclude(Exists(validated))
        .select_related("committee")
    )
    return [
        InboxItem(
            section="approve",
            kind="meeting_validation",
            kind_label="Ordres du jour et convocations à valider",
            title=meeting.title,
            url=f"{reverse('meetings:detail', args=[meeting.pk])}#validation",
            committee=meeting.committee.name,
            detail=f"Réunion du {_when(meeting)}"
            + (f", version {meeting.version}" if meeting.version > 1 else ""),
            due_on=meeting.date,
        )
        for meeting in meetings
    ]


def _to_approve(user, copresided: set[int]) -> list[InboxItem]:
    """DEC-JOINT: minutes whose current version the person has not approved."""
    approved = MinutesApproval.objects.filter(
        minutes=OuterRef("pk"),
        version=OuterRef("version"),
        copresidency__in=_held_copresidencies(user),
    )
    minutes = (
        Minutes.objects.filter(meeting__committee_id__in=copresided, approved_at__isnull=True)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .exclude(Exists(approved))
        .select_related("meeting__committee")
    )
    return [
        InboxItem(
            section="approve",
            kind="minutes_approval",
            kind_label="Comptes rendus à approuver",
            title=m.meeting.title,
            url=reverse("meetings:minutes", args=[m.meeting_id]),
            committee=m.meeting.committee.name,
            detail=f"Réunion du {m.meeting.date:%d/%m/%Y}",
            due_on=m.meeting.date,
        )
        for m in minutes
        if not placeholders(m.body)  # a draft still being written cannot be approved yet
    ]


def _secretariat(managed: set[int], today) -> list[InboxItem]:
    items = []
    ours = Meeting.objects.filter(committee_id__in=managed).select_related("committee")
    for meeting in ours.filter(status=Meeting.Status.DRAFT, date__gte=today):
        items.append(
            InboxItem(
                section="secretariat",
                kind="meeting_preparation",
                kind_label="Réunions à préparer",
                title=meeting.title,
                url=reverse("meetings:detail", args=[meeting.pk]),
                committee=meeting.committee.name,
                detail=f"Le {_when(meeting)} : ordre du jour à soumettre aux co-présidents",
                due_on=meeting.date,
            )
        )
    missing = (
        ours.filter(status=Meeting.Status.CONVENED, date__gte=today)
        .annotate(missing=Count("invitations", filter=Q(invitations__answer="")))
        .filter(missing__gt=0)
    )
    for meeting in missing:
        n = meeting.missing
        items.append(
            InboxItem(
                section="secretariat",
                kind="answers_missing",
                kind_label="Réponses manquantes",
                title=meeting.title,
                url=f"{reverse('meetings:detail', args=[meeting.pk])}#convocations",
                committee=meeting.committee.name,
                detail=(
                    f"Le {_when(meeting)} : {n} réponse{'s' if n > 1 else ''} "
                    f"manquante{'s' if n > 1 else ''}"
                ),
                due_on=meeting.date,
            )
        )
    for meeting in ours.filter(
        status=Meeting.Status.CONVENED, date__lt=today, minutes__isnull=True
    ):
        items.append(
            InboxItem(
                section="secretariat",
                kind="minutes_to_draft",
                kind_label="Comptes rendus à rédiger",
                title=meeting.title,
                url=reverse("meetings:minutes", args=[meeting.pk]),
                committee=meeting.committee.name,
                detail=f"Réunion tenue le {meeting.date:%d/%m/%Y}",
                due_on=meeting.date,
            )
        )
    waiting = (
        Minutes.objects.filter(meeting__committee_id__in=managed, approved_at__isnull=True)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting__committee")
    )
    for minutes in waiting:
        to_complete = bool(placeholders(minutes.body))
        items.append(
            InboxItem(
                section="secretariat",
                kind="minutes_to_complete" if to_complete else "minutes_waiting",
                kind_label="Comptes rendus à compléter"
                if to_complete
                else "Comptes rendus en attente d'approbation",
                title=minutes.meeting.title,
                url=reverse("meetings:minutes", args=[minutes.meeting_id]),
                committee=minutes.meeting.committee.name,
                detail=f"Réunion du {minutes.meeting.date:%d/%m/%Y}",
                due_on=minutes.meeting.date,
            )
        )
    return items


def _member(user, today) -> list[InboxItem]:
    """DEC-PROXY: the person's answers owed, and their next meetings."""
    upcoming = list(
        Invitation.objects.filter(
            person=user, meeting__status=Meeting.Status.CONVENED, meeting__date__gte=today
        )
        .select_related("meeting__committee")
        .order_by("meeting__date", "meeting__start_time", "pk")
    )
    items = []
    for invitation in upcoming:
        meeting = invitation.meeting
        if invitation.answer == Invitation.Answer.PENDING:
            items.append(
                InboxItem(
                    section="member",
                    kind="answer_owed",
                    kind_label="Réponses attendues de ma part",
                    title=meeting.title,
                    url=reverse("meetings:answer", args=[meeting.pk]),
                    committee=meeting.committee.name,
                    detail=f"Le {_when(meeting)} : indiquez votre présence",
                    due_on=meeting.date,
                )
            )
    for invitation in upcoming[:NEXT_MEETINGS]:
        meeting = invitation.meeting
        items.append(
            InboxItem(
                section="member",
                kind="next_meetings",
                kind_label="Mes prochaines réunions",
                title=meeting.title,
                url=reverse("meetings:detail", args=[meeting.pk]),
                committee=meeting.committee.name,
                detail=f"Le {_when(meeting)}"
                + (f" : {invitation.get_answer_display().lower()}" if invitation.answer else ""),
                due_on=meeting.date,
            )
        )
    return items


def inbox_items(user) -> list[InboxItem]:
    today = timezone.localdate()
    items = []
    copresided = committee_ids_held(user, COPRESIDE)
    if copresided:
        items += _to_validate(user, copresided)
        items += _to_approve(user, copresided)
    managed = committee_ids_held(user, MANAGE)
    if managed:
        items += _secretariat(managed, today)
    items += _member(user, today)
    return items


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    """(order, label, url) of the meetings' sections ``user`` may open: their meetings, and
    the follow-up of every committee's meetings for the State services and admins."""
    if not is_signed_in(user):
        return []
    entries = [(30, "Mes réunions", reverse("meetings:mine"))]
    if is_admin(user) or state_agent_flags(user, flags)[0]:  # can_view_meeting_compliance
        entries.append((31, "Suivi des réunions", reverse("meetings:overview")))
    return entries
