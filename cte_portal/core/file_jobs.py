"""Files built in the background (PDF, XLSX): a request never builds them itself.

An app registers a *kind* once (``register``, from its ``AppConfig.ready``): how to build the
file of an object, who may read it, and what the progress page says. ``request_file_job``
records a ``FileJob`` and enqueues the build once the transaction commits
(``enqueue_on_commit``: the outbox when Redis is down); the request then redirects to the
job's page (``cte_portal.core.file_job_views``), which polls the progress and offers the
download. ``run_file_job`` claims the job with a conditional update, so that a task delivered
twice builds the file once; a failed job shows a French message and may be queued again.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from cte_portal.core.conf import cte_setting
from cte_portal.core.models import FileJob
from cte_portal.tasking import enqueue_on_commit

logger = logging.getLogger(__name__)

BUILD_TASK = "cte_portal.build_file_job"
# A job still "running" after this long was left by a worker that died: it may be reclaimed.
STALE_AFTER = timedelta(minutes=30)
# A job still pending this long lost its task: the sweep queues it again.
PENDING_RETRY_AFTER = timedelta(minutes=5)
FAILURE_MESSAGE = (
    "Le fichier n'a pas pu être établi. Réessayez ; si l'échec se répète, signalez-le à "
    "l'équipe du portail en indiquant le numéro de la demande."
)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class FileKind:
    """What an app tells the core about one kind of file.

    ``load(target_id)`` returns the exported object (``None`` when it is gone);
    ``may_read(user, obj)`` is the permission to download it (checked on every page of the
    job); ``build(obj, fmt, progress)`` returns ``(filename, bytes)``; ``describe(obj)`` the
    French subject shown on the page; ``back_url(obj)`` the page the user came from."""

    name: str
    formats: tuple[str, ...]
    load: Callable
    may_read: Callable
    build: Callable
    describe: Callable
    back_url: Callable


_KINDS: dict[str, FileKind] = {}


def register(kind: FileKind) -> None:
    _KINDS[kind.name] = kind


def kind_of(job: FileJob) -> FileKind:
    return _KINDS[job.kind]


def request_file_job(*, user, kind: str, target, fmt: str) -> FileJob:
    """Record the job and queue its build after the commit. The caller has checked that the
    user may read ``target``; every page of the job checks it again."""
    spec = _KINDS[kind]
    if fmt not in spec.formats:
        raise ValueError(f"Format inconnu : {fmt}")
    job = FileJob.objects.create(kind=kind, target_id=target.pk, format=fmt, requested_by=user)
    enqueue_on_commit(BUILD_TASK, job.pk)
    return job


def retry_file_job(job: FileJob) -> bool:
    """Queue a failed job again (its page offers it); ``False`` when it has not failed."""
    reset = FileJob.objects.filter(pk=job.pk, status=FileJob.Status.FAILED).update(
        status=FileJob.Status.PENDING, progress=0, error="", started_at=None, finished_at=None
    )
    if reset:
        enqueue_on_commit(BUILD_TASK, job.pk)
    return bool(reset)


def claim_job(model, job_id: int, *, stale_after: timedelta = STALE_AFTER) -> bool:
    """Claim the pending job ``job_id`` of ``model`` (a ``BackgroundFile``) with a conditional
    update, or one left running by a worker that died: ``False`` when another worker has it or
    it is finished (a task delivered twice builds the file once)."""
    now = timezone.now()
    Status = model.Status
    claimed = model.objects.filter(pk=job_id, status=Status.PENDING).update(
        status=Status.RUNNING, started_at=now, progress=0, error=""
    )
    if not claimed:
        # Reclaim a job whose worker died mid-way (acks_late redelivers the message).
        claimed = model.objects.filter(
            pk=job_id, status=Status.RUNNING, started_at__lt=now - stale_after
        ).update(started_at=now, progress=0)
    return bool(claimed)


def job_status(job, download_url: str) -> dict:
    """What the progress page shows and polls (``includes/_job_progress.html``)."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "finished": job.is_finished,
        "download_url": download_url if job.status == job.Status.DONE else None,
        "filename": job.filename,
        "error": job.error,
    }


def _fail(job: FileJob) -> FileJob:
    FileJob.objects.filter(pk=job.pk).update(
        status=FileJob.Status.FAILED, error=FAILURE_MESSAGE, finished_at=timezone.now()
    )
    return FileJob.objects.get(pk=job.pk)


def run_file_job(*, job_id: int) -> FileJob | None:
    """Build the file of job ``job_id``; nothing when it is done, failed or being built by
    another worker. Transient database errors put the job back in the queue's hands."""
    if not claim_job(FileJob, job_id):
        return None
    job = FileJob.objects.get(pk=job_id)
    reported = {"percent": 0}

    def progress(percent: int) -> None:
        if percent - reported["percent"] >= 5:
            reported["percent"] = percent
            FileJob.objects.filter(pk=job.pk).update(progress=min(percent, 99))

    try:
        spec = _KINDS[job.kind]
        target = spec.load(job.target_id)
        if target is None:
            return _fail(job)
        progress(10)
        name, content = spec.build(target, job.format, progress)
        job.file.save(name, ContentFile(content), save=False)
    except DatabaseError:
        FileJob.objects.filter(pk=job.pk).update(status=FileJob.Status.PENDING, progress=0)
        raise
    except Exception:
        logger.exception("File job %s (%s) failed", job.pk, job.kind)
        return _fail(job)
    FileJob.objects.filter(pk=job.pk).update(
        status=FileJob.Status.DONE, progress=100, file=job.file.name, finished_at=timezone.now()
    )
    return FileJob.objects.get(pk=job.pk)


def sweep_file_jobs(*, now=None) -> int:
    """Queue again the jobs left pending (Redis was down) or abandoned by a dead worker."""
    now = now or timezone.now()
    pks = list(
        FileJob.objects.filter(
            Q(status=FileJob.Status.PENDING, created_at__lt=now - PENDING_RETRY_AFTER)
            | Q(status=FileJob.Status.RUNNING, started_at__lt=now - STALE_AFTER)
        ).values_list("pk", flat=True)[:500]
    )
    for pk in pks:
        enqueue_on_commit(BUILD_TASK, pk)
    return len(pks)


def purge_old_file_jobs(*, now=None) -> int:
    """Delete the jobs older than ``EXPORT_RETENTION_DAYS`` and their files."""
    now = now or timezone.now()
    limit = now - timedelta(days=cte_setting("EXPORT_RETENTION_DAYS"))
    count = 0
    for job in FileJob.objects.filter(created_at__lt=limit).exclude(status=FileJob.Status.RUNNING):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
