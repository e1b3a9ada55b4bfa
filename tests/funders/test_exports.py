"""Exports of a conference's offer map: XLSX (one sheet per view, formatted, with totals) and
PDF (Marianne, running title); exact amounts in both."""

import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from funders.selectors.analysis import OfferMap
from funders.services.exports import EUROS, offer_map_pdf, offer_map_xlsx
from tests.funders.world import D, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(world, funders, cde_conference):
    line(cde_conference, funders["state"], amount_committed=D("0.10"), amount_available=D("0.05"))
    line(
        cde_conference,
        funders["fse"],
        scheme="FSE+ inclusion",
        amount_committed=D("0.20"),
        amount_available=D("0.05"),
        is_cofinanced=True,
        own_share=D("60"),
        cofinancings=[{"partner_name": "Département", "share": D("30"), "partner": None}],
    )
    line(
        cde_conference,
        funders["caf"],
        scheme="Crèches",
        scheme_kind="childcare",
        public="single_parents",
        covers_whole_perimeter=False,
        communes=[world.territory.communes["69264"]],
        amount_committed=D("1000000.00"),
        amount_available=D("0.00"),
    )
    return OfferMap.build(cde_conference)


def test_the_xlsx_has_one_sheet_per_view_with_totals(offer):
    content = offer_map_xlsx(offer)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Synthèse",
        "Lignes de financement",
        "Par financeur",
        "Par public",
        "Par dispositif",
        "Par type de dispositif",
        "Cofinancements à revoir",
        "Fins sous six mois",
        "Chevauchements",
        "Manques",
    ]
    lines = workbook["Lignes de financement"]
    total = [cell.value for cell in lines[lines.max_row]]
    assert total[0] == "Total"
    assert Decimal(str(total[7])) == Decimal("1000000.30")
    assert lines.cell(row=2, column=8).number_format == EUROS
    assert lines["A1"].font.bold
    funders_sheet = workbook["Par financeur"]
    rows = list(funders_sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "CAF du Rhône"
    assert rows[-1][0] == "Total" and Decimal(str(rows[-1][3])) == Decimal("1000000.30")
    gaps = list(workbook["Cofinancements à revoir"].iter_rows(min_row=2, values_only=True))
    assert gaps[0][1] == "FSE+ inclusion" and Decimal(str(gaps[0][4])) == Decimal("10")
    overlaps = list(workbook["Chevauchements"].iter_rows(min_row=2, values_only=True))
    assert len(overlaps) == 1  # the State and the FSE+, same public, kind and territory


def test_the_pdf_names_the_committee_and_the_exact_totals(offer, tmp_path):
    content = offer_map_pdf(offer)
    path = tmp_path / "offre.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Cartographie de l'offre" in text
    assert "Comité départemental pour l'emploi du Rhône" in text
    assert "1 000 000,30" in text.replace("\u202f", " ")
    assert "Crèches" in text
