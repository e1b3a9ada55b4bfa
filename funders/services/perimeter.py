"""The territory a committee covers, for the funding lines that cover part of it."""

from django.db.models import QuerySet

from committees.models import Committee, Level
from territories.models import Commune, Epci


def perimeter_communes(committee: Committee) -> QuerySet:
    """Current communes of the committee's territory: a CLE's communes, a CDE's
    départements, a CRE's region."""
    communes = Commune.objects.current()
    if committee.level == Level.LOCAL:
        return communes.filter(local_committees=committee)
    if committee.level == Level.DEPARTMENTAL:
        return communes.filter(departement__in=committee.departements.all())
    return communes.filter(region_id=committee.region_id)


def perimeter_epcis(committee: Committee) -> QuerySet:
    """EPCI with at least one commune in the committee's territory."""
    return Epci.objects.current().filter(
        pk__in=perimeter_communes(committee).exclude(epci=None).values("epci")
    )
