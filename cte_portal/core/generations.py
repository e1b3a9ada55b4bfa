"""Cache generations: read models kept in the Django cache until what they show is written.

A ``Generation`` is a token stored in the cache under its name. Readers put the token in the
keys of their entries; a write draws a new token (``bump``), so the next read of every entry
misses and rebuilds — at once, and again when the transaction commits, so that a reader
between the two cannot keep the old rows. Entries also expire after their timeout.
"""

from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# Every cached read model's invalidation, for the commands that write without signals (bulk
# inserts of ``seed_national``, ``seed_demo``): ``invalidate_all()`` at their end.
_INVALIDATORS: list[Callable[[], None]] = []


def register_invalidator(invalidate: Callable[..., None]) -> Callable[..., None]:
    if invalidate not in _INVALIDATORS:
        _INVALIDATORS.append(invalidate)
    return invalidate


def invalidate_all() -> None:
    """Every cached read model rebuilds at its next read."""
    for invalidate in _INVALIDATORS:
        invalidate()


class Generation:
    def __init__(self, name: str, *, timeout: int = 15 * 60):
        self.name = name
        self.key = f"{name}:generation"
        self.timeout = timeout
        register_invalidator(self.bump)

    def token(self) -> str:
        token = cache.get(self.key)
        if token is None:
            token = uuid4().hex
            # ``add`` keeps a token another process drew meanwhile.
            if not cache.add(self.key, token, timeout=None):
                token = cache.get(self.key, token)
        return token

    def new_token(self) -> None:
        """Draw a new token now (``bump`` also draws one when the transaction commits)."""
        cache.set(self.key, uuid4().hex, timeout=None)

    def bump(self, **_signal_kwargs) -> None:
        """What the entries show changed: the next read of each one rebuilds it."""
        self.new_token()
        transaction.on_commit(self.new_token)

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, kept until the next ``bump`` (or the timeout); ``name`` must say
        everything the value depends on."""
        key = f"{self.name}:{self.token()}:{name}"
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, timeout=self.timeout)
        return value
