"""Exports of a conference's offer map: XLSX (one sheet per view, formatted, with totals) and
PDF (WeasyPrint, Marianne). An offer map is a few hundred lines at most: both are built in
the request, in well under a second (measured in the tests' timing report)."""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cte_portal.core.pdf import render_pdf
from cte_portal.core.spreadsheets import workbook_bytes
from funders.selectors.analysis import OfferMap

EUROS = '#,##0.00\\ "€"'
PERCENT = '0.00\\ "%"'
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(workbook, title: str, headers: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _format(sheet, *, euros=(), percents=(), bold_last=False) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in euros:
                cell.number_format = EUROS
            elif cell.column in percents:
                cell.number_format = PERCENT
            if bold_last and cell.row == sheet.max_row:
                cell.font = _BOLD


def _territory(line) -> str:
    if line.covers_whole_perimeter:
        return "Tout le périmètre"
    return ", ".join([e.name for e in line.epcis.all()] + [c.name for c in line.communes.all()])


def _cofinancing(line) -> str:
    if not line.is_cofinanced:
        return "Financé seul"
    partners = "; ".join(f"{c.partner_name} : {c.share} %" for c in line.cofinancings.all())
    return f"Part du financeur : {line.own_share} % ; {partners}"


def offer_map_xlsx(offer: OfferMap) -> bytes:
    conference = offer.conference
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Synthèse"
    summary.append([conference.title])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("Comité", conference.committee.name),
        ("Niveau", conference.get_level_display()),
        ("Année", conference.year),
        ("Date", conference.effective_date.strftime("%d/%m/%Y")),
        ("Lignes de financement", offer.total.lines),
        ("Montant engagé total", offer.total.committed),
        ("Montant disponible total", offer.total.available),
        ("Cofinancements dont les parts ne font pas 100 %", len(offer.incomplete_cofinancing)),
        ("Lignes qui se terminent dans les six mois", len(offer.ending_soon)),
        ("Chevauchements", len(offer.overlaps)),
        ("Fiches action sans financement", len(offer.uncovered_sheets)),
    ):
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=1).font = _BOLD
        if isinstance(value, Decimal):
            summary.cell(row=summary.max_row, column=2).number_format = EUROS
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 40

    lines = _sheet(
        workbook,
        "Lignes de financement",
        [
            "Financeur",
            "Dispositif",
            "Type de dispositif",
            "Public",
            "Territoire",
            "Début",
            "Fin",
            "Montant engagé",
            "Montant disponible",
            "Places",
            "Personnes",
            "Cofinancement",
            "Critères d'intervention",
            "Doctrine d'attribution",
            "Conditions de mobilisation",
        ],
        [28, 32, 24, 26, 28, 12, 12, 16, 16, 9, 10, 40, 40, 40, 40],
    )
    for line in offer.lines:
        lines.append(
            [
                line.funder.name,
                line.scheme,
                line.get_scheme_kind_display(),
                line.public_label,
                _territory(line),
                line.starts_on,
                line.ends_on,
                line.amount_committed,
                line.amount_available,
                line.places,
                line.people,
                _cofinancing(line),
                line.intervention_criteria,
                line.allocation_doctrine,
                line.conditions_of_use,
            ]
        )
    lines.append(
        [
            "Total",
            "",
            "",
            "",
            "",
            None,
            None,
            offer.total.committed,
            offer.total.available,
            offer.total.places,
            offer.total.people,
        ]
    )
    _format(lines, euros=(8, 9), bold_last=True)
    for row in lines.iter_rows(min_row=2, max_col=7, min_col=6):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"

    for breakdown in offer.breakdowns:
        sheet = _sheet(
            workbook,
            breakdown.title.replace("Montants engagés ", "").capitalize(),
            [
                breakdown.column,
                "Précision",
                "Lignes",
                "Montant engagé",
                "Part du total",
                "Montant disponible",
                "Places",
                "Personnes",
            ],
            [34, 28, 8, 18, 12, 18, 9, 10],
        )
        for row in breakdown.rows:
            sheet.append(
                [
                    row.label,
                    row.detail,
                    row.lines,
                    row.committed,
                    row.share,
                    row.available,
                    row.places,
                    row.people,
                ]
            )
        total = breakdown.total
        sheet.append(
            [
                "Total",
                "",
                total.lines,
                total.committed,
                total.share,
                total.available,
                total.places,
                total.people,
            ]
        )
        _format(sheet, euros=(4, 6), percents=(5,), bold_last=True)

    sheet = _sheet(
        workbook,
        "Cofinancements à revoir",
        ["Financeur", "Dispositif", "Cofinancement", "Somme des parts", "Écart à 100 %"],
        [28, 32, 60, 16, 16],
    )
    for gap in offer.incomplete_cofinancing:
        sheet.append(
            [
                gap.line.funder.name,
                gap.line.scheme,
                _cofinancing(gap.line),
                gap.total,
                gap.difference,
            ]
        )
    _format(sheet, percents=(4, 5))

    sheet = _sheet(
        workbook,
        "Fins sous six mois",
        ["Financeur", "Dispositif", "Public", "Fin", "Montant engagé", "Montant disponible"],
        [28, 32, 26, 12, 18, 18],
    )
    for line in offer.ending_soon:
        sheet.append(
            [
                line.funder.name,
                line.scheme,
                line.public_label,
                line.ends_on,
                line.amount_committed,
                line.amount_available,
            ]
        )
    _format(sheet, euros=(5, 6))
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "DD/MM/YYYY"

    sheet = _sheet(
        workbook,
        "Chevauchements",
        [
            "Public",
            "Type de dispositif",
            "Territoire commun",
            "Période commune",
            "Financeur 1",
            "Dispositif 1",
            "Financeur 2",
            "Dispositif 2",
        ],
        [26, 24, 34, 24, 26, 30, 26, 30],
    )
    for overlap in offer.overlaps:
        sheet.append(
            [
                overlap.first.public_label,
                overlap.first.get_scheme_kind_display(),
                overlap.territory,
                f"{overlap.period[0]:%d/%m/%Y} – {overlap.period[1]:%d/%m/%Y}",
                overlap.first.funder.name,
                overlap.first.scheme,
                overlap.second.funder.name,
                overlap.second.scheme,
            ]
        )

    sheet = _sheet(
        workbook,
        "Manques",
        ["Comité", "Fiche action", "Public visé", "Territoire visé", "Constat"],
        [30, 40, 30, 30, 40],
    )
    for item in offer.uncovered_sheets:
        sheet.append(
            [
                item.committee.name,
                item.sheet.title,
                item.public_text,
                item.territory_text,
                item.status,
            ]
        )
    for gap in offer.public_gaps:
        sheet.append(
            ["", "", gap.label, "", f"Public sans aucune ligne ({len(gap.sheets)} fiche(s))"]
        )
    for gap in offer.territory_gaps:
        sheet.append(
            ["", "", "", gap.label, f"Territoire sans aucune ligne ({len(gap.sheets)} fiche(s))"]
        )

    workbook.properties.title = conference.title
    workbook.properties.creator = "Portail des comités territoriaux pour l'emploi"
    return workbook_bytes(workbook)


def offer_map_pdf(offer: OfferMap) -> bytes:
    conference = offer.conference
    return render_pdf(
        "funders/pdf/offer_map.html",
        {
            "offer": offer,
            "conference": conference,
            "running_title": conference.committee.name,
            "running_subtitle": f"Cartographie de l'offre — {conference.title}",
        },
    )
