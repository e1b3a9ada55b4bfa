"""What the funders' conferences read of the roadmaps (INS-FUNDERS, INS-ROADMAP): the action
sheets their offer should cover and the indicators a convention commits to. The one module of
``roadmaps`` that ``funders`` may import (the import contract in ``pyproject.toml`` says so)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from committees.models import Committee
from roadmaps.models import ActionSheet, ResultIndicator, RoadmapIndicator

CLOSED_SHEET_STATUSES = (ActionSheet.Status.DONE, ActionSheet.Status.ABANDONED)


def open_action_sheets(*, committees: Iterable[Committee]) -> QuerySet[ActionSheet]:
    """The sheets of the committees' roadmaps still under way (neither done nor abandoned),
    with their axis, roadmap and committee, in the order of the roadmaps."""
    return (
        ActionSheet.objects.filter(axis__roadmap__committee__in=[c.pk for c in committees])
        .exclude(status__in=CLOSED_SHEET_STATUSES)
        .select_related("axis__roadmap__committee")
        .order_by("axis__roadmap__committee__name", "axis__position", "position", "pk")
    )


def active_result_indicators() -> QuerySet[ResultIndicator]:
    """The common result indicators still in use, in the catalogue's order."""
    return ResultIndicator.objects.filter(is_active=True).order_by("position", "code")


def result_indicator(*, code: str) -> ResultIndicator | None:
    """The common result indicator of that code, if the catalogue has it."""
    return ResultIndicator.objects.filter(code=code).first()


def roadmap_indicators(*, committee: Committee) -> QuerySet[RoadmapIndicator]:
    """The indicators the sheets of the committee's roadmap follow."""
    return RoadmapIndicator.objects.filter(sheet__axis__roadmap__committee=committee).order_by("pk")
