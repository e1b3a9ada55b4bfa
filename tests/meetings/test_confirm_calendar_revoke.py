"""Switching off one's calendar link asks for confirmation (issue 13): "Mes réunions" links to a
page that works without JavaScript and says that the subscribed calendars stop updating, asking
changes nothing, its button switches the link off. Only one's own link, once signed in."""

from html import unescape

import pytest
from django.urls import reverse

from committees.models.rules import Category
from meetings.models import CalendarFeed
from meetings.services.calendar import create_calendar_feed, find_feed

pytestmark = pytest.mark.django_db

ADDRESS = reverse("meetings:calendar_revoke")
MINE = reverse("meetings:mine")


def test_switching_off_the_calendar_link_asks_first(client, scene):
    member = scene.person(Category.STATE)
    feed, key = create_calendar_feed(user=member)
    client.force_login(member)
    page = client.get(MINE).content.decode()
    assert f'href="{ADDRESS}"' in page and f'action="{ADDRESS}"' not in page
    asked = client.get(ADDRESS)
    html = unescape(asked.content.decode())
    assert asked.status_code == 200
    assert f"Désactiver votre lien d'agenda (commençant par {feed.prefix}…)" in html
    assert "Les agendas abonnés à ce lien" in html and "ne sont plus mis à jour" in html
    assert f'href="{MINE}#agenda"' in html  # cancel
    assert find_feed(key) is not None
    response = client.post(ADDRESS, {"confirmer": "oui"})
    assert response.status_code == 302 and response["Location"] == f"{MINE}#agenda"
    assert find_feed(key) is None
    client.logout()
    assert client.get(reverse("meetings:calendar_feed", args=[key])).status_code == 404


def test_without_an_active_link_there_is_nothing_to_ask(client, scene):
    member = scene.person(Category.STATE)
    client.force_login(member)
    assert f'href="{ADDRESS}"' not in client.get(MINE).content.decode()
    response = client.get(ADDRESS, follow=True)
    assert response.redirect_chain[-1][0] == f"{MINE}#agenda"
    assert "Vous n'avez aucun lien d'agenda actif." in unescape(response.content.decode())


def test_a_signed_out_visitor_or_another_person_switches_nothing_off(client, scene):
    member = scene.person(Category.STATE)
    _feed, key = create_calendar_feed(user=member)
    for method in (client.get, client.post):
        response = method(ADDRESS)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(scene.outsider)  # their own (missing) link only, never the member's
    client.post(ADDRESS, {"confirmer": "oui"})
    assert find_feed(key) is not None
    assert CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).count() == 1
