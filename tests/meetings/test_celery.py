"""The meeting tasks on a REAL Redis with a REAL Celery worker (a thread of this process).

- a reminder is sent once when the beat task is delivered twice, and when a send task is
  delivered twice;
- a convocation is not sent when the transaction that would send it rolls back;
- the PDF of the minutes is produced by the worker, stored, and is a valid PDF whose text
  contains the decisions.

The worker consumes this run's own queue (``tests/fixtures/tasks.py``); an unreachable Redis
FAILS these tests, it never skips them.
"""

import subprocess
import time
from datetime import timedelta

import pytest
from celery.result import AsyncResult
from celery.signals import after_task_publish
from django.core import mail
from django.db import transaction

from committees.models.rules import Category
from cte_portal.celery import app as celery_app
from meetings.models import Decision, Meeting, Minutes, Notification
from meetings.services import minutes as minutes_service
from meetings.services.answers import answer_convocation
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.decisions import record_decision
from meetings.tasks import send_due_reminders, send_notification
from tests.factories.meetings import (
    Attendance,
    attend,
    build_scene,
    convene,
    drafted_minutes,
    held_today,
    invitation_of,
    make_meeting,
)

pytestmark = pytest.mark.django_db(transaction=True)

Kind = Notification.Kind


@pytest.fixture
def published():
    """(task name, id) of every message sent to the broker while the test runs."""
    messages = []

    def record(sender=None, headers=None, **kwargs):
        messages.append((sender, headers["id"]))

    after_task_publish.connect(record, weak=False)
    yield messages
    after_task_publish.disconnect(record)


def wait_for(published, name: str, count: int, timeout: float = 30) -> list:
    """Wait until ``count`` ``name`` tasks were published and have all finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ids = [task_id for sender, task_id in published if sender == name]
        if len(ids) >= count:
            return [AsyncResult(task_id, app=celery_app).get(timeout=timeout) for task_id in ids]
        time.sleep(0.1)
    raise AssertionError(f"{name}: {count} task(s) expected, {len(published)} published")


@pytest.fixture
def convened(eager, media):
    """A CDE and a meeting convened in seven days, the convocations sent (in-process)."""
    scene = build_scene()
    meeting = convene(scene, make_meeting(scene, days=7))
    # Convened long ago: the seven-day reminder is due now.
    Meeting.objects.filter(pk=meeting.pk).update(
        convened_at=meeting.convened_at - timedelta(days=10)
    )
    answer_convocation(invitation=invitation_of(meeting, scene.state), answer="present")
    mail.outbox.clear()
    return scene, meeting


def test_a_reminder_is_sent_once_when_the_tasks_are_delivered_twice(
    convened, celery_worker, published
):
    scene, meeting = convened
    pending = set(meeting.invitations.filter(answer="").values_list("person__email", flat=True))
    assert len(pending) == 8

    # The beat task delivered twice (a redelivery after a lost ack, two beats…).
    first = send_due_reminders.apply_async()
    second = send_due_reminders.apply_async()
    assert sorted([first.get(timeout=30), second.get(timeout=30)]) == [0, 8]
    results = wait_for(published, send_notification.name, 8)
    assert results == ["sent"] * 8

    # Each send task delivered a second time: nothing more goes out.
    for notification in Notification.objects.filter(kind=Kind.ANSWER_REMINDER):
        assert send_notification.apply_async(args=[notification.pk]).get(timeout=30) == "already"

    reminders = [m for m in mail.outbox if m.subject.startswith("Rappel")]
    assert sorted(m.to[0] for m in reminders) == sorted(pending)
    assert scene.state.email not in {m.to[0] for m in reminders}  # they had answered
    assert Notification.objects.filter(kind=Kind.ANSWER_REMINDER, sent_at__isnull=True).count() == 0


@pytest.fixture
def half_validated(eager, media):
    """A meeting submitted and validated by the State co-president only (in-process)."""
    scene = build_scene()
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    mail.outbox.clear()
    return scene, meeting


def test_a_convocation_is_not_sent_when_the_transaction_rolls_back(
    half_validated, celery_worker, published
):
    scene, meeting = half_validated
    with pytest.raises(RuntimeError), transaction.atomic():
        validate_meeting(meeting=meeting, user=scene.local)  # the last validation
        raise RuntimeError("the request failed after the validation")

    time.sleep(1.5)  # the time a wrongly sent task would need to run
    assert published == []
    assert mail.outbox == []
    assert not Notification.objects.filter(kind=Kind.CONVOCATION).exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PENDING_VALIDATION

    # The same validation, committed: the worker sends every convocation.
    validate_meeting(meeting=meeting, user=scene.local)
    count = meeting.invitations.count()
    assert wait_for(published, send_notification.name, count) == ["sent"] * count
    assert len([m for m in mail.outbox if m.subject.startswith("Convocation")]) == count
    assert not meeting.invitations.filter(convocation_sent_at__isnull=True).exists()


@pytest.fixture
def decided(eager, media):
    """A meeting held today with its decisions, minutes approved by the State only."""
    scene = build_scene()
    meeting = held_today(scene)
    voters = [scene.state, scene.local, scene.person(Category.STATE)]
    attend(scene, meeting, dict.fromkeys(voters, Attendance.PRESENT))
    items = list(meeting.agenda_items.all())
    record_decision(
        agenda_item=items[0],
        user=scene.secretariat,
        text="Le comité adopte la stratégie départementale d'insertion.",
    )
    record_decision(
        agenda_item=items[1],
        user=scene.secretariat,
        method=Decision.Method.VOTE,
        text="Le comité demande un audit de la mission locale.",
        ballots={invitation_of(meeting, p).pk: "for" for p in voters},
    )
    minutes = drafted_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    mail.outbox.clear()
    return scene, meeting, minutes


def test_the_worker_renders_a_valid_pdf_containing_the_decisions(decided, celery_worker, published):
    scene, meeting, minutes = decided
    minutes_service.approve_minutes(minutes=minutes, user=scene.local)  # commits: enqueued

    (result,) = wait_for(published, "committees.meetings.render_minutes_pdf", 1, timeout=60)
    assert result == "rendered"
    minutes.refresh_from_db()
    assert minutes.pdf_status == Minutes.PdfStatus.READY
    with minutes.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    text = subprocess.run(
        ["pdftotext", "-layout", minutes.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "stratégie départementale d'insertion" in text
    assert "audit de la mission locale" in text
    assert "3 voix pour" in text
    # …then e-mailed to everyone convened, by the same worker.
    count = meeting.invitations.count()
    assert wait_for(published, send_notification.name, count) == ["sent"] * count
    assert sum(1 for m in mail.outbox if m.subject.startswith("Compte rendu")) == count
