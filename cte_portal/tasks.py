from celery import shared_task


@shared_task(name="cte_portal.ping")
def ping() -> str:
    """Answer "pong": used by /healthz and the tests to prove a worker executes tasks."""
    return "pong"
