"""Pages of a file built in the background (``cte_portal.core.file_jobs``): its progress,
polled by the page, the download, and a retry once it failed. Someone else's job is 404; a job
whose requester may no longer read what it exports is 403."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cte_portal.core import file_jobs
from cte_portal.core.models import FileJob
from cte_portal.core.shortcuts import require


def _job(request, pk: int):
    job = get_object_or_404(FileJob.objects.for_user(request.user), pk=pk)
    spec = file_jobs.kind_of(job)
    target = spec.load(job.target_id)
    if target is None:
        raise Http404
    require(spec.may_read(request.user, target))
    return job, spec, target


def _status(job: FileJob) -> dict:
    return file_jobs.job_status(job, reverse("file_job_download", args=[job.pk]))


@never_cache
def detail(request, pk: int):
    job, spec, target = _job(request, pk)
    back = spec.back_url(target)
    return render(
        request,
        "core/file_job.html",
        {
            "title": f"Demande n° {job.pk} — {spec.describe(target)}",
            "job": job,
            "subject": spec.describe(target),
            "back_url": back,
            "status": _status(job),
            "status_url": reverse("file_job_status", args=[job.pk]),
            "refresh_url": reverse("file_job", args=[job.pk]),
            "breadcrumb": [(spec.describe(target), back), (f"Demande n° {job.pk}", None)],
        },
    )


@never_cache
def status(request, pk: int):
    job, _spec, _target = _job(request, pk)
    return JsonResponse(_status(job))


def download(request, pk: int):
    job, _spec, _target = _job(request, pk)
    if job.status != FileJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=file_jobs.CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )


@require_POST
def retry(request, pk: int):
    job, _spec, _target = _job(request, pk)
    if file_jobs.retry_file_job(job):
        messages.success(request, "La demande est relancée.")
    return redirect("file_job", pk=job.pk)
