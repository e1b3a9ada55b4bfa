"""Shared pieces of the roadmap views: scoped lookups (404 outside the user's scope), the
403 gate and the breadcrumbs."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from committees.models import Committee
from committees.selectors import visible_committee
from roadmaps.models import ActionSheet, ActorRole, Axis, Roadmap, RoadmapIndicator


def visible_committees(user):
    return Committee.objects.visible_to(user)


def get_committee(request, pk: int) -> Committee:
    return visible_committee(request.user, pk)


def get_roadmap(request, pk: int) -> Roadmap:
    return get_object_or_404(
        Roadmap.objects.visible_to(request.user).select_related(
            "committee", "committee__region", "committee__parent", "committee__parent__parent"
        ),
        pk=pk,
    )


def get_axis(request, pk: int) -> Axis:
    return get_object_or_404(
        Axis.objects.filter(roadmap__committee__in=visible_committees(request.user)).select_related(
            "roadmap", "roadmap__committee"
        ),
        pk=pk,
    )


def get_sheet(request, pk: int) -> ActionSheet:
    return get_object_or_404(
        ActionSheet.objects.filter(
            axis__roadmap__committee__in=visible_committees(request.user)
        ).select_related("axis", "axis__roadmap", "axis__roadmap__committee"),
        pk=pk,
    )


def get_actor(request, pk: int) -> ActorRole:
    return get_object_or_404(
        ActorRole.objects.filter(
            sheet__axis__roadmap__committee__in=visible_committees(request.user)
        ).select_related("sheet", "sheet__axis", "sheet__axis__roadmap__committee"),
        pk=pk,
    )


def get_roadmap_indicator(request, pk: int) -> RoadmapIndicator:
    return get_object_or_404(
        RoadmapIndicator.objects.filter(
            sheet__axis__roadmap__committee__in=visible_committees(request.user)
        ).select_related("sheet", "sheet__axis", "sheet__axis__roadmap__committee"),
        pk=pk,
    )


def roadmap_crumbs(roadmap: Roadmap | None = None, *items, committee: Committee | None = None):
    crumbs = [("Feuilles de route", reverse("roadmaps:list"))]
    committee = committee or (roadmap.committee if roadmap else None)
    if roadmap is not None:
        crumbs.append((committee.name, roadmap.get_absolute_url()))
    elif committee is not None:
        crumbs.append((committee.name, reverse("roadmaps:committee", args=[committee.pk])))
    return [*crumbs, *items]
