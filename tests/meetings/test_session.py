"""During the meeting: attendance and live quorum (DEC-QUORUM, DEC-REMOTE, DEC-PROXY),
decisions by consensus or weighted vote (INS-CONSENSUS, DEC-MAJORITY, DEC-VOTES), follow-up
actions. Through the services and the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from committees.models.rules import Category
from committees.services.composition import update_member
from cte_portal.core.errors import RuleError
from meetings.models import Ballot, Decision, FollowUpAction, Invitation
from meetings.services.agenda import add_agenda_item
from meetings.services.answers import answer_convocation
from meetings.services.attendance import AttendanceEntry, preview_quorum
from meetings.services.decisions import record_decision
from meetings.services.follow_up import add_follow_up_action, complete_action
from meetings.services.quorum import meeting_quorum
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

P, R, REP, A = Attendance.PRESENT, Attendance.REMOTE, Attendance.REPRESENTED, Attendance.ABSENT
FOR, AGAINST, ABSTAIN = Ballot.Choice.FOR, Ballot.Choice.AGAINST, Ballot.Choice.ABSTAIN


def voting(scene):
    """The six voters: two co-presidents and four voting members."""
    return {
        "state": scene.state,
        "local": scene.local,
        "etat": scene.person(Category.STATE),
        "dept": scene.person(Category.DEPARTEMENT),
        "unions": scene.person(Category.EMPLOYEE_UNIONS),
        "employers": scene.person(Category.EMPLOYER_ORGS),
    }


def ballots(meeting, choices: dict) -> dict[int, str]:
    return {invitation_of(meeting, person).pk: choice for person, choice in choices.items()}


# --- Attendance and quorum ----------------------------------------------------------------------


def test_attendance_gives_the_live_quorum(scene):
    meeting = held_today(scene)
    v = voting(scene)
    attend(scene, meeting, {v["state"]: P, v["local"]: R, v["etat"]: P})
    quorum = meeting_quorum(meeting)
    # DEC-QUORUM: 3 voters of 6 sit (remote counts, DEC-REMOTE): exactly half.
    assert (quorum.counted, quorum.total, quorum.reached) == (3, 6, True)
    assert invitation_of(meeting, v["local"]).attendance == R


def test_members_without_vote_do_not_make_the_quorum(scene):
    meeting = held_today(scene)
    attend(
        scene,
        meeting,
        {scene.state: P, scene.local: P, **{m.person: P for m in scene.network.values()}},
    )
    quorum = meeting_quorum(meeting)
    assert (quorum.counted, quorum.reached) == (2, False)


def test_represented_members_count_through_substitute_and_proxy(scene):
    meeting = held_today(scene)
    v = voting(scene)
    attend(
        scene,
        meeting,
        {v["state"]: P, v["dept"]: REP, v["unions"]: REP},
        substitutes={v["dept"]: scene.substitute},
        proxies={v["unions"]: v["state"]},
    )
    assert meeting_quorum(meeting).counted == 3
    unions = invitation_of(meeting, v["unions"])
    assert unions.proxy_to == invitation_of(meeting, v["state"])


def test_represented_without_a_representative_is_refused(scene):
    meeting = held_today(scene)
    v = voting(scene)
    with pytest.raises(RuleError, match="qui détient"):
        attend(scene, meeting, {v["state"]: P, v["unions"]: REP})
    assert not meeting.invitations.exclude(attendance="").exists()  # nothing saved


def test_a_second_proxy_to_the_same_holder_is_refused_at_attendance(scene):
    meeting = held_today(scene)
    v = voting(scene)
    with pytest.raises(RuleError, match="détient plus de"):
        attend(
            scene,
            meeting,
            {v["state"]: P, v["unions"]: REP, v["employers"]: REP},
            proxies={v["unions"]: v["state"], v["employers"]: v["state"]},
        )


def test_a_substitute_must_be_the_members_own(scene):
    meeting = held_today(scene)
    v = voting(scene)
    with pytest.raises(RuleError, match="suppléant"):
        attend(
            scene,
            meeting,
            {v["state"]: P, v["unions"]: REP},
            substitutes={v["unions"]: scene.substitute},
        )


def test_attendance_waits_for_the_meeting_day(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="pas encore eu lieu"):
        attend(scene, meeting, {scene.state: P})


def test_answers_suggest_the_representation(scene):
    meeting = convene(scene, make_meeting(scene))
    v = voting(scene)
    answer_convocation(
        invitation=invitation_of(meeting, v["unions"]),
        answer=Answer.PROXY,
        proxy_to=invitation_of(meeting, v["employers"]),
    )
    start(meeting)
    attend(
        scene,
        meeting,
        {v["employers"]: P, v["unions"]: REP, v["state"]: P},
        proxies={v["unions"]: v["employers"]},
    )
    assert meeting_quorum(meeting).counted == 3


def test_quorum_lost_when_members_leave(scene):
    meeting = held_today(scene)
    v = voting(scene)
    present = {v["state"]: P, v["local"]: P, v["etat"]: P, v["dept"]: P}
    attend(scene, meeting, present)
    assert meeting_quorum(meeting).reached
    attend(scene, meeting, present, left={v["etat"], v["dept"]})
    quorum = meeting_quorum(meeting)
    assert (quorum.counted, quorum.reached) == (2, False)
    assert invitation_of(meeting, v["etat"]).left_at is not None


def test_the_preview_uses_the_same_engine_without_saving(scene):
    meeting = held_today(scene)
    entries = [AttendanceEntry(invitation_id=i.pk, attendance=P) for i in meeting.invitations.all()]
    assert preview_quorum(meeting, entries).reached
    assert not meeting.invitations.exclude(attendance="").exists()


# --- Decisions ------------------------------------------------------------------------------------


def test_consensus_is_the_default(scene):
    # INS-CONSENSUS
    meeting = held_today(scene)
    v = voting(scene)
    attend(scene, meeting, {v["state"]: P, v["local"]: P, v["etat"]: P})
    item = meeting.agenda_items.first()
    decision = record_decision(
        agenda_item=item,
        user=scene.secretariat,
        text="Le comité adopte la feuille de route 2026.",
        objections="Les partenaires sociaux demandent un point d'étape en juin.",
    )
    assert decision.method == Decision.Method.CONSENSUS
    assert decision.outcome == Decision.Outcome.ADOPTED
    assert decision.quorum_reached and decision.quorum_counted == 3
    assert not decision.ballots.exists()


def test_a_consensus_without_quorum_is_recorded_with_the_warning(scene):
    meeting = held_today(scene)
    attend(scene, meeting, {scene.state: P})
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        text="Point d'information.",
    )
    assert not decision.quorum_reached


def test_an_audit_request_cannot_be_decided_by_consensus(scene):
    meeting = make_meeting(scene, items=0)
    item = add_agenda_item(meeting=meeting, title="Audit", is_audit_request=True)
    meeting = start(convene(scene, meeting))
    attend(scene, meeting, dict.fromkeys(voting(scene).values(), P))
    with pytest.raises(RuleError, match="toujours votée"):
        record_decision(
            agenda_item=item, user=scene.secretariat, text="Audit", method=Decision.Method.CONSENSUS
        )
    assert not Decision.objects.exists()
    decision = record_decision(
        agenda_item=item,
        user=scene.secretariat,
        text="Le comité demande un audit.",
        ballots=ballots(meeting, dict.fromkeys(voting(scene).values(), FOR)),
    )
    assert decision.method == Decision.Method.VOTE and decision.outcome == Decision.Outcome.ADOPTED


def test_a_weighted_vote_with_a_tie_broken_by_the_state(scene):
    meeting = held_today(scene)
    v = voting(scene)
    # The Département's member holds three votes (DEC-VOTES, set by arrêté).

    update_member(
        membership=scene.voters[Category.DEPARTEMENT],
        organisation="Conseil départemental",
        votes=3,
        mandate_end=None,
        appointment_arrete="",
    )
    meeting.invitations.filter(person=v["dept"]).update(votes=3)
    attend(scene, meeting, dict.fromkeys(v.values(), P) | {v["unions"]: R})
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Répartition du fonds départemental d'insertion.",
        ballots=ballots(
            meeting,
            {
                v["state"]: FOR,  # 1
                v["etat"]: FOR,  # 1
                v["unions"]: FOR,  # 1, remote (DEC-REMOTE)
                v["dept"]: AGAINST,  # 3
                v["local"]: ABSTAIN,  # 1, not cast
            },
        ),
    )
    assert (decision.votes_for, decision.votes_against, decision.votes_abstain) == (3, 3, 1)
    assert decision.casting_vote_used and decision.outcome == Decision.Outcome.ADOPTED
    ballot = decision.ballots.get(invitation__person=v["dept"])
    assert ballot.weight == 3 and ballot.choice == AGAINST
    assert decision.ballots.get(invitation__person=v["unions"]).participation == "à distance"


def test_all_abstain_is_not_adopted(scene):
    meeting = held_today(scene)
    v = voting(scene)
    attend(scene, meeting, dict.fromkeys(v.values(), P))
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Motion",
        ballots=ballots(meeting, dict.fromkeys(v.values(), ABSTAIN)),
    )
    assert decision.outcome == Decision.Outcome.REJECTED and decision.votes_cast == 0
    assert "Aucun suffrage" in decision.result_note


def test_a_proxy_holder_votes_for_the_member_represented(scene):
    meeting = held_today(scene)
    v = voting(scene)
    attend(
        scene,
        meeting,
        {v["state"]: P, v["local"]: P, v["unions"]: REP},
        proxies={v["unions"]: v["local"]},
    )
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Motion",
        ballots=ballots(meeting, {v["state"]: AGAINST, v["local"]: FOR, v["unions"]: FOR}),
    )
    assert decision.outcome == Decision.Outcome.ADOPTED
    participation = decision.ballots.get(invitation__person=v["unions"]).participation
    assert participation == f"pouvoir à {v['local']}"


def test_a_vote_without_quorum_is_refused_and_nothing_is_saved(scene):
    meeting = held_today(scene)
    v = voting(scene)
    attend(scene, meeting, {v["state"]: P, v["local"]: P})
    with pytest.raises(RuleError, match="le quorum n'est pas atteint"):
        record_decision(
            agenda_item=meeting.agenda_items.first(),
            user=scene.secretariat,
            method=Decision.Method.VOTE,
            text="Motion",
            ballots=ballots(meeting, {v["state"]: FOR, v["local"]: FOR}),
        )
    assert not Decision.objects.exists() and not Ballot.objects.exists()


def test_a_vote_after_the_quorum_was_lost_is_refused(scene):
    meeting = held_today(scene)
    v = voting(scene)
    present = {v["state"]: P, v["local"]: P, v["etat"]: P}
    attend(scene, meeting, present)
    first = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Premier vote",
        ballots=ballots(meeting, dict.fromkeys(present, FOR)),
    )
    assert first.quorum_reached
    attend(scene, meeting, present, left={v["etat"]})
    with pytest.raises(RuleError, match="quorum"):
        record_decision(
            agenda_item=meeting.agenda_items.last(),
            user=scene.secretariat,
            method=Decision.Method.VOTE,
            text="Second vote",
            ballots=ballots(meeting, {v["state"]: FOR, v["local"]: FOR}),
        )
    assert Decision.objects.count() == 1


def test_an_absent_member_cannot_vote(scene):
    meeting = held_today(scene)
    v = voting(scene)
    attend(scene, meeting, {v["state"]: P, v["local"]: P, v["etat"]: P})
    with pytest.raises(RuleError, match="ni présent"):
        record_decision(
            agenda_item=meeting.agenda_items.first(),
            user=scene.secretariat,
            method=Decision.Method.VOTE,
            text="Motion",
            ballots=ballots(meeting, {v["state"]: FOR, v["dept"]: FOR}),
        )


def test_a_member_without_vote_cannot_vote(scene):
    meeting = held_today(scene)
    v = voting(scene)
    ft = scene.person(Category.FRANCE_TRAVAIL)
    attend(scene, meeting, {v["state"]: P, v["local"]: P, v["etat"]: P, ft: P})
    with pytest.raises(RuleError, match="sans voix délibérative"):
        record_decision(
            agenda_item=meeting.agenda_items.first(),
            user=scene.secretariat,
            method=Decision.Method.VOTE,
            text="Motion",
            ballots=ballots(meeting, {v["state"]: FOR, ft: FOR}),
        )


def test_a_decision_needs_the_meeting_to_take_place(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="pas encore eu lieu"):
        record_decision(
            agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Trop tôt"
        )


def test_a_decision_needs_a_text(scene):
    meeting = held_today(scene)
    with pytest.raises(RuleError, match="texte"):
        record_decision(agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="  ")


# --- Follow-up actions -----------------------------------------------------------------------------


def test_a_decision_carries_follow_up_actions(scene):
    meeting = held_today(scene)
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Adopté"
    )
    owner = scene.person(Category.FRANCE_TRAVAIL)
    action = add_follow_up_action(
        decision=decision,
        description="Présenter les chiffres de l'emploi des jeunes",
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    assert action.owner == owner
    complete_action(action=action)
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    with pytest.raises(RuleError, match="déjà réalisée"):
        complete_action(action=action)


def test_an_action_owner_is_someone_convened(scene):
    meeting = held_today(scene)
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Adopté"
    )
    with pytest.raises(RuleError, match="convoquées"):
        add_follow_up_action(
            decision=decision,
            description="Action",
            owner=scene.outsider,
            due_on=timezone.localdate() + timedelta(days=3),
        )
    with pytest.raises(RuleError, match="échéance"):
        add_follow_up_action(
            decision=decision,
            description="Action",
            owner=scene.state,
            due_on=timezone.localdate() - timedelta(days=3),
        )
    assert not FollowUpAction.objects.exists()


def test_the_invitation_snapshot_keeps_the_votes_of_the_day(scene):
    meeting = held_today(scene)
    assert Invitation.objects.filter(meeting=meeting, votes__gt=0).count() == 6
