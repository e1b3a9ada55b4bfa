"""Fixtures of the portal-wide tests (``tests/core``)."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(territory, eager, media, settings):
    """The demo data of ``make run``, tasks run in-process, files in a temporary folder."""
    settings.DEBUG = True  # seed_demo runs with DEBUG only
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
