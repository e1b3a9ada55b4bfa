"""Exports of the regional map (INS-REGIONAL-MAP): XLSX, CSV, PDF through the task, the
progress page, the download, and who may have the file."""

import csv
import io
import re
import subprocess
import zipfile
from datetime import date, timedelta

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from committees.services.staff import end_staff_assignment
from cte_portal.celery import app as celery_app
from regional_map.exports import builder
from regional_map.exports.jobs import run_export_job
from regional_map.models import ExportJob
from regional_map.selectors import build_regional_map
from tests.core.screens import pdf_text
from tests.factories.committees import ddets_agent, dreets_agent
from tests.regional_map.scenario import EDITION, cle, scenario

SYNTHESIS_TOTALS = {
    # XLSX synthesis column → data-total of the page
    "CLE installés": "cle_installed",
    "Communes": "commune_count",
    "Communes couvertes": "covered_communes",
    "Communes non couvertes": "uncovered_communes",
    "Population couverte": "covered_population",
    "Instances supprimées": "removed",
    "Instances intégrées": "integrated",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks run in-process even when the environment configures a broker (CI)."""
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "task_eager_propagates": celery_app.conf.task_eager_propagates,
    }
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    celery_app.conf.update(**previous)


@pytest.fixture
def s(db):
    return scenario()


@pytest.fixture
def dreets(s):
    return dreets_agent(s.t.ara)


def _export(client, url, fmt, capture) -> ExportJob:
    with capture(execute=True):
        response = client.post(url, {"format": fmt})
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == reverse("regional_map:export", args=[job.pk])
    return job


def _download(client, job) -> bytes:
    response = client.get(reverse("regional_map:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)  # read to its end: the file is closed


def _status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        # Reading a FileResponse to its end closes its file (the test client's wrapper, which
        # keeps the database connection of the test; ``response.close()`` would not).
        b"".join(response.streaming_content)
    return response.status_code


def _page_totals(client, url) -> dict[str, int]:
    html = client.get(url).content.decode()
    return {
        key: int(re.sub(r"\D", "", value.split(".")[0].split(",")[0]))
        for key, value in re.findall(r'data-total="(\w+)">([^<]+)<', html)
    }


def _sheet_rows(workbook, title) -> list[list]:
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


def _table(rows: list[list], first_header: str) -> list[dict]:
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    headers = rows[start]
    return [dict(zip(headers, row, strict=False)) for row in rows[start + 1 :]]


# --- XLSX -------------------------------------------------------------------------------------------


def test_xlsx_export_through_the_task_opens_and_its_totals_match_the_screen(
    client, s, dreets, django_capture_on_commit_callbacks
):
    client.force_login(dreets)
    region_url = reverse("regional_map:region", args=["84"])
    job = _export(
        client,
        reverse("regional_map:region_export", args=["84"]),
        "xlsx",
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert (job.status, job.progress, job.requested_by, job.region_id) == (
        "done",
        100,
        dreets,
        "84",
    )
    assert job.finished_at and job.filename.startswith("cartographie-comites-auvergne-rhone-alpes-")
    assert job.filename.endswith(".xlsx")

    workbook = load_workbook(io.BytesIO(_download(client, job)), read_only=True)
    assert workbook.sheetnames == [
        "Synthèse",
        "Comités",
        "Périmètres des CLE",
        "Communes non couvertes",
        "Instances antérieures",
        "Chevauchements de périmètres",
    ]
    synthesis = _sheet_rows(workbook, "Synthèse")
    metadata = {row[0]: row[1] for row in synthesis[1:6]}
    assert metadata["Référentiel territorial"] == EDITION
    assert metadata["Établie le"].startswith(f"{timezone.localdate():%d/%m/%Y}")
    rows = _table(synthesis, "Niveau")
    region_row = next(r for r in rows if r["Niveau"] == "Région")
    page = _page_totals(client, region_url)
    for column, key in SYNTHESIS_TOTALS.items():
        assert region_row[column] == page[key], column
    assert region_row["Part de la population couverte (%)"] == 97.2
    assert region_row["CRE installé"] == "oui"
    assert {r["Code"] for r in rows if r["Niveau"] == "Département"} == {"01", "69"}

    committees = _table(_sheet_rows(workbook, "Comités"), "Région")
    lyon = next(r for r in committees if r["Comité"] == "CLE de Lyon")
    assert "Préfète du Rhône" in lyon["Co-présidence État"]
    assert "Métropole de Lyon" in lyon["Co-présidence collectivités"]
    assert lyon["Arrondissements"] == "Lyon (691)"
    assert (
        lyon["Nombre de communes"],
        lyon["Instances supprimées"],
        lyon["Instances intégrées"],
    ) == (
        3,
        1,
        1,
    )
    assert lyon["Date d'installation"].date() == date(2024, 9, 1)
    assert lyon["Révision du périmètre due le"].date() == date(2027, 9, 1)
    assert {r["Niveau"] for r in committees} == {"CRE", "CDE", "CLE"}

    perimeters = _table(_sheet_rows(workbook, "Périmètres des CLE"), "Région")
    assert {(r["CLE"], r["Code INSEE"]) for r in perimeters if r["CLE"] == "CLE de Lyon"} == {
        ("CLE de Lyon", "69123"),
        ("CLE de Lyon", "69266"),
        ("CLE de Lyon", "69029"),
    }
    assert len(perimeters) == 10
    uncovered = _table(_sheet_rows(workbook, "Communes non couvertes"), "Région")
    assert [(r["Code INSEE"], r["Commune"], r["Population"]) for r in uncovered] == [
        ("01034", "Belley", 9135),
        ("01004", "Ambérieu-en-Bugey", 14710),
        ("01203", "Île-Fictive", 120),
    ]
    former = _table(_sheet_rows(workbook, "Instances antérieures"), "Région")
    assert len(former) == 5
    assert {r["Sort"] for r in former} == {
        "Supprimée (remplacée par le comité)",
        "Intégrée au comité",
    }


def test_ddets_export_holds_their_departement_only(client, s, django_capture_on_commit_callbacks):
    client.force_login(ddets_agent(s.t.d01))
    job = _export(
        client,
        reverse("regional_map:departement_export", args=["84", "01"]),
        "xlsx",
        django_capture_on_commit_callbacks,
    )
    workbook = load_workbook(io.BytesIO(_download(client, job)), read_only=True)
    text = " ".join(
        str(cell)
        for sheet in workbook.sheetnames
        for row in workbook[sheet].iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "CLE de Bourg-en-Bresse" in text
    for hidden in (
        "CLE de Lyon",
        "CLE du Beaujolais",
        "Villeurbanne",
        "SPEL de Lyon",
        "CDE du Rhône",
    ):
        assert hidden not in text
    rows = _table(_sheet_rows(workbook, "Synthèse"), "Niveau")
    assert [r["Code"] for r in rows] == ["01"]


# --- CSV and PDF ---------------------------------------------------------------------------------------


def test_csv_export_is_a_zip_of_the_same_tables(
    client, s, dreets, django_capture_on_commit_callbacks
):
    client.force_login(dreets)
    job = _export(
        client,
        reverse("regional_map:region_export", args=["84"]),
        "csv",
        django_capture_on_commit_callbacks,
    )
    archive = zipfile.ZipFile(io.BytesIO(_download(client, job)))
    assert sorted(archive.namelist()) == [
        "chevauchements.csv",
        "comites.csv",
        "instances.csv",
        "metadonnees.csv",
        "non_couvertes.csv",
        "perimetres.csv",
        "synthese.csv",
    ]

    def read(name):
        raw = archive.read(name)
        assert raw.startswith("\ufeff".encode())  # Excel opens UTF-8 with its BOM
        return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))

    metadata = {row["Rubrique"]: row["Valeur"] for row in read("metadonnees.csv")}
    assert metadata["Référentiel territorial"] == EDITION
    region_row = next(r for r in read("synthese.csv") if r["Niveau"] == "Région")
    totals = build_regional_map(region=s.t.ara).totals
    assert region_row["Communes non couvertes"] == str(totals.uncovered_communes) == "3"
    assert region_row["Part de la population couverte (%)"] == "97,2"
    assert len(read("perimetres.csv")) == 10
    assert [r["Code INSEE"] for r in read("non_couvertes.csv")] == ["01034", "01004", "01203"]
    assert len(read("instances.csv")) == 5
    assert read("comites.csv")[0]["Niveau"] == "CRE"


def test_pdf_export_has_the_synthesis_the_map_and_the_tables(
    client, s, dreets, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(dreets)
    job = _export(
        client,
        reverse("regional_map:region_export", args=["84"]),
        "pdf",
        django_capture_on_commit_callbacks,
    )
    content = _download(client, job)
    assert content.startswith(b"%PDF")
    path = tmp_path / "map.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())  # table cells wrap their words over several lines
    for expected in (
        "Cartographie des comités",
        EDITION,
        "CLE de Lyon",
        "CDE de la Métropole de Lyon",
        "Belley (01034",
        "SPEL de Lyon",
        "Victor Cazanave",
    ):
        assert expected in text, expected


def test_pdf_gives_each_committee_one_paragraph_and_names_every_listed_commune(s, tmp_path):
    """Committees are paragraphs, not a table (WeasyPrint measures every cell of a table): each
    reads in one piece with its co-presidency, territory and counts; the communes of a
    perimeter and the uncovered communes keep their INSEE codes (and populations)."""
    # A draft CLE by communes: they stay uncovered (a draft does not count), so named twice.
    cle(s.t, name="CLE du Bugey", departement=s.t.d01, communes=["01034", "01203"])
    regional_map = build_regional_map(region=s.t.ara)
    scope = builder.ExportScope(region=s.t.ara)
    pdf = builder.build_export(scope=scope, fmt="pdf", path=tmp_path / "m.pdf").read_bytes()
    text = " ".join(pdf_text(pdf).split())

    def words(value) -> str:
        return " ".join(str(value).split())

    paragraphs = text.split("Comités", 1)[1]
    for committee in regional_map.committees:
        start = paragraphs.index(f"{committee.level_short} — {committee.name}")
        end = paragraphs.index("Instances antérieures :", start)
        paragraph = paragraphs[start:end]
        assert "Co-présidence — État :" in paragraph, committee.name
        assert f"Territoire : {committee.departement_label}" in paragraph, committee.name
        for label in [*committee.epcis, *committee.communes]:
            assert label in paragraph, (committee.name, label)
        if committee.level == "local":
            assert f"{words(intcomma(committee.population))} habitants" in paragraph
    bugey = next(c for c in regional_map.cles if c.name == "CLE du Bugey")
    assert bugey.communes == ["Belley (01034)", "Île-Fictive (01203)"]
    uncovered = [
        c for e in regional_map.departements for g in e.uncovered_groups for c in g.communes
    ]
    assert {c.code for c in uncovered} == {"01004", "01034", "01203"}
    for commune in uncovered:
        assert f"{commune.name} ({commune.code}, {words(intcomma(commune.population))})" in text


def test_national_export_for_admins_puts_every_region_side_by_side(
    client, s, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    job = _export(
        client, reverse("regional_map:national_export"), "xlsx", django_capture_on_commit_callbacks
    )
    assert job.region_id is None
    workbook = load_workbook(io.BytesIO(_download(client, job)), read_only=True)
    rows = _table(_sheet_rows(workbook, "Synthèse"), "Niveau")
    assert {r["Code"] for r in rows if r["Niveau"] == "Région"} == {"84", "44", "53", "04"}
    france = next(r for r in rows if r["Niveau"] == "France")
    assert france["CLE installés"] == 3
    assert france["Communes non couvertes"] == 3 + 2 + 1 + 1
    committees = _table(_sheet_rows(workbook, "Comités"), "Région")
    assert "CDE de la Collectivité européenne d'Alsace" in {r["Comité"] for r in committees}


# --- The task, its progress, its download -----------------------------------------------------------------


def test_task_is_safe_to_run_twice(s, dreets):
    job = ExportJob.objects.create(
        kind="regional_map", format="xlsx", region=s.t.ara, requested_by=dreets
    )
    assert run_export_job(job_id=job.pk).status == "done"
    first = ExportJob.objects.get(pk=job.pk)
    assert run_export_job(job_id=job.pk) is None  # already done: nothing rebuilt
    again = ExportJob.objects.get(pk=job.pk)
    assert (again.file.name, again.finished_at) == (first.file.name, first.finished_at)


def test_a_job_running_elsewhere_is_left_alone_unless_stale(s, dreets):
    job = ExportJob.objects.create(
        kind="regional_map",
        format="csv",
        region=s.t.ara,
        requested_by=dreets,
        status="running",
        started_at=timezone.now(),
    )
    assert run_export_job(job_id=job.pk) is None
    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert run_export_job(job_id=job.pk).status == "done"


def test_a_failed_build_is_reported_on_the_page(client, s, dreets, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("regional_map.exports.jobs.build_export", broken)
    job = ExportJob.objects.create(
        kind="regional_map", format="xlsx", region=s.t.ara, requested_by=dreets
    )
    assert run_export_job(job_id=job.pk).status == "failed"
    client.force_login(dreets)
    html = client.get(reverse("regional_map:export", args=[job.pk])).content.decode()
    assert "pas pu être établi" in html
    assert "disk full" not in html
    assert client.get(reverse("regional_map:export_download", args=[job.pk])).status_code == 404


def test_progress_page_and_status_while_the_job_waits(client, s, dreets):
    job = ExportJob.objects.create(
        kind="regional_map", format="xlsx", region=s.t.ara, requested_by=dreets
    )
    client.force_login(dreets)
    html = client.get(reverse("regional_map:export", args=[job.pk])).content.decode()
    assert 'aria-live="polite"' in html
    assert '<progress id="export-progress-bar" max="100" value="0">' in html
    assert re.search(r'<script nonce="[^"]+">', html)
    assert 'id="export-download"' not in html
    status = client.get(reverse("regional_map:export_status", args=[job.pk])).json()
    assert status == {
        "status": "pending",
        "status_label": "En attente",
        "progress": 0,
        "finished": False,
        "download_url": None,
        "filename": "",
        "error": "",
    }
    assert client.get(reverse("regional_map:export_download", args=[job.pk])).status_code == 404
    run_export_job(job_id=job.pk)
    status = client.get(reverse("regional_map:export_status", args=[job.pk])).json()
    assert status["finished"] and status["progress"] == 100
    assert status["download_url"] == reverse("regional_map:export_download", args=[job.pk])


def test_the_file_is_served_to_its_requester_only(client, s, dreets, admin_user, user):
    job = ExportJob.objects.create(
        kind="regional_map", format="xlsx", region=s.t.ara, requested_by=dreets
    )
    run_export_job(job_id=job.pk)
    urls = [
        reverse(name, args=[job.pk])
        for name in (
            "regional_map:export",
            "regional_map:export_status",
            "regional_map:export_download",
        )
    ]
    # Another DREETS agent of the same region, a DDETS agent, an outsider: 404, nothing leaks.
    for other in (dreets_agent(s.t.ara), ddets_agent(s.t.d01), user):
        client.force_login(other)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (other, url)
            assert b"PK" not in response.content[:2]
    client.force_login(admin_user)
    assert _status(client, urls[2]) == 200
    client.force_login(dreets)
    assert _status(client, urls[2]) == 200
    # The requester who left the region loses the file.
    end_staff_assignment(assignment=dreets.staff_assignments.get(), ended_on=date(2025, 1, 1))
    assert _status(client, urls[2]) == 404
    client.logout()
    assert _status(client, urls[2]) == 302


def test_unknown_format_is_refused_and_nothing_is_queued(client, s, dreets):
    client.force_login(dreets)
    response = client.post(reverse("regional_map:region_export", args=["84"]), {"format": "docx"})
    assert response.status_code == 302
    assert response["Location"] == reverse("regional_map:region", args=["84"])
    assert not ExportJob.objects.exists()


def test_export_filename_names_the_territory_and_the_date(s):
    scope = builder.ExportScope(region=s.t.ara, departement=s.t.d01)
    assert builder.filename(scope, "csv").startswith("cartographie-comites-01-ain-")
    assert builder.filename(builder.ExportScope(), "pdf").startswith("cartographie-comites-france-")


def test_requested_by_someone_else_is_not_listed_on_my_page(client, s, dreets):
    other = dreets_agent(s.t.ara, email="autre@example.gouv.fr")
    ExportJob.objects.create(kind="regional_map", format="pdf", region=s.t.ara, requested_by=other)
    client.force_login(dreets)
    html = client.get(reverse("regional_map:region", args=["84"])).content.decode()
    assert "Vos derniers exports" not in html
