"""The quorum and majority engine on tricky cases (DEC-QUORUM, DEC-MAJORITY, DEC-PROXY,
DEC-REMOTE, DEC-VOTES). Pure functions: no database."""

import pytest

from meetings.services.deliberation import (
    Choice,
    DeliberationError,
    Presence,
    Seat,
    deliberate,
    quorum,
    representation,
    tally,
)

P, R, REP, A, E = (
    Presence.PRESENT,
    Presence.REMOTE,
    Presence.REPRESENTED,
    Presence.ABSENT,
    Presence.EXCUSED,
)
FOR, AGAINST, ABSTAIN = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN


def seats(*specs):
    """``("a", 2, P)`` → Seat(key="a", votes=2, presence=P); extra keywords in a dict."""
    result = []
    for spec in specs:
        extra = spec[3] if len(spec) > 3 else {}
        result.append(Seat(key=spec[0], votes=spec[1], presence=spec[2], **extra))
    return result


# --- DEC-QUORUM ---------------------------------------------------------------------------------


def test_quorum_is_reached_with_exactly_half_of_the_voting_members():
    q = quorum(seats(("a", 1, P), ("b", 1, P), ("c", 1, A), ("d", 1, A)))
    assert (q.total, q.counted, q.required, q.reached) == (4, 2, 2, True)


def test_quorum_is_not_reached_below_half():
    q = quorum(seats(("a", 1, P), ("b", 1, A), ("c", 1, A), ("d", 1, E), ("e", 1, P)))
    assert (q.total, q.counted, q.required, q.reached, q.missing) == (5, 2, 3, False, 1)
    assert "Il manque 1 membre" in q.describe()


def test_quorum_counts_heads_not_weighted_votes():
    # The one present member holds 10 of 13 votes, but is one head out of four.
    q = quorum(seats(("state", 10, P), ("b", 1, A), ("c", 1, A), ("d", 1, A)))
    assert not q.reached


def test_members_without_a_deliberative_vote_do_not_count_toward_quorum():
    # DEC-VOTERS: France Travail, Missions locales, experts sit without a vote.
    q = quorum(seats(("a", 1, A), ("b", 1, A), ("ft", 0, P), ("ml", 0, P), ("x", 0, P)))
    assert (q.total, q.counted, q.reached) == (2, 0, False)


def test_remote_members_count_as_present():
    # DEC-REMOTE
    q = quorum(seats(("a", 1, R), ("b", 1, R), ("c", 1, A)))
    assert q.reached and q.sitting == 2


def test_no_voting_member_means_no_quorum():
    q = quorum(seats(("ft", 0, P)))
    assert not q.reached
    assert "ne peut être atteint" in q.describe()


def test_quorum_lost_during_the_meeting_when_members_leave():
    start = seats(("a", 1, P), ("b", 1, P), ("c", 1, P), ("d", 1, A), ("e", 1, A))
    assert quorum(start).reached
    later = [
        Seat(key=s.key, votes=s.votes, presence=s.presence, left=s.key in ("b", "c")) for s in start
    ]
    q = quorum(later)
    assert (q.counted, q.reached) == (1, False)
    with pytest.raises(DeliberationError, match="quorum n'est pas atteint"):
        deliberate(later, {"a": FOR})


# --- DEC-PROXY ----------------------------------------------------------------------------------


def test_a_substitute_who_sits_represents_the_member():
    q = quorum(seats(("a", 1, P), ("b", 1, REP, {"substitute_sits": True}), ("c", 1, A)))
    assert (q.counted, q.represented, q.reached) == (2, 1, True)


def test_a_proxy_to_a_sitting_voting_member_counts():
    q = quorum(seats(("a", 1, P), ("b", 1, REP, {"proxy_holder": "a"}), ("c", 1, A)))
    assert (q.counted, q.reached) == (2, True)


def test_a_proxy_to_an_absent_member_does_not_count():
    q = quorum(seats(("a", 1, A), ("b", 1, REP, {"proxy_holder": "a"}), ("c", 1, P)))
    assert q.counted == 1
    assert q.refused == {"b": "le détenteur du pouvoir ne siège pas"}


def test_a_proxy_to_a_member_who_left_no_longer_counts():
    q = quorum(
        seats(("a", 1, P, {"left": True}), ("b", 1, REP, {"proxy_holder": "a"}), ("c", 1, P))
    )
    assert q.counted == 1


def test_at_most_one_proxy_held_per_member_by_default():
    s = seats(
        ("a", 1, P),
        ("b", 1, REP, {"proxy_holder": "a"}),
        ("c", 1, REP, {"proxy_holder": "a"}),
        ("d", 1, A),
        ("e", 1, A),
        ("f", 1, A),
    )
    q = quorum(s)
    assert q.counted == 2  # a, and b through a; c's second proxy is refused
    assert "c" in q.refused and not q.reached
    # The limit is a setting of the rules of procedure: with two, both count.
    assert quorum(s, max_proxies=2).counted == 3


def test_a_proxy_does_not_pass_on_through_a_represented_member():
    rep = representation(
        seats(
            ("a", 1, P), ("b", 1, REP, {"proxy_holder": "a"}), ("c", 1, REP, {"proxy_holder": "b"})
        )
    )
    assert rep.participants == {"a": "", "b": "a"}
    assert rep.refused["c"] == "le détenteur du pouvoir ne siège pas"


def test_a_proxy_to_a_member_without_vote_is_refused():
    q = quorum(seats(("a", 1, REP, {"proxy_holder": "ft"}), ("ft", 0, P), ("b", 1, P)))
    assert q.counted == 1 and "a" in q.refused


def test_represented_without_substitute_or_proxy_is_refused():
    q = quorum(seats(("a", 1, REP), ("b", 1, P)))
    assert q.refused == {"a": "aucun suppléant ni pouvoir à un membre à voix délibérative"}


def test_a_proxy_to_oneself_is_refused():
    q = quorum(seats(("a", 1, REP, {"proxy_holder": "a"}), ("b", 1, P)))
    assert q.refused["a"] == "un membre ne peut se donner pouvoir à lui-même"


# --- DEC-MAJORITY -------------------------------------------------------------------------------


def test_simple_majority_of_votes_cast():
    s = seats(("a", 1, P), ("b", 1, P), ("c", 1, P))
    result = tally(s, {"a": FOR, "b": FOR, "c": AGAINST})
    assert (result.votes_for, result.votes_against, result.adopted) == (2, 1, True)


def test_rejected_when_against_outweighs_for():
    result = tally(seats(("a", 1, P), ("b", 1, P)), {"a": AGAINST, "b": AGAINST})
    assert not result.adopted and not result.tie


def test_abstentions_are_not_votes_cast():
    # 1 for, 0 against, 5 abstentions: adopted by the majority of the votes cast.
    s = seats(*[(k, 1, P) for k in "abcdef"])
    result = tally(
        s, {"a": FOR, "b": ABSTAIN, "c": ABSTAIN, "d": ABSTAIN, "e": ABSTAIN, "f": ABSTAIN}
    )
    assert (result.votes_cast, result.votes_abstain, result.adopted) == (1, 5, True)


def test_all_abstain_means_not_adopted():
    s = seats(("a", 1, P), ("b", 2, P), ("state", 3, P, {"is_state_copresident": True}))
    result = tally(s, {"a": ABSTAIN, "b": ABSTAIN, "state": ABSTAIN})
    assert (result.votes_cast, result.votes_abstain, result.adopted) == (0, 6, False)
    assert "Aucun suffrage exprimé" in result.note
    assert not result.casting_vote_used


def test_weighted_votes_decide_not_heads():
    # DEC-VOTES: two members for (1 vote each) lose against one member with three votes.
    s = seats(("a", 1, P), ("b", 1, P), ("region", 3, P))
    result = tally(s, {"a": FOR, "b": FOR, "region": AGAINST})
    assert (result.votes_for, result.votes_against, result.adopted) == (2, 3, False)


def test_tie_is_broken_by_the_state_copresident_voting_for():
    s = seats(
        ("state", 2, P, {"is_state_copresident": True}),
        ("local", 2, P),
        ("x", 1, P),
        ("y", 1, P),
    )
    result = tally(s, {"state": FOR, "x": AGAINST, "local": AGAINST, "y": FOR})
    assert (result.votes_for, result.votes_against) == (3, 3)
    assert result.tie and result.casting_vote_used and result.adopted
    assert "prépondérante" in result.note


def test_tie_is_broken_by_the_state_copresident_voting_against():
    s = seats(("state", 1, P, {"is_state_copresident": True}), ("local", 1, P))
    result = tally(s, {"state": AGAINST, "local": FOR})
    assert result.tie and result.casting_vote_used and not result.adopted


def test_tie_with_the_state_copresident_abstaining_is_not_adopted():
    s = seats(("state", 1, P, {"is_state_copresident": True}), ("a", 1, P), ("b", 1, P))
    result = tally(s, {"state": ABSTAIN, "a": FOR, "b": AGAINST})
    assert result.tie and not result.casting_vote_used and not result.adopted
    assert "sans voix prépondérante" in result.note


def test_tie_with_the_state_copresident_absent_is_not_adopted():
    s = seats(("state", 1, A, {"is_state_copresident": True}), ("a", 1, P), ("b", 1, P))
    result = tally(s, {"a": FOR, "b": AGAINST})
    assert result.tie and not result.adopted


def test_the_state_copresident_represented_by_proxy_still_breaks_the_tie():
    s = seats(
        ("state", 1, REP, {"is_state_copresident": True, "proxy_holder": "a"}),
        ("a", 1, P),
        ("b", 2, P),
    )
    result = tally(s, {"state": FOR, "a": FOR, "b": AGAINST})
    assert result.tie and result.casting_vote_used and result.adopted


def test_remote_members_vote():
    # DEC-MAJORITY counts the votes of members taking part by conference.
    s = seats(("a", 1, R), ("b", 1, R), ("c", 1, P))
    assert tally(s, {"a": FOR, "b": FOR, "c": AGAINST}).adopted


def test_a_proxy_holder_casts_the_represented_members_weight():
    s = seats(("a", 1, P), ("b", 3, REP, {"proxy_holder": "a"}), ("c", 2, P))
    result = tally(s, {"a": AGAINST, "b": FOR, "c": AGAINST})
    assert (result.votes_for, result.votes_against, result.adopted) == (3, 3, False)


def test_an_absent_member_cannot_vote():
    with pytest.raises(DeliberationError, match="ni présent"):
        tally(seats(("a", 1, P), ("b", 1, A)), {"a": FOR, "b": FOR})


def test_a_member_who_left_cannot_vote():
    with pytest.raises(DeliberationError, match="ni présent"):
        tally(seats(("a", 1, P), ("b", 1, P, {"left": True})), {"a": FOR, "b": AGAINST})


def test_a_member_without_vote_cannot_vote():
    with pytest.raises(DeliberationError, match="sans voix délibérative"):
        tally(seats(("a", 1, P), ("ft", 0, P)), {"a": FOR, "ft": FOR})


def test_a_second_proxy_beyond_the_limit_cannot_vote():
    s = seats(
        ("a", 1, P),
        ("b", 1, REP, {"proxy_holder": "a"}),
        ("c", 1, REP, {"proxy_holder": "a"}),
    )
    with pytest.raises(DeliberationError):
        tally(s, {"a": FOR, "b": FOR, "c": FOR})


def test_an_unknown_choice_is_refused():
    with pytest.raises(DeliberationError, match="inconnu"):
        tally(seats(("a", 1, P)), {"a": "blank"})


def test_members_who_do_not_take_part_are_simply_not_counted():
    s = seats(("a", 1, P), ("b", 1, P), ("c", 5, P))
    result = tally(s, {"a": FOR, "b": AGAINST, "c": FOR})
    assert result.adopted
    assert tally(s, {"a": FOR}).votes_cast == 1


def test_deliberate_requires_quorum_then_counts():
    s = seats(("a", 1, P), ("b", 1, P), ("c", 1, A))
    q, result = deliberate(s, {"a": FOR, "b": AGAINST})
    assert q.reached and result.tie and not result.adopted


def test_deliberate_refuses_an_empty_vote():
    with pytest.raises(DeliberationError, match="Aucun vote"):
        deliberate(seats(("a", 1, P)), {})
