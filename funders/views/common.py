"""Shared pieces of the funders' views: scoped lookups (404 outside the user's scope), the 403
gate and the breadcrumbs."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from committees.models import Committee
from committees.selectors import visible_committee
from funders.models import (
    Convention,
    Funder,
    FundersConference,
    FundingLine,
    FundingLineImport,
    FundingNeed,
)

PER_PAGE = 50


def get_committee(request, pk: int) -> Committee:
    return visible_committee(request.user, pk)


def visible_conferences(user):
    return FundersConference.objects.visible_to(user)


def get_conference(request, pk: int) -> FundersConference:
    return get_object_or_404(
        visible_conferences(request.user).select_related(
            "committee", "committee__region", "committee__parent", "meeting"
        ),
        pk=pk,
    )


def get_line(request, pk: int) -> FundingLine:
    return get_object_or_404(
        FundingLine.objects.filter(
            conference__in=visible_conferences(request.user).values("pk")
        ).select_related("conference", "conference__committee", "funder"),
        pk=pk,
    )


def get_import(request, pk: int) -> FundingLineImport:
    return get_object_or_404(
        FundingLineImport.objects.filter(
            conference__in=visible_conferences(request.user).values("pk")
        ).select_related("conference", "conference__committee", "uploaded_by", "imported_by"),
        pk=pk,
    )


def get_funder(request, pk: int) -> Funder:
    return get_object_or_404(
        Funder.objects.filter(
            committee__in=Committee.objects.visible_to(request.user)
        ).select_related("committee", "contact"),
        pk=pk,
    )


def get_need(request, pk: int) -> FundingNeed:
    """A need is seen by whoever sees its local conference, or the departmental conference
    that answers it (the committee above)."""
    user = request.user
    scope = Q(conference__in=visible_conferences(user).values("pk")) | Q(
        conference__committee__parent__in=Committee.objects.visible_to(user).values("pk")
    )
    return get_object_or_404(
        FundingNeed.objects.filter(scope).select_related(
            "conference", "conference__committee", "funding_line__funder"
        ),
        pk=pk,
    )


def get_convention(request, pk: int) -> Convention:
    return get_object_or_404(
        Convention.objects.filter(
            committee__in=Committee.objects.visible_to(request.user)
        ).select_related("committee"),
        pk=pk,
    )


def crumbs(*items, committee: Committee | None = None, conference=None):
    result = [("Conférences des financeurs", reverse("funders:index"))]
    committee = committee or (conference.committee if conference else None)
    if committee is not None:
        result.append((committee.name, reverse("funders:committee", args=[committee.pk])))
    if conference is not None:
        result.append((conference.title, conference.get_absolute_url()))
    return [*result, *items]
