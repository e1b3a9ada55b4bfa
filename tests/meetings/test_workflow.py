"""The lifecycle of a meeting and of its minutes' PDF, as a table (``meetings.workflow``):
every status is covered, every allowed step works, a step from a wrong state is refused with a
``RuleError`` and changes nothing (DEC-JOINT, DEC-COPRESIDENCY)."""

import pytest

from committees.selectors import active_copresidencies
from cte_portal.core.errors import RuleError
from meetings import workflow
from meetings.models import Meeting, Minutes, Validation
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.planning import cancel_meeting, update_meeting
from tests.factories.meetings import convene, future_day, make_meeting

pytestmark = pytest.mark.django_db

S = Meeting.Status
P = Minutes.PdfStatus


# --- The tables --------------------------------------------------------------------------------


def _covered(table) -> set:
    return {state for t in table.values() for state in (*t.sources, t.target)}


def test_the_table_covers_every_meeting_status():
    assert _covered(workflow.TRANSITIONS) == set(S.values)
    assert set(S.values) == workflow.OPEN_STATES | workflow.FINAL_STATES


def test_the_pdf_table_covers_every_pdf_status():
    assert _covered(workflow.PDF_TRANSITIONS) == set(P.values)


@pytest.mark.parametrize(
    "table", [workflow.TRANSITIONS, workflow.PDF_TRANSITIONS], ids=["meeting", "pdf"]
)
def test_each_step_names_its_actors_and_its_refusal(table):
    actors = {workflow.SECRETARIAT, workflow.COPRESIDENT, workflow.SYSTEM}
    for name, t in table.items():
        assert t.name == name
        assert t.actors and set(t.actors) <= actors
        assert t.refusal.strip()
        assert t.sources


def test_every_guard_and_action_is_defined():
    for t in workflow.TRANSITIONS.values():
        assert set(t.guards) <= set(workflow.GUARDS)
    for states, refusal, rule in workflow.ACTIONS.values():
        assert states <= set(S.values)
        assert refusal.strip()
        assert rule.startswith(("DEC-", "INS-"))


def test_the_steps_a_secretariat_may_fire():
    assert [t.name for t in workflow.available(S.DRAFT, workflow.SECRETARIAT)] == [
        "submit",
        "record_held",  # a meeting entered after the fact (INS-DATES)
        "cancel",
    ]
    assert [t.name for t in workflow.available(S.CANCELLED, workflow.SECRETARIAT)] == []


# --- Each allowed step works ------------------------------------------------------------------


def _in_state(scene, status: str) -> Meeting:
    """A meeting with an agenda, saved in ``status`` (with the validations that state
    implies), without going through the services."""
    meeting = make_meeting(scene)
    if status in (S.CONVENED, S.CANCELLED):
        for copresidency in active_copresidencies(meeting.committee):
            Validation.objects.create(
                meeting=meeting,
                copresidency=copresidency,
                version=meeting.version,
                validated_by=scene.state,
            )
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    return meeting


def test_submit_moves_a_draft_to_pending_validation(scene):
    meeting = make_meeting(scene)
    step = workflow.apply(meeting, "submit")
    assert step.target == meeting.status == S.PENDING_VALIDATION
    assert "DEC-JOINT" in step.rules


def test_convene_moves_a_validated_meeting_to_convened(scene):
    meeting = _in_state(scene, S.PENDING_VALIDATION)
    for copresidency in active_copresidencies(meeting.committee):
        Validation.objects.create(
            meeting=meeting, copresidency=copresidency, version=1, validated_by=scene.state
        )
    workflow.apply(meeting, "convene")
    assert meeting.status == S.CONVENED


@pytest.mark.parametrize("source", [S.CONVENED, S.PENDING_VALIDATION])
def test_revise_moves_a_validated_convocation_back_to_pending(scene, source):
    meeting = _in_state(scene, source)
    if source == S.PENDING_VALIDATION:  # one co-presidency validated already
        Validation.objects.create(
            meeting=meeting,
            copresidency=active_copresidencies(meeting.committee).first(),
            version=meeting.version,
            validated_by=scene.state,
        )
    workflow.apply(meeting, "revise")
    assert meeting.status == S.PENDING_VALIDATION


@pytest.mark.parametrize("source", sorted(workflow.OPEN_STATES))
def test_cancel_is_allowed_from_every_open_state(scene, source):
    meeting = _in_state(scene, source)
    workflow.apply(meeting, "cancel")
    assert meeting.status == S.CANCELLED


def test_the_services_walk_the_table(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    meeting.refresh_from_db()
    assert meeting.status == S.PENDING_VALIDATION
    validate_meeting(meeting=meeting, user=scene.state)
    meeting.refresh_from_db()
    assert meeting.status == S.PENDING_VALIDATION  # the other co-presidency has not validated
    validate_meeting(meeting=meeting, user=scene.local)
    meeting.refresh_from_db()
    assert meeting.status == S.CONVENED
    update_meeting(meeting=meeting, user=scene.secretariat, place="Hôtel du Département")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.version) == (S.PENDING_VALIDATION, 2)
    cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Report")
    meeting.refresh_from_db()
    assert meeting.status == S.CANCELLED


# --- A step from a wrong state is refused and changes nothing ---------------------------------

WRONG = [
    (name, state)
    for name, t in workflow.TRANSITIONS.items()
    for state in S.values
    if state not in t.sources
]


@pytest.mark.parametrize(("name", "state"), WRONG, ids=[f"{n}-from-{s}" for n, s in WRONG])
def test_a_step_from_a_wrong_state_is_refused_and_changes_nothing(scene, name, state):
    meeting = _in_state(scene, state)
    with pytest.raises(RuleError) as refused:
        workflow.apply(meeting, name)
    assert refused.value.messages == [workflow.TRANSITIONS[name].refusal]
    assert meeting.status == state
    meeting.refresh_from_db()
    assert meeting.status == state


def test_a_guard_refuses_with_its_reasons_and_changes_nothing(scene):
    meeting = make_meeting(scene, items=0)
    with pytest.raises(RuleError, match="aucun point"):
        workflow.apply(meeting, "submit")
    assert meeting.status == S.DRAFT


def test_a_submitted_version_nobody_validated_is_not_revised(scene):
    meeting = _in_state(scene, S.PENDING_VALIDATION)
    assert not workflow.apply_if_allowed(meeting, "revise")
    assert meeting.status == S.PENDING_VALIDATION
    with pytest.raises(RuleError):
        workflow.apply(meeting, "revise")
    assert meeting.status == S.PENDING_VALIDATION


def test_a_meeting_that_started_is_not_cancelled(scene):
    meeting = _in_state(scene, S.CONVENED)
    meeting.date = future_day(-1)
    with pytest.raises(RuleError, match="a commencé"):
        workflow.apply(meeting, "cancel")
    assert meeting.status == S.CONVENED


def test_a_refusal_carries_the_rule_of_the_guard_that_refused(scene):
    meeting = make_meeting(scene, items=0)
    with pytest.raises(RuleError) as caught:
        workflow.apply(meeting, "submit")
    assert caught.value.rule == "DEC-JOINT"  # an agenda is what the co-presidents validate
    meeting = _in_state(scene, S.CONVENED)
    with pytest.raises(RuleError) as caught:
        workflow.apply(meeting, "submit")
    assert caught.value.rule == "DEC-JOINT" and caught.value.messages == [
        workflow.TRANSITIONS["submit"].refusal
    ]


# (action, a state that refuses it, a state that allows it)
ACTION_CASES = [
    ("edit", S.CANCELLED, S.DRAFT),
    ("validate", S.DRAFT, S.PENDING_VALIDATION),
    ("answer", S.PENDING_VALIDATION, S.CONVENED),
    ("record_session", S.DRAFT, S.CONVENED),
    ("draft_minutes", S.CANCELLED, S.CONVENED),
]


@pytest.mark.parametrize(("action", "refused", "allowed"), ACTION_CASES)
def test_a_change_that_keeps_the_state_is_refused_from_the_wrong_state(
    scene, action, refused, allowed
):
    states, refusal, rule = workflow.ACTIONS[action]
    meeting = _in_state(scene, refused)
    with pytest.raises(RuleError) as caught:
        workflow.check_action(meeting, action)
    assert caught.value.messages == [refusal] and caught.value.rule == rule
    workflow.check_action(_in_state(scene, allowed), action)  # no refusal


def test_a_started_meeting_keeps_its_convocation_and_a_future_one_has_no_session(scene):
    started = _in_state(scene, S.CONVENED)
    started.date = future_day(-1)
    with pytest.raises(RuleError, match="ne changent plus"):
        workflow.check_editable(started)
    workflow.check_in_session(started)  # attendance is recorded from the meeting's day on
    upcoming = _in_state(scene, S.CONVENED)
    upcoming.date = future_day(3)
    workflow.check_editable(upcoming)
    with pytest.raises(RuleError, match="pas encore eu lieu"):
        workflow.check_in_session(upcoming)


def test_the_services_refuse_with_the_same_messages(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="déjà été soumise"):
        submit_for_validation(meeting=meeting, user=scene.secretariat)
    with pytest.raises(RuleError, match="Aucune validation n'est attendue"):
        validate_meeting(meeting=meeting, user=scene.state)
    cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Report")
    with pytest.raises(RuleError, match="déjà annulée"):
        cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Report")
    meeting.refresh_from_db()
    assert meeting.status == S.CANCELLED


# --- The minutes' PDF -------------------------------------------------------------------------

PDF_ALLOWED = [
    (name, state) for name, t in workflow.PDF_TRANSITIONS.items() for state in sorted(t.sources)
]
PDF_WRONG = [
    (name, state)
    for name, t in workflow.PDF_TRANSITIONS.items()
    for state in P.values
    if state not in t.sources
]


@pytest.mark.parametrize(
    ("name", "state"), PDF_ALLOWED, ids=[f"{n}-from-{s or 'none'}" for n, s in PDF_ALLOWED]
)
def test_each_allowed_pdf_step_sets_its_target(name, state):
    minutes = Minutes(pdf_status=state)
    workflow.apply_pdf(minutes, name)
    assert minutes.pdf_status == workflow.PDF_TRANSITIONS[name].target


@pytest.mark.parametrize(
    ("name", "state"), PDF_WRONG, ids=[f"{n}-from-{s or 'none'}" for n, s in PDF_WRONG]
)
def test_a_pdf_step_from_a_wrong_state_is_refused_and_changes_nothing(name, state):
    minutes = Minutes(pdf_status=state)
    with pytest.raises(RuleError) as refused:
        workflow.apply_pdf(minutes, name)
    assert refused.value.messages == [workflow.PDF_TRANSITIONS[name].refusal]
    assert minutes.pdf_status == state
