"""Reads of the audits app. INS-REPORTING: for one obligation, every period begun so far with
its report and status, the late periods, a summary for lists, and the key figures over time."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from audits.models import Period, Report, ReportObligation


def _today() -> date:
    return timezone.localdate()


class PeriodStatus:
    RECEIVED = "received"
    LATE = "late"
    DUE = "due"  # ended, within the delay
    CURRENT = "current"  # under way

    LABELS = {
        RECEIVED: "Reçu",
        LATE: "En retard",
        DUE: "À remettre",
        CURRENT: "Période en cours",
    }
    BADGES = {RECEIVED: "success", LATE: "error", DUE: "warning", CURRENT: "info"}


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    report: Report | None
    status: str

    @property
    def label(self) -> str:
        return PeriodStatus.LABELS[self.status]

    @property
    def badge(self) -> str:
        return PeriodStatus.BADGES[self.status]


def period_rows(obligation: ReportObligation, today: date | None = None) -> list[PeriodRow]:
    """Every period begun so far, newest first, with its report and status. Uses
    ``obligation.reports.all()`` (prefetch it for lists)."""
    today = today or _today()
    reports = {r.period_start: r for r in obligation.reports.all()}
    rows = []
    for period in obligation.periods(today):
        report = reports.get(period.start)
        if report is not None:
            status = PeriodStatus.RECEIVED
        elif period.due_on < today:
            status = PeriodStatus.LATE
        elif period.end < today:
            status = PeriodStatus.DUE
        else:
            status = PeriodStatus.CURRENT
        rows.append(PeriodRow(period=period, report=report, status=status))
    return list(reversed(rows))


def late_periods(obligation: ReportObligation, today: date | None = None) -> list[Period]:
    """The late periods, oldest first (none for an obligation no longer in force)."""
    if not obligation.is_active:
        return []
    rows = period_rows(obligation, today)
    return sorted((r.period for r in rows if r.status == PeriodStatus.LATE), key=lambda p: p.start)


@dataclass(frozen=True)
class ObligationSummary:
    obligation: ReportObligation
    received: int
    late: int
    last_report: Report | None
    next_due: Period | None


def summarize(obligation: ReportObligation, today: date | None = None) -> ObligationSummary:
    rows = period_rows(obligation, today)
    received = [r for r in rows if r.report is not None]
    pending = [r.period for r in rows if r.status in (PeriodStatus.DUE, PeriodStatus.CURRENT)]
    return ObligationSummary(
        obligation=obligation,
        received=len(received),
        late=sum(1 for r in rows if r.status == PeriodStatus.LATE) if obligation.is_active else 0,
        last_report=received[0].report if received else None,
        next_due=min(pending, key=lambda p: p.due_on) if pending else None,
    )


def figures_over_time(obligation: ReportObligation) -> dict:
    """The key figures of every report received, oldest first: a table for the screens.
    Uses ``obligation.reports.all()`` with their ``figures`` (prefetch them)."""
    figures = obligation.figures
    rows = []
    for report in sorted(obligation.reports.all(), key=lambda r: r.period_start):
        values = {f.code: f.value for f in report.figures.all()}
        rows.append(
            {
                "period": obligation.period_at(report.period_start),
                "values": [values.get(f.code) for f in figures],
            }
        )
    return {"figures": figures, "rows": rows}
