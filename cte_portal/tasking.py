"""Enqueue Celery tasks by name, and only once the surrounding transaction has committed.

A task that reloads rows by id must never run before those rows are visible to the worker,
and must not run at all when the transaction rolls back.

Services name the task they enqueue (``"committees.meetings.send_notification"``, kept in a
constant beside the service, which the task's decorator uses too) rather than import it:
a task module imports the services it calls, so services importing tasks would make a cycle.
Every app registers its tasks when Django starts (its ``AppConfig.ready`` imports its
``tasks`` module), so the name is always known, in the web process as in the worker.
"""

from datetime import datetime, timedelta

from celery import current_app
from django.db import transaction

from cte_portal.core.conf import cte_setting


def send_task(name: str, *args, **kwargs) -> None:
    """Send the registered task ``name`` now. Without a broker, ``CELERY_TASK_ALWAYS_EAGER``
    makes the same call run the task in-process."""
    current_app.tasks[name].apply_async(args=args, kwargs=kwargs)


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Send the task ``name`` with its arguments after the current transaction commits.

    Outside a transaction (autocommit), the task is sent at once.
    """
    transaction.on_commit(lambda: send_task(name, *args, **kwargs))


def claim_expiry(now: datetime) -> datetime:
    """Work a task claimed before this moment belongs to a worker presumed dead: another one may
    take it again (``TASK_CLAIM_SECONDS``)."""
    return now - timedelta(seconds=cte_setting("TASK_CLAIM_SECONDS"))
