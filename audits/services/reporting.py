"""INS-REPORTING: what network members owe the committees, what they upload, what is late.

The committee's secretariat (admins for the national committee) declares an obligation: one
body owes one type of report to one committee, at a frequency. The body's users upload each
period's report (a document and the key figures as structured values). The committee sees what
was received, what is late, and the figures over time; late reports are reminded once per
period (``audits.services.reminders``). The reads (periods, late reports, figures) are in
``audits.selectors``.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from audits.models import (
    NATIONAL,
    REPORT_RULES,
    Frequency,
    NetworkBody,
    Report,
    ReportFigure,
    ReportObligation,
    ReportType,
)
from committees.models import Committee, Level
from cte_portal.core.conf import cte_setting
from cte_portal.core.errors import RuleError


def _today() -> date:
    return timezone.localdate()


def in_territory(committee: Committee, body: NetworkBody) -> bool:
    """A national body reports anywhere; otherwise the body's département is the committee's
    (a CRE: one of its region's)."""
    if body.departement_id is None:
        return True
    if committee.level == Level.REGIONAL:
        return body.departement.region_id == committee.region_id
    return committee.departements.filter(pk=body.departement_id).exists()


@transaction.atomic
def create_obligation(
    *,
    committee: Committee | None,
    user,
    report_type: str,
    body: NetworkBody,
    frequency: str,
    starts_on: date,
    grace_days: int | None = None,
) -> ReportObligation:
    """INS-REPORTING: who owes which report to which committee (None: the national
    committee), how often."""
    if report_type not in ReportType.values:
        raise RuleError("Type de compte rendu inconnu.", field="report_type")
    if frequency not in Frequency.values:
        raise RuleError("Fréquence inconnue.", field="frequency")
    rule = REPORT_RULES[report_type]
    label = ReportType(report_type).label
    if body.kind not in rule.owed_by:
        owed = ", ".join(sorted(k.label for k in rule.owed_by))
        raise RuleError(f"« {label} » est dû par : {owed}.", field="body")
    level = committee.level if committee is not None else NATIONAL
    if level not in rule.levels:
        raise RuleError(
            f"« {label} » n'est pas dû à ce niveau de comité.",
            field="report_type",
        )
    if committee is not None:
        if committee.status == Committee.Status.DISSOLVED:
            raise RuleError("Ce comité est dissous.")
        if not in_territory(committee, body):
            raise RuleError("Cet organisme n'est pas du territoire du comité.", field="body")
    if starts_on is None:
        raise RuleError("Indiquez le début de la première période.", field="starts_on")
    if ReportObligation.objects.filter(
        report_type=report_type, body=body, committee=committee
    ).exists():
        raise RuleError("Cet organisme doit déjà ce compte rendu à ce comité.", field="report_type")
    grace = cte_setting("REPORT_GRACE_DAYS") if grace_days is None else grace_days
    if grace < 0:
        raise RuleError("Le délai de remise ne peut être négatif.", field="grace_days")
    return ReportObligation.objects.create(
        report_type=report_type,
        body=body,
        committee=committee,
        frequency=frequency,
        starts_on=starts_on.replace(day=1),
        grace_days=grace,
        created_by=user,
    )


@transaction.atomic
def end_obligation(*, obligation: ReportObligation) -> ReportObligation:
    obligation.is_active = False
    obligation.save(update_fields=["is_active"])
    return obligation


def _figures(obligation: ReportObligation, figures: dict) -> dict[str, Decimal]:
    expected = {f.code: f.label for f in obligation.figures}
    unknown = set(figures) - set(expected)
    if unknown:
        raise RuleError(f"Chiffres inconnus pour ce compte rendu : {', '.join(sorted(unknown))}.")
    values, problems = {}, []
    for code, label in expected.items():
        raw = figures.get(code)
        if raw is None or raw == "":
            problems.append(f"Indiquez « {label} ».")
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            problems.append(f"« {label} » : un nombre est attendu.")
            continue
        if value < 0:
            problems.append(f"« {label} » ne peut être négatif.")
        values[code] = value
    if problems:
        raise RuleError(problems)
    return values


@transaction.atomic
def submit_report(
    *,
    obligation: ReportObligation,
    user,
    period_start: date,
    document,
    figures: dict,
    comment: str = "",
) -> Report:
    """INS-REPORTING: the body's users upload the report of a period — a document and the
    key figures. A second upload for the same period replaces the first (history kept)."""
    if not obligation.is_active:
        raise RuleError("Ce compte rendu n'est plus dû.")
    periods = {p.start: p for p in obligation.periods(_today())}
    period = periods.get(period_start)
    if period is None:
        raise RuleError(
            "Cette période ne fait pas partie du calendrier de ce compte rendu, ou n'a pas "
            "encore commencé.",
            field="period_start",
        )
    if not document:
        raise RuleError("Joignez le compte rendu.", field="document")
    values = _figures(obligation, figures)
    report, _ = Report.objects.update_or_create(
        obligation=obligation,
        period_start=period.start,
        defaults={
            "period_end": period.end,
            "document": document,
            "comment": (comment or "").strip(),
            "submitted_by": user,
            "submitted_at": timezone.now(),
        },
    )
    ReportFigure.objects.filter(report=report).delete()
    ReportFigure.objects.bulk_create(
        [ReportFigure(report=report, code=code, value=value) for code, value in values.items()]
    )
    return report
