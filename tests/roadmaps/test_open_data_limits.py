"""INS-OPEN-DATA: the rate limit counts the real client — ``X-Forwarded-For`` is believed only
from the reverse proxies of ``CTE["TRUSTED_PROXIES"]`` — and never refuses the public because
the cache (Redis) is down: it falls back to a counter in the process."""

import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from roadmaps.throttling import LOCAL_CACHE

pytestmark = pytest.mark.django_db

URL = "api-open-roadmap-list"
PROXY = "10.0.0.7"


def limited(**extra):
    return override_settings(CTE={**settings.CTE, "OPEN_DATA_API_RATE": "3/min", **extra})


def statuses(client, count, **headers):
    return [client.get(reverse(URL), **headers).status_code for _ in range(count)]


def test_a_forged_forwarded_for_does_not_escape_the_limit(client):
    # No trusted proxy: each request claims to come from another address; the connection's
    # address is counted all the same.
    with limited():
        codes = [
            client.get(
                reverse(URL), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            ).status_code
            for n in range(4)
        ]
    assert codes == [200, 200, 200, 429]


def test_a_client_not_among_the_proxies_is_not_believed_either(client):
    # A proxy is configured, but the forged header comes straight from a client.
    with limited(TRUSTED_PROXIES=(PROXY,)):
        codes = [
            client.get(
                reverse(URL), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            ).status_code
            for n in range(4)
        ]
    assert codes == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client):
    with limited(TRUSTED_PROXIES=("10.0.0.0/24",)):
        first = statuses(client, 4, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
        # Another client behind the same proxy is not refused because of the first one.
        second = statuses(client, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
        # What the client wrote itself (left of the proxy's entry) is ignored: right-most
        # untrusted address.
        forged = statuses(
            client,
            1,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.1, 10.0.0.8",
        )
    assert first == [200, 200, 200, 429]
    assert second == [200]
    assert forged == [429]


@pytest.fixture
def redis_cache_down():
    """The cache points at a closed port: every call to it fails."""
    LOCAL_CACHE.clear()
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    ):
        yield
    LOCAL_CACHE.clear()


def test_with_the_cache_down_the_public_is_served_and_still_limited(client, redis_cache_down):
    started = time.monotonic()
    with limited():
        api = statuses(client, 3)
        download = client.get(reverse("open_data:download", args=["indicateurs", "csv"]))
        refused = statuses(client, 1)
    assert api == [200, 200, 200]
    # The local counter took over: the fourth request of the minute is refused, not a 500.
    assert download.status_code == 429
    assert refused == [429]
    assert time.monotonic() - started < 10
