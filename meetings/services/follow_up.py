"""Follow-up actions of a decision: an owner among the people convened, a due date, done."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cte_portal.core.errors import RuleError
from meetings.models import Decision, FollowUpAction
from meetings.selectors import locked_meeting
from meetings.services.minutes import minutes_changed


@transaction.atomic
def add_follow_up_action(
    *, decision: Decision, description: str, owner, due_on: date
) -> FollowUpAction:
    """A follow-up action with an owner (a person convened to the meeting) and a due date."""
    meeting = locked_meeting(decision.meeting)
    minutes_changed(meeting)
    if not description.strip():
        raise RuleError("Décrivez l'action.", field="description")
    if not meeting.invitations.filter(person=owner).exists():
        raise RuleError(
            "Le responsable de l'action est choisi parmi les personnes convoquées.", field="owner"
        )
    if due_on < meeting.date:
        raise RuleError("L'échéance ne peut précéder la réunion.", field="due_on")
    return FollowUpAction.objects.create(
        decision=decision, description=description.strip(), owner=owner, due_on=due_on
    )


@transaction.atomic
def complete_action(*, action: FollowUpAction, done_on: date | None = None) -> FollowUpAction:
    if action.done_on:
        raise RuleError("Cette action est déjà réalisée.")
    action.done_on = done_on or timezone.localdate()
    action.save(update_fields=["done_on"])
    return action
