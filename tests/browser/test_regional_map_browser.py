"""A DREETS agent opens the regional map, launches an XLSX export and downloads it, in a real
browser (INS-REGIONAL-MAP); the progress page follows a job built while it waits."""

import io
import threading

import pytest
from django.db import connections
from openpyxl import load_workbook
from playwright.sync_api import expect

from cte_portal.celery import app as celery_app
from regional_map.exports.jobs import run_export_job
from regional_map.models import ExportJob
from tests.factories.committees import dreets_agent
from tests.regional_map.scenario import scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-playwright's session fixture ``base_url`` (see RECIPES.md).
    pytest.mark.filterwarnings(
        r"ignore:(?s)Session-scoped fixtures defined as instance methods.*base_url"
        ":pytest.PytestRemovedIn10Warning"
    ),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def eager_tasks():
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "task_eager_propagates": celery_app.conf.task_eager_propagates,
    }
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    celery_app.conf.update(**previous)


@pytest.fixture
def s():
    return scenario()


def test_dreets_agent_opens_the_map_exports_xlsx_and_downloads_it(
    live_server, s, login_in_browser, axe_check, tmp_path
):
    page = login_in_browser(dreets_agent(s.t.ara))
    page.goto(f"{live_server.url}/cartographie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cartographie des comités")
    axe_check(page)

    page.get_by_role("link", name="Auvergne-Rhône-Alpes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cartographie des comités — Auvergne-Rhône-Alpes"
    )
    expect(
        page.get_by_role("img", name="Couverture par département — Auvergne-Rhône-Alpes")
    ).to_be_visible()
    expect(page.locator('[data-departement="total"]')).to_contain_text("97,2")
    axe_check(page)
    # The uncovered communes of the Ain, behind their accordion.
    page.get_by_role("button", name="Ain (01) : 3 communes non couvertes").click()
    expect(page.locator('[data-commune="01034"]')).to_be_visible()
    axe_check(page)

    page.get_by_text("Classeur Excel (XLSX)").click()
    page.get_by_role("button", name="Lancer l'export").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Export n°")
    download_link = page.get_by_role("link", name="Télécharger")
    expect(download_link).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Export terminé")
    axe_check(page)

    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    assert workbook.sheetnames[0] == "Synthèse"
    region_row = next(
        row
        for row in workbook["Synthèse"].iter_rows(values_only=True)
        if row and row[0] == "Région"
    )
    assert region_row[10] == 3  # communes non couvertes, as on the page


def test_progress_page_follows_the_job_and_ends_in_a_download_link(
    live_server, s, login_in_browser, axe_check
):
    dreets = dreets_agent(s.t.ara)
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.REGIONAL_MAP, format="csv", region=s.t.ara, requested_by=dreets
    )
    page = login_in_browser(dreets)
    page.goto(f"{live_server.url}/cartographie/exports/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("En attente : 0 %")
    axe_check(page)

    # A worker builds the file while the page polls.
    def work():
        try:
            run_export_job(job_id=job.pk)
        finally:
            connections.close_all()  # this thread's own database connection

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    expect(page.get_by_role("link", name="Télécharger")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("Export terminé")
    axe_check(page)
