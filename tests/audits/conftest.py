"""Fixtures of the audit tests: the world of ``tests/audits/world.py``, tasks run in-process,
uploads in a temporary folder (``eager`` and ``media`` come from ``tests/fixtures/``)."""

import pytest

from tests.audits.world import build_world


@pytest.fixture
def world(db, eager, media):
    return build_world()
