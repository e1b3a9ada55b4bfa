"""PDF export of a roadmap or of one of its published versions, in the look of the minutes
(WeasyPrint with the Marianne font, ``pdf/base.html``), rendered by a Celery task."""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cte_portal.core.conf import cte_setting
from cte_portal.core.errors import RuleError
from cte_portal.core.pdf import render_pdf
from cte_portal.tasking import enqueue_on_commit
from roadmaps.models import Roadmap, RoadmapExport, RoadmapVersion
from roadmaps.services.versions import build_snapshot, snapshot_progress

logger = logging.getLogger(__name__)

# The Celery task that renders an export (``roadmaps.tasks``).
RENDER_TASK = "roadmaps.render_roadmap_pdf"


@transaction.atomic
def request_pdf_export(
    *, roadmap: Roadmap, user, version: RoadmapVersion | None = None
) -> RoadmapExport:
    """Queue the rendering; the page of the export shows its progress and then the link."""
    if version is not None and version.roadmap_id != roadmap.pk:
        raise RuleError("Cette version n'est pas celle de cette feuille de route.")
    export = RoadmapExport.objects.create(roadmap=roadmap, version=version, requested_by=user)
    enqueue_on_commit(RENDER_TASK, export.pk)
    return export


def _context(export: RoadmapExport) -> dict:
    roadmap = export.roadmap
    if export.version is not None:
        snapshot = export.version.snapshot
        state = f"Version {export.version.number} publiée le {export.version.published_at:%d/%m/%Y}"
    else:
        snapshot = build_snapshot(roadmap)
        state = f"État au {timezone.localtime():%d/%m/%Y} : {roadmap.get_status_display().lower()}"
        if roadmap.status != Roadmap.Status.PUBLISHED:
            state += " — document de travail, non publié"
    progress = snapshot_progress(snapshot)
    return {
        "snapshot": snapshot,
        "state": state,
        "progress": progress,
        "axes": [
            {**axis, "progress": progress["axes"].get(axis["key"])} for axis in snapshot["axes"]
        ],
        "running_title": snapshot["committee"]["name"],
        "running_subtitle": f"Feuille de route — {snapshot['title']}",
    }


def generate_roadmap_pdf(*, export_id: int) -> RoadmapExport | None:
    """Render the export once: the work is claimed by a conditional update, so a task run
    twice does nothing the second time."""
    claimed = RoadmapExport.objects.filter(
        pk=export_id, status=RoadmapExport.Status.PENDING
    ).update(status=RoadmapExport.Status.RUNNING, progress=10)
    if not claimed:
        return None
    export = RoadmapExport.objects.select_related("roadmap", "roadmap__committee", "version").get(
        pk=export_id
    )
    try:
        context = _context(export)
        RoadmapExport.objects.filter(pk=export_id).update(progress=40)
        pdf = render_pdf("roadmaps/pdf/roadmap.html", context)
    except Exception as exc:
        logger.exception("Roadmap PDF export %s failed", export_id)
        RoadmapExport.objects.filter(pk=export_id).update(
            status=RoadmapExport.Status.FAILED,
            error=f"Le document n'a pas pu être produit ({type(exc).__name__}).",
            finished_at=timezone.now(),
        )
        return None
    name = f"feuille-de-route-{export.roadmap.committee_id}-{export.pk}.pdf"
    export.file.save(name, ContentFile(pdf), save=False)
    export.status = RoadmapExport.Status.DONE
    export.progress = 100
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "progress", "finished_at"])
    return export


# An export still pending this long after its request lost its task (Redis was down, a
# message lost): the sweep queues it again.
PENDING_RETRY_AFTER = timedelta(minutes=5)


def sweep_pending_exports(*, now=None) -> int:
    """Queue again the exports left pending (``generate_roadmap_pdf`` claims an export first:
    an export queued twice is rendered once)."""
    now = now or timezone.now()
    pks = list(
        RoadmapExport.objects.filter(
            status=RoadmapExport.Status.PENDING, requested_at__lt=now - PENDING_RETRY_AFTER
        ).values_list("pk", flat=True)[:500]
    )
    for pk in pks:
        enqueue_on_commit(RENDER_TASK, pk)
    if pks:
        logger.info("roadmap exports: %s export(s) queued again", len(pks))
    return len(pks)


def purge_old_exports(*, now=None) -> int:
    """Delete the exports older than ``EXPORT_RETENTION_DAYS`` and their files."""
    now = now or timezone.now()
    limit = now - timedelta(days=cte_setting("EXPORT_RETENTION_DAYS"))
    count = 0
    for export in RoadmapExport.objects.filter(requested_at__lt=limit).exclude(
        status=RoadmapExport.Status.RUNNING
    ):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    if count:
        logger.info("roadmap exports: %s old export(s) purged", count)
    return count
