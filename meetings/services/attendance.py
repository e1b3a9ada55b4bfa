"""Attendance during a meeting, and the quorum it gives (DEC-QUORUM, DEC-PROXY, DEC-REMOTE).

The secretariat records who is present, remote, represented (by their substitute or a
proxy), absent or excused, and who left during the meeting. The record of the meeting is
closed once its minutes are approved.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cte_portal.core.errors import RuleError
from meetings.models import Invitation, Meeting
from meetings.selectors import active_substitutes, locked_meeting
from meetings.services import deliberation
from meetings.services.minutes import minutes_changed
from meetings.services.quorum import max_proxies, meeting_quorum
from meetings.workflow import check_in_session

Attendance = Invitation.Attendance


@dataclass(frozen=True)
class AttendanceEntry:
    invitation_id: int
    attendance: str
    substitute_id: int | None = None
    proxy_to_id: int | None = None
    left: bool = False


def _apply_attendance(meeting: Meeting, invitations: dict, entries, *, now) -> list[str]:
    """Apply ``entries`` onto ``invitations`` (in memory); return the French problems."""
    problems = []
    for entry in entries:
        invitation = invitations.get(entry.invitation_id)
        if invitation is None:
            problems.append("Une ligne ne correspond à aucune personne convoquée.")
            continue
        if entry.attendance not in Attendance.values:
            problems.append(f"{invitation.person} : présence inconnue.")
            continue
        invitation.attendance = entry.attendance
        if entry.attendance == Attendance.REPRESENTED:
            invitation.substitute_id = entry.substitute_id
            invitation.proxy_to_id = None if entry.substitute_id else entry.proxy_to_id
        if entry.left and entry.attendance in (Attendance.PRESENT, Attendance.REMOTE):
            invitation.left_at = invitation.left_at or now
        else:
            invitation.left_at = None
    holders: dict[int, int] = {}
    for invitation in invitations.values():
        if invitation.attendance != Attendance.REPRESENTED:
            continue
        name = str(invitation.person)
        if invitation.substitute_id:
            substitutes = set(active_substitutes(invitation).values_list("pk", flat=True))
            if invitation.substitute_id not in substitutes:
                problems.append(f"{name} : ce suppléant n'est pas le sien.")
            continue
        holder = invitations.get(invitation.proxy_to_id)
        if not invitation.has_vote:
            problems.append(
                f"{name} : sans voix délibérative, il ne peut être représenté par pouvoir ; "
                "indiquez « absent » ou « excusé »."
            )
        elif holder is None or holder.pk == invitation.pk or not holder.has_vote:
            problems.append(
                f"{name} : indiquez son suppléant ou le membre à voix délibérative qui détient "
                "son pouvoir."
            )
        else:
            holders[holder.pk] = holders.get(holder.pk, 0) + 1
            if holders[holder.pk] > max_proxies():
                problems.append(f"{holder.person} détient plus de {max_proxies()} pouvoir(s).")
    return problems


def preview_quorum(meeting: Meeting, entries) -> deliberation.Quorum:
    """The quorum the page shows while the secretariat fills the attendance in, before
    saving: the same engine on the entries overlaid on the recorded attendance."""
    invitations = {i.pk: i for i in meeting.invitations.all()}
    _apply_attendance(meeting, invitations, entries, now=timezone.now())
    return meeting_quorum(meeting, list(invitations.values()))


@transaction.atomic
def record_attendance(*, meeting: Meeting, user, entries) -> deliberation.Quorum:
    """The secretariat records who is present, remote, represented (by their substitute or
    a proxy), absent or excused, and who left during the meeting; returns the quorum."""
    meeting = locked_meeting(meeting)
    check_in_session(meeting)
    minutes_changed(meeting)
    invitations = {i.pk: i for i in meeting.invitations.select_for_update()}
    problems = _apply_attendance(meeting, invitations, entries, now=timezone.now())
    if problems:
        raise RuleError(problems)
    for invitation in invitations.values():
        invitation.save(update_fields=["attendance", "substitute", "proxy_to", "left_at"])
    return meeting_quorum(meeting, list(invitations.values()))
