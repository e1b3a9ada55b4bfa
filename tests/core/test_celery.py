"""The task path: ``enqueue_on_commit`` sends a task only once the transaction has committed.

Without Redis the task runs in-process (``task_always_eager``); with Redis a real worker,
started here in a thread, executes it and its result comes back through the Redis backend.
"""

import threading

import pytest
from celery.result import AsyncResult
from celery.signals import after_task_publish, task_postrun, task_prerun
from django.db import transaction

from cte_portal.tasking import enqueue_on_commit, run_in_background, wait_for_background
from cte_portal.tasks import ping

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed():
    """(task name, return value, thread name) of every task run while the test runs."""
    runs = []

    def record(sender=None, retval=None, **kwargs):
        runs.append((sender.name, retval, threading.current_thread().name))

    task_postrun.connect(record, weak=False)
    yield runs
    task_postrun.disconnect(record)


@pytest.fixture
def published():
    """Ids of the ``cte_portal.ping`` messages sent to the broker while the test runs."""
    ids = []

    def record(sender=None, headers=None, **kwargs):
        if sender == ping.name:
            ids.append(headers["id"])

    after_task_publish.connect(record, weak=False)
    yield ids
    after_task_publish.disconnect(record)


# --- Without Redis: in-process -----------------------------------------------------------------
# The test runs inside a transaction of its own: Django's capture of on-commit callbacks stands
# for the outer commit (callbacks of a rolled-back savepoint are dropped, as in production).


def test_in_process_the_task_runs_only_once_the_transaction_commits(
    eager, executed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            enqueue_on_commit(ping.name)
            assert executed == []
        assert executed == []  # the outer transaction has not committed yet
    assert len(callbacks) == 1
    assert executed == [("cte_portal.ping", "pong", threading.current_thread().name)]


def test_in_process_a_rolled_back_transaction_runs_nothing(
    eager, executed, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(ping.name)
        raise RuntimeError("the write failed")
    assert callbacks == []
    assert executed == []


def test_in_process_a_savepoint_rolled_back_drops_its_tasks_only(
    eager, executed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(ping.name)
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(ping.name)
            raise RuntimeError("the inner write failed")
    assert len(executed) == 1


@pytest.mark.django_db(transaction=True)
def test_in_process_outside_a_transaction_the_task_runs_at_once(eager, executed):
    enqueue_on_commit(ping.name)  # autocommit: nothing to wait for
    assert [name for name, _, _ in executed] == ["cte_portal.ping"]


@pytest.mark.django_db(transaction=True)
def test_in_process_in_the_background_the_commit_does_not_wait_for_the_task(
    eager, executed, settings
):
    """The server of ``make run`` without Redis: a request that asks for a PDF answers at once,
    the task runs on the task thread after the commit."""
    settings.CTE = {**settings.CTE, "BACKGROUND_TASKS_IN_PROCESS": True}
    started, release = threading.Event(), threading.Event()

    def hold(sender=None, **kwargs):  # the task, once started, waits for the test
        started.set()
        release.wait(30)

    task_prerun.connect(hold, weak=False)
    try:
        with transaction.atomic():
            enqueue_on_commit(ping.name)
            assert not started.is_set()  # nothing before the commit
        assert started.wait(30)  # after it, on its own thread...
        assert executed == []  # ...still running while this thread goes on
        release.set()
        wait_for_background(30)
    finally:
        release.set()
        task_prerun.disconnect(hold)
    ((name, result, thread),) = executed
    assert (name, result) == ("cte_portal.ping", "pong")
    assert thread.startswith("cte-tasks") and thread != threading.current_thread().name


@pytest.mark.django_db(transaction=True)
def test_in_process_in_the_background_a_failed_task_does_not_stop_the_next(eager, executed, caplog):
    """A task that fails on the task thread is logged (its type, no message that could carry
    what a person typed) and the tasks queued after it still run."""
    run_in_background("cte_portal.no_such_task", "Mme Dupont")
    run_in_background(ping.name)
    wait_for_background(30)
    assert [name for name, _, _ in executed] == ["cte_portal.ping"]
    (failure,) = [r for r in caplog.records if "in-process task" in r.getMessage()]
    assert failure.getMessage() == "in-process task cte_portal.no_such_task failed: NotRegistered"
    assert "Dupont" not in caplog.text


# --- With Redis: a real worker ------------------------------------------------------------------
# Transactional tests: real commits, and starting a worker makes Celery's Django fix-up close
# this thread's connection, which would end a test transaction on PostgreSQL.


@pytest.mark.django_db(transaction=True)
def test_with_redis_a_worker_executes_the_task_sent_after_commit(
    celery_worker, executed, published
):
    with transaction.atomic():
        enqueue_on_commit(ping.name)
        assert published == [], "nothing reaches the broker before the commit"
    assert len(published) == 1

    result = AsyncResult(published[0], app=celery_worker.app)
    assert result.get(timeout=15) == "pong"
    assert result.successful()
    # It ran in the worker's thread, not in the test's.
    assert ("cte_portal.ping", "pong") in [(name, value) for name, value, _ in executed]
    assert all(thread != threading.current_thread().name for _, _, thread in executed)


@pytest.mark.django_db(transaction=True)
def test_with_redis_a_rolled_back_transaction_sends_nothing(celery_worker, published):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(ping.name)
        raise RuntimeError("the write failed")
    assert published == []


@pytest.mark.django_db(transaction=True)
def test_with_redis_the_worker_answers_a_remote_ping(celery_worker):
    replies = celery_worker.app.control.ping(
        destination=[celery_worker.hostname], timeout=5, limit=1
    )
    assert replies == [{celery_worker.hostname: {"ok": "pong"}}]
