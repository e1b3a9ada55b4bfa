"""Celery tasks of the roadmaps. Tasks take ids and call a service."""

from celery import shared_task

from roadmaps.services.exports import RENDER_TASK, generate_roadmap_pdf


@shared_task(name=RENDER_TASK)
def render_roadmap_pdf(export_id: int) -> bool:
    """Render a roadmap's PDF export (safe to run twice: the export is claimed first)."""
    return generate_roadmap_pdf(export_id=export_id) is not None
