"""Fixtures of the audit tests: the world of ``tests/audits/world.py``, tasks run in-process,
uploads in a temporary folder (the meetings tests' fixtures)."""

import pytest

from tests.audits.world import build_world
from tests.committees.meetings_fixtures import eager, media  # noqa: F401


@pytest.fixture
def world(db, eager, media):  # noqa: F811
    return build_world()
