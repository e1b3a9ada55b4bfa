"""Snapshots of a roadmap's content and the comparison of two of them, axis by axis.

A snapshot is plain JSON: what the co-presidents approved, frozen in ``RoadmapVersion`` at
publication; the live roadmap renders through the same shape (PDF of a draft, comparison of
the draft with the last version). It holds organisations and roles, never a person's name
(INS-OPEN-DATA).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from roadmaps.models import ActionSheet, ActorRole, Axis, Roadmap, RoadmapIndicator
from roadmaps.services.progress import axis_progress, roadmap_progress

ROADMAP_LABELS = {
    "title": "Titre",
    "summary": "Synthèse du diagnostic territorial",
    "orientations": "Prise en compte des orientations",
    "users_participation": "Participation des usagers",
}
AXIS_LABELS = {
    "title": "Intitulé",
    "diagnostic": "Diagnostic",
    "stakes": "Enjeux",
    "objectives": "Objectifs",
}
SHEET_LABELS = {
    "title": "Intitulé",
    "problem": "Problème territorial",
    "objective": "Objectif partagé",
    "target_public": "Public visé",
    "target_territory": "Territoire visé",
    "sector": "Filière",
    "expected_results": "Résultats attendus",
    "users_participation": "Participation des usagers",
    "starts_on": "Début",
    "ends_on": "Fin",
    "status_label": "État",
    "progress": "Avancement (%)",
    "actors_text": "Rôle des acteurs",
    "indicators_text": "Indicateurs",
}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _number(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def roadmap_content_queryset():
    """The roadmap with everything a snapshot reads, in a fixed number of queries."""
    return Roadmap.objects.select_related("committee", "committee__region").prefetch_related(
        Prefetch(
            "axes",
            queryset=Axis.objects.order_by("position", "pk").prefetch_related(
                Prefetch(
                    "sheets",
                    queryset=ActionSheet.objects.order_by("position", "pk")
                    .select_related("good_practice")
                    .prefetch_related(
                        Prefetch("actors", queryset=ActorRole.objects.order_by("position", "pk")),
                        Prefetch("indicators", queryset=RoadmapIndicator.objects.order_by("pk")),
                    ),
                )
            ),
        ),
        "committee__departements",
    )


def build_snapshot(roadmap: Roadmap) -> dict:
    """The roadmap's current content as JSON (reloaded with its prefetches)."""
    roadmap = roadmap_content_queryset().get(pk=roadmap.pk)
    committee = roadmap.committee
    axes = []
    for axis in roadmap.axes.all():
        sheets = []
        for sheet in axis.sheets.all():
            has_practice = hasattr(sheet, "good_practice")
            sheets.append(
                {
                    "key": sheet.pk,
                    "title": sheet.title,
                    "problem": sheet.problem,
                    "objective": sheet.objective,
                    "target_public": sheet.target_public,
                    "target_territory": sheet.target_territory,
                    "sector": sheet.sector,
                    "expected_results": sheet.expected_results,
                    "users_participation": sheet.users_participation,
                    "starts_on": _iso(sheet.starts_on),
                    "ends_on": _iso(sheet.ends_on),
                    "status": sheet.status,
                    "status_label": sheet.get_status_display(),
                    "progress": sheet.progress,
                    "good_practice": has_practice,
                    "actors": [
                        {"organisation": a.organisation, "commitment": a.commitment}
                        for a in sheet.actors.all()
                    ],
                    "indicators": [
                        {
                            "key": i.pk,
                            "name": i.name,
                            "unit": i.unit,
                            "baseline": _number(i.baseline),
                            "target": _number(i.target),
                            "due_on": _iso(i.due_on),
                            "direction": i.direction,
                        }
                        for i in sheet.indicators.all()
                    ],
                }
            )
        axes.append(
            {
                "key": axis.pk,
                "position": axis.position,
                "title": axis.title,
                "diagnostic": axis.diagnostic,
                "stakes": axis.stakes,
                "objectives": axis.objectives,
                "sheets": sheets,
            }
        )
    return {
        "committee": {
            "id": committee.pk,
            "name": committee.name,
            "level": committee.level,
            "level_label": committee.get_level_display(),
            "region": committee.region_id,
            "region_name": committee.region.name,
            "departements": sorted(d.code for d in committee.departements.all()),
        },
        "title": roadmap.title,
        "summary": roadmap.summary,
        "orientations": roadmap.orientations,
        "users_participation": roadmap.users_participation,
        "axes": axes,
    }


def snapshot_progress(snapshot: dict) -> dict:
    """Progress of a snapshot's roadmap and of each axis (by axis key)."""
    axes = {a["key"]: axis_progress(a["sheets"]) for a in snapshot["axes"]}
    return {
        "roadmap": roadmap_progress([a["sheets"] for a in snapshot["axes"]]),
        "axes": axes,
    }


# --- Comparison ---------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class SheetDiff:
    title: str
    state: str  # added, removed, changed, unchanged
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class AxisDiff:
    title: str
    state: str
    changes: list[FieldChange] = field(default_factory=list)
    sheets: list[SheetDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.state != "unchanged"


@dataclass
class Comparison:
    changes: list[FieldChange]
    axes: list[AxisDiff]

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or any(a.changed for a in self.axes)


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _sheet_view(sheet: dict) -> dict:
    view = dict(sheet)
    view["actors_text"] = "\n".join(
        f"{a['organisation']} : {a['commitment']}" for a in sheet["actors"]
    )
    view["indicators_text"] = "\n".join(
        f"{i['name']} ({i['unit']}) : {_display(i['baseline'])} → {_display(i['target'])}"
        + (f" au {i['due_on']}" if i["due_on"] else "")
        for i in sheet["indicators"]
    )
    return view


def _field_changes(before: dict, after: dict, labels: dict[str, str]) -> list[FieldChange]:
    return [
        FieldChange(label, _display(before.get(key)), _display(after.get(key)))
        for key, label in labels.items()
        if before.get(key) != after.get(key)
    ]


def compare_snapshots(before: dict, after: dict) -> Comparison:
    """What changed from ``before`` to ``after``, axis by axis and sheet by sheet. Axes and
    sheets are matched by their identity (a renamed axis is "changed", not removed + added)."""
    before_axes = {a["key"]: a for a in before["axes"]}
    after_keys = {a["key"] for a in after["axes"]}
    axes: list[AxisDiff] = []
    for axis in after["axes"]:
        old = before_axes.get(axis["key"])
        if old is None:
            axes.append(
                AxisDiff(
                    axis["title"],
                    "added",
                    sheets=[SheetDiff(s["title"], "added") for s in axis["sheets"]],
                )
            )
            continue
        sheets = _compare_sheets(old["sheets"], axis["sheets"])
        changes = _field_changes(old, axis, AXIS_LABELS)
        changed = changes or any(s.state != "unchanged" for s in sheets)
        axes.append(AxisDiff(axis["title"], "changed" if changed else "unchanged", changes, sheets))
    for key, old in before_axes.items():
        if key not in after_keys:
            axes.append(
                AxisDiff(
                    old["title"],
                    "removed",
                    sheets=[SheetDiff(s["title"], "removed") for s in old["sheets"]],
                )
            )
    return Comparison(_field_changes(before, after, ROADMAP_LABELS), axes)


def _compare_sheets(before: list[dict], after: list[dict]) -> list[SheetDiff]:
    old_by_key = {s["key"]: s for s in before}
    result = []
    for sheet in after:
        old = old_by_key.pop(sheet["key"], None)
        if old is None:
            result.append(SheetDiff(sheet["title"], "added"))
            continue
        changes = _field_changes(_sheet_view(old), _sheet_view(sheet), SHEET_LABELS)
        result.append(SheetDiff(sheet["title"], "changed" if changes else "unchanged", changes))
    result += [SheetDiff(s["title"], "removed") for s in old_by_key.values()]
    return result


def snapshot_axes(snapshot: dict) -> list[dict]:
    """The snapshot's axes, each with its rolled-up ``progress`` (for templates)."""
    progress = snapshot_progress(snapshot)["axes"]
    return [{**axis, "progress": progress.get(axis["key"])} for axis in snapshot["axes"]]
