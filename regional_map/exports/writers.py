"""Writers that stream the export tables to a file on disk, in constant memory.

- XLSX: openpyxl's write-only workbook (each sheet is streamed to its own temporary file and
  zipped on ``close``), one sheet per table, the metadata above the synthesis.
- CSV: one file per table (``;``-separated, UTF-8 with BOM, French decimals: what a French
  spreadsheet opens as is) plus ``metadonnees.csv``, zipped together.

Both take rows table by table *or* interleaved (the national export walks region by region).
"""

import csv
import shutil
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cte_portal.core.spreadsheets import csv_safe, csv_safe_row, safe_values, text_cell
from regional_map.exports.tables import SYNTHESIS, TABLES, text_value

_BOLD = Font(bold=True)


class XlsxWriter:
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, path: Path, *, title: str, metadata: list[tuple[str, str]]):
        self.path = path
        self.workbook = Workbook(write_only=True)
        self.workbook.properties.title = title
        self.workbook.properties.creator = "Portail des comités territoriaux pour l'emploi"
        self.sheets = {}
        for spec in TABLES:
            sheet = self.workbook.create_sheet(spec.title[:31])
            for index, width in enumerate(spec.widths, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width
            if spec is SYNTHESIS:
                sheet.append([self._cell(sheet, title, bold=True)])
                for key, value in metadata:
                    sheet.append([self._cell(sheet, key, bold=True), *safe_values(sheet, [value])])
                sheet.append([])
            sheet.append([self._cell(sheet, h, bold=True, wrap=True) for h in spec.headers])
            self.sheets[spec.key] = sheet

    @staticmethod
    def _cell(sheet, value, *, bold=False, wrap=False):
        cell = (
            text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
        )
        if bold:
            cell.font = _BOLD
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def row(self, key: str, values: list) -> None:
        sheet = self.sheets[key]
        sheet.append(
            safe_values(sheet, ["oui" if v is True else "non" if v is False else v for v in values])
        )

    def close(self) -> None:
        self.workbook.save(self.path)


class CsvZipWriter:
    extension = "zip"
    content_type = "application/zip"
    delimiter = ";"

    def __init__(self, path: Path, *, title: str, metadata: list[tuple[str, str]]):
        self.path = path
        self.folder = Path(tempfile.mkdtemp(prefix="cte-export-"))
        self.files = {}
        self.writers = {}
        self._open("metadonnees", ("Rubrique", "Valeur"))
        self.writers["metadonnees"].writerow(csv_safe_row(("Titre", title)))
        for item in metadata:
            self.writers["metadonnees"].writerow(csv_safe_row(item))
        for spec in TABLES:
            self._open(spec.key, spec.headers)

    def _open(self, key: str, headers) -> None:
        handle = open(self.folder / f"{key}.csv", "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.files[key] = handle
        self.writers[key] = csv.writer(handle, delimiter=self.delimiter)
        self.writers[key].writerow(csv_safe_row(headers))

    def row(self, key: str, values: list) -> None:
        # A formula-like text is neutralised before it is formatted (numbers are left alone).
        self.writers[key].writerow([text_value(csv_safe(v)) for v in values])

    def close(self) -> None:
        try:
            for handle in self.files.values():
                handle.close()
            with zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for key in self.files:
                    archive.write(self.folder / f"{key}.csv", f"{key}.csv")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
