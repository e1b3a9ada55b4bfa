"""INS-ROADMAP-SHAPE: progress rolls up from action sheets to axes to the roadmap.

An abandoned action no longer counts; a completed one counts for 100 %. An axis is the mean
of its counted sheets, the roadmap the mean of its axes that have counted sheets. These work
on plain values so that live roadmaps and frozen snapshots share them.
"""

from collections.abc import Iterable

DONE = "done"
ABANDONED = "abandoned"


def sheet_progress(status: str, progress: int) -> int | None:
    if status == ABANDONED:
        return None
    if status == DONE:
        return 100
    return max(0, min(100, int(progress)))


def mean_progress(values: Iterable[int | None]) -> int | None:
    counted = [v for v in values if v is not None]
    if not counted:
        return None
    return round(sum(counted) / len(counted))


def axis_progress(sheets: Iterable) -> int | None:
    """``sheets``: ActionSheet objects or snapshot dicts (``status``, ``progress``)."""
    return mean_progress(sheet_progress(*_status_progress(s)) for s in sheets)


def roadmap_progress(axes_sheets: Iterable[Iterable]) -> int | None:
    return mean_progress(axis_progress(sheets) for sheets in axes_sheets)


def _status_progress(sheet) -> tuple[str, int]:
    if isinstance(sheet, dict):
        return sheet["status"], sheet["progress"]
    return sheet.status, sheet.progress
