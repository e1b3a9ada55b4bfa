"""The quorum and majority engine: pure functions, no database.

- DEC-QUORUM: a committee deliberates validly when at least half of its members with a
  deliberative vote are present, remote or represented (counted by heads, not by weight).
- DEC-REMOTE: a member taking part by conference counts as present.
- DEC-COPRESIDENCY: « le préfet ou son représentant » — a co-president replaced by their
  representative sits (``DELEGATE``): the representative counts for the quorum and casts the
  co-president's votes, the State's casting vote included (DEC-MAJORITY).
- DEC-PROXY (product default, adjustable): a substitute sits first; otherwise a written proxy
  to another voting member who sits; at most ``max_proxies`` proxies held per member; a proxy
  does not pass on (a holder who is not sitting represents nobody).
- DEC-MAJORITY: adopted by the majority of the votes cast; abstentions (and blank votes) are
  not votes cast; a tie is broken by the vote of the State co-president.
- DEC-VOTES: each ballot weighs the member's number of votes.
- INS-CONSENSUS: consensus is recorded as text, outside this engine.

The services turn invitations into ``Seat`` values; the tests feed ``Seat`` values directly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Presence(StrEnum):
    UNKNOWN = ""
    PRESENT = "present"
    REMOTE = "remote"
    REPRESENTED = "represented"
    DELEGATE = "delegate"
    ABSENT = "absent"
    EXCUSED = "excused"


class Choice(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


# DEC-COPRESIDENCY: a co-president's representative sits in their place.
SITTING = frozenset({Presence.PRESENT, Presence.REMOTE, Presence.DELEGATE})


class DeliberationError(Exception):
    """The vote cannot be recorded as given; ``messages`` are French sentences."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


@dataclass(frozen=True)
class Seat:
    """One person convened to the meeting, at one moment of it."""

    key: Hashable
    votes: int = 0  # DEC-VOTES; 0 means no deliberative vote (DEC-VOTERS)
    presence: str = Presence.UNKNOWN
    is_state_copresident: bool = False
    # DEC-PROXY: represented by a substitute who sits, or by a proxy to another seat.
    substitute_sits: bool = False
    proxy_holder: Hashable | None = None
    # Quorum can be lost during the meeting: a member who left no longer sits.
    left: bool = False

    @property
    def has_vote(self) -> bool:
        return self.votes > 0

    @property
    def sits(self) -> bool:
        """DEC-REMOTE: present in the room or by conference (in person or, for a co-president,
        through their representative), and still there."""
        return self.presence in SITTING and not self.left


@dataclass(frozen=True)
class Representation:
    """Who takes part in the deliberation, and on whose behalf."""

    # seat key → "" (sits in person or remotely), "substitute", or the proxy holder's key
    participants: Mapping[Hashable, Hashable]
    # seats marked represented whose representation does not hold, with the French reason
    refused: Mapping[Hashable, str]


def representation(seats: Iterable[Seat], *, max_proxies: int = 1) -> Representation:
    """Resolve who takes part: sitting voters, and represented voters whose substitute sits
    or whose proxy is held by a sitting voter within the ``max_proxies`` limit (DEC-PROXY).

    Proxies are honoured in the order of the seats given, so that the same input always gives
    the same result; the services refuse the extra proxy earlier, at answer time.
    """
    seats = [s for s in seats if s.has_vote]
    by_key = {s.key: s for s in seats}
    participants: dict[Hashable, Hashable] = {}
    refused: dict[Hashable, str] = {}
    held: dict[Hashable, int] = {}
    for seat in seats:
        if seat.sits:
            participants[seat.key] = ""
    for seat in seats:
        if seat.sits or seat.presence != Presence.REPRESENTED or seat.left:
            continue
        if seat.substitute_sits:
            participants[seat.key] = "substitute"
            continue
        holder = by_key.get(seat.proxy_holder) if seat.proxy_holder is not None else None
        if holder is None:
            refused[seat.key] = "aucun suppléant ni pouvoir à un membre à voix délibérative"
        elif holder.key == seat.key:
            refused[seat.key] = "un membre ne peut se donner pouvoir à lui-même"
        elif not holder.sits:
            refused[seat.key] = "le détenteur du pouvoir ne siège pas"
        elif held.get(holder.key, 0) >= max_proxies:
            refused[seat.key] = f"le détenteur détient déjà {max_proxies} pouvoir(s)"
        else:
            held[holder.key] = held.get(holder.key, 0) + 1
            participants[seat.key] = holder.key
    return Representation(participants=participants, refused=refused)


@dataclass(frozen=True)
class Quorum:
    """DEC-QUORUM, counted by heads among the members with a deliberative vote."""

    total: int
    counted: int
    sitting: int
    represented: int
    refused: Mapping[Hashable, str] = field(default_factory=dict)

    @property
    def required(self) -> int:
        return (self.total + 1) // 2  # at least half

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.counted >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted)

    def describe(self) -> str:
        if self.total == 0:
            return (
                "Aucun membre à voix délibérative n'est convoqué : le quorum ne peut être atteint."
            )
        status = "atteint" if self.reached else "non atteint"
        text = (
            f"Quorum {status} : {self.counted} membre(s) à voix délibérative présent(s), à "
            f"distance ou représenté(s) sur {self.total} ; il en faut au moins {self.required}."
        )
        if not self.reached:
            text += f" Il manque {self.missing} membre(s)."
        return text


def quorum(seats: Iterable[Seat], *, max_proxies: int = 1) -> Quorum:
    seats = list(seats)
    voting = [s for s in seats if s.has_vote]
    rep = representation(voting, max_proxies=max_proxies)
    sitting = sum(1 for v in rep.participants.values() if v == "")
    return Quorum(
        total=len(voting),
        counted=len(rep.participants),
        sitting=sitting,
        represented=len(rep.participants) - sitting,
        refused=rep.refused,
    )


@dataclass(frozen=True)
class VoteResult:
    votes_for: int
    votes_against: int
    votes_abstain: int
    adopted: bool
    tie: bool
    casting_vote_used: bool
    note: str

    @property
    def votes_cast(self) -> int:
        """DEC-MAJORITY: abstentions and blank votes are not votes cast."""
        return self.votes_for + self.votes_against


def tally(
    seats: Iterable[Seat], ballots: Mapping[Hashable, str], *, max_proxies: int = 1
) -> VoteResult:
    """Count a weighted vote (DEC-VOTES) and apply DEC-MAJORITY.

    ``ballots`` maps a seat key to a ``Choice``. Only members with a deliberative vote who
    sit or are validly represented may vote; a member absent from ``ballots`` did not take
    part. A tie is broken by the State co-president's choice (for or against); when the
    State co-president abstained or did not vote, the tie stands and the proposal is not
    adopted (no majority).
    """
    seats = list(seats)
    by_key = {s.key: s for s in seats}
    rep = representation(seats, max_proxies=max_proxies)
    problems = []
    totals = {Choice.FOR: 0, Choice.AGAINST: 0, Choice.ABSTAIN: 0}
    for key, choice in ballots.items():
        seat = by_key.get(key)
        if seat is None or not seat.has_vote:
            problems.append(
                "Un vote vient d'une personne sans voix délibérative (article R. 5311-37 du code du travail)."
            )
            continue
        if key not in rep.participants:
            problems.append(
                "Un vote vient d'un membre ni présent, ni à distance, ni valablement représenté "
                "(article R. 5311-41 du code du travail)."
            )
            continue
        try:
            totals[Choice(choice)] += seat.votes
        except ValueError:
            problems.append(f"Choix de vote inconnu : « {choice} ».")
    if problems:
        raise DeliberationError(sorted(set(problems)))
    votes_for, votes_against = totals[Choice.FOR], totals[Choice.AGAINST]
    abstain = totals[Choice.ABSTAIN]
    if votes_for + votes_against == 0:
        return VoteResult(
            votes_for,
            votes_against,
            abstain,
            adopted=False,
            tie=False,
            casting_vote_used=False,
            note="Aucun suffrage exprimé : la proposition n'est pas adoptée (article R. 5311-41 du code du travail).",
        )
    if votes_for != votes_against:
        adopted = votes_for > votes_against
        return VoteResult(
            votes_for,
            votes_against,
            abstain,
            adopted=adopted,
            tie=False,
            casting_vote_used=False,
            note=(
                "Adoptée à la majorité des suffrages exprimés (article R. 5311-41 du code du travail)."
                if adopted
                else "Rejetée à la majorité des suffrages exprimés (article R. 5311-41 du code du travail)."
            ),
        )
    state_choices = [ballots[s.key] for s in seats if s.is_state_copresident and s.key in ballots]
    decisive = [c for c in state_choices if c in (Choice.FOR, Choice.AGAINST)]
    if len(set(decisive)) == 1:
        adopted = decisive[0] == Choice.FOR
        return VoteResult(
            votes_for,
            votes_against,
            abstain,
            adopted=adopted,
            tie=True,
            casting_vote_used=True,
            note=(
                "Partage des voix : la voix du co-président représentant l'État est "
                f"prépondérante ({'pour' if adopted else 'contre'}) (article R. 5311-41 du code du travail)."
            ),
        )
    return VoteResult(
        votes_for,
        votes_against,
        abstain,
        adopted=False,
        tie=True,
        casting_vote_used=False,
        note=(
            "Partage des voix sans voix prépondérante exprimée par le co-président "
            "représentant l'État : pas de majorité, la proposition n'est pas adoptée."
        ),
    )


def deliberate(
    seats: Iterable[Seat], ballots: Mapping[Hashable, str], *, max_proxies: int = 1
) -> tuple[Quorum, VoteResult]:
    """A vote is valid only with quorum (DEC-QUORUM): check it, then count (DEC-MAJORITY)."""
    seats = list(seats)
    q = quorum(seats, max_proxies=max_proxies)
    if not q.reached:
        raise DeliberationError(
            [
                "Le vote ne peut être enregistré : le quorum n'est pas atteint.",
                q.describe(),
            ]
        )
    if not ballots:
        raise DeliberationError("Aucun vote n'a été saisi.")
    return q, tally(seats, ballots, max_proxies=max_proxies)
