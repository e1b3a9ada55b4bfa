"""The shared cache: Redis, or this process's memory while Redis cannot be reached.

With ``REDIS_URL`` set, every cached read model (territories, regional map), the one-time form
tokens and the sign-in throttling go through Django's cache. Redis down must not turn a page
into a 500 (issue 14, "Faults"): a connection or timeout error makes this backend answer from a
local memory cache, and skip Redis for ``RETRY_AFTER`` seconds (no one-second connection wait
per read while it is down). What is cached is always recomputable, so a miss costs time, never
data.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 30.0

# The public operations of a Django cache; the others (get_or_set, decr, the async variants)
# are built on these by BaseCache.
OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"cte-cache-fallback-{id(self)}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 5000}},
        )
        self.down_until = 0.0

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self.down_until


def _resilient(name):
    redis_operation = getattr(RedisCache, name)

    def operation(self, *args, **kwargs):
        if not self.redis_down:
            try:
                return redis_operation(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self.down_until = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "cache: Redis unreachable (%s), local memory used for %d s",
                    type(exc).__name__,
                    RETRY_AFTER,
                )
        return getattr(self.fallback, name)(*args, **kwargs)

    operation.__name__ = name
    operation.__doc__ = redis_operation.__doc__
    return operation


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
