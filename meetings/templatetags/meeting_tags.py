"""The meetings panel of a committee page.

Usage, in a template whose context has ``request`` (any page rendered with ``render``)::

    {% load meeting_tags %}
    {% committee_meetings committee %}

It shows the meetings of the year against the advice (INS-MEETINGS), the CLE co-presidents'
presence (INS-LOCAL-PRESENCE), the next and the last meetings the user may see, and, for the
secretariat, the button that prepares a meeting. A fixed number of queries.
"""

from django import template
from django.utils import timezone

from committees.models import Level
from committees.permissions import can_manage_committee
from meetings.models import Meeting
from meetings.services import compliance as meeting_compliance

register = template.Library()

SHOWN = 3


@register.inclusion_tag("meetings/includes/_committee_meetings.html", takes_context=True)
def committee_meetings(context, committee):
    user = context["request"].user
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
