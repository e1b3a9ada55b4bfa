"""Celery tasks of the regional map. Tasks take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from regional_map.exports.jobs import (
    BUILD_TASK,
    purge_old_exports,
    run_export_job,
    sweep_export_jobs,
)


@shared_task(
    name=BUILD_TASK,  # the name queued messages know: unchanged
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
)
def build_map_export(job_id: int) -> str:
    """Build the file of a regional map export job (INS-REGIONAL-MAP); safe to run twice."""
    job = run_export_job(job_id=job_id)
    return job.status if job else "skipped"


@shared_task(name="regional_map.sweep_exports")
def sweep_exports() -> int:
    """Queue again the export jobs left pending (Redis was down) or abandoned by a worker."""
    return sweep_export_jobs()


@shared_task(name="regional_map.purge_old_exports")
def purge_exports() -> int:
    """Delete the export files and jobs older than ``EXPORT_RETENTION_DAYS``."""
    return purge_old_exports()
