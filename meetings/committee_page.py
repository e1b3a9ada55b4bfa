"""The meetings section of the committee page (``committees.sections``, registered by
``MeetingsConfig.ready``).

It shows the meetings of the year against the advice (INS-MEETINGS), the CLE co-presidents'
presence (INS-LOCAL-PRESENCE), the next and the last meetings the user may see, and, for the
secretariat, the button that prepares a meeting. A fixed number of queries.
"""

from django.db import connection
from django.utils import timezone

from committees.models import Level
from committees.permissions import can_manage_committee
from meetings.models import Meeting
from meetings.services import compliance as meeting_compliance

TEMPLATE = "meetings/includes/_committee_meetings.html"
SHOWN = 3


def _next_and_last(visible) -> tuple[list[Meeting], list[Meeting]]:
    """The ``SHOWN`` next and the ``SHOWN`` last meetings: one query (a union of the two
    slices) where the database allows it, two otherwise (SQLite)."""
    today = timezone.localdate()
    upcoming = visible.filter(date__gte=today).order_by("date", "start_time")[:SHOWN]
    past = visible.filter(date__lt=today).order_by("-date", "-start_time")[:SHOWN]
    if not connection.features.supports_slicing_ordering_in_compound:
        return list(upcoming), list(past)
    rows = list(upcoming.union(past, all=True))
    return (
        sorted((m for m in rows if m.date >= today), key=lambda m: (m.date, m.start_time)),
        sorted((m for m in rows if m.date < today), key=lambda m: (m.date, m.start_time))[::-1],
    )


def meetings_section(request, committee) -> dict:
    user = request.user
    upcoming, past = _next_and_last(Meeting.objects.visible_to(user).filter(committee=committee))
    return {
        "committee": committee,
        "upcoming": upcoming,
        "past": past,
        "compliance": meeting_compliance.committee_compliance(committee),
        "upper_levels": meeting_compliance.upper_level_attendance(committee)
        if committee.level == Level.LOCAL
        else [],
        "can_manage": can_manage_committee(user, committee),
    }
