"""Enqueue Celery tasks only once the surrounding transaction has committed.

A task that reloads rows by id must never run before those rows are visible to the worker,
and must not run at all when the transaction rolls back.
"""

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task`` with its arguments after the current transaction commits.

    Outside a transaction (autocommit), the task is sent at once. When no broker is
    configured, ``CELERY_TASK_ALWAYS_EAGER`` makes the same call run the task in-process.
    """
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
