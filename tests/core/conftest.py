"""Fixtures for the foundation tests: the project's Celery app against the real Redis."""

import os
import warnings

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import connections

from cte_portal.celery import app as celery_app
from tests.celery_support import reconfigure_celery

# Our own Redis database, so that a test run never consumes another run's queue (CI and
# development runs share the machine's Redis; db 0 is the portal's own).
TEST_REDIS_URL = os.environ.get("CTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def eager_celery():
    """Tasks run in-process, as without ``REDIS_URL`` (CI sets it: force the embedded mode)."""
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
def redis_url():
    """The real Redis of the machine. Unreachable Redis fails the test: it never skips it."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {TEST_REDIS_URL} ({exc!r}); start it (RECIPES.md).")
    finally:
        client.close()
    return TEST_REDIS_URL


@pytest.fixture
def celery_on_redis(redis_url):
    """The project's Celery app sending to the real Redis (no worker yet)."""
    previous = reconfigure_celery(
        celery_app,
        broker_url=redis_url,
        result_backend=redis_url,
        task_always_eager=False,
        worker_hijack_root_logger=False,
    )
    yield celery_app
    reconfigure_celery(celery_app, **previous)


@pytest.fixture
def celery_worker(celery_on_redis):
    """A real Celery worker, in a thread, consuming the project's queue on Redis."""
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)

    with warnings.catch_warnings():
        # celery 5.7's Redis result backend still calls ``setex``, deprecated by redis-py 8:
        # the worker thread would die on it since the suite turns warnings into errors.
        warnings.filterwarnings(
            "ignore", message="Call to deprecated setex", category=DeprecationWarning
        )
        with start_worker(celery_on_redis, perform_ping_check=True, shutdown_timeout=20) as worker:
            # Celery's Django fix-up closes database connections when the worker starts; on
            # PostgreSQL that leaves this thread's connection closed under Django's feet.
            # Drop it so that the next query opens a fresh one.
            connections.close_all()
            yield worker
