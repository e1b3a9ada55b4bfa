"""Shared fixtures: the sample territory and the personas of DOMAIN §4, defined once.

Fixtures of a subject live in plugin modules under ``tests/fixtures/`` (listed below) or in
the ``conftest.py`` of its test package; tests never import fixtures, nor another test module.
Test data come from the factories of ``tests/factories/``.
"""

import pytest
from django.core.cache import cache

from tests.factories.committees import ddets_agent, dreets_agent
from tests.factories.territories import SAMPLE, build_territory
from tests.factories.users import DEFAULT_PASSWORD, UserFactory

pytest_plugins = [
    "tests.fixtures.tasks",
    "tests.fixtures.meetings",
    "tests.fixtures.browser",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate limits and throttles (password reset
    requests…) count within one test, never across tests."""
    cache.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def territory(db):
    """The sample territory (``tests.factories.territories.SAMPLE``): Rhône, Ain, Paris."""
    return build_territory(SAMPLE)


# --- Personas -------------------------------------------------------------------------------


@pytest.fixture
def user(db):
    """Signed in, no role anywhere yet."""
    return UserFactory(email="membre@example.fr", first_name="Camille", last_name="Martin")


@pytest.fixture
def admin_user(db):
    """An admin of the DGEFP: sees and runs everything."""
    return UserFactory(email="admin@example.gouv.fr", admin=True)


@pytest.fixture
def outsider(db):
    """Signed in, no role anywhere: sees no committee."""
    return UserFactory(email="curieux@example.fr", organisation="")


@pytest.fixture
def ddets_rhone(territory):
    """A DDETS agent of the Rhône: runs the CDEs and CLEs of the 69, sees the CRE."""
    return ddets_agent(
        territory.d69, email="agent.ddets69@example.gouv.fr", first_name="Claire", last_name="Duval"
    )


@pytest.fixture
def ddets_ain(territory):
    """A DDETS agent of the Ain: same region, another département."""
    return ddets_agent(territory.d01, email="agent.ddets01@example.gouv.fr")


@pytest.fixture
def ddets_paris(territory):
    """A DDETS agent of another region."""
    return ddets_agent(territory.d75, email="agent.ddets75@example.gouv.fr")


@pytest.fixture
def dreets_ara(territory):
    """A DREETS agent of Auvergne-Rhône-Alpes: runs the CRE, sees every committee of 84."""
    return dreets_agent(territory.ara, email="agent.dreets84@example.gouv.fr")


@pytest.fixture
def logged_client(client, user):
    client.force_login(user)
    return client
