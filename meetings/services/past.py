"""Meetings already held, entered after the fact (committees exist since July 2024, INS-DATES).

The secretariat creates the meeting with ``entered_after_the_fact`` (``create_meeting``: it
must have ended), enters its agenda and the people convened while it is a draft, then records
it as held (``record_held_meeting``). Nothing is sent for such a meeting (no convocation, no
reminder, no minutes by e-mail: ``notify`` sends nothing for it), and there is no joint
validation of a convocation that went out elsewhere; every other rule applies as for any
meeting: attendance and quorum (DEC-QUORUM, DEC-PROXY, DEC-COPRESIDENCY), a decision per item
by consensus or weighted vote (INS-CONSENSUS, DEC-MAJORITY), minutes approved by every
co-president (DEC-JOINT) — on screen, or, when they approved them at the time outside the
portal, recorded by the secretariat with the date (``record_outside_approval``).
"""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from committees.models import CoPresidency
from committees.selectors import active_copresidencies
from cte_portal.core.errors import RuleError
from meetings import workflow
from meetings.models import PARIS, Meeting, Minutes, MinutesApproval
from meetings.selectors import locked_meeting, pending_approvals
from meetings.services.invitations import sync_invitations
from meetings.services.minutes import approval_completed, approval_problems


@transaction.atomic
def record_held_meeting(*, meeting: Meeting, user) -> Meeting:
    """The secretariat records a meeting entered after the fact as held: refused unless it
    was entered after the fact, has ended, has an agenda and the committee both
    co-presidencies. The people convened are those of the composition (plus the experts
    added); nothing is sent."""
    meeting = locked_meeting(meeting)
    workflow.apply(meeting, "record_held")
    sync_invitations(meeting)
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def record_outside_approval(
    *, minutes: Minutes, copresidency: CoPresidency, approved_on: date, user
) -> MinutesApproval:
    """DEC-JOINT, for a meeting entered after the fact: the secretariat records the approval
    a co-president gave at the time, outside the portal, with its date. Each co-presidency
    still approves the current version; when the last one has, the minutes are approved."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )
    meeting = minutes.meeting
    if not meeting.entered_after_the_fact:
        raise RuleError(
            "Les co-présidents approuvent eux-mêmes le compte rendu d'une réunion convoquée "
            "dans le portail."
        )
    if minutes.is_approved:
        raise RuleError("Le compte rendu est déjà approuvé.")
    if not active_copresidencies(meeting.committee).filter(pk=copresidency.pk).exists():
        raise RuleError("Cette co-présidence n'est pas celle du comité.", field="copresidency")
    if copresidency.pk not in {cp.pk for cp in pending_approvals(minutes)}:
        raise RuleError(
            "Cette co-présidence a déjà approuvé cette version du compte rendu.",
            field="copresidency",
        )
    if approved_on < meeting.date:
        raise RuleError("L'approbation ne peut précéder la réunion.", field="approved_on")
    if approved_on > timezone.localdate():
        raise RuleError("L'approbation ne peut être datée dans le futur.", field="approved_on")
    problems = approval_problems(minutes)  # blanks left, votes to check: as for any approval
    if problems:
        raise RuleError(problems)
    approval = MinutesApproval.objects.create(
        minutes=minutes,
        copresidency=copresidency,
        version=minutes.version,
        approved_by=copresidency.person,
        approved_at=datetime.combine(approved_on, time(12, 0), tzinfo=PARIS),
        recorded_by=user,
    )
    approval_completed(minutes)
    return approval
