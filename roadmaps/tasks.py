"""Celery tasks of the roadmaps. Tasks take ids and call a service."""

from celery import shared_task

from roadmaps.services.exports import (
    RENDER_TASK,
    generate_roadmap_pdf,
    purge_old_exports,
    sweep_pending_exports,
)


@shared_task(name=RENDER_TASK)
def render_roadmap_pdf(export_id: int) -> bool:
    """Render a roadmap's PDF export (safe to run twice: the export is claimed first)."""
    return generate_roadmap_pdf(export_id=export_id) is not None


@shared_task(name="roadmaps.sweep_exports")
def sweep_exports() -> int:
    """Queue again the PDF exports left pending (Redis was down, a message lost)."""
    return sweep_pending_exports()


@shared_task(name="roadmaps.purge_old_exports")
def purge_exports() -> int:
    """Delete the PDF exports and files older than ``EXPORT_RETENTION_DAYS``."""
    return purge_old_exports()
