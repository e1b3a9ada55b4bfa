"""A form sent twice creates one object (issue 14, "Input"): the one-time token of
``cte_portal.core.once`` rendered by the real pages, then the same POST twice."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse

from committees.models import Committee, Level
from cte_portal.core.once import ALREADY_SENT, FIELD, _cache_key
from meetings.models import Meeting
from roadmaps.models import IndicatorValue
from tests.clients import login
from tests.factories.meetings import future_day, make_meeting
from tests.roadmaps.world import make_indicators, make_world

pytestmark = pytest.mark.django_db


def _token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    match = re.search(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', page.content.decode())
    assert match, f"no one-time token on {url}"
    return match.group(1)


def _meeting_data(token: str, **extra) -> dict:
    return {
        "title": "Plénière d'automne",
        "kind": "plenary",
        "date": future_day().isoformat(),
        "start_time": "14:00",
        "end_time": "16:30",
        "place": "Hôtel du département",
        "visio_url": "",
        FIELD: token,
        **extra,
    }


def test_a_committee_creation_sent_twice_creates_one_committee(client, territory, ddets_rhone):
    login(client, ddets_rhone)
    url = reverse("committees:create")
    data = {
        "level": Level.LOCAL,
        "name": "CLE Sud-Ouest lyonnais",
        "departements": ["69"],
        "arrete_reference": "",
        FIELD: _token(client, url),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    committee = Committee.objects.get(name="CLE Sud-Ouest lyonnais")
    assert first.status_code == 302 and first["Location"] == committee.get_absolute_url()
    assert second.status_code == 302 and second["Location"] == committee.get_absolute_url()
    assert Committee.objects.filter(name="CLE Sud-Ouest lyonnais").count() == 1
    shown = unescape(client.get(second["Location"]).content.decode())
    assert ALREADY_SENT in shown


def test_a_meeting_creation_sent_twice_creates_one_meeting(client, scene):
    login(client, scene.secretariat)
    url = reverse("meetings:create", args=[scene.committee.pk])
    data = _meeting_data(_token(client, url))
    client.post(url, data)
    second = client.post(url, data)
    meeting = Meeting.objects.get()
    assert second.status_code == 302 and second["Location"] == meeting.get_absolute_url()


def test_an_agenda_item_sent_twice_is_added_once(client, scene):
    meeting = make_meeting(scene)
    login(client, scene.secretariat)
    url = reverse("meetings:item_add", args=[meeting.pk])
    data = {"title": "Bilan de l'IAE", "duration_minutes": 20, "presenter": "DDETS"}
    data[FIELD] = _token(client, url)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert meeting.agenda_items.filter(title="Bilan de l'IAE").count() == 1


def test_a_form_refused_then_corrected_with_the_same_token_is_saved(client, scene):
    login(client, scene.secretariat)
    url = reverse("meetings:create", args=[scene.committee.pk])
    token = _token(client, url)
    refused = client.post(url, _meeting_data(token, place=""))
    assert refused.status_code == 200
    assert not Meeting.objects.exists()
    assert client.post(url, _meeting_data(token)).status_code == 302
    assert Meeting.objects.count() == 1


def test_each_page_gives_a_new_token_so_two_real_submissions_create_two(client, scene):
    login(client, scene.secretariat)
    url = reverse("meetings:create", args=[scene.committee.pk])
    client.post(url, _meeting_data(_token(client, url)))
    client.post(url, _meeting_data(_token(client, url), title="Plénière d'hiver"))
    assert Meeting.objects.count() == 2


def test_a_token_used_by_another_request_redirects_to_what_it_created(client, scene):
    # The first click was handled by another process: the cache knows where it led.
    login(client, scene.secretariat)
    url = reverse("meetings:create", args=[scene.committee.pk])
    token = _token(client, url)
    cache.set(_cache_key(token), "/reunions/deja-creee/", 60)
    response = client.post(url, _meeting_data(token))
    assert response.status_code == 302 and response["Location"] == "/reunions/deja-creee/"
    assert not Meeting.objects.exists()


def test_an_inline_form_of_a_detail_page_carries_its_token_and_is_sent_once(client):
    # The value form of the indicators page has no tag of its own: {% csrf_token %} carries the
    # one-time token for every POST form of the portal.
    world = make_world()
    returns = make_indicators()["returns"]
    client.force_login(world.ddets69)
    url = reverse("roadmaps:indicators", args=[world.cle.pk])
    data = {
        "indicator": f"c:{returns.pk}",
        "period": "2026-09-30",
        "value": "42",
        "category": "",
        FIELD: _token(client, url),
    }

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == 302
    assert second.status_code == 302 and second["Location"] == first["Location"]
    value = IndicatorValue.objects.get(committee=world.cle, result_indicator=returns)
    assert value.history.count() == 1  # the second POST never reached the service
    assert ALREADY_SENT in unescape(client.get(second["Location"]).content.decode())


def test_every_post_form_of_a_page_has_its_own_token(client, scene):
    meeting = make_meeting(scene)
    client.force_login(scene.secretariat)
    html = client.get(meeting.get_absolute_url()).content.decode()
    forms = re.findall(r'<form[^>]*method="post".*?</form>', html, flags=re.S | re.I)
    assert forms
    tokens = [re.search(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', form) for form in forms]
    assert all(tokens), "a POST form without its one-time token"
    assert len({token.group(1) for token in tokens}) == len(forms)
