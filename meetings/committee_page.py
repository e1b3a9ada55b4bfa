"""The meetings section of the committee page (``committees.sections``, registered by
``MeetingsConfig.ready``).

It shows the meetings of the year against the advice (INS-MEETINGS), the CLE co-presidents'
presence (INS-LOCAL-PRESENCE), the next and the last meetings the user may see, and, for the
secretariat, the button that prepares a meeting. A fixed number of queries.
"""

from django.utils import timezone

from committees.models import Level
from committees.permissions import can_manage_committee
from meetings.models import Meeting
from meetings.services import compliance as meeting_compliance

TEMPLATE = "meetings/includes/_committee_meetings.html"
SHOWN = 3


def meetings_section(request, committee) -> dict:
    user = request.user
    today = timezone.localdate()
    visible = Meeting.objects.visible_to(user).filter(committee=committee)
    return {
        "committee": committee,
        "upcoming": list(visible.filter(date__gte=today).order_by("date", "start_time")[:SHOWN]),
        "past": list(visible.filter(date__lt=today).order_by("-date", "-start_time")[:SHOWN]),
        "compliance": meeting_compliance.committee_compliance(committee),
        "upper_levels": meeting_compliance.upper_level_attendance(committee)
        if committee.level == Level.LOCAL
        else [],
        "can_manage": can_manage_committee(user, committee),
    }
