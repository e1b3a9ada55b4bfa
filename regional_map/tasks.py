"""Celery tasks of the regional map. Tasks take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from regional_map.exports.jobs import BUILD_TASK, run_export_job


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
