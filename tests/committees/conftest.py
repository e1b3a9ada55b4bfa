"""Fixtures of the committee tests: a small territory and the personas of DOMAIN §4.

The builders live in ``tests/committees/builders.py`` so that browser tests can use them too.
"""

import pytest

from tests.committees import builders
from tests.factories.users import UserFactory


@pytest.fixture
def territory(db):
    return builders.make_territory()


@pytest.fixture
def ddets_rhone(territory):
    """A DDETS agent of the Rhône: runs the CDEs and CLEs of the 69, sees the CRE."""
    return builders.ddets_agent(
        territory.d69, email="agent.ddets69@example.gouv.fr", first_name="Claire", last_name="Duval"
    )


@pytest.fixture
def ddets_ain(territory):
    """A DDETS agent of the Ain: same region, another département."""
    return builders.ddets_agent(territory.d01, email="agent.ddets01@example.gouv.fr")


@pytest.fixture
def ddets_paris(territory):
    """A DDETS agent of another region."""
    return builders.ddets_agent(territory.d75, email="agent.ddets75@example.gouv.fr")


@pytest.fixture
def dreets_ara(territory):
    """A DREETS agent of Auvergne-Rhône-Alpes: runs the CRE, sees every committee of 84."""
    return builders.dreets_agent(territory.ara, email="agent.dreets84@example.gouv.fr")


@pytest.fixture
def outsider(db):
    return UserFactory(email="curieux@example.fr", organisation="")
