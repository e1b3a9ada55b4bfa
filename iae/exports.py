"""CSV and XLSX exports of a CDE's IAE files (DEC-IAE). Every text goes through
``cte_portal.core.spreadsheets`` so that no cell can run as a formula."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from cte_portal.core.spreadsheets import append_row, csv_safe_row, workbook_bytes
from iae.selectors import EXPORT_HEADERS, export_rows


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return value


def requests_csv(queryset) -> str:
    """French CSV (semicolons, decimal commas), with a BOM so that spreadsheets read UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(csv_safe_row(EXPORT_HEADERS))
    for row in export_rows(queryset):
        writer.writerow(csv_safe_row(_csv_value(value) for value in row))
    return buffer.getvalue()


def requests_xlsx(queryset, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Avis commission IAE"
    append_row(sheet, EXPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(queryset):
        append_row(sheet, [float(v) if isinstance(v, Decimal) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    workbook.properties.title = title[:255]
    return workbook_bytes(workbook)
