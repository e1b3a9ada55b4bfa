"""The PDF of a version of a committee's rules of procedure (INS-RULES), built by a task
(``cte_portal.core.file_jobs``): the request records the job and redirects to its progress
page; the file goes to whom sees the committee."""

from django.urls import reverse
from django.utils.text import slugify

from committees.models import RulesOfProcedure
from committees.permissions import can_view_committee
from cte_portal.core.file_jobs import FileKind, register
from cte_portal.core.pdf import render_pdf

RULES_PDF = "committees.rules_of_procedure_pdf"


def _load(pk: int):
    return RulesOfProcedure.objects.select_related("committee__region").filter(pk=pk).first()


def _build(version: RulesOfProcedure, fmt: str, progress) -> tuple[str, bytes]:
    committee = version.committee
    state = (
        f"adopté le {version.adopted_on:%d/%m/%Y}" if version.is_adopted else "projet non adopté"
    )
    pdf = render_pdf(
        "committees/pdf/rules_of_procedure.html",
        {
            "running_title": committee.name,
            "running_subtitle": f"Règlement intérieur — version {version.version} ({state})",
            "committee": committee,
            "rules": version,
            "sections": version.sections(),
        },
    )
    return f"reglement-interieur-{slugify(committee.name)}-v{version.version}.pdf", pdf


def register_kinds() -> None:
    register(
        FileKind(
            name=RULES_PDF,
            formats=("pdf",),
            load=_load,
            may_read=lambda user, version: can_view_committee(user, version.committee),
            build=_build,
            describe=lambda version: (
                f"règlement intérieur, version {version.version} — {version.committee.name}"
            ),
            back_url=lambda version: reverse("committees:rules_version", args=[version.pk]),
        )
    )
