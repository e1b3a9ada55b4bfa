"""The offer map exports (XLSX, PDF) of a conference are built by a task, never in the request
(INS-FUNDERS): the request redirects to a progress page; the file goes to whom reads the
conference only; a failed job says so in French and can be queued again."""

import io
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cte_portal.core.file_jobs import (
    FAILURE_MESSAGE,
    purge_old_file_jobs,
    run_file_job,
    sweep_file_jobs,
)
from cte_portal.core.models import FileJob
from funders.file_jobs import OFFER_MAP
from tests.clients import login
from tests.file_jobs import download, request_file, status_code
from tests.funders.world import line


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _export_url(conference, fmt):
    return reverse("funders:export", args=[conference.pk, fmt])


def test_the_xlsx_export_is_built_by_the_task_and_opens(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks
):
    line(cde_conference, funders["state"], scheme="Parcours emploi compétences")
    login(client, world.member)
    job = request_file(
        client, _export_url(cde_conference, "xlsx"), django_capture_on_commit_callbacks
    )
    assert (job.kind, job.status, job.progress, job.requested_by) == (
        OFFER_MAP,
        FileJob.Status.DONE,
        100,
        world.member,
    )
    assert job.filename.endswith(".xlsx") and job.finished_at
    workbook = load_workbook(io.BytesIO(download(client, job)), read_only=True)
    cells = {
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    }
    assert "Parcours emploi compétences" in cells


def test_the_pdf_export_is_built_by_the_task_and_reads(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks, tmp_path
):
    line(cde_conference, funders["state"], scheme="Parcours emploi compétences")
    login(client, world.member)
    job = request_file(
        client, _export_url(cde_conference, "pdf"), django_capture_on_commit_callbacks
    )
    content = download(client, job)
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "offre.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Parcours emploi compétences" in text


def test_the_progress_page_then_offers_the_download(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks
):
    login(client, world.member)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_export_url(cde_conference, "xlsx"))
    job = FileJob.objects.latest("pk")
    page = client.get(reverse("file_job", args=[job.pk])).content.decode()
    assert "En attente : 0 %" in page and "Actualiser" in page
    assert reverse("file_job_download", args=[job.pk]) not in page
    assert client.get(reverse("file_job_status", args=[job.pk])).json()["status"] == "pending"
    assert status_code(client, reverse("file_job_download", args=[job.pk])) == 404
    for callback in callbacks:
        callback()
    page = client.get(reverse("file_job", args=[job.pk])).content.decode()
    assert reverse("file_job_download", args=[job.pk]) in page
    state = client.get(reverse("file_job_status", args=[job.pk])).json()
    assert (state["status"], state["progress"], state["finished"]) == ("done", 100, True)


def test_an_unknown_format_or_a_get_queues_nothing(client, world, cde_conference):
    login(client, world.member)
    assert client.get(_export_url(cde_conference, "xlsx")).status_code == 405
    assert (
        client.post(f"/financeurs/conferences/{cde_conference.pk}/export.docx").status_code == 404
    )
    assert not FileJob.objects.exists()


def test_who_does_not_read_the_conference_may_neither_export_nor_download(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks
):
    login(client, world.member)
    job = request_file(
        client, _export_url(cde_conference, "xlsx"), django_capture_on_commit_callbacks
    )
    pages = [
        reverse(name, args=[job.pk])
        for name in ("file_job", "file_job_status", "file_job_download")
    ]
    # Someone else's job: 404, whoever they are; the export itself: 404 out of scope.
    login(client, world.outsider)
    assert client.post(_export_url(cde_conference, "pdf")).status_code == 404
    for url in pages:
        assert status_code(client, url) == 404, url
    login(client, world.ddets69)
    for url in pages:
        assert status_code(client, url) == 404, url
    # Signed out: to the login page, never the file.
    client.logout()
    assert status_code(client, pages[2]) == 302
    assert FileJob.objects.count() == 1


def test_a_requester_who_lost_the_right_to_read_gets_403(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks
):
    login(client, world.member)
    job = request_file(
        client, _export_url(cde_conference, "xlsx"), django_capture_on_commit_callbacks
    )
    FileJob.objects.filter(pk=job.pk).update(requested_by=world.outsider)
    login(client, world.outsider)
    assert status_code(client, reverse("file_job_download", args=[job.pk])) == 403


def test_a_failed_job_shows_a_french_message_and_can_be_retried(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks
):
    login(client, world.member)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(_export_url(cde_conference, "xlsx"))
    job = FileJob.objects.latest("pk")
    FileJob.objects.filter(pk=job.pk).update(status=FileJob.Status.FAILED, error=FAILURE_MESSAGE)
    page = client.get(reverse("file_job", args=[job.pk])).content.decode()
    assert "Le fichier n&#x27;a pas pu être établi" in page and "Relancer" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("file_job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error) == (FileJob.Status.DONE, "")
    assert download(client, job)
    # A job that did not fail is not queued again.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("file_job_retry", args=[job.pk]))
    assert not callbacks
    login(client, world.outsider)
    assert client.post(reverse("file_job_retry", args=[job.pk])).status_code == 404


def test_old_files_are_purged(
    client, world, funders, cde_conference, django_capture_on_commit_callbacks, settings, media
):
    login(client, world.member)
    job = request_file(
        client, _export_url(cde_conference, "xlsx"), django_capture_on_commit_callbacks
    )
    path = media / job.file.name
    assert path.exists()
    assert purge_old_file_jobs() == 0
    settings.CTE = {**settings.CTE, "EXPORT_RETENTION_DAYS": 0}
    assert purge_old_file_jobs() == 1
    assert not path.exists() and not FileJob.objects.exists()


def test_the_progress_page_keeps_a_small_query_budget(
    client,
    world,
    funders,
    cde_conference,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    login(client, world.member)
    job = request_file(
        client, _export_url(cde_conference, "xlsx"), django_capture_on_commit_callbacks
    )
    url = reverse("file_job", args=[job.pk])
    client.get(url)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_a_pending_job_whose_task_was_lost_is_built_by_the_sweep_once(
    world, funders, cde_conference, django_capture_on_commit_callbacks
):
    lost = FileJob.objects.create(
        kind=OFFER_MAP,
        target_id=cde_conference.pk,
        format="xlsx",
        requested_by=world.member,
        created_at=timezone.now() - timedelta(minutes=20),
    )
    fresh = FileJob.objects.create(
        kind=OFFER_MAP, target_id=cde_conference.pk, format="xlsx", requested_by=world.member
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_file_jobs() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == FileJob.Status.DONE and lost.file
    assert fresh.status == FileJob.Status.PENDING  # its own task is on its way
    # The same task delivered again builds nothing.
    assert run_file_job(job_id=lost.pk) is None


def test_a_job_whose_conference_is_gone_fails_in_french(world, funders, cde_conference):
    job = FileJob.objects.create(
        kind=OFFER_MAP, target_id=cde_conference.pk + 1000, format="pdf", requested_by=world.member
    )
    job = run_file_job(job_id=job.pk)
    assert (job.status, job.error, job.file.name) == (FileJob.Status.FAILED, FAILURE_MESSAGE, "")
