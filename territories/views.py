"""Read-only pages of the territorial reference: regions → départements → communes."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from territories.models import Arrondissement, Commune, Departement, Epci, Ept, Region
from territories.selectors import (
    arrondissements_with_counts,
    commune_totals,
    current_communes_matching,
    departements_with_totals,
    epcis_of,
    regions_with_counts,
)

COMMUNES_PER_PAGE = 100


def _crumbs(*items):
    return [("Territoires", reverse("territories:regions")), *items]


def _departement_crumbs(departement: Departement, *items):
    """Territoires › region › département › ``items``."""
    return _crumbs(
        (departement.region.name, reverse("territories:region", args=[departement.region_id])),
        (departement.name, reverse("territories:departement", args=[departement.code])),
        *items,
    )


def region_list(request):
    return render(
        request,
        "territories/region_list.html",
        {"title": "Territoires", "regions": regions_with_counts()},
    )


def region_detail(request, code: str):
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "territories/region_detail.html",
        {
            "title": region.name,
            "region": region,
            "departements": departements_with_totals(region),
            "breadcrumb": _crumbs((region.name, None)),
        },
    )


def departement_detail(request, code: str):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    return render(
        request,
        "territories/departement_detail.html",
        {
            "title": departement.name,
            "departement": departement,
            "arrondissements": arrondissements_with_counts(departement),
            "epcis": epcis_of(departement),
            "totals": commune_totals(departement.communes.current()),
            "breadcrumb": _crumbs(
                (
                    departement.region.name,
                    reverse("territories:region", args=[departement.region_id]),
                ),
                (departement.name, None),
            ),
        },
    )


def _commune_page(request, communes, template_context: dict):
    communes = communes.current().select_related("departement", "epci").order_by("name")
    totals = commune_totals(communes)
    page = Paginator(communes, COMMUNES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "territories/commune_list.html",
        {**template_context, "page": page, "totals": totals},
    )


def arrondissement_detail(request, code: str):
    arrondissement = get_object_or_404(
        Arrondissement.objects.select_related("departement__region"), code=code
    )
    departement = arrondissement.departement
    return _commune_page(
        request,
        arrondissement.communes.all(),
        {
            "title": f"Arrondissement de {arrondissement.name}",
            "territory": arrondissement,
            "kind": "Arrondissement",
            "breadcrumb": _departement_crumbs(departement, (arrondissement.name, None)),
        },
    )


def epci_detail(request, code: str):
    epci = get_object_or_404(Epci, code=code)
    return _commune_page(
        request,
        epci.communes.all(),
        {
            "title": epci.name,
            "territory": epci,
            "kind": epci.get_kind_display(),
            "breadcrumb": _crumbs((epci.name, None)),
        },
    )


def ept_detail(request, code: str):
    ept = get_object_or_404(Ept, code=code)
    return _commune_page(
        request,
        ept.communes.all(),
        {
            "title": ept.name,
            "territory": ept,
            "kind": "Établissement public territorial",
            "breadcrumb": _crumbs((ept.name, None)),
        },
    )


def commune_detail(request, code: str):
    commune = get_object_or_404(
        Commune.objects.select_related("departement__region", "arrondissement", "epci", "ept"),
        code=code,
    )
    departement = commune.departement
    return render(
        request,
        "territories/commune_detail.html",
        {
            "title": commune.name,
            "commune": commune,
            "breadcrumb": _departement_crumbs(departement, (commune.name, None)),
        },
    )


def search(request):
    """Search current communes by INSEE code (exact or prefix) or by name (accent-sensitive)."""
    query = request.GET.get("q", "").strip()
    results = current_communes_matching(query) if query else Commune.objects.none()
    page = Paginator(results, COMMUNES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "territories/search.html",
        {
            "title": f"Recherche « {query} »" if query else "Rechercher une commune",
            "query": query,
            "page": page,
            "page_query": f"{urlencode({'q': query})}&" if query else "",
            "breadcrumb": _crumbs(("Recherche", None)),
        },
    )
