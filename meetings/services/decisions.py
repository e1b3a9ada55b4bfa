"""Decisions on agenda items, by consensus or by a weighted vote, with their ballots.

- INS-CONSENSUS: consensus by default, the text agreed and the objections noted; an audit
  request is always voted.
- DEC-QUORUM / DEC-MAJORITY / DEC-REMOTE / DEC-VOTES: see ``meetings.services.deliberation``.
- The record of the meeting is closed once its minutes are approved.
"""

from django.db import transaction

from cte_portal.core.errors import RuleError
from meetings.models import AgendaItem, Ballot, Decision, Invitation
from meetings.selectors import locked_meeting
from meetings.services import deliberation
from meetings.services.minutes import minutes_changed
from meetings.services.quorum import max_proxies, seat_for
from meetings.workflow import check_in_session

Attendance = Invitation.Attendance


def _participation(invitation: Invitation, invitations: dict) -> str:
    if invitation.attendance == Attendance.REMOTE:
        return "à distance"
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
) -> Decision:
    """Record a decision on an agenda item.

    - INS-CONSENSUS: by consensus (the default), the text agreed and the objections noted;
      an audit request is always a vote.
    - DEC-QUORUM: a vote needs the quorum, at the moment it is taken (members who left no
      longer count).
    - DEC-MAJORITY / DEC-VOTES: each voting member's choice weighted by their votes; see
      ``deliberation.tally``.
    """
    meeting = locked_meeting(agenda_item.meeting)
    check_in_session(meeting)
    minutes_changed(meeting)
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
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        method=method,
        text=text.strip(),
        objections=objections.strip(),
        recorded_by=user,
        quorum_counted=quorum.counted,
        quorum_total=quorum.total,
        quorum_reached=quorum.reached,
    )
    if method == Decision.Method.CONSENSUS:
        decision.outcome = Decision.Outcome.ADOPTED
        decision.result_note = "Adoptée par consensus."
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
    meeting = locked_meeting(decision.meeting)
    minutes_changed(meeting)
    decision.delete()
