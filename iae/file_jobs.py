"""The CSV and XLSX exports of a CDE's IAE list, built in the background
(``cte_portal.core.file_jobs``): the request records the job and redirects to its progress
page; the file goes to whom reads the CDE's IAE files (DEC-IAE)."""

from django.urls import reverse

from cte_portal.core.file_jobs import FileKind, register
from iae.exports import FORMATS, LIST_LABEL, REQUESTS_EXPORT, build_export, export_filters
from iae.models import IaeExport
from iae.permissions import can_view_iae


def _load(pk: int):
    return IaeExport.objects.select_related("committee", "requested_by").filter(pk=pk).first()


def _back_url(export: IaeExport) -> str:
    url = reverse("iae:committee", args=[export.committee_id])
    query = export_filters(export).query.rstrip("&")
    return f"{url}?{query}" if query else url


def register_kinds() -> None:
    register(
        FileKind(
            name=REQUESTS_EXPORT,
            formats=FORMATS,
            load=_load,
            may_read=lambda user, export: can_view_iae(user, export.committee),
            build=build_export,
            describe=lambda export: f"{LIST_LABEL.lower()} — {export.committee.name}",
            back_url=_back_url,
        )
    )
