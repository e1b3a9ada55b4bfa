"""PDF export of a roadmap: a Celery task (enqueued on commit) renders it with WeasyPrint in
the look of the minutes; the page shows its progress and a download link."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from cte_portal.core.generations import Generation
from roadmaps.models import RoadmapExport
from roadmaps.services.exports import generate_roadmap_pdf, request_pdf_export
from roadmaps.tasks import render_roadmap_pdf
from tests.roadmaps.world import first_sheet, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to check PDF text"
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_task_renders_a_valid_pdf(world, roadmap):
    export = RoadmapExport.objects.create(roadmap=roadmap, requested_by=world.ddets69)
    assert render_roadmap_pdf.apply(args=[export.pk]).get() is True
    export.refresh_from_db()
    assert export.status == RoadmapExport.Status.DONE
    assert export.progress == 100
    path = Path(export.file.path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = pdf_text(path)
    assert "Feuille de route — CLE Villefranche Beaujolais" in text
    assert "Axe 1 — Axe 1" in text
    assert first_sheet(roadmap).title in text
    assert "document de travail, non publié" in text
    assert "Page 1 sur" in text


def test_a_published_version_renders_as_frozen(world, roadmap):
    version = publish(roadmap, world)
    export = RoadmapExport.objects.create(
        roadmap=roadmap, version=version, requested_by=world.ddets69
    )
    generate_roadmap_pdf(export_id=export.pk)
    export.refresh_from_db()
    assert "Version 1 publiée le" in pdf_text(Path(export.file.path))


def test_running_the_task_twice_does_nothing_the_second_time(world, roadmap):
    export = RoadmapExport.objects.create(roadmap=roadmap, requested_by=world.ddets69)
    assert generate_roadmap_pdf(export_id=export.pk) is not None
    name = RoadmapExport.objects.get(pk=export.pk).file.name
    assert generate_roadmap_pdf(export_id=export.pk) is None
    assert RoadmapExport.objects.get(pk=export.pk).file.name == name


def test_a_failure_is_recorded_not_raised(world, roadmap, monkeypatch):
    export = RoadmapExport.objects.create(roadmap=roadmap, requested_by=world.ddets69)

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr("roadmaps.services.exports.render_pdf", broken)
    assert generate_roadmap_pdf(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.status == RoadmapExport.Status.FAILED
    assert "OSError" in export.error


def test_requesting_enqueues_on_commit(world, roadmap, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        export = request_pdf_export(roadmap=roadmap, user=world.ddets69)
    # One task sent after the commit (the others renew the cached dashboards' generation).
    sends = [c for c in callbacks if not isinstance(getattr(c, "__self__", None), Generation)]
    assert len(sends) == 1
    export.refresh_from_db()
    assert export.status == RoadmapExport.Status.DONE


def test_the_export_page_shows_progress_then_the_download(
    client, world, roadmap, django_capture_on_commit_callbacks
):
    client.force_login(world.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roadmaps:export_request", args=[roadmap.pk]))
    export = RoadmapExport.objects.get()
    assert response.url == reverse("roadmaps:export", args=[export.pk])
    page = client.get(response.url).content.decode()
    assert "Télécharger le PDF" in page
    assert "<progress" in page
    state = client.get(reverse("roadmaps:export_status", args=[export.pk])).json()
    assert state["status"] == "done"
    assert state["download_url"] == reverse("roadmaps:export_download", args=[export.pk])
    download = client.get(state["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_pending_export_has_no_download_yet(client, world, roadmap):
    export = RoadmapExport.objects.create(roadmap=roadmap, requested_by=world.ddets69)
    client.force_login(world.ddets69)
    assert client.get(reverse("roadmaps:export_download", args=[export.pk])).status_code == 404
    assert (
        client.get(reverse("roadmaps:export_status", args=[export.pk])).json()["download_url"]
        is None
    )
