"""Shared pieces of the roadmap views: scoped lookups (404 outside the user's scope), the
403 gate, and the way a refused rule lands on a form."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from committees.models import Committee
from cte_portal.core.errors import RuleError
from roadmaps.models import ActionSheet, ActorRole, Axis, Roadmap, RoadmapIndicator


def visible_committees(user):
    return Committee.objects.visible_to(user)


def get_committee(request, pk: int) -> Committee:
    return get_object_or_404(visible_committees(request.user).select_related("region"), pk=pk)


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


def require(allowed: bool) -> None:
    """A visible object, a forbidden action: 403."""
    if not allowed:
        raise PermissionDenied


def add_rule_error(form, error: RuleError) -> None:
    """Show a refused rule's French messages on the form (on its field when it has one)."""
    field = error.field if error.field in form.fields else None
    for message in error.messages:
        form.add_error(field, message)


def roadmap_crumbs(roadmap: Roadmap | None = None, *items, committee: Committee | None = None):
    crumbs = [("Feuilles de route", reverse("roadmaps:list"))]
    committee = committee or (roadmap.committee if roadmap else None)
    if roadmap is not None:
        crumbs.append((committee.name, roadmap.get_absolute_url()))
    elif committee is not None:
        crumbs.append((committee.name, reverse("roadmaps:committee", args=[committee.pk])))
    return [*crumbs, *items]


def form_page(
    request,
    *,
    form,
    title: str,
    submit: str,
    cancel_url: str,
    breadcrumb,
    intro: str = "",
    multipart: bool = False,
    status: int = 200,
):
    """A page with one form (most writes of the app)."""
    return render(
        request,
        "roadmaps/form.html",
        {
            "title": title,
            "form": form,
            "submit_label": submit,
            "cancel_url": cancel_url,
            "breadcrumb": breadcrumb,
            "intro": intro,
            "multipart": multipart,
        },
        status=status,
    )
