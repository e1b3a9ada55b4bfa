"""What every write on an audit file shares: the lock, the history, the workflow step."""

from datetime import date

from django.utils import timezone

from audits import workflow
from audits.models import Audit, AuditEvent


def today() -> date:
    return timezone.localdate()


def lock(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().select_related("audited_body").get(pk=audit.pk)


def log_event(audit: Audit, *, name: str, label: str, user, from_state: str = "", note: str = ""):
    return AuditEvent.objects.create(
        audit=audit,
        name=name,
        label=label,
        from_state=from_state or audit.state,
        to_state=audit.state,
        user=user if user and user.is_authenticated else None,
        note=note[:500],
    )


def apply_step(audit: Audit, name: str, *, user, note: str = "") -> Audit:
    """Fire the workflow step ``name`` (``audits.workflow``): every guard is checked, then the
    state moves and the step is recorded in the file's history."""
    step = workflow.check(audit, name)
    before = audit.state
    audit.state = step.target
    audit.save()
    log_event(audit, name=name, label=step.label, user=user, from_state=before, note=note)
    return audit
