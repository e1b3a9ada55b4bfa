"""Writes on an accepted audit: its start, its report, its recommendations, its closing
(INS-AUDIT, DEC-AUDIT). States move only through ``audits.workflow``; callers check the
``audits.permissions`` predicates first; a refused rule raises ``RuleError`` and nothing is
saved."""

from datetime import date

from django.db import transaction

from audits import workflow
from audits.models import Audit, NetworkBody, Recommendation
from audits.services.audits import resubmit_to_authority
from audits.services.common import apply_step, lock, log_event, today
from cte_portal.core.errors import RuleError


@transaction.atomic
def start_audit(
    *, audit: Audit, user, auditor: str, started_on: date, planned_end_on: date | None = None
) -> Audit:
    """INS-AUDIT: the audit starts (auditor, dates) — for a delegated body, never before the
    delegating authority's recorded agreement."""
    audit = lock(audit)
    audit.auditor = (auditor or "").strip()
    audit.started_on = started_on
    audit.planned_end_on = planned_end_on
    return apply_step(audit, "start", user=user, note=audit.auditor)


@transaction.atomic
def deliver_report(*, audit: Audit, user, document, delivered_on: date, summary: str = "") -> Audit:
    """The auditor's report is delivered: from now on the audited body's users see their
    audit (INS-AUDIT confidentiality)."""
    audit = lock(audit)
    if delivered_on and delivered_on > today():
        raise RuleError("La date de remise ne peut être future.", field="delivered_on")
    audit.report_document = document
    audit.report_delivered_on = delivered_on
    audit.report_summary = (summary or "").strip()
    return apply_step(audit, "deliver_report", user=user)


def _check_responsible(responsible_body, responsible_name: str) -> None:
    if responsible_body is None and not responsible_name.strip():
        raise RuleError(
            "Indiquez l'organisme responsable de la recommandation, ou un autre responsable.",
            field="responsible_body",
        )


@transaction.atomic
def add_recommendation(
    *,
    audit: Audit,
    user,
    text: str,
    due_on: date,
    responsible_body: NetworkBody | None = None,
    responsible_name: str = "",
) -> Recommendation:
    """A recommendation of the report, with the body responsible and a due date."""
    audit = lock(audit)
    workflow.check_action(audit, "add_recommendation", "L'ajout d'une recommandation")
    if not text.strip():
        raise RuleError("Rédigez la recommandation.", field="text")
    _check_responsible(responsible_body, responsible_name)
    if due_on is None:
        raise RuleError("Indiquez l'échéance.", field="due_on")
    if audit.report_delivered_on and due_on < audit.report_delivered_on:
        raise RuleError("L'échéance ne peut précéder la remise du rapport.", field="due_on")
    recommendation = Recommendation.objects.create(
        audit=audit,
        text=text.strip(),
        due_on=due_on,
        responsible_body=responsible_body,
        responsible_name=responsible_name.strip() if responsible_body is None else "",
        updated_by=user,
    )
    log_event(audit, name="add_recommendation", label="Recommandation ajoutée", user=user)
    return recommendation


@transaction.atomic
def update_recommendation(
    *,
    recommendation: Recommendation,
    user,
    status: str,
    evidence: str = "",
    evidence_document=None,
    done_on: date | None = None,
) -> Recommendation:
    """Follow a recommendation: its status and the evidence. Implemented or dropped needs
    evidence or a justification (text or document)."""
    audit = lock(recommendation.audit)
    workflow.check_action(audit, "update_recommendation", "Le suivi d'une recommandation")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if status not in Recommendation.Status.values:
        raise RuleError("Statut inconnu.", field="status")
    evidence = (evidence or "").strip()
    if status in Recommendation.SETTLED and not (
        evidence or evidence_document or recommendation.evidence_document
    ):
        raise RuleError(
            "Décrivez ou joignez la preuve de la mise en œuvre, ou la justification de l'abandon.",
            field="evidence",
        )
    if done_on and done_on > today():
        raise RuleError("La date de mise en œuvre ne peut être future.", field="done_on")
    recommendation.status = status
    recommendation.evidence = evidence
    if evidence_document:
        recommendation.evidence_document = evidence_document
    recommendation.done_on = (done_on or today()) if status == Recommendation.Status.DONE else None
    recommendation.updated_by = user
    recommendation.save()
    log_event(
        audit,
        name="update_recommendation",
        label=f"Recommandation « {recommendation.text[:60]} » : {recommendation.get_status_display()}",
        user=user,
    )
    return recommendation


@transaction.atomic
def begin_follow_up(*, audit: Audit, user) -> Audit:
    audit = lock(audit)
    return apply_step(audit, "follow_up", user=user)


@transaction.atomic
def close_audit(*, audit: Audit, user, note: str = "") -> Audit:
    """Close the file once every recommendation is implemented or dropped."""
    audit = lock(audit)
    audit.closed_on = today()
    audit.closing_note = (note or "").strip()
    return apply_step(audit, "close", user=user, note=audit.closing_note)


def fire(*, audit: Audit, name: str, user, **data) -> Audit:
    """The service behind a manual workflow step, by the step's name (screens and API)."""
    services = {
        "resubmit_to_authority": resubmit_to_authority,
        "start": start_audit,
        "deliver_report": deliver_report,
        "follow_up": begin_follow_up,
        "close": close_audit,
    }
    return services[name](audit=audit, user=user, **data)
