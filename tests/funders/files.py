"""Offer-map files for the import tests (CSV and XLSX)."""

import csv
import io
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook

from funders.services.imports import HEADERS

GOOD_ROWS = [
    {
        "Financeur": "FSE+ (État)",
        "Dispositif": "FSE+ — accompagnement global",
        "Type de dispositif": "Accompagnement vers l'emploi",
        "Public": "Bénéficiaires du RSA",
        "Territoire": "",
        "Début": "01/01/2026",
        "Fin": "31/12/2027",
        "Montant engagé": "1 250 000,10",
        "Montant disponible": "312 500,20",
        "Places": "400",
        "Part du financeur": "60",
        "Cofinanceurs": "Département du Rhône : 40",
        "Critères d'intervention": "Bénéficiaires du RSA orientés vers un parcours emploi.",
    },
    {
        "Financeur": "Région Auvergne-Rhône-Alpes",
        "Dispositif": "Aide au permis de conduire",
        "Type de dispositif": "mobility",
        "Public": "Jeunes de 16 à 25 ans",
        "Territoire": "200040590 ; Tarare",
        "Début": "2026-01-01",
        "Fin": "2026-12-31",
        "Montant engagé": "45000",
        "Montant disponible": "12000,50",
        "Personnes": "90",
    },
    {
        "Financeur": "CAF du Rhône",
        "Dispositif": "Places de crèche à vocation d'insertion (AVIP)",
        "Type de dispositif": "Garde d'enfants",
        "Public": "Familles monoparentales",
        "Territoire": "Villefranche-sur-Saône",
        "Début": "01/09/2025",
        "Fin": "31/08/2026",
        "Montant engagé": "30000,30",
        "Montant disponible": "0",
        "Places": "12",
    },
]


def bad_rows():
    """The good rows with one mistake on the second line of data (line 3 of the file)."""
    rows = [dict(row) for row in GOOD_ROWS]
    rows[1]["Montant engagé"] = "45 000,555"
    return rows


def csv_bytes(rows, delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS, delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, *, native=False) -> bytes:
    """An XLSX file; ``native`` writes numbers and dates as spreadsheet values, not text."""

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        values = []
        for header in HEADERS:
            value = row.get(header, "")
            if native and header in ("Début", "Fin") and value:
                for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                    try:
                        value = datetime.strptime(value, fmt)
                        break
                    except ValueError:
                        continue
            elif native and header.startswith("Montant") and value:
                value = Decimal(value.replace(" ", "").replace(",", "."))
            values.append(value if value != "" else None)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
