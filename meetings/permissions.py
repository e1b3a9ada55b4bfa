"""Who may do what on a meeting (DEC-JOINT, DEC-PROXY, DEC-QUORUM, INS-MEETINGS).

Built on the committee's derived permissions (``committees.permissions``): the secretariat
prepares, the co-presidents validate and approve, members and invited people answer.
"""

from committees.models import StaffAssignment
from committees.permissions import (
    can_copreside,
    can_manage_committee,
    can_view_committee,
)
from cte_portal.core.permissions import is_admin, is_signed_in


def can_view_meeting(user, meeting) -> bool:
    """The committee's secretariat and co-presidents always; its members and the people
    invited once the meeting has been convened (DEC-JOINT), or, entered after the fact,
    recorded as held."""
    committee = meeting.committee
    if can_manage_committee(user, committee) or can_copreside(user, committee):
        return True
    if not meeting.is_published:
        return False
    if can_view_committee(user, committee):
        return True
    return is_signed_in(user) and meeting.invitations.filter(person=user).exists()


def can_manage_meeting(user, meeting) -> bool:
    """The secretariat (DDETS for CDE/CLE, DREETS for the CRE) prepares the meeting, records
    attendance, decisions and actions, and drafts the minutes."""
    return can_manage_committee(user, meeting.committee)


def can_validate_meeting(user, meeting) -> bool:
    """DEC-JOINT: each co-president, or their delegate, validates the agenda and the
    convocation. The secretariat cannot validate for them."""
    return can_copreside(user, meeting.committee)


def can_answer_convocation(user, invitation) -> bool:
    """DEC-PROXY: only the person convened answers their own convocation (present, remote,
    absent, substitute, proxy), once it has been sent."""
    return (
        is_signed_in(user)
        and invitation.person_id == user.pk
        and invitation.meeting.convened_at is not None
    )


def can_approve_minutes(user, minutes) -> bool:
    """Each co-president, or their delegate, approves the minutes (DEC-JOINT)."""
    return can_copreside(user, minutes.meeting.committee)


def can_view_meeting_compliance(user) -> bool:
    """INS-MEETINGS, INS-LOCAL-PRESENCE, INS-FOLLOW-UP: the overview of the committees behind
    is for DREETS and DDETS agents (their territory's committees) and admins."""

    if is_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return StaffAssignment.objects.active().filter(user=user).exists()
