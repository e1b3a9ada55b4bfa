"""Roadmap PDF exports left behind: pending ones (their task lost while Redis was down) are
queued again by a sweep; old files are purged after ``EXPORT_RETENTION_DAYS``."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from roadmaps.models import RoadmapExport
from roadmaps.services.exports import purge_old_exports, sweep_pending_exports
from roadmaps.tasks import purge_exports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def export_with_file(roadmap, user, *, days_ago: int) -> RoadmapExport:
    export = RoadmapExport.objects.create(
        roadmap=roadmap, requested_by=user, status=RoadmapExport.Status.DONE
    )
    export.file.save(f"feuille-{export.pk}.pdf", ContentFile(b"%PDF-1.7 old"), save=True)
    RoadmapExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - timedelta(days=days_ago)
    )
    return export


def test_old_pdf_exports_are_purged_with_their_files(roadmap, world, media, settings):
    settings.CTE = {**settings.CTE, "EXPORT_RETENTION_DAYS": 30}
    old = export_with_file(roadmap, world.ddets69, days_ago=45)
    recent = export_with_file(roadmap, world.ddets69, days_ago=3)
    assert (media / old.file.name).is_file()

    assert purge_exports.apply().get() == 1  # the beat task, in-process

    assert list(RoadmapExport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not (media / old.file.name).exists()
    assert (media / recent.file.name).is_file()
    assert purge_old_exports() == 0  # nothing older left


def test_a_pending_export_whose_task_was_lost_is_rendered_by_the_sweep(
    roadmap, world, eager, django_capture_on_commit_callbacks
):
    lost = RoadmapExport.objects.create(roadmap=roadmap, requested_by=world.ddets69)
    RoadmapExport.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - timedelta(minutes=20)
    )
    fresh = RoadmapExport.objects.create(roadmap=roadmap, requested_by=world.ddets69)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_pending_exports() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == RoadmapExport.Status.DONE and lost.file
    assert fresh.status == RoadmapExport.Status.PENDING
