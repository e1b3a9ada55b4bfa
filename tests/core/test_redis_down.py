"""Redis down (a real fault: the Celery app pointed at a closed port). An action still answers
at once and its data is saved; its task waits in the database (``core.PendingTask``, the
outbox of ``cte_portal.tasking``) and the sweep delivers it to a real worker once Redis is back.
"""

import time
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from cte_portal.celery import app as celery_app
from cte_portal.core.models import PendingTask
from cte_portal.tasking import deliver_pending, enqueue_on_commit
from cte_portal.tasks import ping
from regional_map.exports.jobs import BUILD_TASK
from regional_map.models import ExportJob
from tests.factories.committees import dreets_agent
from tests.fixtures.tasks import reconfigure_celery
from tests.regional_map.scenario import scenario

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens there: connection refused


@contextmanager
def redis_down():
    """The project's Celery app, with the project's timeouts, on a broker that is down."""
    previous = reconfigure_celery(
        celery_app,
        broker_url=CLOSED,
        result_backend=CLOSED,
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        result_backend_transport_options=settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS,
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        task_always_eager=False,
    )
    try:
        yield
    finally:
        reconfigure_celery(celery_app, **previous)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def wait_until(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_an_action_survives_redis_down_and_its_task_runs_once_redis_is_back(client, request):
    s = scenario()
    dreets = dreets_agent(s.t.ara)
    client.force_login(dreets)

    with redis_down():
        started = time.monotonic()
        response = client.post(
            reverse("regional_map:region_export", args=["84"]), {"format": "xlsx"}
        )
        elapsed = time.monotonic() - started
        # Pages keep working too.
        assert client.get(reverse("regional_map:region", args=["84"])).status_code == 200

    # The normal answer, at once: no 500 after the commit, no hung request.
    assert response.status_code == 302
    assert elapsed < 10
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("regional_map:export", args=[job.pk])
    assert job.status == ExportJob.Status.PENDING
    # The task waits in PostgreSQL, with the broker's error (no personal data).
    row = PendingTask.objects.get()
    assert (row.name, row.args, row.kwargs, row.attempts) == (BUILD_TASK, [job.pk], {}, 1)
    assert row.last_error and row.last_attempt_at
    assert dreets.email not in row.last_error

    # Still down: the sweep keeps the row and counts the attempt.
    with redis_down():
        assert deliver_pending(grace=timedelta(0)) == {"sent": 0, "waiting": 1}
    assert PendingTask.objects.get().attempts == 2

    # Redis is back, with a real worker on this run's queue: the sweep sends the task.
    worker = request.getfixturevalue("celery_worker")
    assert worker is not None
    out = StringIO()
    call_command("deliver_pending_tasks", "--all", stdout=out)
    assert "1 tâche(s) envoyée(s), 0 en attente." in out.getvalue()
    assert not PendingTask.objects.exists()
    assert wait_until(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE)
    job.refresh_from_db()
    assert job.file and job.filename.endswith(".xlsx")


def test_a_task_sent_at_once_leaves_no_row(celery_worker):
    with transaction.atomic():
        enqueue_on_commit(ping.name)
        # Written in the action's transaction, sent only after the commit.
        assert PendingTask.objects.filter(name=ping.name).count() == 1
    assert not PendingTask.objects.exists()


def test_a_rolled_back_action_leaves_no_task_waiting():
    with redis_down():
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(ping.name)
            raise RuntimeError("the write failed")
        assert not PendingTask.objects.exists()


def test_the_sweep_leaves_the_rows_the_request_is_still_sending():
    with redis_down():
        with transaction.atomic():
            enqueue_on_commit(ping.name)
        assert PendingTask.objects.get().attempts == 1
        # Just written: the default sweep waits for the grace delay.
        assert deliver_pending() == {"sent": 0, "waiting": 1}
        assert PendingTask.objects.get().attempts == 1


def test_in_process_mode_runs_the_task_and_writes_no_row(eager):
    runs = []
    with transaction.atomic():
        enqueue_on_commit(ping.name)
    runs.append(PendingTask.objects.count())
    assert runs == [0]


def test_an_unknown_task_is_refused_before_anything_is_written():
    with redis_down(), pytest.raises(KeyError), transaction.atomic():
        enqueue_on_commit("cte_portal.no_such_task")
    assert not PendingTask.objects.exists()


def test_a_row_naming_a_removed_task_does_not_block_the_others(celery_on_redis):
    PendingTask.objects.create(name="cte_portal.removed_since", args=[1])
    PendingTask.objects.create(name=ping.name)
    assert deliver_pending(grace=timedelta(0)) == {"sent": 1, "waiting": 1}
    left = PendingTask.objects.get()
    assert (left.name, left.attempts, left.last_error) == (
        "cte_portal.removed_since",
        1,
        "unknown task",
    )
