"""Attendance during a meeting, and the quorum it gives (DEC-QUORUM, DEC-PROXY, DEC-REMOTE).

The secretariat records who is present, remote, represented (by their substitute or a
proxy), replaced by their representative (a co-president only: « le préfet ou son
représentant », DEC-COPRESIDENCY), absent or excused, and who left during the meeting. The
record of the meeting is closed once its minutes are approved. A change of attendance after a
vote marks that vote's ballots to check: the secretariat confirms them, records the vote again,
or deletes it.
"""

from copy import copy
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cte_portal.core.errors import RuleError
from meetings.models import Decision, Invitation, Meeting
from meetings.selectors import active_substitutes, locked_meeting
from meetings.services import deliberation
from meetings.services.minutes import minutes_changed
from meetings.services.quorum import max_proxies, meeting_quorum, seat_for
from meetings.workflow import check_in_session

Attendance = Invitation.Attendance


@dataclass(frozen=True)
class AttendanceEntry:
    invitation_id: int
    attendance: str
    substitute_id: int | None = None
    proxy_to_id: int | None = None
    left: bool = False
    delegate_name: str = ""


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


def _delegate_problems(invitations: dict, entries) -> list[str]:
    """DEC-COPRESIDENCY: « le préfet ou son représentant ». Only a co-president of the
    committee is replaced by a representative (members are represented by their substitute or
    a proxy, DEC-PROXY); one representative per co-president, named; one person cannot sit
    for two co-presidents (each seat has its own vote)."""
    problems = []
    seen_entries: dict[int, str] = {}
    for entry in entries:
        previous = seen_entries.get(entry.invitation_id)
        if previous is not None and _normalised(previous) != _normalised(entry.delegate_name):
            invitation = invitations.get(entry.invitation_id)
            problems.append(
                f"{invitation.person if invitation else 'Une personne'} : une seule personne "
                "siège à la place d'un co-président."
            )
        seen_entries[entry.invitation_id] = entry.delegate_name
    sitting_for: dict[str, str] = {}
    for invitation in invitations.values():
        if invitation.attendance != Attendance.DELEGATE:
            continue
        name = str(invitation.person)
        if invitation.role != Invitation.Role.COPRESIDENT or not invitation.copresidency_id:
            problems.append(
                f"{name} : seul un co-président peut être remplacé par son représentant ; un "
                "membre est représenté par son suppléant ou par un pouvoir."
            )
            continue
        delegate = _normalised(invitation.delegate_name)
        if not delegate:
            problems.append(f"{name} : indiquez le nom et la qualité de son représentant.")
            continue
        if delegate == _normalised(name):
            problems.append(f"{name} : son représentant est une autre personne.")
            continue
        if delegate in sitting_for:
            problems.append(
                f"{invitation.delegate_name.strip()} ne peut représenter à la fois "
                f"{sitting_for[delegate]} et {name} : chaque co-président a son propre siège."
            )
            continue
        sitting_for[delegate] = name
    return problems


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
        invitation.delegate_name = (
            entry.delegate_name.strip()[:255] if entry.attendance == Attendance.DELEGATE else ""
        )
        if entry.attendance == Attendance.REPRESENTED:
            invitation.substitute_id = entry.substitute_id
            invitation.proxy_to_id = None if entry.substitute_id else entry.proxy_to_id
        if entry.left and entry.attendance in (
            Attendance.PRESENT,
            Attendance.REMOTE,
            Attendance.DELEGATE,
        ):
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
    problems.extend(_delegate_problems(invitations, entries))
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
    before = {pk: copy(i) for pk, i in invitations.items()}
    now = timezone.now()
    problems = _apply_attendance(meeting, invitations, entries, now=now)
    if problems:
        raise RuleError(problems)
    changed = [i for pk, i in invitations.items() if _presence(i) != _presence(before[pk])]
    for invitation in changed:
        invitation.save(
            update_fields=["attendance", "delegate_name", "substitute", "proxy_to", "left_at"]
        )
    # A vote was counted on the attendance as it stood then: when the change alters who sat
    # or was represented at that moment (someone leaving afterwards does not), its ballots
    # are to be checked.
    to_check = [
        decision.pk
        for decision in Decision.objects.filter(
            meeting=meeting, method=Decision.Method.VOTE, ballots_to_check_since__isnull=True
        )
        if any(
            seat_for(i, at=decision.recorded_at) != seat_for(before[i.pk], at=decision.recorded_at)
            for i in changed
        )
    ]
    if to_check:
        Decision.objects.filter(pk__in=to_check).update(ballots_to_check_since=now)
    return meeting_quorum(meeting, list(invitations.values()))


def _presence(invitation: Invitation) -> tuple:
    return (
        invitation.attendance,
        invitation.delegate_name,
        invitation.substitute_id,
        invitation.proxy_to_id,
        invitation.left_at,
    )
