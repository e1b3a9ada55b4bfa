"""Fixtures of the meeting tests. A test module takes them with
``from tests.committees.meetings_fixtures import *  # noqa: F403``."""

import pytest

from cte_portal.celery import app as celery_app
from tests.celery_support import reconfigure_celery
from tests.committees.meetings_support import build_scene

__all__ = ["eager", "media", "scene"]

# --- Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def eager():
    """Tasks run in-process after the commit, whatever REDIS_URL says (CI may set it)."""
    previous = reconfigure_celery(
        celery_app,
        broker_url="memory://",
        result_backend="cache+memory://",
        task_always_eager=True,
        task_eager_propagates=True,
    )
    yield celery_app
    reconfigure_celery(celery_app, **previous)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scene(db, eager, media):
    return build_scene()
