"""Celery tasks of the committees app. Tasks take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError


@shared_task(
    name="committees.build_map_export",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
)
def build_map_export(job_id: int) -> str:
    """Build the file of a regional map export job (INS-REGIONAL-MAP); safe to run twice."""
    from regional_map.exports.jobs import run_export_job

    job = run_export_job(job_id=job_id)
    return job.status if job else "skipped"


# Meetings: e-mails, reminders, PDF minutes (registered by importing their module).
# Nightly re-derivation of object permissions (ends dated in the future, expired mandates).
from committees.tasks import *  # noqa: E402, F401, F403
from meetings.tasks import *  # noqa: E402, F401, F403
