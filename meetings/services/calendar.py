"""iCalendar (RFC 5545): the invitation attached to convocations, and personal feeds.

The event's UID never changes for a meeting; SEQUENCE grows with each update sent, so that
calendar clients replace the event instead of adding a second one; a cancelled meeting goes
out with METHOD:CANCEL and STATUS:CANCELLED.
"""

import hashlib
import secrets
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import CalendarFeed, Invitation, Meeting

PRODID = "-//Portail des comités territoriaux pour l'emploi//CTE Portal//FR"


def _organizer_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "ne-pas-repondre@cte.example.gouv.fr"


def _description(meeting: Meeting, items) -> str:
    lines = [f"{meeting.committee.name} — {meeting.get_kind_display()}", "", "Ordre du jour :"]
    lines += [f"{item.position}. {item.title}" for item in items]
    if meeting.visio_url:
        lines += ["", f"Visioconférence : {meeting.visio_url}"]
    lines += ["", f"{settings.SITE_URL}{reverse('meetings:detail', args=[meeting.pk])}"]
    return "\n".join(lines)


def _event(meeting: Meeting, *, items, stamp: datetime, attendee=None) -> Event:
    event = Event()
    event.add("uid", meeting.ics_uid)
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.title} — {meeting.committee.name}")
    location = meeting.place or ("Visioconférence" if meeting.visio_url else "")
    if location:
        event.add("location", location)
    event.add("description", _description(meeting, items))
    event.add("url", f"{settings.SITE_URL}{reverse('meetings:detail', args=[meeting.pk])}")
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{_organizer_address()}")
    organizer.params["cn"] = vText(f"Secrétariat — {meeting.committee.name}")
    event.add("organizer", organizer)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.get_full_name() or attendee.email)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("FALSE")  # answers go through the portal
        event.add("attendee", address)
    return event


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def meeting_ics(meeting: Meeting, *, method: str = "REQUEST", attendee=None) -> bytes:
    """The invitation for one meeting; METHOD REQUEST, or CANCEL when it is cancelled."""
    calendar = _calendar(method)
    calendar.add_component(
        _event(
            meeting,
            items=list(meeting.agenda_items.all()),
            stamp=timezone.now(),
            attendee=attendee,
        )
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- Personal feeds -------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(*, user) -> tuple[CalendarFeed, str]:
    """A new secret feed for ``user``; the previous ones are revoked. The key is returned
    once: only its SHA-256 is stored."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    key = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=user, prefix=key[: CalendarFeed.PREFIX_LENGTH], key_hash=_hash(key)
    )
    return feed, key


@transaction.atomic
def revoke_calendar_feed(*, user) -> int:
    """Revoke every active feed of ``user``: their URLs answer 404 from now on."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def find_feed(key: str) -> CalendarFeed | None:
    if not key or len(key) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_ics(feed: CalendarFeed) -> bytes:
    """Every meeting ``feed.user`` was convened to (sent convocations only), past year
    included, cancelled ones marked so."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    invitations = (
        Invitation.objects.filter(person=feed.user, meeting__convened_at__isnull=False)
        .select_related("meeting__committee")
        .prefetch_related("meeting__agenda_items")
        .order_by("meeting__date")
    )
    calendar = _calendar()
    calendar.add("x-wr-calname", "Mes réunions — comités pour l'emploi")
    stamp = timezone.now()
    for invitation in invitations:
        meeting = invitation.meeting
        calendar.add_component(_event(meeting, items=list(meeting.agenda_items.all()), stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
