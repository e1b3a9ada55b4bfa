"""Fixtures of the meeting tests. A test module takes them with
``from tests.committees.meetings_fixtures import *  # noqa: F403``."""

import threading

import pytest

from cte_portal.celery import app as celery_app
from tests.committees.meetings_support import build_scene

__all__ = ["eager", "media", "scene"]

# --- Fixtures --------------------------------------------------------------------------------------


def _reconfigure(app, **conf) -> dict:
    previous = {key: app.conf[key] for key in conf}
    app.conf.update(**conf)
    app._pool = None
    app.__dict__.pop("amqp", None)
    app.__dict__.pop("control", None)
    app._backend_cache = None
    app._local = threading.local()
    return previous


@pytest.fixture
def eager():
    """Tasks run in-process after the commit, whatever REDIS_URL says (CI may set it)."""
    previous = _reconfigure(
        celery_app,
        broker_url="memory://",
        result_backend="cache+memory://",
        task_always_eager=True,
        task_eager_propagates=True,
    )
    yield celery_app
    _reconfigure(celery_app, **previous)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scene(db, eager, media):
    return build_scene()
