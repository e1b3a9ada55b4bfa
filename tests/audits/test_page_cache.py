"""A committee's audits page keeps its body until any write to the data (issue 15,
``cte_portal.core.page_cache``): served again without the queries of the body, one entry per
filter and page, and a write — even one no model signal reports — shows at the next view."""

import pytest
from django.test import Client
from django.urls import reverse

from audits.models import NetworkBody
from tests.audits.world import referral
from tests.clients import login

pytestmark = pytest.mark.django_db


def _page(client, committee, query: str = "") -> str:
    response = client.get(reverse("audits:committee", args=[committee.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_view_is_served_without_the_queries_of_the_body(
    world, client, django_assert_max_num_queries
):
    referral(world)
    login(client, world.secretariat)
    first = _page(client, world.cde)
    assert "Mission locale Beaujolais" in first
    with django_assert_max_num_queries(3):  # session, user, the committee in their reach
        second = _page(client, world.cde)
    assert "Mission locale Beaujolais" in second
    # Another filter is another page, not the cached one.
    assert "Aucun dossier." not in second
    assert "Aucun dossier." in _page(client, world.cde, "?etat=closed")


def test_a_write_without_signals_shows_at_the_next_view(world, client):
    referral(world)
    login(client, world.secretariat)
    assert "Mission locale du Beaujolais vert" not in _page(client, world.cde)
    NetworkBody.objects.filter(pk=world.ml.pk).update(name="Mission locale du Beaujolais vert")
    assert "Mission locale du Beaujolais vert" in _page(client, world.cde)


def test_each_person_gets_their_own_body(world, client):
    referral(world)
    login(client, world.secretariat)
    assert "Mission locale Beaujolais" in _page(client, world.cde)
    voter = login(Client(), world.voter)  # sees the committee, not its audits
    assert "Mission locale Beaujolais" not in _page(voter, world.cde)
