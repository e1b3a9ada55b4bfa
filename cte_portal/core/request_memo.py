"""A memo of the reads one page repeats (issue 15: flat query budgets).

A committee page asks "may this user manage this committee?" from the view, the composition
panel and every section; each question used to cost guardian two queries. Within one
read-only request (GET, HEAD, OPTIONS), ``memoise(key, compute)`` answers the second time from
the memo. Outside a request (services, tasks, tests calling a function directly) and during a
request that writes (POST…), nothing is memoised: a write is always followed by fresh reads.
A service that changes what is memoised (``sync_committee_permissions``) calls ``forget``.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_memo: ContextVar[dict | None] = ContextVar("cte_request_memo", default=None)


def memoise(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per read-only request for ``key``; every time elsewhere."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def recall(key: Hashable, default=None):
    """What the current read-only request already memoised under ``key``, without computing
    it (``default`` when nothing is there)."""
    memo = _memo.get()
    if not memo:
        return default
    return memo.get(key, default)


def forget() -> None:
    """Empty the memo of the current request (what it holds was just written)."""
    memo = _memo.get()
    if memo:
        wrote = memo.get(_WROTE)
        memo.clear()
        if wrote:
            memo[_WROTE] = True


_WROTE = object()


def mark_written() -> None:
    """The current read-only request wrote to the database (``cte_portal.core.page_cache``
    sees every write): what it memoised may be stale, and what it renders is not kept."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()
        memo[_WROTE] = True


def was_written() -> bool:
    """True when the current read-only request wrote to the database."""
    memo = _memo.get()
    return bool(memo) and memo.get(_WROTE, False)


class RequestMemoMiddleware:
    """Opens a memo for each read-only request, closed when the response is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
