"""A meeting planned by the secretariat: created (a draft), changed, cancelled.

- INS-COMPOSITION: invited by default are the co-presidents and the permanent members (see
  ``meetings.services.invitations``).
- INS-MEETINGS: the yearly plenary with the CLE co-presidents is for a CRE or a CDE.
- DEC-JOINT: a change to what the convocation says, after a validation, asks for validation
  again (``meetings.services.convocation``).
"""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from committees.models import Commission, Committee, Level
from cte_portal.core.errors import RuleError
from meetings import workflow
from meetings.models import PARIS, Meeting, Notification
from meetings.selectors import locked_meeting
from meetings.services.convocation import convocation_changed
from meetings.services.invitations import sync_invitations
from meetings.services.notifications import notify

Kind = Notification.Kind

# Fields whose change alters what the convocation says (DEC-JOINT).
CONVOCATION_FIELDS = ("title", "kind", "date", "start_time", "end_time", "place", "visio_url")


def _check_schedule(
    *,
    day: date,
    start_time: time,
    end_time: time,
    place: str,
    visio_url: str,
    after_the_fact: bool = False,
):
    if end_time <= start_time:
        raise RuleError("L'heure de fin doit suivre l'heure de début.", field="end_time")
    if not (place or "").strip() and not (visio_url or "").strip():
        raise RuleError("Indiquez un lieu, un lien de visioconférence, ou les deux.", field="place")
    if after_the_fact:
        # A meeting entered after the fact has taken place: a future one is convened.
        if datetime.combine(day, end_time, tzinfo=PARIS) > timezone.now():
            raise RuleError(
                "Une réunion à venir ne peut être saisie a posteriori : préparez-la et "
                "convoquez-la.",
                field="date",
            )
        return
    if day < timezone.localdate():
        raise RuleError(
            "La date de la réunion est déjà passée. Pour une réunion déjà tenue, cochez "
            "« saisie a posteriori ».",
            field="date",
        )


@transaction.atomic
def create_meeting(
    *,
    committee: Committee,
    user,
    title: str,
    date: date,
    start_time: time,
    end_time: time,
    kind: str = Meeting.Kind.PLENARY,
    place: str = "",
    visio_url: str = "",
    commission: Commission | None = None,
    with_local_copresidents: bool = False,
    entered_after_the_fact: bool = False,
) -> Meeting:
    """The secretariat prepares a meeting (draft). Invited by default: INS-COMPOSITION.

    ``entered_after_the_fact``: a meeting already held (committees exist since July 2024,
    INS-DATES) is entered afterwards; it must have ended; nothing will be sent for it
    (``meetings.services.past``)."""
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : il ne se réunit plus.")
    if commission is not None and commission.committee_id != committee.pk:
        raise RuleError("Cette commission n'appartient pas à ce comité.", field="commission")
    if kind == Meeting.Kind.COMMISSION and commission is None:
        raise RuleError(
            "Choisissez la commission ou le groupe de travail qui se réunit.", field="commission"
        )
    if commission is not None:
        kind = Meeting.Kind.COMMISSION
    if with_local_copresidents and committee.level == Level.LOCAL:
        raise RuleError(
            "La plénière avec les co-présidents des comités locaux concerne les CRE et les CDE.",
            field="with_local_copresidents",
        )
    _check_schedule(
        day=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        visio_url=visio_url,
        after_the_fact=entered_after_the_fact,
    )
    if not title.strip():
        raise RuleError("Indiquez l'intitulé de la réunion.", field="title")
    meeting = Meeting.objects.create(
        committee=committee,
        commission=commission,
        kind=kind,
        title=title.strip(),
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        visio_url=visio_url.strip(),
        with_local_copresidents=with_local_copresidents,
        entered_after_the_fact=entered_after_the_fact,
        created_by=user,
    )
    sync_invitations(meeting)
    return meeting


@transaction.atomic
def update_meeting(*, meeting: Meeting, user, **fields) -> Meeting:
    """Change the date, time, place or title; after submission this asks for validation
    again (DEC-JOINT)."""
    allowed = {*CONVOCATION_FIELDS, "with_local_copresidents"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    meeting = locked_meeting(meeting)
    workflow.check_editable(meeting)
    changed = {k: v for k, v in fields.items() if getattr(meeting, k) != v}
    if not changed:
        return meeting
    for key, value in changed.items():
        setattr(meeting, key, value.strip() if isinstance(value, str) else value)
    if meeting.with_local_copresidents and meeting.committee.level == Level.LOCAL:
        raise RuleError(
            "La plénière avec les co-présidents des comités locaux concerne les CRE et les CDE.",
            field="with_local_copresidents",
        )
    _check_schedule(
        day=meeting.date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        visio_url=meeting.visio_url,
        after_the_fact=meeting.entered_after_the_fact,
    )
    if not meeting.title:
        raise RuleError("Indiquez l'intitulé de la réunion.", field="title")
    meeting.save()
    if "with_local_copresidents" in changed:
        sync_invitations(meeting)
    if set(changed) & set(CONVOCATION_FIELDS) or "with_local_copresidents" in changed:
        convocation_changed(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, user, reason: str) -> Meeting:
    """Cancel a meeting. Once convened, everyone invited receives a METHOD:CANCEL update."""
    meeting = locked_meeting(meeting)
    workflow.apply(meeting, "cancel")  # refused when cancelled already or started
    if not reason.strip():
        raise RuleError("Indiquez le motif de l'annulation.", field="reason")
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = reason.strip()
    if meeting.convened_at:
        meeting.ics_sequence += 1
    meeting.save()
    if meeting.convened_at:
        notify(
            meeting=meeting,
            kind=Kind.CANCELLATION,
            recipients=list(meeting.invitations.values_list("person_id", flat=True)),
            key=str(meeting.ics_sequence),
        )
    return meeting
