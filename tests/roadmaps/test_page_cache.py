"""A roadmap's page, a committee's dashboard and its open-data page keep their body in the
cache until any write to the data (issue 15, ``cte_portal.core.page_cache``): served again
without the queries of the body, and a write made without signals shown at the next view."""

import pytest
from django.urls import reverse

from committees.models import Committee
from roadmaps.models import Axis
from tests.roadmaps.conftest import client_for
from tests.roadmaps.world import publish

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_roadmap_page_is_served_again_without_its_queries_and_shows_writes(
    client, world, roadmap, django_assert_max_num_queries
):
    client_for(client, world.ddets69)
    url = reverse("roadmaps:detail", args=[roadmap.pk])
    _get(client, url)
    with django_assert_max_num_queries(4):  # session, user, roadmap
        assert "Axe 1" in _get(client, url)
    Axis.objects.filter(roadmap=roadmap).update(title="Mobilité des demandeurs d'emploi")
    assert "Mobilité des demandeurs d&#x27;emploi" in _get(client, url)


def test_a_dashboard_is_served_again_without_its_queries_and_shows_writes(
    client, world, roadmap, django_assert_max_num_queries
):
    client_for(client, world.ddets69)
    url = reverse("roadmaps:dashboard", args=[world.cle.pk])
    _get(client, url)
    with django_assert_max_num_queries(4):  # session, user, committee
        assert "<h1>Tableau de bord — CLE Villefranche Beaujolais</h1>" in _get(client, url)
    Committee.objects.filter(pk=world.cle.pk).update(name="CLE Beaujolais")
    assert "<h1>Tableau de bord — CLE Beaujolais</h1>" in _get(client, url)


def test_an_open_data_page_is_served_again_without_its_queries_and_shows_writes(
    client, world, roadmap, django_assert_max_num_queries
):
    publish(roadmap, world)
    url = reverse("open_data:committee", args=[world.cle.pk])
    _get(client, url)  # anonymous: every reader shares this body
    with django_assert_max_num_queries(3):  # the committee (no session, no user)
        assert "<h1>CLE Villefranche Beaujolais</h1>" in _get(client, url)
    Committee.objects.filter(pk=world.cle.pk).update(name="CLE Beaujolais")
    assert "<h1>CLE Beaujolais</h1>" in _get(client, url)
