"""The quorum of a meeting, from the attendance recorded (DEC-QUORUM, DEC-PROXY, DEC-REMOTE).

The engine is ``meetings.services.deliberation``; this module turns invitations into its
seats. Read only: the minutes, the screens and the API show what it computes.
"""

from cte_portal.core.conf import cte_setting
from meetings.models import Invitation, Meeting
from meetings.services import deliberation

Attendance = Invitation.Attendance


def max_proxies() -> int:
    """DEC-PROXY: how many proxies one member may hold."""
    return cte_setting("MAX_PROXIES_PER_MEMBER")


def seat_for(invitation: Invitation, *, at=None) -> deliberation.Seat:
    """The engine's view of one invitation (``at``: a moment; members who left before it no
    longer sit)."""
    represented = invitation.attendance == Attendance.REPRESENTED
    left = invitation.left_at is not None and (at is None or invitation.left_at <= at)
    return deliberation.Seat(
        key=invitation.pk,
        votes=invitation.votes,
        presence=invitation.attendance,
        is_state_copresident=invitation.is_state_copresident,
        substitute_sits=represented and invitation.substitute_id is not None,
        proxy_holder=invitation.proxy_to_id
        if represented and not invitation.substitute_id
        else None,
        left=left,
    )


def meeting_quorum(meeting: Meeting, invitations=None) -> deliberation.Quorum:
    """DEC-QUORUM, live: from the attendance recorded so far."""
    invitations = list(meeting.invitations.all()) if invitations is None else invitations
    return deliberation.quorum([seat_for(i) for i in invitations], max_proxies=max_proxies())
