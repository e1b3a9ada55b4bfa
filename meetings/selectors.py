"""Reads on meetings: who is invited and in which order, which co-presidents still have to
validate or approve (DEC-JOINT), who may stand in for a member (DEC-PROXY), and which PDF
renderings a dead worker left behind.

Views, services, notifications and the workflow's guards read through these functions; none of
them writes.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from committees.models import Committee, CoPresidency, Level, Membership
from committees.selectors import active_copresidencies
from cte_portal.tasking import claim_expiry
from meetings.models import Invitation, Meeting, Minutes

ROLE_RANK = {
    Invitation.Role.COPRESIDENT: 0,
    Invitation.Role.MEMBER: 1,
    Invitation.Role.LOCAL_COPRESIDENT: 2,
    Invitation.Role.EXPERT: 3,
}


def locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked until the end of the transaction (writes serialise on it)."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def by_role(invitations) -> list[Invitation]:
    """Co-presidents first, then members, CLE co-presidents and experts, by organisation."""
    return sorted(
        invitations, key=lambda i: (ROLE_RANK.get(i.role, 9), -i.votes, i.organisation, i.pk)
    )


def pending_validations(meeting: Meeting) -> list[CoPresidency]:
    """DEC-JOINT: the active co-presidencies that have not validated the current version."""
    done = set(
        meeting.validations.filter(version=meeting.version).values_list(
            "copresidency_id", flat=True
        )
    )
    return [cp for cp in active_copresidencies(meeting.committee) if cp.pk not in done]


def copresidencies_of(user, committee: Committee) -> list[CoPresidency]:
    """The active co-presidencies ``user`` holds on ``committee``, in person or as delegate."""
    if not (user and user.is_authenticated):
        return []
    return list(active_copresidencies(committee).filter(Q(person=user) | Q(delegate=user)))


def local_committees_below(committee: Committee):
    """The CLEs whose co-presidents join the yearly plenary (INS-MEETINGS): the CLEs of a
    CDE, every CLE of a CRE's region."""
    local = Committee.objects.active().filter(level=Level.LOCAL)
    if committee.level == Level.DEPARTMENTAL:
        return local.filter(parent=committee)
    if committee.level == Level.REGIONAL:
        return local.filter(region_id=committee.region_id)
    return local.none()


def active_substitutes(invitation: Invitation):
    """DEC-PROXY: the substitutes in office of the member convened by ``invitation``."""
    if not invitation.membership_id:
        return Membership.objects.none()
    return Membership.objects.active().filter(
        substitute_for_id=invitation.membership_id, role=Membership.Role.SUBSTITUTE
    )


def proxy_candidates(invitation: Invitation):
    """DEC-PROXY: the other voting members of the meeting who could hold this proxy."""
    return (
        invitation.meeting.invitations.filter(votes__gt=0)
        .exclude(pk=invitation.pk)
        .select_related("person")
    )


def pending_approvals(minutes: Minutes) -> list[CoPresidency]:
    """DEC-JOINT: the active co-presidencies that have not approved the current version of
    the minutes."""
    done = set(
        minutes.approvals.filter(version=minutes.version).values_list("copresidency_id", flat=True)
    )
    return [cp for cp in active_copresidencies(minutes.meeting.committee) if cp.pk not in done]


def stuck_minutes(*, now: datetime | None = None):
    """Approved minutes whose PDF waits for a worker that never came or died mid-way."""
    now = now or timezone.now()
    expiry = claim_expiry(now)
    return Minutes.objects.filter(approved_at__isnull=False).filter(
        Q(pdf_status=Minutes.PdfStatus.RENDERING, pdf_claimed_at__lt=expiry)
        | Q(pdf_status=Minutes.PdfStatus.PENDING, updated_at__lt=expiry)
    )
