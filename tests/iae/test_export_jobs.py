"""The CSV and XLSX exports of a CDE's IAE list are built by a task, never in the request
(DEC-IAE, issue 13): the request answers at once with a redirect to the job's progress page;
the task builds the same file as the list showed it (its filters kept); whoever may not read
the CDE's IAE files can neither queue an export nor download one."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cte_portal.core.file_jobs import run_file_job
from cte_portal.core.models import FileJob
from iae.exports import REQUESTS_EXPORT, requests_csv
from iae.models import IaeExport
from iae.selectors import EXPORT_HEADERS, Filters, committee_requests
from tests.clients import login
from tests.file_jobs import download, read, request_file, status_code
from tests.iae.world import SIRET_ACI, SIRET_EI, give_opinion, new_request, today

pytestmark = pytest.mark.django_db


def export_url(world, fmt, query=""):
    return reverse(f"iae:export_{fmt}", args=[world.cde.pk]) + (f"?{query}" if query else "")


def export_name(world, fmt):
    return f"avis-commission-iae-{world.cde.pk}-{timezone.localdate():%Y%m%d}.{fmt}"


@pytest.fixture
def files(world):
    """A file with the commission's opinion (with reservations) and an FDI request without."""
    given = new_request(world, structure_name="Les Jardins de Gerland", siret=SIRET_ACI)
    give_opinion(
        world,
        given,
        verdict="reserved",
        reservations="Sous réserve du bilan.",
        reasons="Bon ancrage.",
    )
    fdi = new_request(
        world,
        kind="fdi",
        structure_name="Rhône Insertion",
        siret=SIRET_EI,
        siae_type="ei",
        fte_requested=None,
        amount_requested=Decimal("15000.50"),
        received_on=today() - timedelta(days=3),
    )
    return given, fdi


def test_requesting_the_export_answers_at_once_without_the_file(
    world, files, client, django_capture_on_commit_callbacks
):
    login(client, world.secretariat)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(export_url(world, "xlsx", "statut=opinion_given&annee=2024"))
    job = FileJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("file_job", args=[job.pk])
    assert response.content == b"" and not response.has_header("Content-Disposition")
    assert (job.kind, job.format, job.status, job.file.name, job.requested_by) == (
        REQUESTS_EXPORT,
        "xlsx",
        FileJob.Status.PENDING,
        "",
        world.secretariat,
    )
    assert len(callbacks) == 1  # the build, queued for after the commit
    # What the job exports: the list's filters, codes only.
    export = IaeExport.objects.get(pk=job.target_id)
    assert (export.committee, export.requested_by) == (world.cde, world.secretariat)
    assert (export.status, export.kind, export.year) == ("opinion_given", "", 2024)
    # Its progress page says what it is and leads back to the filtered list.
    page = client.get(reverse("file_job", args=[job.pk])).content.decode()
    assert f"Demande n° {job.pk}" in page and world.cde.name in page
    assert "En attente : 0 %" in page
    assert reverse(
        "iae:committee", args=[world.cde.pk]
    ) + "?statut=opinion_given&amp;annee=2024" in (page)


def test_the_task_builds_the_csv_the_request_built_before(
    world, files, client, django_capture_on_commit_callbacks
):
    given, fdi = files
    login(client, world.member)
    job = request_file(client, export_url(world, "csv"), django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.filename) == (
        FileJob.Status.DONE,
        100,
        export_name(world, "csv"),
    )
    response = client.get(reverse("file_job_download", args=[job.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{export_name(world, "csv")}"' in response["Content-Disposition"]
    content = read(response)
    # Byte for byte what the request used to send.
    expected = requests_csv(committee_requests(world.member, world.cde, Filters()))
    assert content == expected.encode("utf-8")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == EXPORT_HEADERS
    assert len(rows) == 3
    newest, oldest = rows[1], rows[2]  # newest received first
    assert newest[:12] == [
        str(fdi.pk),
        "Fonds de développement de l'inclusion (FDI)",
        "Rhône Insertion",
        SIRET_EI,
        "Entreprise d'insertion (EI)",
        "Renouvellement du conventionnement.",
        f"{today() - timedelta(days=3):%d/%m/%Y}",
        f"01/01/{today().year + 1}",
        f"31/12/{today().year + 1}",
        "",
        "15000,50",
        "Reçue, en attente de l'avis",
    ]
    assert newest[12:] == [""] * 13
    assert oldest[:4] == [str(given.pk), "Conventionnement", "Les Jardins de Gerland", SIRET_ACI]
    assert oldest[9] == "12,50"
    assert oldest[11:20] == [
        "Avis rendu, à transmettre",
        "Favorable avec réserves",
        "Vote",
        "8",
        "1",
        "2",
        f"{world.commission_meeting.date:%d/%m/%Y}",
        world.commission_meeting.title,
        "Sous réserve du bilan.",
    ]
    assert oldest[20] == "Bon ancrage."


def test_the_task_builds_the_xlsx_with_the_list_filters(
    world, files, client, django_capture_on_commit_callbacks
):
    given, fdi = files
    login(client, world.secretariat)
    job = request_file(
        client, export_url(world, "xlsx", "nature=fdi"), django_capture_on_commit_callbacks
    )
    assert job.filename == export_name(world, "xlsx")
    workbook = load_workbook(io.BytesIO(download(client, job)))
    sheet = workbook.active
    assert sheet.title == "Avis commission IAE"
    assert workbook.properties.title == f"Avis de la commission inclusion et IAE — {world.cde.name}"
    assert [cell.value for cell in sheet[1]] == EXPORT_HEADERS
    assert sheet.max_row == 2  # the FDI request only
    row = [cell.value for cell in sheet[2]]
    assert row[:5] == [
        fdi.pk,
        "Fonds de développement de l'inclusion (FDI)",
        "Rhône Insertion",
        SIRET_EI,
        "Entreprise d'insertion (EI)",
    ]
    assert row[6] == datetime.combine(today() - timedelta(days=3), datetime.min.time())
    assert sheet["G2"].number_format == "DD/MM/YYYY"
    assert row[10] == 15000.5 and row[11] == "Reçue, en attente de l'avis"
    # Without filters, both files, the one with the opinion too.
    job = request_file(client, export_url(world, "xlsx"), django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(download(client, job))).active
    assert sheet.max_row == 3
    assert (sheet["A3"].value, sheet["M3"].value, sheet["S3"].value) == (
        given.pk,
        "Favorable avec réserves",
        world.commission_meeting.title,
    )


def test_the_export_reads_the_files_of_its_committee_only(
    world, files, client, django_capture_on_commit_callbacks
):
    other = new_request(world, committee=world.cde_ain, structure_name="Structure de l'Ain")
    login(client, world.admin)
    job = request_file(client, export_url(world, "csv"), django_capture_on_commit_callbacks)
    text = download(client, job).decode("utf-8-sig")
    assert "Les Jardins de Gerland" in text and other.structure_name not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_who_may_not_read_the_iae_files_queues_no_export(world, files, client, fmt):
    login(client, world.voter)  # a member of the CDE outside the commission
    assert client.post(export_url(world, fmt)).status_code == 403
    for user in (world.other_ddets, world.outsider):
        login(client, user)
        assert client.post(export_url(world, fmt)).status_code == 404
    client.logout()
    assert client.post(export_url(world, fmt)).status_code == 302  # to the login page
    login(client, world.secretariat)  # a CLE has no IAE commission
    assert client.post(reverse(f"iae:export_{fmt}", args=[world.cle.pk])).status_code == 404
    assert client.get(export_url(world, fmt)).status_code == 405  # a link queues nothing
    assert not FileJob.objects.exists() and not IaeExport.objects.exists()


def test_the_file_goes_to_its_requester_while_they_read_the_iae_files(
    world, files, client, django_capture_on_commit_callbacks
):
    login(client, world.state)
    job = request_file(client, export_url(world, "xlsx"), django_capture_on_commit_callbacks)
    pages = [
        reverse(name, args=[job.pk])
        for name in ("file_job", "file_job_status", "file_job_download")
    ]
    # Someone else's job: 404, even for a reader of the same files.
    for user in (world.member, world.voter, world.other_ddets, world.outsider):
        login(client, user)
        for url in pages:
            assert status_code(client, url) == 404, (user, url)
    # A requester who no longer reads the CDE's IAE files: 403 on every page, the download
    # included (checked on each visit, not only when the job was queued).
    FileJob.objects.filter(pk=job.pk).update(requested_by=world.voter)
    login(client, world.voter)
    for url in pages:
        assert status_code(client, url) == 403, url


@pytest.mark.parametrize("factor", [1, 10])
def test_the_build_has_a_flat_query_budget(
    world, client, factor, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for number in range(3 * factor):
        item = new_request(world, structure_name=f"Structure {number}")
        if number % 2:
            give_opinion(world, item)
    login(client, world.member)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(export_url(world, "csv"))
    job = FileJob.objects.get()
    # claim, job, export (committee and requester joined), progress, the member's scope (3),
    # the files (opinions and meetings joined, one cursor), done, the finished job
    with django_assert_max_num_queries(10):
        job = run_file_job(job_id=job.pk)
    assert job.status == FileJob.Status.DONE
    assert download(client, job).decode("utf-8-sig").count("\n") == 3 * factor + 1


def test_old_export_requests_go_with_their_files(world, client, settings):
    login(client, world.secretariat)
    settings.CTE = {**settings.CTE, "EXPORT_RETENTION_DAYS": 30}
    client.post(export_url(world, "csv"))
    client.post(export_url(world, "xlsx"))
    old, recent = IaeExport.objects.order_by("pk")
    IaeExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=32))
    IaeExport.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=30))
    client.post(export_url(world, "csv"))
    assert IaeExport.objects.filter(pk=old.pk).count() == 0
    assert (
        IaeExport.objects.count() == 2
    )  # the one of 30 days, kept as long as its job, and the new
