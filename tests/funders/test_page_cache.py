"""A funders' conference page keeps its body until any write to the data (issue 15,
``cte_portal.core.page_cache``): served again without the queries of the body, and a write —
even one no model signal reports — shows at the next view."""

import pytest

from funders.models import Funder, FundersConference
from funders.services.conferences import add_comment
from tests.clients import login
from tests.funders.world import conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def convened(world, funders):
    """The CDE's conference, with the CAF among its participants."""
    return conference(world.cde, world.ddets69, funders=[funders["caf"]])


def _page(client, conference) -> str:
    response = client.get(conference.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_view_is_served_without_the_queries_of_the_body(
    client, world, convened, django_assert_max_num_queries
):
    add_comment(conference=convened, user=world.ddets69, body="Ordre du jour validé.")
    login(client, world.ddets69)
    assert "Ordre du jour validé." in _page(client, convened)
    # session, user, the conference, the committee's permission (breadcrumb)
    with django_assert_max_num_queries(4):
        html = _page(client, convened)
    assert "Ordre du jour validé." in html and "CAF du Rhône" in html
    # The comment form of the cached body posts with this request's tokens.
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_write_without_signals_shows_at_the_next_view(client, world, convened):
    login(client, world.ddets69)
    assert "Décision du 3 mars : crèches." not in _page(client, convened)
    FundersConference.objects.filter(pk=convened.pk).update(
        decisions="Décision du 3 mars : crèches."
    )
    assert "Décision du 3 mars : crèches." in _page(client, convened)
    Funder.objects.filter(name="CAF du Rhône").update(name="CAF de l'Isère")
    assert "CAF de l&#x27;Isère" in _page(client, convened)
