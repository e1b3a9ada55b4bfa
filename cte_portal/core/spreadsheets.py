"""Spreadsheet safety shared by every export and import of the portal (formula injection).

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run as a
formula by the spreadsheet that opens the file (``=HYPERLINK(…)``, ``=cmd|…``). So:

- CSV exports prefix such a text with a single quote (OWASP "CSV injection" advice):
  ``csv_safe`` on each value before it is written;
- XLSX exports write it as a string cell, never a formula: ``append_row`` (or ``text_cell``
  for openpyxl's write-only sheets);
- imports refuse a file holding a formula: ``read_xlsx_lines`` / ``read_csv_lines`` raise a
  French ``RuleError`` naming the line and the column, and nothing is imported.

Only text is concerned: numbers, dates and booleans are written as such, and a text that is a
plain signed number (``-12,5``, ``+33 6 12 34 56 78``) is not a formula.
"""

import csv
import io
import re

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cte_portal.core.errors import RuleError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-][\d\s.,\u00a0\u202f%€]*")


def is_formula_like(value) -> bool:
    """Whether a spreadsheet could take ``value`` for a formula (text only)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return False
    return not _SIGNED_NUMBER.fullmatch(value)


def csv_safe(value):
    """``value`` as it may be written in a CSV cell: a formula-like text gets a leading ``'``."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_safe_row(values) -> list:
    return [csv_safe(value) for value in values]


def text_cell(sheet, value) -> WriteOnlyCell:
    """A write-only cell holding ``value``; a formula-like text is forced to a string cell."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def safe_values(sheet, values) -> list:
    """The values of a row for a write-only ``sheet``: every text as a string cell."""
    return [text_cell(sheet, v) if isinstance(v, str) else v for v in values]


def append_row(sheet, values) -> None:
    """``sheet.append(values)``, every text kept as text (openpyxl would make ``=…`` a formula)."""
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append(safe_values(sheet, values))
        return
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def secure_worksheet(sheet) -> None:
    """Turn every formula cell of a normal (not write-only) ``sheet`` back into text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def workbook_bytes(workbook) -> bytes:
    """A normal (not write-only) workbook saved to bytes, with no formula left in it."""
    for sheet in workbook.worksheets:
        secure_worksheet(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Imports ----------------------------------------------------------------------------------


def _formula_error(row: int, column: int) -> RuleError:
    return RuleError(
        f"Le fichier contient une formule (ligne {row}, colonne {get_column_letter(column)}) : "
        "les formules ne sont pas acceptées, remplacez-les par leurs valeurs. "
        "Rien n'a été importé.",
        field="file",
    )


def read_xlsx_lines(content: bytes) -> list[list]:
    """The values of the first sheet of an XLSX file, line by line; a formula is refused."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise RuleError("Ce fichier XLSX ne peut pas être lu.", field="file") from exc
    try:
        if not workbook.worksheets:
            return []
        lines = []
        for row_number, row in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            values = []
            for column_number, cell in enumerate(row, start=1):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=")
                ):
                    raise _formula_error(row_number, column_number)
                values.append(value)
            lines.append(values)
        return lines
    except RuleError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read
        raise RuleError("Ce fichier XLSX ne peut pas être lu.", field="file") from exc
    finally:
        workbook.close()


def check_csv_line(row_number: int, values) -> None:
    for column_number, value in enumerate(values, start=1):
        if isinstance(value, str) and is_formula_like(value.lstrip(" \t\r\n")):
            raise _formula_error(row_number, column_number)


def read_csv_lines(text: str, *, delimiter: str) -> list[list[str]]:
    """The cells of a CSV text, line by line; a formula-like cell or an oversized cell is
    refused with a French error."""
    lines = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row_number, line in enumerate(reader, start=1):
            check_csv_line(row_number, line)
            lines.append(line)
    except csv.Error as exc:
        raise RuleError(
            "Ce fichier CSV ne peut pas être lu (cellule trop longue ou guillemets mal fermés).",
            field="file",
        ) from exc
    return lines
