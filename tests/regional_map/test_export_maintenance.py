"""Export jobs of the regional map left behind: pending ones (their task lost while Redis was
down) are queued again by a sweep; old files are purged after ``EXPORT_RETENTION_DAYS``."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from regional_map.exports.jobs import purge_old_exports, sweep_export_jobs
from regional_map.models import ExportJob
from regional_map.tasks import purge_exports
from tests.factories.committees import dreets_agent
from tests.regional_map.scenario import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def s(db):
    return scenario()


def job_with_file(user, region, *, days_ago: int) -> ExportJob:
    job = ExportJob.objects.create(
        kind="regional_map",
        format="csv",
        region=region,
        requested_by=user,
        status=ExportJob.Status.DONE,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    job.file.save(f"export-{job.pk}.zip", ContentFile(b"PK old export"), save=True)
    return job


def test_old_export_files_and_jobs_are_purged_recent_ones_kept(s, media, settings):
    settings.CTE = {**settings.CTE, "EXPORT_RETENTION_DAYS": 30}
    dreets = dreets_agent(s.t.ara)
    old = job_with_file(dreets, s.t.ara, days_ago=31)
    recent = job_with_file(dreets, s.t.ara, days_ago=29)
    old_path, recent_path = old.file.path, recent.file.path
    assert (media / old.file.name).is_file()

    assert purge_exports.apply().get() == 1  # the beat task, in-process

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not (media / old.file.name).exists()
    assert old_path != recent_path and (media / recent.file.name).is_file()
    assert purge_old_exports() == 0


def test_the_retention_is_a_setting(s, media, settings):
    dreets = dreets_agent(s.t.ara)
    job = job_with_file(dreets, s.t.ara, days_ago=8)
    settings.CTE = {**settings.CTE, "EXPORT_RETENTION_DAYS": 10}
    assert purge_old_exports() == 0
    settings.CTE = {**settings.CTE, "EXPORT_RETENTION_DAYS": 7}
    assert purge_old_exports() == 1
    assert not (media / job.file.name).exists()


def test_a_pending_job_whose_task_was_lost_is_built_by_the_sweep(
    s, eager, django_capture_on_commit_callbacks
):
    dreets = dreets_agent(s.t.ara)
    lost = ExportJob.objects.create(
        kind="regional_map",
        format="xlsx",
        region=s.t.ara,
        requested_by=dreets,
        created_at=timezone.now() - timedelta(minutes=20),
    )
    fresh = ExportJob.objects.create(
        kind="regional_map", format="xlsx", region=s.t.ara, requested_by=dreets
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_export_jobs() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == ExportJob.Status.DONE and lost.file
    assert fresh.status == ExportJob.Status.PENDING  # its own task is on its way
