from celery import shared_task
from django.db import DatabaseError

from cte_portal.core.file_jobs import purge_old_file_jobs, run_file_job, sweep_file_jobs
from cte_portal.tasking import deliver_pending


@shared_task(name="cte_portal.ping")
def ping() -> str:
    """Answer "pong": used by /healthz and the tests to prove a worker executes tasks."""
    return "pong"


@shared_task(name="cte_portal.deliver_pending_tasks")
def deliver_pending_tasks() -> dict:
    """Send the tasks left in the outbox while the broker was down (``cte_portal.tasking``)."""
    return deliver_pending()


@shared_task(
    name="cte_portal.build_file_job",  # cte_portal.core.file_jobs.BUILD_TASK
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
)
def build_file_job(job_id: int) -> str:
    """Build the file (PDF, XLSX) of a ``FileJob``; safe to run twice."""
    job = run_file_job(job_id=job_id)
    return job.status if job else "skipped"


@shared_task(name="cte_portal.sweep_file_jobs")
def sweep_file_jobs_task() -> int:
    """Queue again the file jobs left pending or abandoned by a worker."""
    return sweep_file_jobs()


@shared_task(name="cte_portal.purge_file_jobs")
def purge_file_jobs() -> int:
    """Delete the files and jobs older than ``EXPORT_RETENTION_DAYS``."""
    return purge_old_file_jobs()
