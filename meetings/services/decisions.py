"""Decisions on agenda items, by consensus or by a weighted vote, with their ballots.

- INS-CONSENSUS: consensus by default, the text agreed and the objections noted; an audit
  request is always voted.
- DEC-QUORUM / DEC-MAJORITY / DEC-REMOTE / DEC-VOTES: see ``meetings.services.deliberation``.
- The record of the meeting is closed once its minutes are approved.
- One decision per agenda item (a database constraint too): a new decision replaces the one
  recorded only when the secretariat confirms it; a wrong one is deleted until the minutes
  are approved. A change of attendance after a vote marks its ballots to check.
"""

from django.db import transaction
from django.utils import timezone

from cte_portal.core.errors import RuleError
from meetings.models import AgendaItem, Ballot, Decision, Invitation
from meetings.selectors import locked_meeting
from meetings.services import deliberation
from meetings.services.minutes import minutes_changed
from meetings.services.quorum import max_proxies, seat_for
from meetings.workflow import check_in_session

Attendance = Invitation.Attendance


class DecisionExists(RuleError):
    """The item already has a decision: replacing it needs the secretariat's confirmation."""

    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(
            "Une décision est déjà enregistrée sur ce point : confirmez son remplacement pour "
            "enregistrer la nouvelle."
        )


def _participation(invitation: Invitation, invitations: dict) -> str:
    if invitation.attendance == Attendance.REMOTE:
        return "à distance"
    if invitation.attendance == Attendance.DELEGATE:
        # DEC-COPRESIDENCY: the representative votes in the co-president's place.
        return f"par son représentant, {invitation.delegate_name}"
    if invitation.attendance == Attendance.REPRESENTED:
        if invitation.substitute_id:
            return f"représenté par son suppléant ({invitation.substitute.person})"
        holder = invitations.get(invitation.proxy_to_id)
        return f"pouvoir à {holder.person}" if holder else "représenté"
    return "présent"


@transaction.atomic
def record_decision(
    *,
    agenda_item: AgendaItem,
    user,
    text: str,
    method: str | None = None,
    objections: str = "",
    ballots: dict[int, str] | None = None,
    replace: bool = False,
) -> Decision:
    """Record a decision on an agenda item.

    - One decision per agenda item: when the item already has one, ``DecisionExists`` is
      raised unless ``replace`` (the secretariat confirmed); the new decision then takes the
      place of the old one (same row: its history keeps the old text; the follow-up actions
      stay with the item's decision).
    - INS-CONSENSUS: by consensus (the default), the text agreed and the objections noted;
      an audit request is always a vote.
    - DEC-QUORUM: a vote needs the quorum, at the moment it is taken (members who left no
      longer count).
    - DEC-MAJORITY / DEC-VOTES: each voting member's choice weighted by their votes; see
      ``deliberation.tally``.
    """
    meeting = locked_meeting(agenda_item.meeting)
    check_in_session(meeting)
    minutes_changed(meeting)  # refused once the minutes are approved
    existing = Decision.objects.select_for_update().filter(agenda_item=agenda_item).first()
    if existing is not None and not replace:
        raise DecisionExists(existing)
    method = method or (
        Decision.Method.VOTE if agenda_item.decision_by_vote else Decision.Method.CONSENSUS
    )
    if method not in Decision.Method.values:
        raise RuleError("Mode de décision inconnu.", field="method")
    if agenda_item.is_audit_request and method != Decision.Method.VOTE:
        raise RuleError("Une demande d'audit est toujours votée.", field="method")
    if not text.strip():
        raise RuleError("Indiquez le texte de la décision.", field="text")
    invitations = {
        i.pk: i for i in meeting.invitations.select_related("person", "substitute__person")
    }
    seats = [seat_for(i) for i in invitations.values()]
    quorum = deliberation.quorum(seats, max_proxies=max_proxies())
    decision = existing or Decision(meeting=meeting, agenda_item=agenda_item)
    if existing is not None:
        existing.ballots.all().delete()
    decision.method = method
    decision.text = text.strip()
    decision.objections = objections.strip()
    decision.recorded_by = user
    decision.recorded_at = timezone.now()
    decision.quorum_counted = quorum.counted
    decision.quorum_total = quorum.total
    decision.quorum_reached = quorum.reached
    decision.ballots_to_check_since = None
    decision.votes_for = decision.votes_against = decision.votes_abstain = 0
    decision.casting_vote_used = False
    if method == Decision.Method.CONSENSUS:
        if quorum.reached:
            decision.outcome = Decision.Outcome.ADOPTED
            decision.result_note = "Adoptée par consensus."
        else:
            # DEC-QUORUM: without quorum the committee does not deliberate validly; the
            # consensus is recorded as such, never as adopted (what follows is the
            # co-presidents' call: convene again).
            decision.outcome = Decision.Outcome.NO_QUORUM
            decision.result_note = (
                "Consensus constaté sans quorum : la décision n'est pas adoptée ; les "
                "co-présidents peuvent convoquer de nouveau le comité."
            )
        decision.save()
    else:
        ballots = {int(k): v for k, v in (ballots or {}).items() if v}
        try:
            _, result = deliberation.deliberate(seats, ballots, max_proxies=max_proxies())
        except deliberation.DeliberationError as exc:
            raise RuleError(exc.messages) from None
        decision.outcome = Decision.Outcome.ADOPTED if result.adopted else Decision.Outcome.REJECTED
        decision.votes_for = result.votes_for
        decision.votes_against = result.votes_against
        decision.votes_abstain = result.votes_abstain
        decision.casting_vote_used = result.casting_vote_used
        decision.result_note = result.note[:255]
        decision.save()
        Ballot.objects.bulk_create(
            [
                Ballot(
                    decision=decision,
                    invitation=invitations[key],
                    choice=choice,
                    weight=invitations[key].votes,
                    participation=_participation(invitations[key], invitations)[:160],
                )
                for key, choice in ballots.items()
            ]
        )
    return decision


@transaction.atomic
def delete_decision(*, decision: Decision) -> None:
    """A wrong decision is deleted (its ballots and follow-up actions with it), until the
    minutes are approved."""
    meeting = locked_meeting(decision.meeting)
    minutes_changed(meeting)
    decision.delete()


@transaction.atomic
def confirm_ballots(*, decision: Decision, user) -> Decision:
    """The secretariat checks a vote whose attendance changed afterwards: the ballots must
    still come from members who sit or are validly represented, and the quorum must still
    be reached (DEC-QUORUM, DEC-MAJORITY, DEC-PROXY) at the moment of the vote. The quorum
    and the result are then recounted from the attendance as it now stands; otherwise the
    vote is to be recorded again or deleted."""
    meeting = locked_meeting(decision.meeting)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.ballots_to_check_since is None:
        return decision
    minutes_changed(meeting)
    invitations = {
        i.pk: i for i in meeting.invitations.select_related("person", "substitute__person")
    }
    seats = [seat_for(i, at=decision.recorded_at) for i in invitations.values()]
    ballots = {b.invitation_id: b.choice for b in decision.ballots.all()}
    try:
        quorum, result = deliberation.deliberate(seats, ballots, max_proxies=max_proxies())
    except deliberation.DeliberationError as exc:
        raise RuleError(
            [
                *exc.messages,
                "Enregistrez à nouveau ce vote (il remplacera l'actuel) ou supprimez-le.",
            ],
            rule="DEC-QUORUM",
        ) from None
    decision.quorum_counted = quorum.counted
    decision.quorum_total = quorum.total
    decision.quorum_reached = quorum.reached
    decision.votes_for = result.votes_for
    decision.votes_against = result.votes_against
    decision.votes_abstain = result.votes_abstain
    decision.casting_vote_used = result.casting_vote_used
    decision.outcome = Decision.Outcome.ADOPTED if result.adopted else Decision.Outcome.REJECTED
    decision.result_note = result.note[:255]
    decision.ballots_to_check_since = None
    decision.save()
    for ballot in decision.ballots.select_related("invitation"):
        participation = _participation(ballot.invitation, invitations)[:160]
        if ballot.participation != participation:
            ballot.participation = participation
            ballot.save(update_fields=["participation"])
    return decision
