"""The committee list's cached warning counts (issue 15, ``committees.cache``): read from the
cache while no committee fact changes, counted again after a write and on the next day."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.cache import cached_warning_counts
from committees.models import CoPresidency
from committees.selectors import warning_counts
from tests.clients import login
from tests.committees.committee_world import copreside, make_cde, seat
from tests.factories.territories import MATRIX, build_territory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cde(db):
    return make_cde(build_territory(MATRIX))


def test_the_counts_are_cached_until_a_copresident_is_added(cde, django_assert_num_queries):
    today = date.today()
    before = cached_warning_counts([cde])
    assert before == warning_counts([cde])
    with django_assert_num_queries(0):
        assert cached_warning_counts([cde]) == before

    copreside(cde, CoPresidency.Side.STATE)
    copreside(cde, CoPresidency.Side.LOCAL_AUTHORITY)
    after = cached_warning_counts([cde])
    assert after == warning_counts([cde])
    assert after[cde.pk] < before[cde.pk]  # the co-presidents are no longer missing

    seat(cde)  # a member changes the counts' inputs too: counted again, still right
    assert cached_warning_counts([cde]) == warning_counts([cde])
    # The next day (mandates ending, reviews due): counted again.
    tomorrow = today + timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        assert cached_warning_counts([cde], today=tomorrow) == warning_counts([cde], today=tomorrow)
    assert len(queries) > 0


def test_the_list_shows_the_new_count_after_a_write(client, cde):
    login(client, UserFactory(email="admin.cache@example.gouv.fr", admin=True))
    url = reverse("committees:list")
    client.get(url)
    count = warning_counts([cde])[cde.pk]
    page = client.get(url).content.decode()
    assert f'fr-badge--sm">{count}</p>' in page
    copreside(cde, CoPresidency.Side.STATE)
    copreside(cde, CoPresidency.Side.LOCAL_AUTHORITY)
    new_count = warning_counts([cde])[cde.pk]
    assert new_count < count
    page = client.get(url).content.decode()
    assert f'fr-badge--sm">{new_count}</p>' in page
