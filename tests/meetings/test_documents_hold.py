"""Documents that hold (issue 13): one decision per agenda item, ballots to check after the
attendance changes, minutes with blanks not approved, one quorum per vote in the PDF, the
co-presidents' refusals (DEC-JOINT). Through the services, the database and the PDF."""

import subprocess

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from committees.models.rules import Category
from cte_portal.core.errors import RuleError
from meetings.models import (
    Ballot,
    ChangeRequest,
    Decision,
    FollowUpAction,
    Meeting,
    Notification,
)
from meetings.services import minutes as minutes_service
from meetings.services import review as review_service
from meetings.services.agenda import update_agenda_item
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.decisions import (
    DecisionExists,
    confirm_ballots,
    delete_decision,
    record_decision,
)
from meetings.services.follow_up import add_follow_up_action
from meetings.services.minutes import DRAFT_BLANK, placeholders
from meetings.services.notifications import deliver
from tests.factories.meetings import (
    Attendance,
    attend,
    future_day,
    held_today,
    invitation_of,
    make_meeting,
)

pytestmark = pytest.mark.django_db

P, A = Attendance.PRESENT, Attendance.ABSENT
FOR, AGAINST = Ballot.Choice.FOR, Ballot.Choice.AGAINST


def voters(scene):
    return [
        scene.state,
        scene.local,
        scene.person(Category.STATE),
        scene.person(Category.DEPARTEMENT),
        scene.person(Category.EMPLOYEE_UNIONS),
        scene.person(Category.EMPLOYER_ORGS),
    ]


def vote(scene, meeting, item, choices: dict, *, text="Motion", replace=False):
    return record_decision(
        agenda_item=item,
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text=text,
        ballots={invitation_of(meeting, p).pk: c for p, c in choices.items()},
        replace=replace,
    )


def completed(scene, minutes):
    """The secretariat writes every summary the draft left blank."""
    return minutes_service.update_minutes(
        minutes=minutes,
        user=scene.secretariat,
        body=minutes.body.replace(DRAFT_BLANK, "les membres échangent sur le point."),
    )


def approve_by_both(scene, minutes):
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    minutes.refresh_from_db()
    return minutes


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "compte-rendu.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# --- One decision per agenda item -----------------------------------------------------------------


def test_a_second_decision_on_an_item_waits_for_confirmation(scene):
    meeting = held_today(scene)
    attend(scene, meeting, dict.fromkeys(voters(scene)[:4], P))
    item = meeting.agenda_items.first()
    first = record_decision(agenda_item=item, user=scene.secretariat, text="Plan adopté")
    with pytest.raises(DecisionExists, match="confirmez son remplacement") as refused:
        record_decision(agenda_item=item, user=scene.secretariat, text="Plan rejeté")
    assert refused.value.decision == first
    assert list(Decision.objects.values_list("text", flat=True)) == ["Plan adopté"]


def test_a_confirmed_decision_replaces_the_old_one(scene):
    meeting = held_today(scene)
    people = voters(scene)
    attend(scene, meeting, dict.fromkeys(people[:4], P))
    item = meeting.agenda_items.first()
    first = vote(scene, meeting, item, dict.fromkeys(people[:4], FOR), text="Première version")
    add_follow_up_action(
        decision=first,
        description="Diffuser la décision",
        owner=scene.state,
        due_on=future_day(10),
    )
    second = vote(
        scene,
        meeting,
        item,
        {people[0]: AGAINST, people[1]: AGAINST, people[2]: FOR},
        text="Seconde version",
        replace=True,
    )
    assert Decision.objects.filter(agenda_item=item).count() == 1
    assert second.pk == first.pk and second.text == "Seconde version"
    assert (second.votes_for, second.votes_against) == (1, 2)
    assert second.outcome == Decision.Outcome.REJECTED
    assert Ballot.objects.filter(decision=second).count() == 3
    # The follow-up actions stay with the item's decision; the history keeps the old text.
    assert FollowUpAction.objects.get().decision_id == second.pk
    assert "Première version" in set(second.history.values_list("text", flat=True))


def test_the_database_refuses_two_decisions_for_one_item(scene):
    meeting = held_today(scene)
    item = meeting.agenda_items.first()
    record_decision(agenda_item=item, user=scene.secretariat, text="Adoptée")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            meeting=meeting,
            agenda_item=item,
            method=Decision.Method.CONSENSUS,
            outcome=Decision.Outcome.ADOPTED,
            text="Contradictoire",
            recorded_by=scene.secretariat,
        )
    assert Decision.objects.filter(agenda_item=item).count() == 1


def test_a_minutes_pdf_cannot_hold_two_decisions_for_one_item(scene, tmp_path):
    meeting = held_today(scene)
    attend(scene, meeting, dict.fromkeys(voters(scene)[:4], P))
    item = meeting.agenda_items.first()
    record_decision(agenda_item=item, user=scene.secretariat, text="Ancienne décision écartée")
    minutes = minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    # The draft never copies a decision: the text cannot contradict the record.
    assert "Ancienne décision écartée" not in minutes.body
    with pytest.raises(DecisionExists):
        record_decision(agenda_item=item, user=scene.secretariat, text="Nouvelle décision")
    record_decision(
        agenda_item=item, user=scene.secretariat, text="Nouvelle décision retenue", replace=True
    )
    minutes.refresh_from_db()
    minutes = approve_by_both(scene, completed(scene, minutes))
    text = pdf_text(minutes_service.render_minutes(minutes), tmp_path)
    assert "Ancienne décision écartée" not in text
    assert text.count("Nouvelle décision retenue") == 1
    assert text.count(f"Point {item.position} — {item.title}") == 1


def test_a_wrong_decision_is_deleted_until_the_minutes_are_approved(scene):
    meeting = held_today(scene)
    items = list(meeting.agenda_items.all())
    wrong = record_decision(agenda_item=items[0], user=scene.secretariat, text="Erreur")
    delete_decision(decision=wrong)
    assert not Decision.objects.exists()
    kept = record_decision(agenda_item=items[0], user=scene.secretariat, text="Adoptée")
    minutes = minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    approve_by_both(scene, completed(scene, minutes))
    with pytest.raises(RuleError, match="approuvé"):
        delete_decision(decision=kept)
    assert Decision.objects.filter(pk=kept.pk).exists()


# --- Ballots to check after the attendance changed (DEC-QUORUM, DEC-PROXY) --------------------


def test_changing_the_attendance_after_a_vote_flags_its_ballots(scene):
    meeting = held_today(scene)
    people = voters(scene)
    present = dict.fromkeys(people[:4], P)
    attend(scene, meeting, present)
    decision = vote(scene, meeting, meeting.agenda_items.first(), dict.fromkeys(people[:4], FOR))
    assert decision.ballots_to_check_since is None
    # Recording the same attendance again changes nothing: nothing to check.
    attend(scene, meeting, present)
    decision.refresh_from_db()
    assert decision.ballots_to_check_since is None
    # A voter was in fact absent: the vote is to check.
    attend(scene, meeting, {**present, people[3]: A})
    decision.refresh_from_db()
    assert decision.ballots_to_check_since is not None


def test_a_member_leaving_after_a_vote_does_not_flag_it(scene):
    meeting = held_today(scene)
    people = voters(scene)
    present = dict.fromkeys(people[:4], P)
    attend(scene, meeting, present)
    decision = vote(scene, meeting, meeting.agenda_items.first(), dict.fromkeys(people[:4], FOR))
    attend(scene, meeting, present, left={people[3]})
    decision.refresh_from_db()
    assert decision.ballots_to_check_since is None


def test_votes_to_check_block_the_approval_until_confirmed(scene):
    meeting = held_today(scene)
    people = voters(scene)
    attend(scene, meeting, dict.fromkeys(people[:4], P))
    decision = vote(scene, meeting, meeting.agenda_items.first(), dict.fromkeys(people[:3], FOR))
    minutes = completed(
        scene, minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    )
    # people[4] arrives late: the vote is to check, and the minutes wait for it.
    attend(scene, meeting, dict.fromkeys(people[:5], P))
    with pytest.raises(RuleError, match="vérifier ce vote"):
        minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    with pytest.raises(RuleError, match="vérifier ce vote"):
        minutes_service.request_approval(minutes=minutes, user=scene.secretariat)
    checked = confirm_ballots(decision=decision, user=scene.secretariat)
    assert checked.ballots_to_check_since is None
    # DEC-QUORUM recounted on the attendance as it now stands.
    assert (checked.quorum_counted, checked.quorum_total, checked.quorum_reached) == (5, 6, True)
    minutes.refresh_from_db()
    assert approve_by_both(scene, minutes).is_approved


def test_a_vote_that_no_longer_holds_cannot_be_confirmed(scene):
    meeting = held_today(scene)
    people = voters(scene)
    attend(scene, meeting, dict.fromkeys(people[:4], P))
    item = meeting.agenda_items.first()
    decision = vote(scene, meeting, item, dict.fromkeys(people[:4], FOR))
    # A voter was absent: their ballot came from nobody sitting (DEC-MAJORITY).
    attend(scene, meeting, dict.fromkeys(people[:3], P))
    with pytest.raises(RuleError, match="Enregistrez à nouveau ce vote"):
        confirm_ballots(decision=decision, user=scene.secretariat)
    decision.refresh_from_db()
    assert decision.ballots_to_check_since is not None
    # Recording the vote again (it replaces the old one) settles it.
    again = vote(scene, meeting, item, dict.fromkeys(people[:3], FOR), replace=True)
    assert again.ballots_to_check_since is None and again.ballots.count() == 3


# --- Minutes with blanks ----------------------------------------------------------------------


def test_minutes_with_blanks_cannot_be_approved(scene):
    meeting = held_today(scene)
    record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Adoptée"
    )
    minutes = minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    assert DRAFT_BLANK in minutes.body
    with pytest.raises(RuleError, match="passages à compléter"):
        minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    with pytest.raises(RuleError, match="passages à compléter"):
        minutes_service.request_approval(minutes=minutes, user=scene.secretariat)
    assert not minutes.approvals.exists()
    minutes = completed(scene, minutes)
    assert approve_by_both(scene, minutes).is_approved


@pytest.mark.parametrize(
    "body",
    [
        "Synthèse : à compléter.",
        "Présenté par [nom du rapporteur].",
        "Montant : XXX euros.",
        "Échanges :\n…\nFin.",
        "TODO relire",
        "Synthèse : A COMPLETER",
    ],
)
def test_each_kind_of_blank_is_found(body):
    assert placeholders(body)


@pytest.mark.parametrize(
    "body",
    [
        "Les membres évoquent la mobilité, la garde d'enfants, le logement…",
        "Voir l'article R. 5311-21 du code du travail [1].",
        "Le comité adopte le plan.",
    ],
)
def test_ordinary_french_is_not_a_blank(body):
    assert placeholders(body) == []


# --- One quorum per vote in the PDF (DEC-QUORUM) --------------------------------------------------


def test_the_pdf_gives_each_vote_the_quorum_in_force_at_that_vote(scene, tmp_path):
    meeting = held_today(scene)
    people = voters(scene)
    first_item, second_item = meeting.agenda_items.all()
    attend(scene, meeting, dict.fromkeys(people[:5], P))
    vote(scene, meeting, first_item, dict.fromkeys(people[:5], FOR), text="Premier vote")
    # Two members leave; the second vote is taken with three sitting.
    attend(scene, meeting, dict.fromkeys(people[:5], P), left={people[3], people[4]})
    vote(scene, meeting, second_item, dict.fromkeys(people[:3], FOR), text="Second vote")
    minutes = completed(
        scene, minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    )
    text = " ".join(
        pdf_text(minutes_service.render_minutes(approve_by_both(scene, minutes)), tmp_path).split()
    )
    assert text.count("Quorum") == 2  # one per vote, no meeting-wide figure beside them
    first, second = text.split("Quorum lors de ce vote")[1:]
    assert "atteint, 5 membres" in first and "sur 6" in first
    assert "atteint, 3 membres" in second and "sur 6" in second


# --- Co-presidents refuse with a comment (DEC-JOINT) ------------------------------------------


def test_a_copresident_requests_changes_to_the_agenda(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    (request,) = review_service.request_agenda_changes(
        meeting=meeting, user=scene.local, comment="Ajouter un point sur la garde d'enfants."
    )
    meeting.refresh_from_db()
    assert request.copresidency == scene.local_cp and request.version == meeting.version
    assert meeting.status == Meeting.Status.PENDING_VALIDATION and meeting.convened_at is None
    # The secretariat changes the agenda: the request is treated, a new version is validated.
    update_agenda_item(item=meeting.agenda_items.first(), title="Garde d'enfants")
    request.refresh_from_db()
    meeting.refresh_from_db()
    assert request.resolved_at is not None and meeting.version == 2


def test_an_agenda_refusal_needs_a_comment_and_a_pending_copresident(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    with pytest.raises(RuleError, match="Indiquez les modifications"):
        review_service.request_agenda_changes(meeting=meeting, user=scene.local, comment="  ")
    with pytest.raises(RuleError, match="co-présidents"):
        review_service.request_agenda_changes(
            meeting=meeting, user=scene.secretariat, comment="Non"
        )
    validate_meeting(meeting=meeting, user=scene.state)
    with pytest.raises(RuleError, match="déjà validé"):
        review_service.request_agenda_changes(meeting=meeting, user=scene.state, comment="Non")
    assert not ChangeRequest.objects.exists()


def test_a_copresident_requests_changes_to_the_minutes(scene):
    meeting = held_today(scene)
    minutes = completed(
        scene, minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    )
    (request,) = review_service.request_minutes_changes(
        minutes=minutes, user=scene.state, comment="Préciser les engagements de France Travail."
    )
    assert request.subject == ChangeRequest.Subject.MINUTES
    minutes.refresh_from_db()
    assert not minutes.is_approved
    minutes_service.update_minutes(
        minutes=minutes, user=scene.secretariat, body=minutes.body + "\nFrance Travail s'engage."
    )
    request.refresh_from_db()
    assert request.resolved_at is not None


def test_approved_minutes_cannot_be_refused(scene):
    meeting = held_today(scene)
    minutes = approve_by_both(
        scene,
        completed(scene, minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)),
    )
    with pytest.raises(RuleError, match="déjà approuvé"):
        review_service.request_minutes_changes(minutes=minutes, user=scene.state, comment="Non")
    assert not ChangeRequest.objects.exists()


def test_only_copresidents_refuse_the_minutes(scene):
    meeting = held_today(scene)
    minutes = completed(
        scene, minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    )
    for user in (scene.secretariat, scene.person(Category.STATE), scene.outsider):
        with pytest.raises(RuleError, match="co-présidents"):
            review_service.request_minutes_changes(minutes=minutes, user=user, comment="Non")
    assert not ChangeRequest.objects.exists()


def _changes_mail(scene):
    """The e-mails of the change requests, delivered as the send task does."""
    outbox = Notification.objects.filter(kind=Notification.Kind.CHANGES_REQUESTED)
    assert set(outbox.values_list("recipient", flat=True)) == {scene.secretariat.pk}
    mail.outbox.clear()
    return [deliver(notification.pk) for notification in outbox], list(mail.outbox)


def test_the_secretariat_hears_of_changes_asked_to_the_agenda(scene):
    """DEC-JOINT: the secretariat receives the comment and the link, not the co-presidents."""
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    review_service.request_agenda_changes(
        meeting=meeting, user=scene.local, comment="Ajouter un point sur la garde d'enfants."
    )
    results, sent = _changes_mail(scene)
    assert results == ["sent"]
    (message,) = sent
    assert message.to == [scene.secretariat.email]
    assert "ordre du jour" in message.subject
    assert "Ajouter un point sur la garde d'enfants." in message.body
    assert f"/reunions/{meeting.pk}/#validation" in message.body


def test_changes_already_made_are_not_mailed(scene):
    """A request treated before its e-mail goes (the minutes changed) sends nothing."""
    meeting = held_today(scene)
    minutes = completed(
        scene, minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    )
    review_service.request_minutes_changes(
        minutes=minutes, user=scene.state, comment="Préciser les engagements de France Travail."
    )
    minutes_service.update_minutes(
        minutes=minutes, user=scene.secretariat, body=minutes.body + "\nFrance Travail s'engage."
    )
    results, sent = _changes_mail(scene)
    assert results == ["skipped"] and sent == []


def test_a_refused_change_request_mails_nobody(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    with pytest.raises(RuleError):
        review_service.request_agenda_changes(
            meeting=meeting, user=scene.secretariat, comment="Non"
        )
    assert not Notification.objects.filter(kind=Notification.Kind.CHANGES_REQUESTED).exists()
