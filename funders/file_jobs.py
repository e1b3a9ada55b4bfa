"""The offer map exports (XLSX, PDF) of a conference, built in the background
(``cte_portal.core.file_jobs``): the request records the job, a task builds the file
(INS-FUNDERS)."""

from django.utils.text import slugify

from cte_portal.core.file_jobs import FileKind, register
from funders import permissions as perms
from funders.models import FundersConference
from funders.selectors.analysis import OfferMap
from funders.services.exports import offer_map_pdf, offer_map_xlsx

OFFER_MAP = "funders.offer_map"


def _load(pk: int):
    return (
        FundersConference.objects.select_related("committee", "committee__region")
        .filter(pk=pk)
        .first()
    )


def _build(conference, fmt: str, progress) -> tuple[str, bytes]:
    offer = OfferMap.build(conference)
    progress(50)
    content = offer_map_xlsx(offer) if fmt == "xlsx" else offer_map_pdf(offer)
    return f"offre-{slugify(conference.title)[:60]}-{conference.pk}.{fmt}", content


def register_kinds() -> None:
    register(
        FileKind(
            name=OFFER_MAP,
            formats=("xlsx", "pdf"),
            load=_load,
            may_read=perms.can_export_conference,
            build=_build,
            describe=lambda conference: f"offre de la conférence « {conference.title} »",
            back_url=lambda conference: conference.get_absolute_url(),
        )
    )
