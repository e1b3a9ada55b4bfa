"""Minutes: drafted from the meeting, approved by each co-president (an edit resets the
approvals), rendered as a PDF by a task, stored and e-mailed; failures retried and reported."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from committees.models.rules import Category
from committees.services.composition import set_delegate
from cte_portal.core.errors import RuleError
from meetings.models import Ballot, Decision, Minutes, MinutesApproval, Notification
from meetings.selectors import pending_approvals, stuck_minutes
from meetings.services import minutes as minutes_service
from meetings.services.decisions import record_decision
from meetings.services.follow_up import add_follow_up_action
from meetings.services.notifications import deliver
from meetings.tasks import render_minutes_pdf
from tests.factories.meetings import (
    Attendance,
    attend,
    convene,
    drafted_minutes,
    held_today,
    invitation_of,
    make_meeting,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

P = Attendance.PRESENT


def decided_meeting(scene):
    meeting = held_today(scene)
    voters = [
        scene.state,
        scene.local,
        scene.person(Category.STATE),
        scene.person(Category.EMPLOYER_ORGS),
    ]
    attend(scene, meeting, dict.fromkeys(voters, P))
    items = list(meeting.agenda_items.all())
    record_decision(
        agenda_item=items[0],
        user=scene.secretariat,
        text="Le comité adopte le plan d'action pour l'emploi des jeunes.",
    )
    record_decision(
        agenda_item=items[1],
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Le comité demande une étude sur la mobilité.",
        ballots={invitation_of(meeting, p).pk: "for" for p in voters[:3]}
        | {invitation_of(meeting, voters[3]).pk: "against"},
    )
    return meeting


def approve_by_both(scene, minutes):
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    minutes.refresh_from_db()
    return minutes


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_draft_is_built_from_the_meeting(scene):
    meeting = decided_meeting(scene)
    minutes = minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    assert meeting.title in minutes.body
    for item in meeting.agenda_items.all():
        assert f"{item.position}. {item.title}" in minutes.body
    # One summary to write per item; the decisions, votes and quorum are never copied into
    # the text: the page and the PDF read them from the meeting (one decision per item).
    assert minutes.body.count(minutes_service.DRAFT_BLANK) == meeting.agenda_items.count()
    assert "emploi des jeunes" not in minutes.body and "voix pour" not in minutes.body
    assert "Quorum" not in minutes.body
    assert minutes.version == 1 and not minutes.is_approved


def test_minutes_wait_for_the_meeting(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="pas encore eu lieu"):
        minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    assert not Minutes.objects.exists()


def test_minutes_are_drafted_once(scene):
    meeting = decided_meeting(scene)
    minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    with pytest.raises(RuleError, match="déjà rédigé"):
        minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)


def test_each_copresident_approves(scene):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    minutes.refresh_from_db()
    assert not minutes.is_approved
    assert [cp.pk for cp in pending_approvals(minutes)] == [scene.local_cp.pk]
    with pytest.raises(RuleError, match="déjà approuvé"):
        minutes_service.approve_minutes(minutes=minutes, user=scene.state)


def test_only_copresidents_approve(scene):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    for user in (scene.secretariat, scene.person(Category.STATE), scene.outsider):
        with pytest.raises(RuleError, match="co-présidents"):
            minutes_service.approve_minutes(minutes=minutes, user=user)
    assert not MinutesApproval.objects.exists()


def test_a_delegate_approves_for_their_copresident(scene):
    delegate = UserFactory(email="delegue@rhone.fr")
    set_delegate(copresidency=scene.local_cp, delegate=delegate)
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    (approval,) = minutes_service.approve_minutes(minutes=minutes, user=delegate)
    assert approval.copresidency == scene.local_cp


def test_an_edit_after_an_approval_resets_the_approvals(scene):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.update_minutes(
        minutes=minutes, user=scene.secretariat, body="Avant approbation"
    )
    minutes.refresh_from_db()
    assert minutes.version == 1  # no approval yet: nothing to reset
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    minutes_service.update_minutes(minutes=minutes, user=scene.secretariat, body="Corrigé")
    minutes.refresh_from_db()
    assert minutes.version == 2
    assert len(pending_approvals(minutes)) == 2
    # The State co-president approves the new version again.
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)


def test_a_change_to_the_meetings_record_resets_the_approvals(scene):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        text="Ajout",
        replace=True,
    )
    minutes.refresh_from_db()
    assert minutes.version == 2


def test_approved_minutes_freeze_the_meeting_record(scene):
    meeting = decided_meeting(scene)
    minutes = approve_by_both(scene, drafted_minutes(scene, meeting))
    with pytest.raises(RuleError, match="approuvé"):
        record_decision(
            agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Trop tard"
        )
    with pytest.raises(RuleError, match="approuvé"):
        attend(scene, meeting, {scene.state: P})
    with pytest.raises(RuleError, match="approuvé"):
        minutes_service.update_minutes(minutes=minutes, user=scene.secretariat, body="Non")


def test_approval_renders_stores_and_sends_the_pdf(scene, django_capture_on_commit_callbacks):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    # The render ran after the commit; its e-mails after its own commit.
    assert len(callbacks) >= 1
    minutes.refresh_from_db()
    assert minutes.is_approved and minutes.pdf_status == Minutes.PdfStatus.READY
    assert minutes.pdf_version == minutes.version and minutes.pdf_attempts == 1
    with minutes.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    text = pdf_text(minutes.pdf.path)
    assert "emploi des jeunes" in text
    assert "étude sur la mobilité" in text
    assert "CDE du Rhône" in text  # the running header, on every page
    assert "Page 1 sur" in text


def _flat_pdf_text(content: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    # One line of words: a name may wrap at its hyphen or between two lines.
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def test_the_pdf_names_who_attended_how_and_every_ballot(scene):
    """The attendance and each voter's ballot are lines of text grouped by status and by
    choice (issue 15: no table to lay out); every name, representation and weight is there."""
    meeting = held_today(scene)
    state_member = scene.person(Category.STATE)
    dept = scene.person(Category.DEPARTEMENT)
    unions = scene.person(Category.EMPLOYEE_UNIONS)
    employers = scene.person(Category.EMPLOYER_ORGS)
    france_travail = scene.person(Category.FRANCE_TRAVAIL)
    attend(
        scene,
        meeting,
        {
            scene.state: P,
            scene.local: Attendance.REMOTE,
            dept: Attendance.REPRESENTED,
            unions: Attendance.REPRESENTED,
            employers: P,
            france_travail: P,
            state_member: Attendance.EXCUSED,
        },
        substitutes={dept: scene.substitute},
        proxies={unions: employers},
    )
    choices = {
        scene.state: Ballot.Choice.FOR,
        scene.local: Ballot.Choice.FOR,
        employers: Ballot.Choice.FOR,
        dept: Ballot.Choice.AGAINST,
        unions: Ballot.Choice.ABSTAIN,
    }
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(),
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Le comité adopte la feuille de route.",
        ballots={invitation_of(meeting, person).pk: choice for person, choice in choices.items()},
    )
    add_follow_up_action(
        decision=decision,
        description="Publier la feuille de route",
        owner=employers,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    minutes = approve_by_both(scene, drafted_minutes(scene, meeting))

    text = _flat_pdf_text(minutes_service.render_minutes(minutes))

    attendance = text.split("Présences", 1)[1].split("Ordre du jour", 1)[0]
    assert "Présent (3)" in attendance and "À distance (1)" in attendance
    assert "Représenté (2)" in attendance and "Excusé (1)" in attendance
    for invitation in meeting.invitations.exclude(attendance=""):
        assert invitation.person.get_full_name() in attendance
    substitute = scene.substitute.person.get_full_name()
    assert f"représenté par son suppléant {substitute}" in attendance
    assert f"pouvoir à {employers.get_full_name()}" in attendance

    ballots = text.split("Quorum lors de ce vote", 1)[1].split("Action de suivi", 1)[0]
    segments = dict(re.findall(r"(Pour|Contre|Abstention) \((\d+ voix)\) : ", ballots))
    assert segments == {"Pour": "3 voix", "Contre": "1 voix", "Abstention": "1 voix"}
    by_choice = dict(
        zip(
            ("Pour", "Contre", "Abstention"),
            re.split(r"(?:Pour|Contre|Abstention) \(\d+ voix\) : ", ballots)[1:],
            strict=True,
        )
    )
    label = dict(Ballot.Choice.choices)
    for ballot in decision.ballots.select_related("invitation__person"):
        group = by_choice[label[ballot.choice]]
        assert ballot.invitation.person.get_full_name() in group
        if ballot.participation != "présent":
            assert ballot.participation in group
    assert "Publier la feuille de route" in text and "Action de suivi" in text


def test_the_pdf_is_emailed_to_the_people_convened(scene, django_capture_on_commit_callbacks):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    # The distribution e-mails are queued by the render, itself run on commit.
    notifications = Notification.objects.filter(kind=Notification.Kind.MINUTES)
    assert notifications.count() == meeting.invitations.count()

    for notification in notifications.filter(sent_at__isnull=True):
        deliver(notification.pk)
    assert len(mail.outbox) == meeting.invitations.count()
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_a_failed_rendering_is_retried_then_reported(scene, monkeypatch, settings):
    calls = []

    def broken(minutes):
        calls.append(minutes.pk)
        raise OSError("disque plein")

    monkeypatch.setattr(minutes_service, "render_minutes", broken)
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)

    minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    render_minutes_pdf.apply(args=[minutes.pk])  # eager: retries run at once
    minutes.refresh_from_db()
    assert len(calls) == settings.CTE["PDF_MAX_ATTEMPTS"]
    assert minutes.pdf_status == Minutes.PdfStatus.FAILED
    assert minutes.pdf_error == "OSError"  # the type only: no personal data
    report = Notification.objects.get(kind=Notification.Kind.PDF_FAILED)
    assert report.recipient == scene.secretariat

    # Never lost: the secretariat starts it again, and it renders.
    monkeypatch.undo()
    minutes_service.retry_pdf(minutes=minutes, user=scene.secretariat)
    assert render_minutes_pdf.apply(args=[minutes.pk]).get() == "rendered"
    minutes.refresh_from_db()
    assert minutes.pdf_status == Minutes.PdfStatus.READY


def test_a_rendering_runs_once_even_if_the_task_is_delivered_twice(scene):

    meeting = decided_meeting(scene)
    minutes = approve_by_both(scene, drafted_minutes(scene, meeting))
    assert render_minutes_pdf.apply(args=[minutes.pk]).get() == "rendered"
    assert render_minutes_pdf.apply(args=[minutes.pk]).get() == "already"
    assert Notification.objects.filter(kind=Notification.Kind.MINUTES).count() == (
        meeting.invitations.count()
    )


def test_a_rendering_left_by_a_dead_worker_is_taken_again(scene):

    meeting = decided_meeting(scene)
    minutes = approve_by_both(scene, drafted_minutes(scene, meeting))
    assert minutes_service.claim_pdf(minutes.pk)  # the worker died after its claim
    assert not minutes_service.claim_pdf(minutes.pk)  # a second delivery waits
    later = timezone.now() + timedelta(hours=1)
    assert list(stuck_minutes(now=later)) == [minutes]
    assert minutes_service.render_and_store(minutes.pk, now=later) == "rendered"


def test_approval_requests_go_to_the_copresidents_who_have_not_approved(
    scene, django_capture_on_commit_callbacks
):
    meeting = decided_meeting(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        minutes_service.request_approval(minutes=minutes, user=scene.secretariat)
    assert [m.to for m in mail.outbox] == [[scene.local.email]]
