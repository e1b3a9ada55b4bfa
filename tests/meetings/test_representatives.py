"""« Le préfet ou son représentant » (DEC-COPRESIDENCY, DEC-MAJORITY): a co-president's
representative sits and votes in their place, counts for the quorum (DEC-QUORUM) and carries
the State's casting vote; a co-president never sits with 0 votes (DEC-VOTERS). And a consensus
found without quorum is recorded as such, never as adopted (DEC-QUORUM)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from committees.models import CoPresidency
from committees.models.rules import Category
from cte_portal.core.errors import RuleError
from meetings.models import Ballot, Decision, Invitation
from meetings.services.answers import answer_convocation
from meetings.services.attendance import AttendanceEntry, record_attendance
from meetings.services.decisions import record_decision
from meetings.services.deliberation import Choice, Presence, Seat, quorum, tally
from meetings.services.quorum import meeting_quorum
from tests.clients import login
from tests.factories.meetings import (
    Answer,
    Attendance,
    attend,
    convene,
    held_today,
    invitation_of,
    make_meeting,
    start,
)

pytestmark = pytest.mark.django_db

P, A, D = Attendance.PRESENT, Attendance.ABSENT, Attendance.DELEGATE
FOR, AGAINST = Ballot.Choice.FOR, Ballot.Choice.AGAINST
SOUS_PREFET = "M. Paul Adjoint, secrétaire général de la préfecture"


def record(scene, meeting, statuses: dict, delegates: dict | None = None, extra=()):
    """Attendance with representatives: ``delegates`` maps a co-president to a name."""
    delegates = delegates or {}
    entries = [
        AttendanceEntry(
            invitation_id=invitation.pk,
            attendance=statuses.get(invitation.person, A),
            delegate_name=delegates.get(invitation.person, ""),
        )
        for invitation in meeting.invitations.all()
    ]
    return record_attendance(meeting=meeting, user=scene.secretariat, entries=[*entries, *extra])


# --- The engine ------------------------------------------------------------------------------------


def test_a_representative_sits_for_the_quorum_and_carries_the_casting_vote():
    # DEC-COPRESIDENCY, DEC-QUORUM, DEC-MAJORITY: pure engine, no database.
    seats = [
        Seat(key="prefet", votes=1, presence=Presence.DELEGATE, is_state_copresident=True),
        Seat(key="cd", votes=1, presence=Presence.PRESENT),
        Seat(key="x", votes=1, presence=Presence.ABSENT),
        Seat(key="y", votes=1, presence=Presence.ABSENT),
    ]
    q = quorum(seats)
    assert (q.counted, q.sitting, q.reached) == (2, 2, True)
    result = tally(seats, {"prefet": Choice.FOR, "cd": Choice.AGAINST})
    assert result.tie and result.casting_vote_used and result.adopted


# --- Attendance, quorum and vote through the services --------------------------------------------


def test_the_prefets_representative_makes_the_quorum(scene):
    meeting = held_today(scene)
    statuses = {scene.local: P, scene.person(Category.STATE): P}
    record(scene, meeting, statuses)
    assert not meeting_quorum(meeting).reached  # 2 of 6
    q = record(scene, meeting, {**statuses, scene.state: D}, {scene.state: SOUS_PREFET})
    assert (q.counted, q.total, q.reached) == (3, 6, True)
    state = invitation_of(meeting, scene.state)
    assert state.attendance == D and state.delegate_name == SOUS_PREFET


def test_the_representative_votes_and_breaks_a_tie_for_the_state(scene):
    # DEC-MAJORITY: on a tie, the State co-president's vote — cast by their representative.
    meeting = held_today(scene)
    record(
        scene,
        meeting,
        {scene.state: D, scene.local: P, scene.person(Category.STATE): P},
        {scene.state: SOUS_PREFET},
    )
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        text="Lancer l'appel à projets mobilité",
        method=Decision.Method.VOTE,
        ballots={
            invitation_of(meeting, scene.state).pk: FOR,
            invitation_of(meeting, scene.local).pk: AGAINST,
        },
    )
    assert (decision.votes_for, decision.votes_against) == (1, 1)
    assert decision.casting_vote_used and decision.outcome == Decision.Outcome.ADOPTED
    ballot = decision.ballots.get(invitation__person=scene.state)
    assert SOUS_PREFET in ballot.participation


def test_the_local_copresident_may_be_represented_too(scene):
    meeting = held_today(scene)
    q = record(
        scene,
        meeting,
        {scene.state: P, scene.local: D, scene.person(Category.STATE): P},
        {scene.local: "Mme Vice-Présidente du conseil départemental"},
    )
    assert q.reached


def test_a_member_cannot_be_replaced_by_a_representative(scene):
    # DEC-COPRESIDENCY: « ou son représentant » is for the co-presidents; a member is
    # represented by a substitute or a proxy (DEC-PROXY).
    meeting = held_today(scene)
    member = scene.person(Category.STATE)
    with pytest.raises(RuleError) as refusal:
        record(scene, meeting, {scene.state: P, member: D}, {member: "Quelqu'un d'autre"})
    assert "seul un co-président" in " ".join(refusal.value.messages)
    assert not meeting.invitations.exclude(attendance="").exists()


def test_a_representative_must_be_named(scene):
    meeting = held_today(scene)
    with pytest.raises(RuleError) as refusal:
        record(scene, meeting, {scene.state: D})
    assert "nom et la qualité" in " ".join(refusal.value.messages)
    assert invitation_of(meeting, scene.state).attendance == ""


def test_one_person_cannot_represent_both_copresidents(scene):
    meeting = held_today(scene)
    with pytest.raises(RuleError) as refusal:
        record(
            scene,
            meeting,
            {scene.state: D, scene.local: D},
            {scene.state: SOUS_PREFET, scene.local: SOUS_PREFET.upper()},
        )
    assert "chaque co-président a son propre siège" in " ".join(refusal.value.messages)
    assert not meeting.invitations.exclude(attendance="").exists()


def test_two_representatives_for_one_seat_are_refused(scene):
    meeting = held_today(scene)
    state = invitation_of(meeting, scene.state)
    second = AttendanceEntry(invitation_id=state.pk, attendance=D, delegate_name="Mme Autre")
    with pytest.raises(RuleError) as refusal:
        record(scene, meeting, {scene.state: D}, {scene.state: SOUS_PREFET}, extra=[second])
    assert "une seule personne siège" in " ".join(refusal.value.messages)
    state.refresh_from_db()
    assert state.attendance == "" and state.delegate_name == ""


def test_a_copresident_never_sits_with_zero_votes(scene):
    # DEC-VOTERS: the co-presidents vote; a 0 left on a co-presidency still gives one vote.
    CoPresidency.objects.filter(pk=scene.state_cp.pk).update(votes=0)
    meeting = held_today(scene)
    state = invitation_of(meeting, scene.state)
    assert state.votes == 1 and state.is_state_copresident


def test_the_representative_is_recorded_on_the_attendance_screen(client, scene):
    meeting = held_today(scene)
    state = invitation_of(meeting, scene.state)
    target = reverse("meetings:attendance", args=[meeting.pk])
    page = login(client, scene.secretariat).get(target).content.decode()
    assert f'name="inv{state.pk}-delegate"' in page
    member = invitation_of(meeting, scene.person(Category.STATE))
    assert f'name="inv{member.pk}-delegate"' not in page
    data = {f"inv{i.pk}-attendance": "absent" for i in meeting.invitations.all()}
    data |= {
        f"inv{state.pk}-attendance": "delegate",
        f"inv{state.pk}-delegate": SOUS_PREFET,
        f"inv{member.pk}-attendance": "present",
        f"inv{invitation_of(meeting, scene.local).pk}-attendance": "present",
    }
    assert client.post(target, data).status_code == 302
    state.refresh_from_db()
    assert state.attendance == D and state.delegate_name == SOUS_PREFET
    assert meeting_quorum(meeting).reached


def test_the_screen_refuses_a_representative_for_a_member_and_saves_nothing(client, scene):
    meeting = held_today(scene)
    member = invitation_of(meeting, scene.person(Category.STATE))
    response = login(client, scene.secretariat).post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"inv{member.pk}-attendance": "delegate", f"inv{member.pk}-delegate": "Un collègue"},
    )
    assert response.status_code == 200
    assert "seul un co-président" in response.content.decode()
    member.refresh_from_db()
    assert member.attendance == ""


def test_the_representative_is_recorded_through_the_api(scene):
    meeting = held_today(scene)
    api = APIClient()
    api.force_authenticate(scene.secretariat)
    entries = [
        {"invitation": i.pk, "attendance": "absent"}
        for i in meeting.invitations.exclude(person__in=[scene.state, scene.local])
    ]
    entries += [
        {
            "invitation": invitation_of(meeting, scene.state).pk,
            "attendance": "delegate",
            "delegate_name": SOUS_PREFET,
        },
        {"invitation": invitation_of(meeting, scene.local).pk, "attendance": "present"},
        {
            "invitation": invitation_of(meeting, scene.person(Category.STATE)).pk,
            "attendance": "present",
        },
    ]
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/attendance/", {"entries": entries}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["quorum"]["reached"] is True
    (state,) = [i for i in body["invitations"] if i["attendance"] == "delegate"]
    assert state["delegate_name"] == SOUS_PREFET
    member = invitation_of(meeting, scene.person(Category.EMPLOYEE_UNIONS)).pk
    refused = api.post(
        f"/api/v1/meetings/{meeting.pk}/attendance/",
        {"entries": [{"invitation": member, "attendance": "delegate", "delegate_name": "X"}]},
        format="json",
    )
    assert refused.status_code == 400
    assert Invitation.objects.get(pk=member).attendance == "absent"


# --- Announced in the answer to the convocation ------------------------------------------------------


def test_a_copresident_announces_their_representative(client, scene):
    # DEC-COPRESIDENCY: the préfet answers that his representative will sit.
    meeting = convene(scene, make_meeting(scene))
    state = invitation_of(meeting, scene.state)
    answer_convocation(invitation=state, answer=Answer.DELEGATE, delegate_name=SOUS_PREFET)
    state.refresh_from_db()
    assert state.answer == Answer.DELEGATE and state.delegate_name == SOUS_PREFET
    # The attendance sheet suggests it on the day.

    start(meeting)
    page = login(client, scene.secretariat).get(reverse("meetings:attendance", args=[meeting.pk]))
    html = page.content.decode()
    assert f'value="{SOUS_PREFET}"' in html
    assert '<option value="delegate" selected>' in html


def test_a_member_cannot_announce_a_representative(scene):
    meeting = convene(scene, make_meeting(scene))
    member = invitation_of(meeting, scene.person(Category.STATE))
    with pytest.raises(RuleError) as refusal:
        answer_convocation(invitation=member, answer=Answer.DELEGATE, delegate_name="Un collègue")
    assert refusal.value.field == "answer"
    member.refresh_from_db()
    assert member.answer == "" and member.delegate_name == ""


def test_an_announced_representative_is_named(scene):
    meeting = convene(scene, make_meeting(scene))
    state = invitation_of(meeting, scene.state)
    with pytest.raises(RuleError) as refusal:
        answer_convocation(invitation=state, answer=Answer.DELEGATE)
    assert refusal.value.field == "delegate_name"


def test_the_answer_form_offers_a_representative_to_copresidents_only(client, scene):
    meeting = convene(scene, make_meeting(scene))
    target = reverse("meetings:answer", args=[meeting.pk])
    assert 'name="delegate_name"' in login(client, scene.state).get(target).content.decode()
    member_page = login(client, scene.person(Category.STATE)).get(target).content.decode()
    assert 'name="delegate_name"' not in member_page
    response = login(client, scene.local).post(
        target, {"answer": "delegate", "delegate_name": "Mme Vice-Présidente"}
    )
    assert response.status_code == 302
    assert invitation_of(meeting, scene.local).delegate_name == "Mme Vice-Présidente"


# --- Consensus without quorum ----------------------------------------------------------------------


def test_a_consensus_without_quorum_is_recorded_as_without_quorum(scene):
    # DEC-QUORUM: the committee does not deliberate validly without quorum.
    meeting = held_today(scene)
    attend(scene, meeting, {scene.state: P, scene.local: P})  # 2 of 6
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Accord trouvé"
    )
    assert decision.method == Decision.Method.CONSENSUS
    assert decision.outcome == Decision.Outcome.NO_QUORUM
    assert decision.get_outcome_display() == "Sans quorum"
    assert not decision.quorum_reached
    assert "sans quorum" in decision.result_note


def test_a_consensus_with_quorum_is_adopted(scene):
    meeting = held_today(scene)
    attend(scene, meeting, {scene.state: P, scene.local: P, scene.person(Category.STATE): P})
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Accord trouvé"
    )
    assert decision.outcome == Decision.Outcome.ADOPTED and decision.quorum_reached
