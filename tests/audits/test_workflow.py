"""The lifecycle as data (DEC-AUDIT): every step allowed from its states only, the others
refused with a French reason, and the screens offered only the manual steps."""

import pytest

from audits import workflow
from audits.workflow import ACTIONS, TRANSITIONS, State
from cte_portal.core.errors import RuleError

EXPECTED = {
    "accept": ({State.REQUESTED}, State.ACCEPTED),
    "reject": ({State.REQUESTED}, State.REJECTED),
    "await_agreement": ({State.ACCEPTED}, State.AGREEMENT_PENDING),
    "start": ({State.ACCEPTED, State.AGREEMENT_PENDING}, State.IN_PROGRESS),
    "deliver_report": ({State.IN_PROGRESS}, State.REPORT_DELIVERED),
    "follow_up": ({State.REPORT_DELIVERED}, State.FOLLOW_UP),
    # INS-AUDIT: the delegating authority's refusal and what it unlocks.
    "refuse_agreement": ({State.AGREEMENT_PENDING}, State.AUTHORITY_REFUSED),
    "resubmit_to_authority": ({State.AUTHORITY_REFUSED}, State.AGREEMENT_PENDING),
    "close": (
        {State.REPORT_DELIVERED, State.FOLLOW_UP, State.AUTHORITY_REFUSED},
        State.CLOSED,
    ),
}


class Stub:
    """Enough of an audit for the state checks (guards are tested on real audits)."""

    def __init__(self, state):
        self.state = state


def test_the_lifecycle_of_the_issue_is_the_data():
    assert {name: (set(t.sources), t.target) for name, t in TRANSITIONS.items()} == EXPECTED
    # Every state is reachable from the request, and only the final states have no way out.
    reachable, frontier = {State.REQUESTED}, [State.REQUESTED]
    while frontier:
        state = frontier.pop()
        for t in TRANSITIONS.values():
            if state in t.sources and t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    assert reachable == set(State)
    leaves = {s for s in State if not any(s in t.sources for t in TRANSITIONS.values())}
    assert leaves == workflow.FINAL_STATES == {State.REJECTED, State.CLOSED}


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", list(State))
def test_each_step_is_allowed_from_its_states_and_refused_from_the_others(name, state):
    sources, _ = EXPECTED[name]
    assert workflow.is_allowed(state, name) == (state in sources)
    if state not in sources:
        problems = workflow.problems(Stub(state), name)
        assert len(problems) == 1 and "Étape impossible" in problems[0]
        with pytest.raises(RuleError):
            workflow.check(Stub(state), name)


def test_the_vote_and_the_agreement_wait_are_never_buttons():
    """INS-CONSENSUS: accepted or rejected only through the recorded vote."""
    manual = {t.name for s in State for t in workflow.available(s)}
    assert manual == {"start", "deliver_report", "follow_up", "close", "resubmit_to_authority"}
    assert workflow.available(State.REQUESTED) == []
    assert [t.name for t in workflow.available(State.REPORT_DELIVERED)] == ["follow_up", "close"]
    assert workflow.available(State.CLOSED) == workflow.available(State.REJECTED) == []


def test_every_guard_named_by_a_step_exists_and_every_step_cites_its_rule():
    for t in TRANSITIONS.values():
        assert set(t.guards) <= set(workflow.GUARDS), t.name
        assert "INS-AUDIT" in t.rules, t.name
        assert t.target in workflow.BADGES


def test_actions_that_keep_the_state_are_allowed_only_where_the_data_says():
    assert workflow.action_allowed(State.REQUESTED, "schedule_vote")
    assert not workflow.action_allowed(State.ACCEPTED, "schedule_vote")
    assert workflow.action_allowed(State.AGREEMENT_PENDING, "record_agreement")
    assert not workflow.action_allowed(State.IN_PROGRESS, "record_agreement")
    assert not workflow.action_allowed(State.CLOSED, "add_document")
    assert ACTIONS["add_recommendation"] == {State.REPORT_DELIVERED, State.FOLLOW_UP}
    with pytest.raises(RuleError, match="n'est pas possible dans l'état « Clôturé »"):
        workflow.check_action(Stub(State.CLOSED), "add_document", "L'ajout d'un document")
