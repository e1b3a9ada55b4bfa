"""Export jobs of the regional map: requested by a view, built by a Celery task.

``request_map_export`` records the job and enqueues the task once the transaction commits;
``run_export_job`` (what the task calls) claims the job with a conditional update, so that a
task delivered twice builds the file once, reports progress, and stores the file or the error.
"""

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from cte_portal.core.conf import cte_setting
from cte_portal.core.file_jobs import claim_job
from cte_portal.tasking import enqueue_on_commit
from regional_map.exports.builder import ExportScope, build_export, filename
from regional_map.models import ExportJob
from territories.models import Departement, Region

logger = logging.getLogger(__name__)

# A job still "running" after this long was left by a worker that died: it may be reclaimed.
STALE_AFTER = timedelta(minutes=30)
FAILURE_MESSAGE = (
    "L'export n'a pas pu être établi. Réessayez ; si l'échec se répète, signalez-le à "
    "l'équipe du portail en indiquant le numéro de l'export."
)


# The Celery task that builds a job (``regional_map.tasks``); its name predates the app.
BUILD_TASK = "committees.build_map_export"


def request_map_export(
    *, user, fmt: str, region: Region | None = None, departement: Departement | None = None
) -> ExportJob:
    """INS-REGIONAL-MAP: queue the export of a region, a département's part of it, or France.

    Callers check ``can_view_regional_map`` / ``can_export_departement`` /
    ``can_view_national_map`` first; the download view checks them again.
    """
    if fmt not in ExportJob.Format.values:
        raise ValueError(f"Format d'export inconnu : {fmt}")
    if departement is not None:
        region = departement.region
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.REGIONAL_MAP,
        format=fmt,
        region=region,
        departement=departement,
        requested_by=user,
    )
    enqueue_on_commit(BUILD_TASK, job.pk)
    return job


def _claim(job_id: int) -> ExportJob | None:
    if not claim_job(ExportJob, job_id, stale_after=STALE_AFTER):
        return None
    return ExportJob.objects.select_related("region", "departement__region").get(pk=job_id)


def run_export_job(*, job_id: int) -> ExportJob | None:
    """Build the file of job ``job_id``; do nothing when it is done, failed or being built
    by another worker. Transient database errors put the job back in the queue's hands."""
    job = _claim(job_id)
    if job is None:
        return None
    reported = {"percent": 0}

    def progress(percent: int) -> None:
        # One small UPDATE per step of at least 5 %: the progress page polls this.
        if percent - reported["percent"] >= 5 or percent == 100:
            reported["percent"] = percent
            ExportJob.objects.filter(pk=job.pk).update(progress=min(percent, 99))

    scope = ExportScope(region=job.region, departement=job.departement)
    try:
        with tempfile.TemporaryDirectory(prefix="cte-export-") as folder:
            path = Path(folder) / filename(scope, job.format)
            build_export(scope=scope, fmt=job.format, path=path, progress=progress)
            with path.open("rb") as handle:
                job.file.save(path.name, File(handle), save=False)
    except DatabaseError:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.PENDING, progress=0)
        raise
    except Exception:
        logger.exception("Regional map export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=FAILURE_MESSAGE, finished_at=timezone.now()
        )
        return ExportJob.objects.get(pk=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, progress=100, file=job.file.name, finished_at=timezone.now()
    )
    return ExportJob.objects.get(pk=job.pk)


# A job still pending this long after its request lost its task (Redis was down, a message
# lost): the sweep queues it again.
PENDING_RETRY_AFTER = timedelta(minutes=5)


def sweep_export_jobs(*, now=None) -> int:
    """Queue again the jobs left pending, and those whose worker died while building them
    (``run_export_job`` claims a job first: a job queued twice is built once)."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(
        Q(status=ExportJob.Status.PENDING, created_at__lt=now - PENDING_RETRY_AFTER)
        | Q(status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)[:500]
    pks = list(stale)
    for pk in pks:
        enqueue_on_commit(BUILD_TASK, pk)
    if pks:
        logger.info("regional map exports: %s job(s) queued again", len(pks))
    return len(pks)


def purge_old_exports(*, now=None) -> int:
    """Delete the jobs older than ``EXPORT_RETENTION_DAYS`` and their files."""
    now = now or timezone.now()
    limit = now - timedelta(days=cte_setting("EXPORT_RETENTION_DAYS"))
    count = 0
    for job in ExportJob.objects.filter(created_at__lt=limit).exclude(
        status=ExportJob.Status.RUNNING
    ):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    if count:
        logger.info("regional map exports: %s old job(s) purged", count)
    return count
