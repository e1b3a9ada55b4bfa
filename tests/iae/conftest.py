"""Fixtures of the IAE tests: the world of ``tests/iae/world.py``."""

import pytest

from tests.iae.world import build_world


@pytest.fixture
def world(db, eager, media):
    return build_world()
