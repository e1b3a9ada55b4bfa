"""Celery tasks of the meetings: e-mails, reminders, PDF minutes, and the sweep.

Each task takes ids, calls a service, and is safe to run twice (see
``meetings.services.notifications`` and ``meetings.services.minutes`` for the claims).
``MeetingsConfig.ready`` imports this module, which registers the tasks; services enqueue
them by name (``cte_portal.tasking``). The names keep their ``committees.`` prefix: beat and
the queues know them.
"""

import logging
import smtplib

from celery import shared_task
from django.db import DatabaseError

from cte_portal.core.conf import cte_setting
from meetings.models import Minutes
from meetings.services.minutes import record_pdf_failure, render_and_store
from meetings.services.notifications import (
    RENDER_PDF_TASK,
    SEND_TASK,
    SendFailed,
    deliver,
    queue_due_reminders,
)
from meetings.services.notifications import sweep as sweep_outbox

__all__ = ["render_minutes_pdf", "send_due_reminders", "send_notification", "sweep"]

logger = logging.getLogger(__name__)


class RenderFailed(Exception):
    """A PDF rendering failed; the message names the error type only (no personal data in
    what Celery logs when it retries)."""


TRANSIENT_ERRORS = (SendFailed, smtplib.SMTPException, ConnectionError, TimeoutError, DatabaseError)


@shared_task(
    name=SEND_TASK,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification(notification_id: int) -> str:
    """Send one e-mail of the outbox, once ("sent", "skipped" or "already")."""
    return deliver(notification_id)


@shared_task(name="committees.meetings.send_due_reminders")
def send_due_reminders() -> int:
    """Beat: record the reminders due now (each once) and enqueue their sending."""
    return queue_due_reminders()


@shared_task(name="committees.meetings.sweep")
def sweep() -> dict:
    """Beat: re-enqueue e-mails and PDFs that a dead worker or a lost message left undone."""
    return sweep_outbox()


@shared_task(bind=True, name=RENDER_PDF_TASK, max_retries=None)
def render_minutes_pdf(self, minutes_id: int) -> str:
    """Render, store and e-mail the PDF of approved minutes. A failure is recorded on the
    minutes and retried with exponential backoff; the last attempt marks it failed and
    reports it to the secretariat."""
    try:
        return render_and_store(minutes_id)
    except Exception as exc:
        attempts = (
            Minutes.objects.filter(pk=minutes_id).values_list("pdf_attempts", flat=True).first()
            or 0
        )
        final = attempts >= cte_setting("PDF_MAX_ATTEMPTS")
        record_pdf_failure(minutes_id, exc, final=final)
        if final:
            logger.error("minutes %s: PDF failed after %s attempts", minutes_id, attempts)
            return "failed"
        if self.request.is_eager:
            # In-process mode (no broker): try again at once, bounded by PDF_MAX_ATTEMPTS.
            return self.run(minutes_id)
        raise self.retry(
            exc=RenderFailed(type(exc).__name__), countdown=min(600, 5 * 2**attempts)
        ) from None
