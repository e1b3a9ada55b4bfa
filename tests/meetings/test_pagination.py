"""Past meetings pile up over the years: the committee's list and the members' space show
them a page at a time (issue 15), with the DSFR pagination."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.views.meetings import PAST_PER_PAGE
from tests.clients import login
from tests.factories.meetings import convene, make_meeting

pytestmark = pytest.mark.django_db


def _past_meetings(scene, count: int) -> None:
    today = timezone.localdate()
    for index in range(count):
        meeting = convene(scene, make_meeting(scene, items=1, days=10, title=f"Passée {index}"))
        Meeting.objects.filter(pk=meeting.pk).update(
            date=today - timezone.timedelta(days=index + 1)
        )


def test_the_committee_list_shows_past_meetings_a_page_at_a_time(client, scene):
    _past_meetings(scene, PAST_PER_PAGE + 2)
    make_meeting(scene, items=0, days=5, title="À venir")
    login(client, scene.secretariat)
    url = reverse("meetings:committee_list", args=[scene.committee.pk])

    first = client.get(url)
    assert len(first.context["past"]) == PAST_PER_PAGE
    assert [m.title for m in first.context["upcoming"]] == ["À venir"]
    html = first.content.decode()
    assert "fr-pagination" in html and "?page=2" in html
    assert "Passée 0" in html and f"Passée {PAST_PER_PAGE + 1}" not in html

    second = client.get(url, {"page": 2}).content.decode()
    assert f"Passée {PAST_PER_PAGE + 1}" in second and "Passée 0" not in second


def test_a_members_past_meetings_come_a_page_at_a_time(client, scene):
    _past_meetings(scene, PAST_PER_PAGE + 1)
    member = scene.state
    login(client, member)
    url = reverse("meetings:mine")

    first = client.get(url)
    assert len(first.context["past"]) == PAST_PER_PAGE
    assert "fr-pagination" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [i.meeting.title for i in second.context["past"]] == [f"Passée {PAST_PER_PAGE}"]
