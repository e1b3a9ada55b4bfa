import pytest
from django.core.cache import cache

from tests.roadmaps.world import build_roadmap, make_indicators, make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def indicators(db):
    return make_indicators()


@pytest.fixture
def roadmap(world):
    """A draft roadmap of the CLE Villefranche, with one axis and one action sheet."""
    return build_roadmap(world.cle, world.ddets69)


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    # The open-data rate limit counts in the cache: every test starts from zero.
    cache.clear()
    yield
    cache.clear()


def client_for(client, user):
    client.force_login(user)
    return client
