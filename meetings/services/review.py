"""Co-presidents refuse the agenda or the minutes, saying what to change (DEC-JOINT).

Approving is one answer of a co-president; asking for changes is the other. A request for
changes does not move the meeting or the minutes: the document waits, as before, for every
co-presidency, and the secretariat sees what to change. The request stays open until the
document changes (the agenda or convocation for the one, the text of the minutes for the
other) or until the co-presidency that asked approves it after all.
"""

from django.db import transaction
from django.utils import timezone

from cte_portal.core.errors import RuleError
from meetings import workflow
from meetings.models import ChangeRequest, Meeting, Minutes, Notification
from meetings.selectors import (
    copresidencies_of,
    locked_meeting,
    pending_approvals,
    pending_validations,
)
from meetings.services.notifications import notify, secretariat_ids

Subject = ChangeRequest.Subject
MAX_COMMENT = 4000


def _clean_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise RuleError("Indiquez les modifications que vous demandez.", field="comment")
    if len(comment) > MAX_COMMENT:
        raise RuleError(
            f"Votre demande tient en {MAX_COMMENT} caractères au plus.", field="comment"
        )
    return comment


def resolve(meeting: Meeting, subject: str, *, copresidency_ids=None) -> int:
    """Close the open requests on ``subject`` (all of them, or those of ``copresidency_ids``)."""
    requests = ChangeRequest.objects.open().filter(meeting=meeting, subject=subject)
    if copresidency_ids is not None:
        requests = requests.filter(copresidency_id__in=list(copresidency_ids))
    return requests.update(resolved_at=timezone.now())


def _tell_the_secretariat(requests: list[ChangeRequest]) -> None:
    """The secretariat hears of the request by e-mail (sent after the commit), with the
    comment and the link to the page where the document is changed."""
    first = requests[0]
    notify(
        meeting=first.meeting,
        kind=Notification.Kind.CHANGES_REQUESTED,
        recipients=secretariat_ids(first.meeting.committee),
        key=f"request-{first.pk}",
    )


def open_requests(meeting: Meeting, subject: str):
    return (
        ChangeRequest.objects.open()
        .filter(meeting=meeting, subject=subject)
        .select_related("copresidency", "requested_by")
    )


@transaction.atomic
def request_agenda_changes(*, meeting: Meeting, user, comment: str) -> list[ChangeRequest]:
    """DEC-JOINT: a co-president (or their delegate) refuses the agenda and convocation
    submitted for validation and says what to change. Only while a validation of theirs is
    awaited; the convocation does not go out until every co-presidency validated."""
    comment = _clean_comment(comment)
    meeting = locked_meeting(meeting)
    workflow.check_editable(meeting)
    workflow.check_action(meeting, "validate")
    held = copresidencies_of(user, meeting.committee)
    if not held:
        raise RuleError("Seuls les co-présidents ou leurs délégataires valident.", rule="DEC-JOINT")
    pending = {cp.pk for cp in pending_validations(meeting)}
    todo = [cp for cp in held if cp.pk in pending]
    if not todo:
        raise RuleError("Vous avez déjà validé cette version de l'ordre du jour.", rule="DEC-JOINT")
    requests = [
        ChangeRequest.objects.create(
            meeting=meeting,
            subject=Subject.AGENDA,
            version=meeting.version,
            copresidency=cp,
            comment=comment,
            requested_by=user,
        )
        for cp in todo
    ]
    _tell_the_secretariat(requests)
    return requests


@transaction.atomic
def request_minutes_changes(*, minutes: Minutes, user, comment: str) -> list[ChangeRequest]:
    """DEC-JOINT: a co-president (or their delegate) refuses the current version of the
    minutes and says what to change. Only before the minutes are approved, and for a
    co-presidency that has not approved this version."""
    comment = _clean_comment(comment)
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )
    if minutes.is_approved:
        raise RuleError("Le compte rendu est déjà approuvé.", rule="DEC-JOINT")
    held = copresidencies_of(user, minutes.meeting.committee)
    if not held:
        raise RuleError(
            "Seuls les co-présidents ou leurs délégataires approuvent.", rule="DEC-JOINT"
        )
    pending = {cp.pk for cp in pending_approvals(minutes)}
    todo = [cp for cp in held if cp.pk in pending]
    if not todo:
        raise RuleError("Vous avez déjà approuvé cette version du compte rendu.", rule="DEC-JOINT")
    requests = [
        ChangeRequest.objects.create(
            meeting=minutes.meeting,
            subject=Subject.MINUTES,
            version=minutes.version,
            copresidency=cp,
            comment=comment,
            requested_by=user,
        )
        for cp in todo
    ]
    _tell_the_secretariat(requests)
    return requests
