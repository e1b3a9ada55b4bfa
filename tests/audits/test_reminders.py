"""Reminders (Celery beat): overdue recommendations flagged to the CDE's secretariat, late
reports reminded to the reporting body — once per period, never twice, even when the task
runs twice or a worker dies between the claim and the send."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits.models import Recommendation, Reminder
from audits.services import reminders
from audits.services.conduct import update_recommendation
from audits.tasks import send_due_reminders
from tests.audits.world import delivered, owe, recommend, submit, today, year_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """Run the beat task as a worker would: the sends it enqueues after the commit run too."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders.delay().get()

    return run


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.queue_due_reminders(**kwargs)

    return run


@pytest.fixture
def overdue(world):
    """A delivered audit with a recommendation whose due date passed yesterday."""
    audit = delivered(world)
    recommendation = recommend(world, audit)
    # Time passes (tests only: no service moves a due date into the past).
    Recommendation.objects.filter(pk=recommendation.pk).update(due_on=today() - timedelta(days=1))
    mail.outbox.clear()
    return recommendation


def test_an_overdue_recommendation_is_flagged_to_the_cde_secretariat_once(world, overdue, beat):
    first = beat()
    second = beat()  # the beat runs twice
    assert first["created"] == 1 and second["created"] == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.secretariat.email]
    assert "Recommandation en retard" in message.subject
    assert f"/audits/{overdue.audit_id}/" in message.body
    reminder = Reminder.objects.get()
    assert reminder.sent_at and reminder.recipients == 1
    assert reminder.period == f"{today():%Y-%m}"


def test_the_next_period_reminds_again_once(world, overdue, queue):
    queue()
    next_month = (today().replace(day=1) + timedelta(days=32)).replace(day=1)
    assert len(queue(today=next_month)) == 1
    assert queue(today=next_month) == []
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_a_weekly_period_can_be_configured(world, overdue, settings):
    settings.CTE = {**settings.CTE, "AUDIT_REMINDER_PERIOD": "week"}
    reminders.queue_due_reminders()
    year, week, _ = today().isocalendar()
    assert Reminder.objects.get().period == f"{year}-W{week:02d}"


def test_a_send_delivered_twice_sends_once_and_a_dead_worker_claim_is_taken_again(world, overdue):
    # Record without sending (as if the broker lost the send).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("audits.tasks.send_reminder.apply_async", lambda *a, **k: None)
        (pk,) = reminders.queue_due_reminders()
    assert mail.outbox == []
    now = timezone.now()
    assert reminders.claim(pk, now=now)  # a worker claims it, then dies
    assert reminders.deliver(pk, now=now) == "already"
    assert reminders.sweep(now=now) == 0  # the claim is fresh
    # An hour later, the worker never finished: its claim has expired.
    Reminder.objects.filter(pk=pk).update(
        created_at=now - timedelta(hours=2), claimed_at=now - timedelta(hours=1)
    )
    assert reminders.sweep() == 1  # sent again by the sweep
    assert len(mail.outbox) == 1
    assert reminders.deliver(pk) == "already"
    assert len(mail.outbox) == 1


def test_a_recommendation_settled_before_the_send_is_skipped(world, overdue):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("audits.tasks.send_reminder.apply_async", lambda *a, **k: None)
        (pk,) = reminders.queue_due_reminders()
    update_recommendation(
        recommendation=overdue, user=world.secretariat, status="done", evidence="Fait."
    )
    assert reminders.deliver(pk) == "skipped"
    assert mail.outbox == []
    assert Reminder.objects.get().skipped


def test_nothing_is_reminded_before_the_due_date_nor_for_a_settled_one(world):
    audit = delivered(world)
    recommend(world, audit)
    assert reminders.queue_due_reminders() == []
    assert mail.outbox == []


def test_a_late_report_is_reminded_to_the_body_once_for_its_latest_late_period(world, beat):
    obligation = owe(world)
    mail.outbox.clear()
    beat()
    beat()
    reminder = Reminder.objects.get()
    late = [p for p in obligation.periods() if p.due_on < today()]
    assert reminder.period == late[-1].start.isoformat()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.ft_user.email]
    assert "Compte rendu en retard" in mail.outbox[0].subject
    # Received since: nothing more for that period; the previous late period is now the
    # latest, and is reminded once in turn.
    submit(world, obligation, start=late[-1].start)
    beat()
    beat()
    assert sorted(Reminder.objects.values_list("period", flat=True)) == [
        late[-2].start.isoformat(),
        late[-1].start.isoformat(),
    ]
    assert len(mail.outbox) == 2


def test_a_report_received_before_the_send_is_skipped(world):
    obligation = owe(world, starts_on=year_ago())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("audits.tasks.send_reminder.apply_async", lambda *a, **k: None)
        (pk,) = reminders.queue_due_reminders()
    reminder = Reminder.objects.get(pk=pk)
    submit(world, obligation, start=timezone.datetime.fromisoformat(reminder.period).date())
    assert reminders.deliver(pk) == "skipped"


def test_two_runs_racing_record_the_reminder_once(world, overdue):
    period = reminders.reminder_period(today())
    Reminder.objects.create(kind="recommendation_overdue", recommendation=overdue, period=period)
    assert reminders.queue_due_reminders() == []
    assert (
        reminders._record(kind="recommendation_overdue", recommendation=overdue, period=period)
        is None
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind="recommendation_overdue", recommendation=overdue, period=period
        )
