"""Celery tasks of the audits app: reminders of overdue recommendations (INS-AUDIT) and late
reports (INS-REPORTING). Each takes ids, calls a service, and is safe to run twice: see
``audits.services.reminders`` for the unique records and the claims."""

import smtplib

from celery import shared_task
from django.db import DatabaseError

from audits.services.reminders import SEND_TASK, deliver, queue_due_reminders, sweep

TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError, DatabaseError)


@shared_task(
    name=SEND_TASK,
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_reminder(reminder_id: int) -> str:
    """Send one reminder, once ("sent", "skipped" or "already")."""
    return deliver(reminder_id)


@shared_task(name="audits.send_due_reminders")
def send_due_reminders() -> dict:
    """Beat: record today's reminders (each once per period) and send them; then re-enqueue
    those a dead worker left unsent."""
    created = queue_due_reminders()
    return {"created": len(created), "swept": sweep()}
