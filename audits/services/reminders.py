"""Reminders: overdue recommendations to the CDE's secretariat (INS-AUDIT), late reports to
the reporting body (INS-REPORTING) — each once per period, never twice.

- *Recording* a reminder twice is impossible: ``Reminder`` is unique per recommendation (or
  obligation) and period; a second beat run, or two workers racing, find it there.
- *Sending* it twice is impossible: the sender claims the row with a conditional update and
  only the winner sends; a claim left by a dead worker expires and ``sweep`` takes it again.
- Nothing is enqueued before the transaction commits; at send time the reminder checks again
  that there is still something to do, and is skipped otherwise.

Logs carry ids only.
"""

import logging
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, Recommendation, Reminder, ReportObligation
from audits.selectors import late_periods
from cte_portal.core.conf import cte_setting
from cte_portal.tasking import claim_expiry, enqueue_on_commit, send_task
from cte_portal.users.models import User
from meetings.services.notifications import secretariat_ids

logger = logging.getLogger(__name__)
Kind = Reminder.Kind

# The states in which recommendations are followed (INS-AUDIT).
FOLLOWED_STATES = (Audit.State.REPORT_DELIVERED, Audit.State.FOLLOW_UP)

# The Celery task that sends one reminder (``audits.tasks``).
SEND_TASK = "audits.send_reminder"


def reminder_period(today: date) -> str:
    """The period a recommendation is reminded once in (``AUDIT_REMINDER_PERIOD``)."""
    if cte_setting("AUDIT_REMINDER_PERIOD") == "week":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{today:%Y-%m}"


def overdue_recommendations(today: date):
    return Recommendation.objects.filter(
        audit__state__in=FOLLOWED_STATES, due_on__lt=today
    ).exclude(status__in=Recommendation.SETTLED)


def _record(**fields) -> Reminder | None:
    try:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(**fields)
    except IntegrityError:  # a concurrent run recorded it first
        return None
    return reminder if created else None


def queue_due_reminders(*, today: date | None = None) -> list[int]:
    """Beat: record the reminders due today (each once per period) and enqueue their sending
    after the commit. Returns the ids recorded now (empty on a second run)."""
    today = today or timezone.localdate()
    created = []
    with transaction.atomic():
        period = reminder_period(today)
        for recommendation_id in overdue_recommendations(today).values_list("pk", flat=True):
            reminder = _record(
                kind=Kind.RECOMMENDATION_OVERDUE, recommendation_id=recommendation_id, period=period
            )
            if reminder:
                created.append(reminder.pk)
        obligations = (
            ReportObligation.objects.active()
            .filter(starts_on__lte=today)
            .prefetch_related("reports")
        )
        for obligation in obligations:
            late = late_periods(obligation, today)
            if not late:
                continue
            # The latest late period only (one e-mail, not one per period of a backlog); once
            # it is received, the one before becomes the latest. Each period: once.
            reminder = _record(
                kind=Kind.REPORT_LATE, obligation=obligation, period=late[-1].start.isoformat()
            )
            if reminder:
                created.append(reminder.pk)
        for pk in created:
            enqueue_on_commit(SEND_TASK, pk)
    return created


def claim(reminder_id: int, *, now: datetime) -> bool:
    """Take the reminder for sending; False when it was sent or is being sent."""
    return bool(
        Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=claim_expiry(now)))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _emails(user_ids) -> list[str]:
    return list(
        User.objects.filter(pk__in=list(user_ids), is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _recommendation_message(reminder: Reminder, today: date) -> EmailMessage | None:
    recommendation = reminder.recommendation
    audit = recommendation.audit
    if recommendation.is_settled or recommendation.due_on >= today:
        return None
    if audit.state not in FOLLOWED_STATES:
        return None
    recipients = _emails(secretariat_ids(audit.committee))
    if not recipients:
        return None
    body = render_to_string(
        "audits/emails/recommendation_overdue.txt",
        {
            "audit": audit,
            "recommendation": recommendation,
            "committee": audit.committee,
            "audit_url": _url(reverse("audits:detail", args=[audit.pk])),
        },
    )
    return EmailMessage(
        subject=f"Recommandation en retard : audit n° {audit.pk} — {audit.audited_body.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"X-CTE-Reminder": str(reminder.pk)},
    )


def _report_message(reminder: Reminder, today: date) -> EmailMessage | None:
    obligation = reminder.obligation
    late = {p.start.isoformat(): p for p in late_periods(obligation, today)}
    period = late.get(reminder.period)
    if period is None:  # received since, or no longer owed
        return None
    user_ids = list(obligation.body.users.values_list("pk", flat=True))
    if not user_ids and obligation.committee_id:
        user_ids = secretariat_ids(obligation.committee)
    recipients = _emails(user_ids)
    if not recipients:
        return None
    body = render_to_string(
        "audits/emails/report_late.txt",
        {
            "obligation": obligation,
            "period": period,
            "obligation_url": _url(reverse("audits:obligation", args=[obligation.pk])),
        },
    )
    return EmailMessage(
        subject=f"Compte rendu en retard : {obligation.get_report_type_display()} ({period.label})",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"X-CTE-Reminder": str(reminder.pk)},
    )


def deliver(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one reminder if nobody did; returns "sent", "skipped" or "already"."""
    now = now or timezone.now()
    if not claim(reminder_id, now=now):
        return "already"
    reminder = Reminder.objects.select_related(
        "recommendation__audit__committee",
        "recommendation__audit__audited_body",
        "obligation__body",
        "obligation__committee",
    ).get(pk=reminder_id)
    today = timezone.localdate(now)
    try:
        if reminder.kind == Kind.RECOMMENDATION_OVERDUE:
            message = _recommendation_message(reminder, today)
        else:
            message = _report_message(reminder, today)
    except Exception as exc:
        Reminder.objects.filter(pk=reminder_id).update(
            claimed_at=None, last_error=type(exc).__name__
        )
        raise
    if message is None:
        Reminder.objects.filter(pk=reminder_id).update(sent_at=now, skipped=True)
        logger.info("reminder %s skipped (nothing left to do)", reminder_id)
        return "skipped"
    try:
        message.send()
    except Exception as exc:
        Reminder.objects.filter(pk=reminder_id).update(
            claimed_at=None, last_error=type(exc).__name__
        )
        logger.warning("reminder %s not sent: %s", reminder_id, type(exc).__name__)
        raise
    Reminder.objects.filter(pk=reminder_id).update(
        sent_at=timezone.now(), recipients=len(message.to), last_error=""
    )
    logger.info("reminder %s (%s) sent", reminder_id, reminder.kind)
    return "sent"


def sweep(*, now: datetime | None = None) -> int:
    """Re-enqueue the reminders a dead worker or a lost message left unsent."""
    now = now or timezone.now()
    expiry = claim_expiry(now)
    # Only reminders older than a claim's lifetime: the fresh ones are on their way.
    pending = Reminder.objects.filter(sent_at__isnull=True, created_at__lt=expiry).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=expiry)
    )
    count = 0
    for pk in pending.values_list("pk", flat=True):
        send_task(SEND_TASK, pk)
        count += 1
    return count
