"""Joint validation and convocation (DEC-JOINT).

The agenda and the convocation go out only when every co-president (or their delegate) has
validated the current version; a change after a validation opens a new version, asks for
validation again, and sends an update (iCalendar SEQUENCE + 1) once validated. The steps are
those of ``meetings.workflow``.
"""

from django.db import transaction
from django.utils import timezone

from cte_portal.core.errors import RuleError
from meetings import workflow
from meetings.models import ChangeRequest, Meeting, Notification, Validation
from meetings.selectors import copresidencies_of, locked_meeting, pending_validations
from meetings.services.invitations import sync_invitations
from meetings.services.notifications import copresident_user_ids, notify
from meetings.services.review import resolve as resolve_change_requests

Kind = Notification.Kind


def convocation_changed(meeting: Meeting) -> None:
    """DEC-JOINT: a change to a convocation already validated (in part or in full) opens a
    new version that every co-president validates again; the update is sent when they have.
    While nobody has validated the submitted version yet, it simply changes. The changes the
    co-presidents asked for are then treated: they see the new agenda."""
    resolve_change_requests(meeting, ChangeRequest.Subject.AGENDA)
    if not workflow.apply_if_allowed(meeting, "revise"):
        return
    meeting.version += 1
    meeting.submitted_at = timezone.now()
    meeting.save(update_fields=["version", "status", "submitted_at", "updated_at"])
    notify(
        meeting=meeting,
        kind=Kind.VALIDATION_REQUEST,
        recipients=copresident_user_ids(meeting.committee),
        key=f"v{meeting.version}",
    )


@transaction.atomic
def submit_for_validation(*, meeting: Meeting, user) -> Meeting:
    """The secretariat asks every co-president to validate the agenda and convocation."""
    meeting = locked_meeting(meeting)
    workflow.check_editable(meeting)
    # Refused unless a draft with an agenda and both co-presidencies (DEC-COPRESIDENCY).
    workflow.apply(meeting, "submit")
    sync_invitations(meeting)
    meeting.submitted_at = timezone.now()
    meeting.save(update_fields=["status", "submitted_at", "updated_at"])
    notify(
        meeting=meeting,
        kind=Kind.VALIDATION_REQUEST,
        recipients=copresident_user_ids(meeting.committee),
        key=f"v{meeting.version}",
    )
    return meeting


@transaction.atomic
def validate_meeting(*, meeting: Meeting, user) -> list[Validation]:
    """DEC-JOINT: a co-president (or their delegate) validates the current version of the
    agenda and convocation. When every co-president has, the convocation goes out (after
    the commit): the first time a REQUEST, afterwards an update with SEQUENCE + 1."""
    meeting = locked_meeting(meeting)
    workflow.check_editable(meeting)
    workflow.check_action(meeting, "validate")
    held = copresidencies_of(user, meeting.committee)
    if not held:
        raise RuleError("Seuls les co-présidents ou leurs délégataires valident.")
    pending = {cp.pk for cp in pending_validations(meeting)}
    todo = [cp for cp in held if cp.pk in pending]
    if not todo:
        raise RuleError("Vous avez déjà validé cette version de l'ordre du jour.")
    validations = [
        Validation.objects.create(
            meeting=meeting, copresidency=cp, version=meeting.version, validated_by=user
        )
        for cp in todo
    ]
    # A co-presidency that asked for changes and validates after all withdraws its request.
    resolve_change_requests(
        meeting, ChangeRequest.Subject.AGENDA, copresidency_ids=[cp.pk for cp in todo]
    )
    if workflow.apply_if_allowed(meeting, "convene"):  # the last co-presidency validated
        _convened(meeting)
    return validations


def _convened(meeting: Meeting) -> None:
    first = meeting.convened_at is None
    if first:
        sync_invitations(meeting)
        meeting.convened_at = timezone.now()
    else:
        meeting.ics_sequence += 1
    meeting.save(update_fields=["status", "convened_at", "ics_sequence", "updated_at"])
    notify(
        meeting=meeting,
        kind=Kind.CONVOCATION if first else Kind.UPDATE,
        recipients=list(meeting.invitations.values_list("person_id", flat=True)),
        key=str(meeting.ics_sequence),
    )
