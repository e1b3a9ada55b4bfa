"""CSV and XLSX exports of a CDE's IAE files (DEC-IAE), built by a task, never in the request
(``cte_portal.core.file_jobs``): ``request_export`` records what the list showed (its filters)
and queues the job; ``build_export`` is what the task runs. Every text goes through
``cte_portal.core.spreadsheets`` so that no cell can run as a formula."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from committees.models import Committee
from cte_portal.core.conf import cte_setting
from cte_portal.core.file_jobs import request_file_job
from cte_portal.core.models import FileJob
from cte_portal.core.spreadsheets import append_row, csv_safe_row, workbook_bytes
from iae.models import IaeExport
from iae.selectors import EXPORT_HEADERS, Filters, committee_requests, export_rows

# The kind of file job (registered by ``iae.file_jobs``) and its formats.
REQUESTS_EXPORT = "iae.requests_export"
FORMATS = ("csv", "xlsx")
# The list's title, which is the workbook's too.
LIST_LABEL = "Avis de la commission inclusion et IAE"


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


def export_name(committee: Committee, extension: str) -> str:
    return f"avis-commission-iae-{committee.pk}-{timezone.localdate():%Y%m%d}.{extension}"


def export_filters(export: IaeExport) -> Filters:
    return Filters(status=export.status, kind=export.kind, year=export.year)


@transaction.atomic
def request_export(*, user, committee: Committee, filters: Filters, fmt: str) -> FileJob:
    """DEC-IAE: queue the export of a CDE's list as filtered on screen; a task builds the
    file after the commit. The caller has checked ``can_view_iae`` (the job's pages check it
    again on every visit, the download included)."""
    # What old exports asked for goes a day after their jobs and files
    # (``purge_old_file_jobs``): a job's page never loses its subject while it is kept.
    limit = timezone.now() - timedelta(days=cte_setting("EXPORT_RETENTION_DAYS") + 1)
    IaeExport.objects.filter(created_at__lt=limit).delete()
    export = IaeExport.objects.create(
        committee=committee,
        requested_by=user,
        status=filters.status,
        kind=filters.kind,
        year=filters.year,
    )
    return request_file_job(user=user, kind=REQUESTS_EXPORT, target=export, fmt=fmt)


def build_export(export: IaeExport, fmt: str, progress) -> tuple[str, bytes]:
    """The file of one export (the task's side): the CDE's files the requester reads, with the
    filters of the request, as the list showed them."""
    committee = export.committee
    queryset = committee_requests(export.requested_by, committee, export_filters(export))
    if fmt == "csv":
        content = requests_csv(queryset).encode("utf-8")
    else:
        content = requests_xlsx(queryset, title=f"{LIST_LABEL} — {committee.name}")
    return export_name(committee, fmt), content
