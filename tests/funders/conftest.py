import pytest

from tests.funders.world import conference, funder, make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def funders(world):
    """The funders' directory of the Rhône CDE."""
    return {
        "state": funder(world.cde, "DDETS du Rhône", "state"),
        "fse": funder(world.cde, "FSE+ (État)", "state"),
        "departement": funder(world.cde, "Département du Rhône", "departement"),
        "region": funder(world.cde, "Région Auvergne-Rhône-Alpes", "region"),
        "ft": funder(world.cde, "France Travail Rhône", "france_travail"),
        "caf": funder(world.cde, "CAF du Rhône", "other"),
    }


@pytest.fixture
def cde_conference(world, funders):
    return conference(world.cde, world.ddets69)


@pytest.fixture
def cle_conference(world):
    return conference(world.cle, world.ddets69, title="Conférence de financement 2026")
