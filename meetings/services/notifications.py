"""The outbox of meeting e-mails: created in the service's transaction, sent once by a task.

Exactly-once, as far as e-mail allows:

- *creating* a notification twice (a beat task delivered twice, two workers racing) is a
  no-op: ``Notification`` is unique on (kind, meeting, recipient, key);
- *sending* it twice (a send task delivered twice) is a no-op: the sender claims the row with
  a conditional update and only the winner sends;
- a worker that dies after the claim leaves a claim that expires (``TASK_CLAIM_SECONDS``);
  ``sweep`` then sends it again. Only a death between the SMTP hand-off and the final update
  could duplicate a message, never lose one;
- nothing is enqueued before the transaction commits (``enqueue_on_commit``): a rolled-back
  convocation sends nothing.

Nobody is reminded of something they already did: every reminder checks again, at send time,
that the thing is still to do, and is skipped otherwise.

Logs carry ids only, never names or addresses.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission

from committees.models import Committee, CoPresidency
from cte_portal.core.conf import cte_setting
from cte_portal.tasking import claim_expiry, enqueue_on_commit, send_task
from meetings.models import ChangeRequest, Invitation, Meeting, Minutes, Notification
from meetings.selectors import pending_approvals, pending_validations, stuck_minutes
from meetings.services.calendar import meeting_ics

logger = logging.getLogger(__name__)
User = get_user_model()
Kind = Notification.Kind

# Enqueued by name (``meetings.tasks`` imports this module); beat and the queues know these
# names, which stay as they are.
SEND_TASK = "committees.meetings.send_notification"
RENDER_PDF_TASK = "committees.meetings.render_minutes_pdf"


class SendFailed(Exception):
    """An e-mail could not be handed to the mail server. The message names the error type
    only: the original exception may carry an address, and Celery logs what it retries."""


def notify(*, meeting: Meeting, kind: str, recipients, key: str = "") -> list[Notification]:
    """Record one notification per recipient (at most once per kind, meeting, recipient and
    key) and enqueue their sending after the commit. Returns the ones created now.

    A meeting entered after the fact sends nothing (no convocation, reminder or minutes by
    e-mail): it was convened and reported outside the portal; its record is kept here."""
    if meeting.entered_after_the_fact:
        return []
    created = []
    seen = set()
    for recipient in recipients:
        recipient_id = getattr(recipient, "pk", recipient)
        if recipient_id in seen:
            continue
        seen.add(recipient_id)
        try:
            with transaction.atomic():
                notification, is_new = Notification.objects.get_or_create(
                    kind=kind, meeting=meeting, recipient_id=recipient_id, key=key
                )
        except IntegrityError:  # a concurrent run created it first
            continue
        if is_new:
            created.append(notification)
            enqueue_on_commit(SEND_TASK, notification.pk)
    return created


def secretariat_ids(committee) -> list[int]:
    """The agents holding the secretariat of ``committee`` (derived ``manage_committee``)."""
    return list(
        UserObjectPermission.objects.filter(
            content_type=ContentType.objects.get_for_model(Committee),
            object_pk=str(committee.pk),
            permission__codename="manage_committee",
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def copresident_user_ids(committee, *, exclude_copresidencies=()) -> list[int]:
    """Each active co-president, and their delegate when they have one."""
    ids = []
    for person_id, delegate_id in (
        CoPresidency.objects.active()
        .filter(committee=committee)
        .exclude(pk__in=list(exclude_copresidencies))
        .values_list("person_id", "delegate_id")
    ):
        ids.append(person_id)
        if delegate_id:
            ids.append(delegate_id)
    return ids


# --- Sending ------------------------------------------------------------------------------------


def claim(notification_id: int, *, now: datetime | None = None) -> bool:
    """Take the notification for sending; False when it was sent or is being sent."""
    now = now or timezone.now()
    return bool(
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=claim_expiry(now)))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def deliver(notification_id: int, *, now: datetime | None = None) -> str:
    """Send one notification if nobody did; returns "sent", "skipped" or "already"."""
    now = now or timezone.now()
    if not claim(notification_id, now=now):
        return "already"
    notification = Notification.objects.select_related("meeting__committee", "recipient").get(
        pk=notification_id
    )
    try:
        message = build_message(notification)
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None, last_error=type(exc).__name__
        )
        raise
    if message is None:
        Notification.objects.filter(pk=notification_id).update(sent_at=now, skipped=True)
        logger.info("notification %s skipped (nothing left to do)", notification_id)
        return "skipped"
    try:
        message.send()
    except Exception as exc:
        # Release the claim so that the retry (or the sweep) can take it again.
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None, last_error=type(exc).__name__
        )
        logger.warning("notification %s not sent: %s", notification_id, type(exc).__name__)
        raise SendFailed(type(exc).__name__) from None
    sent_at = timezone.now()
    Notification.objects.filter(pk=notification_id).update(sent_at=sent_at, last_error="")
    if notification.kind in (Kind.CONVOCATION, Kind.UPDATE, Kind.CANCELLATION):
        sequence = int(notification.key or 0)
        Invitation.objects.filter(
            meeting_id=notification.meeting_id,
            person_id=notification.recipient_id,
            convocation_sent_at__isnull=True,
        ).update(convocation_sent_at=sent_at)
        Invitation.objects.filter(
            meeting_id=notification.meeting_id, person_id=notification.recipient_id
        ).update(last_sent_sequence=sequence)
    logger.info("notification %s (%s) sent", notification_id, notification.kind)
    return "sent"


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The e-mail for ``notification``, or None when it no longer has a reason to go."""
    builder = _BUILDERS[notification.kind]
    return builder(notification)


def _email(notification, subject: str, template: str, context: dict, attachments=()):
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return None
    meeting = notification.meeting
    body = render_to_string(
        f"meetings/emails/{template}",
        {
            "recipient": recipient,
            "meeting": meeting,
            "committee": meeting.committee,
            "meeting_url": _url(reverse("meetings:detail", args=[meeting.pk])),
            "site_url": settings.SITE_URL,
            **context,
        },
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"X-CTE-Notification": str(notification.pk)},
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.committee.name} — {meeting.title} du {meeting.date:%d/%m/%Y}"


def _convocation(notification: Notification):
    meeting = notification.meeting
    invitation = (
        meeting.invitations.filter(person_id=notification.recipient_id)
        .select_related("agenda_item")
        .first()
    )
    sequence = int(notification.key or 0)
    cancelled = notification.kind == Kind.CANCELLATION
    if invitation is None and not cancelled:
        return None
    # A newer update or a cancellation supersedes this one: only the latest goes out.
    if sequence < meeting.ics_sequence:
        return None
    if not cancelled and meeting.is_cancelled:
        return None
    method = "CANCEL" if cancelled else "REQUEST"
    ics = meeting_ics(meeting, method=method, attendee=notification.recipient)
    subject = {
        Kind.CONVOCATION: "Convocation",
        Kind.UPDATE: "Convocation mise à jour",
        Kind.CANCELLATION: "Annulation",
    }[notification.kind]
    return _email(
        notification,
        f"{subject} : {_meeting_label(meeting)}",
        "meeting_convocation.txt",
        {
            "kind": notification.kind,
            "invitation": invitation,
            "agenda": list(meeting.agenda_items.all()),
            "answer_url": _url(reverse("meetings:answer", args=[meeting.pk])),
        },
        attachments=[("invitation.ics", ics, f"text/calendar; method={method}; charset=UTF-8")],
    )


def _validation(notification: Notification):
    meeting = notification.meeting
    if meeting.status != Meeting.Status.PENDING_VALIDATION:
        return None
    pending = pending_validations(meeting)
    if not any(notification.recipient_id in (cp.person_id, cp.delegate_id) for cp in pending):
        return None  # they already validated this version
    reminder = notification.kind == Kind.VALIDATION_REMINDER
    return _email(
        notification,
        f"{'Rappel : ' if reminder else ''}Validation de l'ordre du jour : {_meeting_label(meeting)}",
        "meeting_validation_request.txt",
        {"reminder": reminder, "agenda": list(meeting.agenda_items.all())},
    )


def _answer_reminder(notification: Notification):
    meeting = notification.meeting
    if not meeting.is_convened or meeting.has_started:
        return None
    invitation = meeting.invitations.filter(person_id=notification.recipient_id).first()
    if invitation is None or invitation.answer != Invitation.Answer.PENDING:
        return None  # they answered meanwhile
    return _email(
        notification,
        f"Rappel : merci de répondre à la convocation — {_meeting_label(meeting)}",
        "meeting_answer_reminder.txt",
        {"answer_url": _url(reverse("meetings:answer", args=[meeting.pk]))},
    )


def _minutes_draft_reminder(notification: Notification):
    meeting = notification.meeting
    if hasattr(meeting, "minutes") or not meeting.is_convened:
        return None
    return _email(
        notification,
        f"Rappel : compte rendu à rédiger — {_meeting_label(meeting)}",
        "minutes_draft_reminder.txt",
        {"minutes_url": _url(reverse("meetings:minutes", args=[meeting.pk]))},
    )


def _minutes_approval(notification: Notification):
    meeting = notification.meeting
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.is_approved:
        return None
    if notification.key and notification.key != f"v{minutes.version}":
        return None  # an edit opened a newer version, which has its own request
    pending = pending_approvals(minutes)
    if not any(notification.recipient_id in (cp.person_id, cp.delegate_id) for cp in pending):
        return None
    reminder = notification.kind == Kind.MINUTES_APPROVAL_REMINDER
    return _email(
        notification,
        f"{'Rappel : ' if reminder else ''}Compte rendu à approuver — {_meeting_label(meeting)}",
        "minutes_approval_request.txt",
        {"reminder": reminder, "minutes_url": _url(reverse("meetings:minutes", args=[meeting.pk]))},
    )


def _minutes(notification: Notification):
    meeting = notification.meeting
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.pdf_status != minutes.PdfStatus.READY or not minutes.pdf:
        return None
    with minutes.pdf.open("rb") as handle:
        content = handle.read()
    return _email(
        notification,
        f"Compte rendu : {_meeting_label(meeting)}",
        "minutes_sent.txt",
        {"minutes_url": _url(reverse("meetings:minutes", args=[meeting.pk]))},
        attachments=[(f"compte-rendu-{meeting.date:%Y-%m-%d}.pdf", content, "application/pdf")],
    )


def _pdf_failed(notification: Notification):
    minutes = getattr(notification.meeting, "minutes", None)
    if minutes is None or minutes.pdf_status != minutes.PdfStatus.FAILED:
        return None
    return _email(
        notification,
        f"Échec de la génération du PDF — {_meeting_label(notification.meeting)}",
        "minutes_pdf_failed.txt",
        {
            "minutes": minutes,
            "minutes_url": _url(reverse("meetings:minutes", args=[notification.meeting_id])),
        },
    )


def _changes_requested(notification: Notification):
    """A co-president asked for changes (DEC-JOINT): the secretariat reads what to change.
    Skipped when the request was treated before the e-mail went (the document changed)."""
    pk = notification.key.removeprefix("request-")
    request = (
        ChangeRequest.objects.open()
        .filter(pk=int(pk) if pk.isdigit() else 0, meeting=notification.meeting)
        .select_related("requested_by", "copresidency")
        .first()
    )
    if request is None:
        return None
    on_minutes = request.subject == ChangeRequest.Subject.MINUTES
    url = (
        reverse("meetings:minutes", args=[notification.meeting_id])
        if on_minutes
        else reverse("meetings:detail", args=[notification.meeting_id]) + "#validation"
    )
    document = "du compte rendu" if on_minutes else "de l'ordre du jour"
    return _email(
        notification,
        f"Modifications demandées {document} — {_meeting_label(notification.meeting)}",
        "changes_requested.txt",
        {
            "request": request,
            "on_minutes": on_minutes,
            "requester": request.requested_by.get_full_name() or "Un co-président",
            "document_url": _url(url),
        },
    )


_BUILDERS = {
    Kind.CONVOCATION: _convocation,
    Kind.UPDATE: _convocation,
    Kind.CANCELLATION: _convocation,
    Kind.VALIDATION_REQUEST: _validation,
    Kind.VALIDATION_REMINDER: _validation,
    Kind.ANSWER_REMINDER: _answer_reminder,
    Kind.MINUTES_DRAFT_REMINDER: _minutes_draft_reminder,
    Kind.MINUTES_APPROVAL_REQUEST: _minutes_approval,
    Kind.MINUTES_APPROVAL_REMINDER: _minutes_approval,
    Kind.MINUTES: _minutes,
    Kind.PDF_FAILED: _pdf_failed,
    Kind.CHANGES_REQUESTED: _changes_requested,
}


# --- Reminders (Celery beat) --------------------------------------------------------------------


def answer_reminder_key(days_left: int) -> str | None:
    """Which answer reminder is due ``days_left`` days before the meeting: the smallest delay
    that ``days_left`` has reached (7, then 2 by default), so that a late beat still sends the
    nearest reminder and never both at once."""
    due = [d for d in sorted(cte_setting("ANSWER_REMINDER_DAYS")) if 0 <= days_left <= d]
    return f"d-{due[0]}" if due else None


@transaction.atomic
def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Record every reminder due now, once; their sending is enqueued after the commit."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = 0
    horizon = max(cte_setting("ANSWER_REMINDER_DAYS"), default=0)

    # Answers: 7 and 2 days before, to the people who have not answered.
    upcoming = Meeting.objects.convened().filter(
        date__gte=today, date__lte=today + timedelta(days=horizon)
    )
    pending_answers = Invitation.objects.filter(
        meeting__in=upcoming, answer=Invitation.Answer.PENDING, person__is_active=True
    ).select_related("meeting")
    by_meeting: dict[int, list] = {}
    for invitation in pending_answers:
        by_meeting.setdefault(invitation.meeting_id, [invitation.meeting, []])[1].append(
            invitation.person_id
        )
    for meeting, people in by_meeting.values():
        days_left = (meeting.date - today).days
        key = answer_reminder_key(days_left)
        # No reminder for a convocation sent after the reminder's date: it is fresh news.
        if key is None or meeting.has_started:
            continue
        delay = int(key.removeprefix("d-"))
        if meeting.convened_at and timezone.localdate(meeting.convened_at) >= (
            meeting.date - timedelta(days=delay)
        ):
            continue
        created += len(
            notify(meeting=meeting, kind=Kind.ANSWER_REMINDER, recipients=people, key=key)
        )

    # DEC-JOINT: co-presidents who have not validated the version submitted days ago.
    validation_due = now - timedelta(days=cte_setting("VALIDATION_REMINDER_DAYS"))
    for meeting in Meeting.objects.filter(
        status=Meeting.Status.PENDING_VALIDATION,
        submitted_at__lte=validation_due,
        date__gte=today,
    ):
        people = []
        for copresidency in pending_validations(meeting):
            people.append(copresidency.person_id)
            if copresidency.delegate_id:
                people.append(copresidency.delegate_id)
        created += len(
            notify(
                meeting=meeting,
                kind=Kind.VALIDATION_REMINDER,
                recipients=people,
                key=f"v{meeting.version}",
            )
        )

    # Minutes not drafted 7 days after the meeting: the secretariat.
    draft_due = today - timedelta(days=cte_setting("MINUTES_DRAFT_REMINDER_DAYS"))
    for meeting in Meeting.objects.convened().filter(
        date__lte=draft_due, date__gte=draft_due - timedelta(days=90), minutes__isnull=True
    ):
        created += len(
            notify(
                meeting=meeting,
                kind=Kind.MINUTES_DRAFT_REMINDER,
                recipients=secretariat_ids(meeting.committee),
                key="draft",
            )
        )

    # Minutes awaiting approval for days (no edit since): the co-presidents who have not
    # approved the current version, once per version.
    approval_due = now - timedelta(days=cte_setting("MINUTES_APPROVAL_REMINDER_DAYS"))
    for minutes in Minutes.objects.filter(
        approved_at__isnull=True, updated_at__lte=approval_due
    ).select_related("meeting"):
        people = []
        for copresidency in pending_approvals(minutes):
            people.append(copresidency.person_id)
            if copresidency.delegate_id:
                people.append(copresidency.delegate_id)
        created += len(
            notify(
                meeting=minutes.meeting,
                kind=Kind.MINUTES_APPROVAL_REMINDER,
                recipients=people,
                key=f"v{minutes.version}",
            )
        )
    if created:
        logger.info("%s reminder(s) queued", created)
    return created


def sweep(*, now: datetime | None = None) -> dict:
    """Re-enqueue what a dead worker or a lost message left undone: notifications never
    sent whose claim expired (or that nobody claimed), and PDFs stuck in rendering."""
    now = now or timezone.now()
    expiry = claim_expiry(now)
    stale = list(
        Notification.objects.filter(sent_at__isnull=True)
        .filter(Q(claimed_at__lt=expiry) | Q(claimed_at__isnull=True, created_at__lt=expiry))
        .values_list("pk", flat=True)[:500]
    )
    for pk in stale:
        send_task(SEND_TASK, pk)
    pdfs = list(stuck_minutes(now=now).values_list("pk", flat=True))
    for pk in pdfs:
        send_task(RENDER_PDF_TASK, pk)
    if stale or pdfs:
        logger.info("sweep: %s notification(s), %s PDF(s) re-enqueued", len(stale), len(pdfs))
    return {"notifications": len(stale), "pdfs": len(pdfs)}
