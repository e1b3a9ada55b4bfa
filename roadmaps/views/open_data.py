"""INS-OPEN-DATA: public pages without sign-in — published roadmaps and indicator values per
committee and territory — and downloads in CSV (UTF-8, comma, ISO dates) and JSON, each with
its Table Schema, under Licence Ouverte 2.0. No personal data ever appears here."""

import csv
import json
from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from committees.models import Committee
from cte_portal.core.page_cache import cached_body
from cte_portal.core.spreadsheets import csv_safe
from roadmaps.cache import cached_dashboard
from roadmaps.models import CarPresentation, RoadmapVersion
from roadmaps.selectors import open_data
from roadmaps.selectors.dashboards import territory_dashboard
from roadmaps.services.versions import snapshot_axes, snapshot_progress
from roadmaps.throttling import OpenDataRateThrottle
from territories.models import Departement, Region

PER_PAGE = 50
FORMATS = {"csv", "json"}


def _crumbs(*items):
    return [("Données ouvertes", reverse("open_data:index")), *items]


def _scope(request) -> dict:
    """``region``, ``departement`` and ``comite`` filters from the query string, checked."""
    scope = {}
    for key, param in (
        ("region", "region"),
        ("departement", "departement"),
        ("committee", "comite"),
    ):
        value = request.GET.get(param, "").strip()
        if value:
            if len(value) > 10 or not value.isalnum():
                raise Http404
            scope[key] = value
    if "committee" in scope and not scope["committee"].isdigit():
        raise Http404
    return scope


@login_not_required
@require_GET
def index(request):
    regions = (
        Region.objects.filter(committees__roadmap__published_version__gt=0)
        .annotate(published=Count("committees", distinct=True))
        .order_by("name")
    )
    committees = Paginator(
        open_data.public_committees()
        .select_related("region", "roadmap")
        .order_by("region__name", "level", "name"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmaps/open_data/index.html",
        {
            "title": "Données ouvertes des comités pour l'emploi",
            "regions": regions,
            "committees": committees,
            "datasets": _dataset_links(),
            "licence": open_data.LICENCE,
            "breadcrumb": _crumbs(),
        },
    )


def _dataset_links(query: str = "") -> list[dict]:
    suffix = f"?{query}" if query else ""
    return [
        {
            "title": spec["title"],
            "csv": reverse("open_data:download", args=[name, "csv"]) + suffix,
            "json": reverse("open_data:download", args=[name, "json"]) + suffix,
            "schema": reverse("open_data:schema", args=[name]),
        }
        for name, spec in open_data.DATASETS.items()
    ]


@login_not_required
@require_GET
def committee_page(request, pk: int):
    committee = get_object_or_404(
        open_data.public_committees().select_related("region", "roadmap"), pk=pk
    )
    roadmap = committee.roadmap

    def body_context() -> dict:
        version = get_object_or_404(
            RoadmapVersion, roadmap=roadmap, number=roadmap.published_version
        )
        return {
            "committee": committee,
            "version": version,
            "snapshot": version.snapshot,
            "progress": snapshot_progress(version.snapshot),
            "axes": snapshot_axes(version.snapshot),
            "versions": roadmap.versions.only("number", "published_at", "roadmap_id"),
            "car_presentations": CarPresentation.objects.filter(roadmap=roadmap),
            "dashboard": cached_dashboard(committee, public=True),
            "datasets": _dataset_links(f"comite={committee.pk}"),
            "licence": open_data.LICENCE,
        }

    # Public: every anonymous reader shares one body (no user, no form in it).
    body = cached_body(
        request, "open-data-committee", "roadmaps/open_data/committee_body.html", body_context
    )
    return render(
        request,
        "roadmaps/open_data/committee.html",
        {
            "title": f"{committee.name} — données ouvertes",
            "committee": committee,
            "body": body,
            "breadcrumb": _crumbs((committee.name, None)),
        },
    )


@login_not_required
@require_GET
def region_page(request, code: str):
    region = get_object_or_404(Region, code=code)
    return _territory(
        request,
        region.name,
        territory_dashboard(region=region),
        f"region={region.code}",
        region.departements.current().order_by("code"),
    )


@login_not_required
@require_GET
def departement_page(request, code: str):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    return _territory(
        request,
        f"{departement.name} ({departement.code})",
        territory_dashboard(departement=departement),
        f"departement={departement.code}",
        [],
        region=departement.region,
    )


def _territory(request, label, dashboard, query, departements, region=None):
    crumbs = []
    if region is not None:
        crumbs.append((region.name, reverse("open_data:region", args=[region.code])))
    return render(
        request,
        "roadmaps/open_data/territory.html",
        {
            "title": f"{label} — données ouvertes",
            "label": label,
            "dashboard": dashboard,
            "departements": departements,
            "datasets": _dataset_links(query),
            "licence": open_data.LICENCE,
            "breadcrumb": _crumbs(*crumbs, (label, None)),
        },
    )


# --- Downloads ----------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def _stream_csv(rows, columns):
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow([csv_safe(c.name) for c in columns])
    for row in rows:
        # A text that a spreadsheet would run as a formula is neutralised (not the numbers).
        yield writer.writerow([_csv_cell(csv_safe(row.get(c.name))) for c in columns])


def _json_cell(value, column):
    if value in ("", None):
        return None
    if column.type == "integer":
        return int(value)
    if column.type == "number":
        return float(Decimal(value))
    return value


def _stream_json(rows, columns, *, title: str, schema_url: str):
    head = {"title": title, "licence": open_data.LICENCE, "schema": schema_url}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    first = True
    for row in rows:
        record = {c.name: _json_cell(row.get(c.name), c) for c in columns}
        yield ("" if first else ",") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}"


def _throttled(request) -> bool:
    return not OpenDataRateThrottle().allow_request(request, None)


@login_not_required
@require_GET
def download(request, dataset: str, fmt: str):
    """A dataset, streamed row by row (a region's file is never built in memory)."""
    if dataset not in open_data.DATASETS or fmt not in FORMATS:
        raise Http404
    if _throttled(request):
        return HttpResponse("Trop de requêtes : réessayez dans une minute.", status=429)
    scope = _scope(request)
    spec = open_data.DATASETS[dataset]
    rows = open_data.ROWS[dataset](**scope)
    filename = "-".join([dataset, *scope.values()])
    if fmt == "csv":
        response = StreamingHttpResponse(
            _stream_csv(rows, spec["columns"]), content_type="text/csv; charset=utf-8"
        )
    else:
        schema_url = request.build_absolute_uri(reverse("open_data:schema", args=[dataset]))
        response = StreamingHttpResponse(
            _stream_json(rows, spec["columns"], title=spec["title"], schema_url=schema_url),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Link"] = (
        f'<{reverse("open_data:schema", args=[dataset])}>; rel="describedby"; '
        'type="application/schema+json"'
    )
    return response


@login_not_required
@require_GET
def schema(request, dataset: str):
    if dataset not in open_data.DATASETS:
        raise Http404
    url = request.build_absolute_uri(reverse("open_data:schema", args=[dataset]))
    return JsonResponse(
        open_data.table_schema(dataset, url=url), json_dumps_params={"ensure_ascii": False}
    )


app_name = "open_data"

urlpatterns = [
    path("", index, name="index"),
    path("comites/<int:pk>/", committee_page, name="committee"),
    path("regions/<str:code>/", region_page, name="region"),
    path("departements/<str:code>/", departement_page, name="departement"),
    path("telechargements/<str:dataset>.schema.json", schema, name="schema"),
    path("telechargements/<str:dataset>.<str:fmt>", download, name="download"),
]

__all__ = ["Committee"]
