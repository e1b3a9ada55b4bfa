"""National seeder (``manage.py seed_national``): network bodies, audits and reports.

INS-AUDIT: each département's France Travail, Mission locale, Cap emploi and conseil
départemental; each CDE ordered audits (three at scale 1: one closed with its
recommendations, one in progress, one referred by a CLE and waiting for the vote).
INS-REPORTING: France Travail reports the results of its controls to each CDE every quarter,
with its figures. Idempotent: only CDEs with no audit get some.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from audits.models import (
    Audit,
    AuditEvent,
    BodyKind,
    NetworkBody,
    Recommendation,
    Report,
    ReportFigure,
    ReportObligation,
    ReportType,
)
from audits.models.reporting import REPORT_RULES, Frequency, add_months
from audits.workflow import State
from committees.models import Committee, Level
from committees.national import national_committees, secretariats
from cte_portal.core.national import NationalRun, bulk

PARIS = ZoneInfo("Europe/Paris")
BODIES = (
    (BodyKind.FRANCE_TRAVAIL, "France Travail — direction territoriale"),
    (BodyKind.MISSION_LOCALE, "Mission locale"),
    (BodyKind.CAP_EMPLOI, "Cap emploi"),
    (BodyKind.CONSEIL_DEPARTEMENTAL, "Conseil départemental"),
)
PLANS = (
    (State.CLOSED, Audit.Origin.COMMITTEE, 0),
    (State.IN_PROGRESS, Audit.Origin.COMMITTEE, 1),
    (State.REQUESTED, Audit.Origin.REFERRAL, 2),
)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(11), tzinfo=PARIS)


def seed_national(run: NationalRun) -> int:
    """Seed the bodies, audits and reports of the national CDEs (see module doc)."""
    cdes = list(
        national_committees(run)
        .filter(level=Level.DEPARTMENTAL, audits__isnull=True)
        .prefetch_related("departements")
        .order_by("pk")
    )
    if not cdes:
        return 0
    progress = run.progress
    progress.start("Audits et comptes rendus", len(cdes))
    secretariat = secretariats(cdes)
    codes = sorted({d.code for cde in cdes for d in cde.departements.all()})
    existing = {
        (b.name, b.departement_id) for b in NetworkBody.objects.filter(departement__in=codes)
    }
    bulk(
        NetworkBody,
        [
            NetworkBody(name=f"{name} ({code})", kind=kind, departement_id=code)
            for code in codes
            for kind, name in BODIES
            if (f"{name} ({code})", code) not in existing
        ],
    )
    bodies = {
        (b.departement_id, b.kind): b for b in NetworkBody.objects.filter(departement__in=codes)
    }
    cles = {}
    for cle in Committee.objects.installed().filter(level=Level.LOCAL, parent__in=cdes):
        cles.setdefault(cle.parent_id, cle)
    audits = []
    for cde in cdes:
        code = cde.departements.all()[0].code
        for state, origin, index in PLANS[: run.scaled(len(PLANS))]:
            if origin == Audit.Origin.REFERRAL and cde.pk not in cles:
                continue
            body = bodies[(code, BODIES[index][0])]
            ordered = cde.installed_on + timedelta(days=120 + 90 * index)
            voted = state != State.REQUESTED
            audits.append(
                Audit(
                    committee=cde,
                    origin=origin,
                    requesting_committee=cles.get(cde.pk)
                    if origin == Audit.Origin.REFERRAL
                    else None,
                    audited_body=body,
                    scope_missions="Accompagnement des demandeurs d'emploi et orientation.",
                    scope_quality="Délais de premier rendez-vous.",
                    facts="Des délais d'accompagnement supérieurs aux engagements du réseau.",
                    state=state,
                    voted_at=_at(ordered + timedelta(days=20)) if voted else None,
                    auditor="Inspection générale des affaires sociales" if voted else "",
                    started_on=ordered + timedelta(days=45) if voted else None,
                    planned_end_on=ordered + timedelta(days=200) if voted else None,
                    report_summary="Des marges de progrès sur les délais."
                    if state == State.CLOSED
                    else "",
                    report_delivered_on=ordered + timedelta(days=190)
                    if state == State.CLOSED
                    else None,
                    closed_on=ordered + timedelta(days=400) if state == State.CLOSED else None,
                    closing_note="Recommandations mises en œuvre." if state == State.CLOSED else "",
                    created_by_id=secretariat.get(cde.pk),
                )
            )
    audits = bulk(Audit, audits)
    bulk(
        AuditEvent,
        [
            AuditEvent(
                audit=audit,
                name="request",
                label="Demande d'audit enregistrée",
                to_state=State.REQUESTED,
                user_id=audit.created_by_id,
                at=_at(audit.committee.installed_on + timedelta(days=110)),
            )
            for audit in audits
        ],
    )
    bulk(
        Recommendation,
        [
            Recommendation(
                audit=audit,
                text=text,
                responsible_body=audit.audited_body,
                due_on=audit.report_delivered_on + timedelta(days=180),
                status=Recommendation.Status.DONE,
                done_on=audit.report_delivered_on + timedelta(days=150),
                evidence="Procédure révisée et communiquée aux équipes.",
            )
            for audit in audits
            if audit.state == State.CLOSED
            for text in (
                "Réduire le délai du premier rendez-vous.",
                "Partager le tableau de bord des délais avec le comité.",
            )
        ],
    )
    run.added("audits", len(audits))
    # INS-REPORTING: France Travail's quarterly controls to each CDE.
    rule = REPORT_RULES[ReportType.COMMITMENT_CONTROLS]
    obligations = bulk(
        ReportObligation,
        [
            ReportObligation(
                report_type=ReportType.COMMITMENT_CONTROLS,
                body=bodies[(cde.departements.all()[0].code, BodyKind.FRANCE_TRAVAIL)],
                committee=cde,
                frequency=Frequency.QUARTERLY,
                starts_on=date(2025, 1, 1),
                created_by_id=secretariat.get(cde.pk),
            )
            for cde in cdes
        ],
    )
    reports = []
    for obligation in obligations:
        start = obligation.starts_on
        while add_months(start, 3) + timedelta(days=15) <= run.today:
            end = add_months(start, 3) - timedelta(days=1)
            reports.append(
                Report(
                    obligation=obligation,
                    period_start=start,
                    period_end=end,
                    document=f"audits/reports_received/{start.year}/controles-{obligation.pk}.pdf",
                    submitted_by_id=obligation.created_by_id,
                    submitted_at=_at(end + timedelta(days=15)),
                )
            )
            start = add_months(start, 3)
    reports = bulk(Report, reports)
    bulk(
        ReportFigure,
        [
            ReportFigure(report=report, code=figure.code, value=Decimal(40 + rank * 13 + i))
            for i, report in enumerate(reports)
            for rank, figure in enumerate(rule.figures)
        ],
    )
    progress.advance(len(cdes))
    run.added("reports", len(reports))
    return len(audits)
