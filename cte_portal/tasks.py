from celery import shared_task

from cte_portal.tasking import deliver_pending


@shared_task(name="cte_portal.ping")
def ping() -> str:
    """Answer "pong": used by /healthz and the tests to prove a worker executes tasks."""
    return "pong"


@shared_task(name="cte_portal.deliver_pending_tasks")
def deliver_pending_tasks() -> dict:
    """Send the tasks left in the outbox while the broker was down (``cte_portal.tasking``)."""
    return deliver_pending()
