"""Read-only pages of the territorial reference: regions → départements → communes."""

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from territories.models import Arrondissement, Commune, Departement, Epci, Ept, Region

COMMUNES_PER_PAGE = 100


def _crumbs(*items):
    return [("Territoires", reverse("territories:regions")), *items]


def region_list(request):
    regions = Region.objects.current().annotate(
        departement_count=Count("departements", filter=Q(departements__is_current=True))
    )
    return render(
        request,
        "territories/region_list.html",
        {"title": "Territoires", "regions": regions},
    )


def region_detail(request, code: str):
    region = get_object_or_404(Region, code=code)
    departements = region.departements.current().annotate(
        commune_count=Count("communes", filter=Q(communes__is_current=True)),
        population=Sum("communes__population", filter=Q(communes__is_current=True)),
    )
    return render(
        request,
        "territories/region_detail.html",
        {
            "title": region.name,
            "region": region,
            "departements": departements,
            "breadcrumb": _crumbs((region.name, None)),
        },
    )


def departement_detail(request, code: str):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    communes = departement.communes.current()
    arrondissements = departement.arrondissements.current().annotate(
        commune_count=Count("communes", filter=Q(communes__is_current=True))
    )
    epcis = (
        Epci.objects.current()
        .filter(communes__departement=departement, communes__is_current=True)
        .annotate(commune_count=Count("communes"))
        .order_by("name")
    )
    return render(
        request,
        "territories/departement_detail.html",
        {
            "title": departement.name,
            "departement": departement,
            "arrondissements": arrondissements,
            "epcis": epcis,
            "totals": communes.aggregate(count=Count("code"), population=Sum("population")),
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
    totals = communes.aggregate(count=Count("code"), population=Sum("population"))
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
            "breadcrumb": _crumbs(
                (
                    departement.region.name,
                    reverse("territories:region", args=[departement.region_id]),
                ),
                (departement.name, reverse("territories:departement", args=[departement.code])),
                (arrondissement.name, None),
            ),
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
            "breadcrumb": _crumbs(
                (
                    departement.region.name,
                    reverse("territories:region", args=[departement.region_id]),
                ),
                (departement.name, reverse("territories:departement", args=[departement.code])),
                (commune.name, None),
            ),
        },
    )


def search(request):
    """Search current communes by INSEE code (exact or prefix) or by name (accent-sensitive)."""
    query = request.GET.get("q", "").strip()
    results = Commune.objects.none()
    if query:
        results = Commune.objects.current().select_related("departement")
        if query[:1].isdigit() or query[:2].upper() in ("2A", "2B"):
            results = results.filter(code__istartswith=query)
        else:
            results = results.filter(name__icontains=query)
        results = results.order_by("name", "code")
    page = Paginator(results, COMMUNES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "territories/search.html",
        {
            "title": f"Recherche « {query} »" if query else "Rechercher une commune",
            "query": query,
            "page": page,
            "breadcrumb": _crumbs(("Recherche", None)),
        },
    )
