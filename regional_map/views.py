"""Pages of the regional map of committees (INS-REGIONAL-MAP) and of its exports.

Access (``regional_map.permissions``): the whole map of a region for its DREETS agents and
admins (``can_view_regional_map``), a département's part for its DDETS agents too
(``can_export_departement``), the national roll-up for admins (``can_view_national_map``).
A territory outside the user's scope answers 404; a DDETS agent on their region's whole map,
or a non-admin on the national roll-up, gets 403. Export files are served by ``export_download``
only, to their requester (or an admin) while they keep the right to the territory.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from cte_portal.core.file_jobs import job_status
from cte_portal.core.page_cache import cached_body
from regional_map.cache import cached_national_rollup, cached_regional_map
from regional_map.exports.builder import ExportScope
from regional_map.exports.figure import attribution, build_figure
from regional_map.exports.jobs import request_map_export
from regional_map.models import ExportJob
from regional_map.permissions import (
    can_export_departement,
    can_view_national_map,
    can_view_regional_map,
)
from regional_map.selectors import (
    has_part_in_region,
    map_scopes,
)
from territories.cache import departements_by_code, regions_by_code
from territories.models import Departement, Region

RECENT_EXPORTS = 5


class ExportForm(DsfrBaseForm):
    format = forms.ChoiceField(
        label="Format de l'export",
        choices=ExportJob.Format.choices,
        initial=ExportJob.Format.XLSX,
        widget=forms.RadioSelect,
    )


# --- Access ---------------------------------------------------------------------------------------


def _region(request, code: str) -> Region:
    region = regions_by_code().get(code)
    if region is None:
        raise Http404
    if can_view_regional_map(request.user, region):
        return region
    if has_part_in_region(request.user, region):
        raise PermissionDenied("Vous avez accès à la cartographie de votre département seulement.")
    raise Http404


def _departement(request, code: str, departement_code: str) -> Departement:
    departement = departements_by_code().get(departement_code)
    if departement is None or departement.region_id != code:
        raise Http404
    if not can_export_departement(request.user, departement):
        raise Http404
    return departement


def _national(request) -> None:
    if not can_view_national_map(request.user):
        raise PermissionDenied("La synthèse nationale est réservée aux administrateurs.")


def _may_download(user, job: ExportJob) -> bool:
    """The requester keeps the file while they keep the right to its territory."""
    if job.departement_id:
        return can_export_departement(user, job.departement)
    if job.region_id:
        return can_view_regional_map(user, job.region)
    return can_view_national_map(user)


# --- Pages ----------------------------------------------------------------------------------------


def _crumbs(*items):
    return [("Cartographie des comités", reverse("regional_map:index")), *items]


def _committee_links(regional_map) -> None:
    try:
        reverse("committees:detail", args=[0])
    except NoReverseMatch:  # the committee pages are not mounted: no links
        return
    for entry in regional_map.committees:
        entry.url = reverse("committees:detail", args=[entry.pk])


def _recent_exports(request, **scope):
    return ExportJob.objects.filter(
        requested_by=request.user, kind=ExportJob.Kind.REGIONAL_MAP, **scope
    ).order_by("-created_at", "-pk")[:RECENT_EXPORTS]


def index(request):
    regions, departements = map_scopes(request.user)
    return render(
        request,
        "regional_map/index.html",
        {
            "title": "Cartographie des comités",
            "regions": regions,
            "departements": departements,
            "national": can_view_national_map(request.user),
            "breadcrumb": [("Cartographie des comités", None)],
        },
    )


def _map_body(request, regional_map, *, export_url: str, recent) -> dict:
    """The context of the body of a region's (or a département's) map page."""
    _committee_links(regional_map)
    return {
        "map": regional_map,
        "figure": build_figure(
            regional_map.departements,
            title=f"Couverture par département — {regional_map.title}",
        ),
        "attribution": attribution(),
        "form": ExportForm(),
        "export_url": export_url,
        "recent_exports": recent,
    }


def _map_page(request, *, place: str, body, breadcrumb):
    return render(
        request,
        "regional_map/region.html",
        {
            "title": f"Cartographie des comités — {place}",
            "body": body,
            "breadcrumb": breadcrumb,
        },
    )


def region_map(request, code: str):
    region = _region(request, code)

    def body_context() -> dict:
        return _map_body(
            request,
            cached_regional_map(region=region),
            export_url=reverse("regional_map:region_export", args=[region.code]),
            recent=_recent_exports(request, region=region, departement=None),
        )

    return _map_page(
        request,
        place=region.name,
        body=cached_body(request, "regional-map", "regional_map/region_body.html", body_context),
        breadcrumb=_crumbs((region.name, None)),
    )


def departement_map(request, code: str, departement_code: str):
    departement = _departement(request, code, departement_code)
    region = departement.region
    crumbs = [(departement.name, None)]
    if can_view_regional_map(request.user, region):
        crumbs.insert(0, (region.name, reverse("regional_map:region", args=[region.code])))
    regional_map = cached_regional_map(region=region, departement=departement)
    context = _map_body(
        request,
        regional_map,
        export_url=reverse("regional_map:departement_export", args=[region.code, departement.code]),
        recent=_recent_exports(request, departement=departement),
    )
    return _map_page(
        request,
        place=regional_map.title,
        body=render_to_string("regional_map/region_body.html", context, request=request),
        breadcrumb=_crumbs(*crumbs),
    )


def national_map(request):
    _national(request)

    def body_context() -> dict:
        rollup = cached_national_rollup()
        return {
            "rollup": rollup,
            "figure": build_figure(rollup.departements, title="Couverture par département"),
            "attribution": attribution(),
            "form": ExportForm(),
            "export_url": reverse("regional_map:national_export"),
            "recent_exports": _recent_exports(request, region=None),
        }

    return render(
        request,
        "regional_map/national.html",
        {
            "title": "Cartographie des comités — France entière",
            "body": cached_body(
                request, "regional-map-national", "regional_map/national_body.html", body_context
            ),
            "breadcrumb": _crumbs(("France entière", None)),
        },
    )


# --- Exports --------------------------------------------------------------------------------------


def _start_export(request, *, region=None, departement=None, back: str):
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le format de l'export.")
        return redirect(back)
    job = request_map_export(
        user=request.user, fmt=form.cleaned_data["format"], region=region, departement=departement
    )
    return redirect("regional_map:export", pk=job.pk)


@require_POST
def region_export(request, code: str):
    region = _region(request, code)
    return _start_export(
        request, region=region, back=reverse("regional_map:region", args=[region.code])
    )


@require_POST
def departement_export(request, code: str, departement_code: str):
    departement = _departement(request, code, departement_code)
    return _start_export(
        request,
        departement=departement,
        back=reverse("regional_map:departement", args=[code, departement.code]),
    )


@require_POST
def national_export(request):
    _national(request)
    return _start_export(request, back=reverse("regional_map:national"))


def _job(request, pk: int) -> ExportJob:
    job = get_object_or_404(
        ExportJob.objects.for_user(request.user).select_related("region", "departement"),
        pk=pk,
        kind=ExportJob.Kind.REGIONAL_MAP,
    )
    if not _may_download(request.user, job):
        raise Http404
    return job


def _job_status(job: ExportJob) -> dict:
    return job_status(job, reverse("regional_map:export_download", args=[job.pk]))


@never_cache
def export_detail(request, pk: int):
    job = _job(request, pk)
    scope = ExportScope(region=job.region, departement=job.departement)
    return render(
        request,
        "regional_map/export.html",
        {
            "title": f"Export n° {job.pk} — cartographie des comités",
            "job": job,
            "scope": scope,
            "status": _job_status(job),
            "status_url": reverse("regional_map:export_status", args=[job.pk]),
            "breadcrumb": _crumbs((f"Export n° {job.pk}", None)),
        },
    )


@never_cache
def export_status(request, pk: int):
    return JsonResponse(_job_status(_job(request, pk)))


def export_download(request, pk: int):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    content_types = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "application/zip",
        "pdf": "application/pdf",
    }
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=content_types[job.format],
    )
