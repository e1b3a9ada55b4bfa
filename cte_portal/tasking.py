"""Enqueue Celery tasks by name, and only once the surrounding transaction has committed.

A task that reloads rows by id must never run before those rows are visible to the worker,
and must not run at all when the transaction rolls back.

Services name the task they enqueue (``"committees.meetings.send_notification"``, kept in a
constant beside the service, which the task's decorator uses too) rather than import it:
a task module imports the services it calls, so services importing tasks would make a cycle.
Every app registers its tasks when Django starts (its ``AppConfig.ready`` imports its
``tasks`` module), so the name is always known, in the web process as in the worker.

With a broker (Redis), ``enqueue_on_commit`` is a transactional outbox: the task is written
as a ``core.PendingTask`` row in the transaction of the action, then sent after the commit
with short timeouts and no retry. When the broker is down the action still succeeds (no hung
request, no error after the commit): the row waits in the database and ``deliver_pending``
(beat task ``cte_portal.deliver_pending_tasks``, every minute, or ``manage.py
deliver_pending_tasks``) sends it once the broker is back. A task may therefore arrive twice
(sent, then the row's deletion lost): every task of the portal claims its work first.
In-process (``CELERY_TASK_ALWAYS_EAGER``, no Redis), tasks run after the commit, no row:
in the web server of ``make run`` (``CTE["BACKGROUND_TASKS_IN_PROCESS"]``) on one background
thread, one after the other, so the request that asked for a PDF or an export answers at once
and the page shows progress as it would with a worker; elsewhere (tests, management commands)
in the calling thread, before ``on_commit`` returns.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from celery import current_app
from django.db import connections, transaction
from django.utils import timezone

from cte_portal.core.conf import cte_setting
from cte_portal.core.models import PendingTask

logger = logging.getLogger(__name__)

# A row younger than this is being sent by the request that wrote it: the sweep leaves it.
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500


def send_task(name: str, *args, **kwargs) -> None:
    """Send the registered task ``name`` now. Without a broker, ``CELERY_TASK_ALWAYS_EAGER``
    makes the same call run the task in-process."""
    current_app.tasks[name].apply_async(args=args, kwargs=kwargs)


_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()


def _run_and_close(name: str, args, kwargs) -> None:
    try:
        send_task(name, *args, **kwargs)
    except Exception as exc:  # noqa: BLE001 — one failed task never stops the next ones
        # The type only: a task's error may carry what a person typed.
        logger.error("in-process task %s failed: %s", name, type(exc).__name__)
    finally:
        connections.close_all()  # this thread's connections, not the requests'


def run_in_background(name: str, *args, **kwargs) -> Future:
    """Run the registered task ``name`` on the process's task thread (created on first use;
    Python waits for it at exit, so a task started is never cut off)."""
    global _background
    with _background_lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cte-tasks")
    return _background.submit(_run_and_close, name, args, kwargs)


def wait_for_background(timeout: float | None = None) -> None:
    """Return once every task handed to the task thread so far has run (one thread, in order:
    a no-op queued behind them finishes last)."""
    if _background is not None:
        _background.submit(lambda: None).result(timeout)


def _publish(name: str, args, kwargs) -> None:
    """One attempt, no retry: the broker's connect and socket timeouts
    (``CELERY_BROKER_TRANSPORT_OPTIONS``) bound how long it may take."""
    current_app.tasks[name].apply_async(args=list(args), kwargs=dict(kwargs), retry=False)


def _error_text(exc: BaseException) -> str:
    # The broker's errors name a host and a port, never a person; cut anyway.
    return f"{type(exc).__name__}: {exc}"[:500]


def _deliver(pk: int) -> bool | None:
    """Send the outbox row ``pk``; delete it once the broker has the task. ``False`` (and the
    row kept, with the error) when the broker could not be reached; ``None`` when the row
    names a task that no longer exists."""
    row = PendingTask.objects.filter(pk=pk).first()
    if row is None:  # already sent by a sweep
        return True
    if row.name not in current_app.tasks:
        # A task removed from the code since: kept for an operator, never blocks the others.
        PendingTask.objects.filter(pk=pk).update(
            attempts=row.attempts + 1, last_attempt_at=timezone.now(), last_error="unknown task"
        )
        logger.error("outbox row %s names an unknown task: %s", pk, row.name)
        return None
    try:
        _publish(row.name, row.args, row.kwargs)
    except Exception as exc:  # noqa: BLE001 — any broker failure leaves the task in the outbox
        PendingTask.objects.filter(pk=pk).update(
            attempts=row.attempts + 1, last_attempt_at=timezone.now(), last_error=_error_text(exc)
        )
        logger.warning(
            "task %s (outbox row %s) not sent, kept for the sweep: %s",
            row.name,
            pk,
            type(exc).__name__,
        )
        return False
    PendingTask.objects.filter(pk=pk).delete()
    return True


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Send the task ``name`` with its arguments after the current transaction commits.

    Outside a transaction (autocommit), the task is sent at once. With a broker, the task is
    first written to the outbox (``PendingTask``) in the same transaction.
    """
    if current_app.conf.task_always_eager:
        if cte_setting("BACKGROUND_TASKS_IN_PROCESS"):
            transaction.on_commit(lambda: run_in_background(name, *args, **kwargs))
        else:
            transaction.on_commit(lambda: send_task(name, *args, **kwargs))
        return
    if name not in current_app.tasks:
        raise KeyError(f"Unknown task: {name}")
    row = PendingTask.objects.create(name=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _deliver(row.pk))


def deliver_pending(*, now: datetime | None = None, grace: timedelta = SWEEP_GRACE) -> dict:
    """Send again the outbox rows the broker refused (Redis was down). Stops at the first
    failure: the broker is still down, the next sweep will try again."""
    now = now or timezone.now()
    pks = list(
        PendingTask.objects.filter(created_at__lte=now - grace).values_list("pk", flat=True)[
            :SWEEP_BATCH
        ]
    )
    sent = 0
    for pk in pks:
        outcome = _deliver(pk)
        if outcome is False:
            break
        sent += outcome is True
    left = PendingTask.objects.count()
    if pks:
        logger.info("outbox sweep: %s task(s) sent, %s waiting", sent, left)
    return {"sent": sent, "waiting": left}


def claim_expiry(now: datetime) -> datetime:
    """Work a task claimed before this moment belongs to a worker presumed dead: another one may
    take it again (``TASK_CLAIM_SECONDS``)."""
    return now - timedelta(seconds=cte_setting("TASK_CLAIM_SECONDS"))
