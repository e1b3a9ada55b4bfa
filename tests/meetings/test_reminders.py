"""Reminders (Celery beat) and the outbox: each reminder once, to those who still have to act;
a send claimed by a dead worker is taken again; nothing personal in the logs."""

import logging
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from committees.models.rules import Category
from meetings.models import Meeting, Notification
from meetings.services import minutes as minutes_service
from meetings.services import notifications
from meetings.services.agenda import add_agenda_item
from meetings.services.answers import answer_convocation
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.planning import cancel_meeting
from tests.factories.meetings import (
    Answer,
    convene,
    drafted_minutes,
    held_today,
    invitation_of,
    make_meeting,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def at(day, hour=8):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def reminders(kind=Kind.ANSWER_REMINDER):
    return Notification.objects.filter(kind=kind)


def run_beat(now):
    """What the beat task does, with the sends executed as the worker would."""
    created = notifications.queue_due_reminders(now=now)
    for notification in Notification.objects.filter(sent_at__isnull=True):
        notifications.deliver(notification.pk, now=now)
    return created


def test_answer_reminders_seven_and_two_days_before_to_those_who_did_not_answer(scene):
    meeting = convene(scene, make_meeting(scene, days=20))
    Notification.objects.all().update(sent_at=timezone.now())  # the convocations went out
    answer_convocation(invitation=invitation_of(meeting, scene.state), answer=Answer.PRESENT)
    pending = meeting.invitations.filter(answer="").count()
    mail.outbox.clear()

    assert run_beat(at(meeting.date - timedelta(days=8))) == 0
    assert run_beat(at(meeting.date - timedelta(days=7))) == pending
    recipients = {m.to[0] for m in mail.outbox}
    assert scene.state.email not in recipients  # they answered: not reminded
    assert len(recipients) == pending
    assert "Rappel" in mail.outbox[0].subject

    # The beat runs every hour: nothing more until two days before.
    mail.outbox.clear()
    assert run_beat(at(meeting.date - timedelta(days=7), hour=9)) == 0
    assert run_beat(at(meeting.date - timedelta(days=3))) == 0
    answer_convocation(invitation=invitation_of(meeting, scene.local), answer=Answer.REMOTE)
    assert run_beat(at(meeting.date - timedelta(days=2))) == pending - 1
    assert scene.local.email not in {m.to[0] for m in mail.outbox}
    assert set(reminders().values_list("key", flat=True)) == {"d-7", "d-2"}


def test_a_reminder_is_recorded_once_when_the_beat_task_runs_twice(scene):
    meeting = convene(scene, make_meeting(scene, days=20))
    now = at(meeting.date - timedelta(days=7))
    first = notifications.queue_due_reminders(now=now)
    second = notifications.queue_due_reminders(now=now)
    assert first == meeting.invitations.count() and second == 0
    assert reminders().count() == first


def test_a_send_delivered_twice_sends_once(scene):
    meeting = convene(scene, make_meeting(scene, days=20))
    notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=7)))
    reminder = reminders().first()
    mail.outbox.clear()
    assert notifications.deliver(reminder.pk) == "sent"
    assert notifications.deliver(reminder.pk) == "already"
    assert len(mail.outbox) == 1


def test_someone_who_answers_before_the_send_is_not_reminded(scene):
    meeting = convene(scene, make_meeting(scene, days=20))
    notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=7)))
    reminder = reminders().get(recipient=scene.state)
    answer_convocation(invitation=invitation_of(meeting, scene.state), answer=Answer.ABSENT)
    mail.outbox.clear()
    assert notifications.deliver(reminder.pk) == "skipped"
    assert mail.outbox == []


def test_no_seven_day_reminder_for_a_convocation_sent_within_seven_days(scene):
    meeting = convene(scene, make_meeting(scene, days=5))
    assert notifications.queue_due_reminders(now=timezone.now()) == 0
    assert notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=2))) > 0


def test_the_reminder_delays_are_settings(scene, settings):
    settings.CTE = {**settings.CTE, "ANSWER_REMINDER_DAYS": (10,)}
    meeting = convene(scene, make_meeting(scene, days=20))
    assert notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=7))) > 0
    assert set(reminders().values_list("key", flat=True)) == {"d-10"}


def test_no_reminder_for_a_cancelled_meeting(scene):
    meeting = convene(scene, make_meeting(scene, days=20))
    cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Report")
    assert notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=7))) == 0


def test_copresidents_whose_validation_is_pending_are_reminded(scene):
    meeting = make_meeting(scene, days=20)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    now = timezone.now() + timedelta(days=3)
    assert notifications.queue_due_reminders(now=now) == 1
    reminder = reminders(Kind.VALIDATION_REMINDER).get()
    assert reminder.recipient == scene.local and reminder.key == "v1"
    assert notifications.queue_due_reminders(now=now + timedelta(hours=1)) == 0
    # A new version asks again, and reminds again.
    add_agenda_item(meeting=meeting, title="Nouveau point")
    assert notifications.queue_due_reminders(now=now + timedelta(days=3)) == 2


def test_the_secretariat_is_reminded_of_minutes_not_drafted_after_seven_days(scene):
    meeting = held_today(scene)
    day = meeting.date
    assert notifications.queue_due_reminders(now=at(day + timedelta(days=6))) == 0
    assert notifications.queue_due_reminders(now=at(day + timedelta(days=7))) == 1
    reminder = reminders(Kind.MINUTES_DRAFT_REMINDER).get()
    assert reminder.recipient == scene.secretariat
    drafted_minutes(scene, meeting)
    assert notifications.deliver(reminder.pk) == "skipped"  # drafted meanwhile


def test_copresidents_who_have_not_approved_the_minutes_are_reminded(scene):
    meeting = held_today(scene)
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    assert notifications.queue_due_reminders(now=timezone.now() + timedelta(days=6)) == 0
    later = timezone.now() + timedelta(days=8)
    assert notifications.queue_due_reminders(now=later) == 1
    reminder = reminders(Kind.MINUTES_APPROVAL_REMINDER).get()
    assert reminder.recipient == scene.local and reminder.key == "v1"
    assert notifications.queue_due_reminders(now=later) == 0  # once per version


def test_a_send_claimed_by_a_dead_worker_is_swept_and_sent(scene):
    meeting = convene(scene, make_meeting(scene, days=20))
    notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=7)))
    reminder = reminders().first()
    assert notifications.claim(reminder.pk)  # the worker died right after its claim
    mail.outbox.clear()
    assert notifications.deliver(reminder.pk) == "already"  # the claim still holds
    # An hour later, the sweep (beat) finds the expired claim and sends again.
    Notification.objects.filter(pk=reminder.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )
    swept = notifications.sweep()
    assert swept["notifications"] >= 1
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.attempts == 2
    assert any(m.to == [reminder.recipient.email] for m in mail.outbox)


def test_a_failed_smtp_send_releases_the_claim(scene, monkeypatch):
    meeting = convene(scene, make_meeting(scene, days=20))
    notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=7)))
    reminder = reminders().first()

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(notifications.SendFailed, match="^ConnectionRefusedError$"):
        notifications.deliver(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.claimed_at is None and reminder.last_error == "ConnectionRefusedError"
    monkeypatch.undo()
    assert notifications.deliver(reminder.pk) == "sent"


def test_logs_carry_ids_not_personal_data(scene, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    meeting = make_meeting(scene)
    with django_capture_on_commit_callbacks(execute=True):
        convene(scene, meeting)
    run_beat(at(meeting.date - timedelta(days=7)))
    logs = caplog.text
    assert "notification" in logs
    for invitation in meeting.invitations.select_related("person"):
        person = invitation.person
        assert person.email not in logs
        assert person.last_name not in logs


def test_reminders_do_not_touch_other_meetings(scene):
    meeting = convene(scene, make_meeting(scene, days=30))
    other = make_meeting(scene, days=20)  # a draft: not convened
    assert other.status == Meeting.Status.DRAFT
    assert notifications.queue_due_reminders(now=at(meeting.date - timedelta(days=12))) == 0
    assert not reminders().exists()
    assert scene.person(Category.STATE)
