"""Redis down, the cache side (issue 14, "Faults"): the portal's cache backend answers from the
process's memory when Redis cannot be reached, so signed-in pages built on cached read models
(territories, regional map), the sign-in form (throttling) and one-time form tokens keep
working, without a one-second wait per cache read. A real fault: the backend points at a port
where nothing listens."""

import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from cte_portal.core.cache import ResilientRedisCache
from tests.factories.committees import dreets_agent
from tests.factories.users import DEFAULT_PASSWORD
from tests.fixtures.tasks import KEY_PREFIX
from tests.regional_map.scenario import scenario

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"


def redis_cache(location: str):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "cte_portal.core.cache.ResilientRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": KEY_PREFIX,  # this run's keys only, removed by ``redis_url``
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            }
        }
    )


def test_with_redis_down_signed_in_pages_and_sign_in_still_answer(client):
    s = scenario()
    agent = dreets_agent(s.t.ara)
    with redis_cache(CLOSED):
        assert isinstance(_backend(), ResilientRedisCache)
        started = time.monotonic()
        signed_in = client.post(
            reverse("login"), {"username": agent.email, "password": DEFAULT_PASSWORD}
        )
        pages = [
            client.get(reverse("regional_map:region", args=["84"])).status_code,
            client.get(reverse("committees:list")).status_code,
            client.get(reverse("committees:detail", args=[s.cle_lyon.pk])).status_code,
            client.get(reverse("committees:detail", args=[s.cde_rhone.pk])).status_code,
        ]
        elapsed = time.monotonic() - started
        assert _backend().redis_down
    assert signed_in.status_code == 302, signed_in.content[:500]
    assert pages == [200, 200, 200, 200]
    # Redis is tried once, then skipped for a while: no connection timeout per read.
    assert elapsed < 10


def test_with_redis_down_the_cache_still_holds_values_in_the_process():
    with redis_cache(CLOSED):
        backend = _backend()
        backend.set("clé", "valeur", 60)
        assert backend.get("clé") == "valeur"
        assert backend.add("compteur", 1) is True
        assert backend.incr("compteur") == 2
        backend.delete("clé")
        assert backend.get("clé") is None


def test_with_redis_up_the_values_are_shared_through_redis(redis_url):
    with redis_cache(redis_url):
        backend = _backend()
        key = f"cte-test-cache-{time.monotonic_ns()}"
        backend.set(key, "partagée", 30)
        # Another process would read it from Redis: read it through the raw client.
        raw = backend._cache.get_client(backend.make_and_validate_key(key))
        assert raw.get(backend.make_and_validate_key(key)) is not None
        assert not backend.redis_down
        backend.delete(key)


def _backend():
    return caches["default"]
