"""Who is convened to a meeting (INS-COMPOSITION, INS-MEETINGS, DEC-VOTERS).

Invited by default are the co-presidents and the permanent members (the commission's members
for a commission meeting), plus, for the yearly plenary of a CRE or CDE, the co-presidents of
the CLEs below; the secretariat adds experts per agenda item, without a deliberative vote.
"""

from dataclasses import dataclass

from django.db import transaction

from committees.models import CommissionMember, CoPresidency, Membership
from committees.selectors import active_copresidencies
from cte_portal.core.errors import RuleError
from meetings.models import AgendaItem, Invitation, Meeting, Notification
from meetings.selectors import local_committees_below, locked_meeting
from meetings.services.notifications import notify
from meetings.workflow import check_editable

Kind = Notification.Kind


@dataclass(frozen=True)
class Invitee:
    person_id: int
    role: str
    organisation: str = ""
    membership_id: int | None = None
    copresidency_id: int | None = None
    votes: int = 0
    side: str = ""
    is_state_copresident: bool = False


def default_invitees(meeting: Meeting) -> list[Invitee]:
    """INS-COMPOSITION: co-presidents and permanent members (a commission's members for a
    commission meeting), plus the CLE co-presidents for a plenary that welcomes them."""
    committee = meeting.committee
    invitees: dict[int, Invitee] = {}
    for cp in active_copresidencies(committee):
        invitees.setdefault(
            cp.person_id,
            Invitee(
                person_id=cp.person_id,
                role=Invitation.Role.COPRESIDENT,
                organisation=cp.authority or cp.office,
                copresidency_id=cp.pk,
                # DEC-VOTERS, DEC-MAJORITY: the co-presidents vote, so a co-president never
                # sits with 0 votes (the State's casting vote needs one).
                votes=max(cp.votes, 1),
                side=cp.balance_side,
                is_state_copresident=cp.side == CoPresidency.Side.STATE,
            ),
        )
    memberships = Membership.objects.active().filter(
        committee=committee, role=Membership.Role.TITULAR
    )
    if meeting.commission_id:
        seats = {m.person_id: m for m in memberships}
        for member in CommissionMember.objects.filter(commission_id=meeting.commission_id):
            seat = seats.get(member.person_id)
            invitees.setdefault(
                member.person_id,
                Invitee(
                    person_id=member.person_id,
                    role=Invitation.Role.MEMBER,
                    organisation=member.organisation,
                    membership_id=seat.pk if seat else None,
                    votes=seat.votes if seat and seat.has_vote else 0,
                    side=seat.balance_side if seat else "",
                ),
            )
    else:
        for m in memberships.filter(is_permanent=True):
            invitees.setdefault(
                m.person_id,
                Invitee(
                    person_id=m.person_id,
                    role=Invitation.Role.MEMBER,
                    organisation=m.organisation,
                    membership_id=m.pk,
                    votes=m.votes if m.has_vote else 0,
                    side=m.balance_side,
                ),
            )
    if meeting.with_local_copresidents:
        for cp in CoPresidency.objects.active().filter(
            committee__in=local_committees_below(committee)
        ):
            invitees.setdefault(
                cp.person_id,
                Invitee(
                    person_id=cp.person_id,
                    role=Invitation.Role.LOCAL_COPRESIDENT,
                    organisation=cp.authority or cp.office,
                    copresidency_id=cp.pk,
                ),
            )
    return list(invitees.values())


def sync_invitations(meeting: Meeting) -> None:
    """Bring the default invitations in line with the composition. Before the convocation
    goes out, people who left are removed; after, nobody convened is dropped silently."""
    wanted = {i.person_id: i for i in default_invitees(meeting)}
    existing = {inv.person_id: inv for inv in meeting.invitations.all()}
    for person_id, invitee in wanted.items():
        invitation = existing.get(person_id)
        fields = {
            "role": invitee.role,
            "organisation": invitee.organisation,
            "membership_id": invitee.membership_id,
            "copresidency_id": invitee.copresidency_id,
            "votes": invitee.votes,
            "side": invitee.side,
            "is_state_copresident": invitee.is_state_copresident,
        }
        if invitation is None:
            Invitation.objects.create(meeting=meeting, person_id=person_id, **fields)
        elif invitation.role != Invitation.Role.EXPERT or invitee.votes:
            changed = [k for k, v in fields.items() if getattr(invitation, k) != v]
            if changed:
                for key in changed:
                    setattr(invitation, key, fields[key])
                invitation.save(update_fields=changed)
    if meeting.convened_at is None:
        meeting.invitations.exclude(role=Invitation.Role.EXPERT).exclude(
            person_id__in=list(wanted)
        ).delete()


@transaction.atomic
def invite_expert(
    *, meeting: Meeting, person, agenda_item: AgendaItem | None = None, organisation: str = ""
) -> Invitation:
    """INS-COMPOSITION: an expert or another network member invited for an agenda item,
    without a deliberative vote (DEC-VOTERS). Invited after the convocation went out, they
    receive it at once: the agenda itself did not change."""
    meeting = locked_meeting(meeting)
    check_editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise RuleError("Ce point n'est pas à l'ordre du jour.", field="agenda_item")
    if meeting.invitations.filter(person=person).exists():
        raise RuleError("Cette personne est déjà invitée.", field="email")
    invitation = Invitation.objects.create(
        meeting=meeting,
        person=person,
        role=Invitation.Role.EXPERT,
        organisation=(organisation or getattr(person, "organisation", "")).strip(),
        agenda_item=agenda_item,
    )
    if meeting.is_convened:
        notify(
            meeting=meeting,
            kind=Kind.CONVOCATION,
            recipients=[person],
            key=str(meeting.ics_sequence),
        )
    return invitation


@transaction.atomic
def remove_invitation(*, invitation: Invitation) -> None:
    """Only invited experts are removed; members and co-presidents are convened by right."""
    meeting = locked_meeting(invitation.meeting)
    invitation = Invitation.objects.get(pk=invitation.pk)
    check_editable(meeting)
    if invitation.role != Invitation.Role.EXPERT:
        raise RuleError(
            "Les co-présidents et les membres permanents sont convoqués de droit "
            " : seul un invité peut être retiré."
        )
    if invitation.proxies_held.exists() or invitation.ballots.exists():
        raise RuleError("Cette invitation est déjà utilisée : elle ne peut être retirée.")
    if meeting.convened_at and invitation.convocation_sent_at:
        # A CANCEL for this person only, at the current SEQUENCE: the others' convocations
        # (perhaps still on their way) are not superseded.
        notify(
            meeting=meeting,
            kind=Kind.CANCELLATION,
            recipients=[invitation.person_id],
            key=str(meeting.ics_sequence),
        )
    invitation.delete()
