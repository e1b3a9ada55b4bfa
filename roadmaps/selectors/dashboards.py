"""Dashboards (INS-INDICATORS, INS-OPEN-DATA): a committee's roadmap progress, its indicators
over time against their targets, their breakdowns, and the sum or average over the committees
below it (a CDE over its CLEs, a CRE over its CDEs).

Every function reads in a fixed number of queries whatever the number of sheets and values:
rows are fetched once and grouped in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Prefetch, Q, Sum

from committees.models import Committee, Level
from roadmaps.models import (
    ActionSheet,
    Aggregation,
    Axis,
    IndicatorTarget,
    IndicatorValue,
    ResultIndicator,
    Roadmap,
    RoadmapIndicator,
    RoadmapVersion,
)
from roadmaps.selectors.charts import BarChart, LineChart, Series
from roadmaps.services.progress import axis_progress, roadmap_progress
from roadmaps.services.versions import snapshot_progress

CHILD_LEVEL = {Level.DEPARTMENTAL: Level.LOCAL, Level.REGIONAL: Level.DEPARTMENTAL}
CHILD_LABEL = {Level.DEPARTMENTAL: "Ensemble des CLE", Level.REGIONAL: "Ensemble des CDE"}


@dataclass
class AxisProgress:
    title: str
    progress: int | None
    sheet_count: int


@dataclass
class IndicatorPanel:
    """One indicator on a dashboard: its line chart, its breakdown at the latest date."""

    code: str
    name: str
    unit: str
    kind: str  # "common" or "specific"
    definition: str
    chart: LineChart
    breakdown: BarChart | None = None
    aggregation_label: str = ""
    is_illustrative: bool = False
    sheet_title: str = ""
    html: str = ""  # the rendered panel, when kept in the cache (``roadmaps.cache``)


@dataclass
class Dashboard:
    committee: Committee
    roadmap: Roadmap | None
    progress: int | None = None
    axes: list[AxisProgress] = field(default_factory=list)
    common: list[IndicatorPanel] = field(default_factory=list)
    specific: list[IndicatorPanel] = field(default_factory=list)
    children_label: str = ""
    children_count: int = 0


def _live_progress(roadmap: Roadmap) -> tuple[int | None, list[AxisProgress]]:
    axes = list(
        Axis.objects.filter(roadmap=roadmap)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("sheets", queryset=ActionSheet.objects.only("axis_id", "status", "progress"))
        )
    )
    rows = [AxisProgress(a.title, axis_progress(a.sheets.all()), len(a.sheets.all())) for a in axes]
    return roadmap_progress([a.sheets.all() for a in axes]), rows


def _published_progress(version: RoadmapVersion) -> tuple[int | None, list[AxisProgress]]:
    progress = snapshot_progress(version.snapshot)
    rows = [
        AxisProgress(a["title"], progress["axes"][a["key"]], len(a["sheets"]))
        for a in version.snapshot["axes"]
    ]
    return progress["roadmap"], rows


def _breakdown(key, name, unit, values: list[IndicatorValue]) -> BarChart | None:
    by_category = [v for v in values if v.category_id]
    if not by_category:
        return None
    latest = max(v.period for v in by_category)
    bars = [
        (f"{v.category.typology.label} — {v.category.label}", v.value)
        for v in sorted(
            (v for v in by_category if v.period == latest),
            key=lambda v: (
                v.category.typology.position,
                v.category.typology_id,
                v.category.position,
            ),
        )
    ]
    return BarChart(f"{key}-breakdown", f"{name} : ventilation", unit, latest, bars)


def committee_dashboard(committee: Committee, *, public: bool = False) -> Dashboard:
    """The dashboard of one committee. ``public``: only what is published (INS-OPEN-DATA) —
    the last published version's progress and the values of published indicators."""
    roadmap = Roadmap.objects.filter(committee=committee).first()
    dashboard = Dashboard(committee=committee, roadmap=roadmap)
    if roadmap is not None:
        if public:
            version = roadmap.versions.filter(number=roadmap.published_version).first()
            if version is not None:
                dashboard.progress, dashboard.axes = _published_progress(version)
        else:
            dashboard.progress, dashboard.axes = _live_progress(roadmap)

    values = IndicatorValue.objects.filter(committee=committee).select_related(
        "category", "category__typology"
    )
    if public:
        values = values.filter(
            Q(result_indicator__isnull=False)
            | Q(roadmap_indicator__first_published_at__isnull=False)
        )
    common_values: dict[int, list[IndicatorValue]] = defaultdict(list)
    specific_values: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in values.order_by("period"):
        if value.result_indicator_id:
            common_values[value.result_indicator_id].append(value)
        else:
            specific_values[value.roadmap_indicator_id].append(value)

    targets = {t.indicator_id: t for t in IndicatorTarget.objects.filter(committee=committee)}
    child_level = CHILD_LEVEL.get(committee.level)
    aggregates: dict[int, dict] = defaultdict(dict)
    if child_level:
        dashboard.children_label = CHILD_LABEL[committee.level]
        dashboard.children_count = (
            Committee.objects.filter(parent=committee, level=child_level).active().count()
        )
        rows = (
            IndicatorValue.objects.filter(
                committee__parent=committee,
                committee__level=child_level,
                result_indicator__isnull=False,
                category__isnull=True,
            )
            .values("result_indicator_id", "result_indicator__aggregation", "period")
            .annotate(total=Sum("value"), mean=Avg("value"), n=Count("pk"))
            .order_by("period")
        )
        for row in rows:
            use_sum = row["result_indicator__aggregation"] == Aggregation.SUM
            value = row["total"] if use_sum else Decimal(row["mean"]).quantize(Decimal("0.01"))
            aggregates[row["result_indicator_id"]][row["period"]] = value

    for indicator in ResultIndicator.objects.filter(is_active=True).order_by("position", "code"):
        own = common_values.get(indicator.pk, [])
        target = targets.get(indicator.pk)
        series = [Series(committee.name, {v.period: v.value for v in own if not v.category_id})]
        if child_level:
            series.append(Series(dashboard.children_label, aggregates.get(indicator.pk, {})))
        key = f"c{indicator.pk}"
        dashboard.common.append(
            IndicatorPanel(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                kind="common",
                definition=indicator.definition,
                chart=LineChart(
                    key,
                    indicator.name,
                    indicator.unit,
                    series,
                    target=target.target if target else None,
                    target_due=target.due_on if target else None,
                ),
                breakdown=_breakdown(key, indicator.name, indicator.unit, own),
                aggregation_label=indicator.get_aggregation_display(),
                is_illustrative=indicator.is_illustrative,
            )
        )

    if roadmap is not None:
        specific = RoadmapIndicator.objects.filter(sheet__axis__roadmap=roadmap).select_related(
            "sheet"
        )
        if public:
            specific = specific.filter(first_published_at__isnull=False)
        for indicator in specific.order_by("sheet__axis__position", "sheet__position", "pk"):
            own = specific_values.get(indicator.pk, [])
            key = f"s{indicator.pk}"
            series = [Series(committee.name, {v.period: v.value for v in own if not v.category_id})]
            dashboard.specific.append(
                IndicatorPanel(
                    code=f"spec-{indicator.pk}",
                    name=indicator.name,
                    unit=indicator.unit,
                    kind="specific",
                    definition="",
                    chart=LineChart(
                        key,
                        indicator.name,
                        indicator.unit,
                        series,
                        target=indicator.target,
                        target_due=indicator.due_on,
                    ),
                    breakdown=_breakdown(key, indicator.name, indicator.unit, own),
                    sheet_title=indicator.sheet.title,
                )
            )
    return dashboard


@dataclass
class TerritoryDashboard:
    label: str
    committees: list[dict]
    panels: list[IndicatorPanel]
    level_label: str


def territory_dashboard(*, region=None, departement=None) -> TerritoryDashboard:
    """INS-OPEN-DATA: the public dashboard of a region or a département — its committees with
    a published roadmap, and the common indicators summed or averaged over the committees of
    the level that covers it (CLEs of a département, CDEs of a region)."""
    committees = Committee.objects.active().select_related("roadmap")
    if departement is not None:
        committees = committees.filter(departements=departement).distinct()
        level, label, level_label = Level.LOCAL, departement.name, "comités locaux"
    else:
        committees = committees.filter(region=region)
        level, label, level_label = Level.DEPARTMENTAL, region.name, "comités départementaux"
    committees = list(committees.order_by("level", "name"))
    published = [c for c in committees if hasattr(c, "roadmap") and c.roadmap.published_version]
    versions = {
        v.roadmap_id: v
        for v in RoadmapVersion.objects.filter(
            roadmap__committee__in=[c.pk for c in published],
            number=F("roadmap__published_version"),
        )
    }
    rows = []
    for committee in published:
        version = versions.get(committee.roadmap.pk)
        progress = snapshot_progress(version.snapshot)["roadmap"] if version else None
        rows.append(
            {
                "committee": committee,
                "version": committee.roadmap.published_version,
                "published_at": committee.roadmap.published_at,
                "progress": progress,
            }
        )
    covering = [c.pk for c in published if c.level == level]
    aggregates: dict[int, dict] = defaultdict(dict)
    for row in (
        IndicatorValue.objects.filter(
            committee__in=covering, result_indicator__isnull=False, category__isnull=True
        )
        .values("result_indicator_id", "result_indicator__aggregation", "period")
        .annotate(total=Sum("value"), mean=Avg("value"))
        .order_by("period")
    ):
        use_sum = row["result_indicator__aggregation"] == Aggregation.SUM
        value = row["total"] if use_sum else Decimal(row["mean"]).quantize(Decimal("0.01"))
        aggregates[row["result_indicator_id"]][row["period"]] = value
    panels = []
    for indicator in ResultIndicator.objects.filter(is_active=True).order_by("position", "code"):
        series = [Series(f"Ensemble des {level_label}", aggregates.get(indicator.pk, {}))]
        panels.append(
            IndicatorPanel(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                kind="common",
                definition=indicator.definition,
                chart=LineChart(f"t{indicator.pk}", indicator.name, indicator.unit, series),
                aggregation_label=indicator.get_aggregation_display(),
                is_illustrative=indicator.is_illustrative,
            )
        )
    return TerritoryDashboard(label, rows, panels, level_label)
