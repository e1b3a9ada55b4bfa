from celery import shared_task


@shared_task(name="roadmaps.render_roadmap_pdf")
def render_roadmap_pdf(export_id: int) -> bool:
    """Render a roadmap's PDF export (safe to run twice: the export is claimed first)."""
    from roadmaps.services.exports import generate_roadmap_pdf

    return generate_roadmap_pdf(export_id=export_id) is not None
