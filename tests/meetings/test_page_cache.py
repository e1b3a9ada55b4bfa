"""The committee's meetings and a meeting's page keep their body in the cache until any write
to the data (issue 15, ``cte_portal.core.page_cache``): served again without the queries of
the body, a write made without signals shown at the next view, and the start of the meeting —
which changes the page without any write — shown at once."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from tests.clients import login
from tests.factories.meetings import make_meeting

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_committee_list_is_served_again_without_its_queries_and_shows_writes(
    client, scene, django_assert_max_num_queries
):
    meeting = make_meeting(scene, title="Plénière de rentrée")
    login(client, scene.secretariat)
    url = reverse("meetings:committee_list", args=[scene.committee.pk])
    assert "Plénière de rentrée" in _get(client, url)
    with django_assert_max_num_queries(4):  # session, user, committee
        assert "Plénière de rentrée" in _get(client, url)
    Meeting.objects.filter(pk=meeting.pk).update(title="Plénière de septembre")
    html = _get(client, url)
    assert "Plénière de septembre" in html and "Plénière de rentrée" not in html


def test_a_meeting_page_is_served_again_without_its_queries_and_shows_writes(
    client, scene, django_assert_max_num_queries
):
    meeting = make_meeting(scene)
    item = meeting.agenda_items.order_by("position").first()
    login(client, scene.secretariat)
    url = reverse("meetings:detail", args=[meeting.pk])
    _get(client, url)
    with django_assert_max_num_queries(4):  # session, user, meeting
        assert item.title in _get(client, url)
    AgendaItem.objects.filter(pk=item.pk).update(title="Bilan des recrutements du trimestre")
    assert "Bilan des recrutements du trimestre" in _get(client, url)


def test_a_meeting_page_changes_when_the_meeting_starts_without_any_write(
    client, scene, monkeypatch
):
    meeting = make_meeting(scene)
    login(client, scene.secretariat)
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "Modifier la réunion" in _get(client, url)
    assert "Modifier la réunion" in _get(client, url)  # from the cache
    # The clock passes the start time: nothing is written, the page no longer offers to edit.
    monkeypatch.setattr(Meeting, "has_started", property(lambda _meeting: True))
    assert "Modifier la réunion" not in _get(client, url)
