"""Reads of the territorial reference for its pages and API: current territories with their
counts and populations, and the commune search."""

from django.db.models import Count, Q, Sum

from territories.models import Commune, Departement, Epci, Region

CURRENT_COMMUNES = Q(communes__is_current=True)


def regions_with_counts():
    """Current regions, each with its number of current départements."""
    return Region.objects.current().annotate(
        departement_count=Count("departements", filter=Q(departements__is_current=True))
    )


def departements_with_totals(region: Region):
    """The region's current départements, with their current communes' count and population."""
    return region.departements.current().annotate(
        commune_count=Count("communes", filter=CURRENT_COMMUNES),
        population=Sum("communes__population", filter=CURRENT_COMMUNES),
    )


def arrondissements_with_counts(departement: Departement):
    return departement.arrondissements.current().annotate(
        commune_count=Count("communes", filter=CURRENT_COMMUNES)
    )


def epcis_of(departement: Departement):
    """The current EPCI with communes in the département, with how many of them are there."""
    return (
        Epci.objects.current()
        .filter(communes__departement=departement, communes__is_current=True)
        .annotate(commune_count=Count("communes"))
        .order_by("name")
    )


def commune_totals(communes) -> dict:
    """``count`` and ``population`` of these communes."""
    return communes.aggregate(count=Count("code"), population=Sum("population"))


def search_communes(queryset, query: str):
    """An INSEE code (or its beginning, ``2A``/``2B`` included) or a part of the name."""
    if query[:1].isdigit() or query[:2].upper() in ("2A", "2B"):
        return queryset.filter(code__istartswith=query)
    return queryset.filter(name__icontains=query)


def current_communes_matching(query: str):
    """The current communes ``search_communes`` finds, by name then code."""
    return search_communes(Commune.objects.current().select_related("departement"), query).order_by(
        "name", "code"
    )
