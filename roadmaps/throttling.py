"""INS-OPEN-DATA: the public API and downloads are read-only and rate-limited per client.

The client is the address of the connection (``REMOTE_ADDR``). Behind reverse proxies listed in
``CTE["TRUSTED_PROXIES"]`` (IPs or CIDRs), it is the right-most address of ``X-Forwarded-For``
that is not one of them: what a client writes in that header itself is never believed, so a
forged header does not escape the limit. The counters live in the cache (Redis in
production); when the cache cannot be reached the limit falls back to a counter in the memory
of the process (fails open to a local limit, never an error).
"""

import ipaddress
import logging
from functools import lru_cache

from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

from cte_portal.core.conf import cte_setting

logger = logging.getLogger(__name__)

# The counters of this process, used while the shared cache is down.
LOCAL_CACHE = LocMemCache("open-data-throttle", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


@lru_cache(maxsize=32)
def _networks(proxies: tuple) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The address the limit counts: ``REMOTE_ADDR``, or, when the connection comes from a
    trusted proxy, the right-most untrusted address of ``X-Forwarded-For``."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(cte_setting("TRUSTED_PROXIES")))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop
    ]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage where a proxy writes an address: count the proxy
    return remote  # only proxies in the chain


class OpenDataRateThrottle(SimpleRateThrottle):
    """Requests per client IP address on the public API and downloads, signed in or not."""

    scope = "open_data"

    def get_rate(self):
        return cte_setting("OPEN_DATA_API_RATE")

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 — the cache down must not refuse the public
            logger.warning(
                "open-data rate limit: cache unavailable (%s), local limit used", type(exc).__name__
            )
            self.cache = LOCAL_CACHE
            return super().allow_request(request, view)
