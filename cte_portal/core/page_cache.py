"""The body of the busiest pages, kept in the cache until the data it shows is written (issue 15).

A committee page, a meeting page, a roadmap… are read far more often than anything on them
changes, and rendering them costs ten to fifteen times a bare page (permissions, fifteen
queries, a few hundred template nodes). ``cached_body`` keeps the rendered ``<main>`` of such
a page, for one person, one address and one day, and serves it again until **any** write to
the portal's data.

Writes are seen where they happen, not model by model: every connection runs its SQL through
``track_writes``, which recognises an ``INSERT``, ``UPDATE``, ``DELETE`` or ``TRUNCATE``
(``bulk_create``, ``QuerySet.update()``, raw SQL and migrations included, which no model
signal reports) and draws a new ``data_generation`` token when the transaction commits, for
the other connections; and at once when this thread read the token since its last write, for
itself (a bulk insert of ten thousand rows draws one or two tokens, not ten thousand). Tables
written on every request without changing what a page shows (sessions, sign-in attempts) are
left out. ``COPY`` (``seed_national``) goes round the connection: those commands call
``invalidate_all()``.

What stays fresh on every request: the page around the body (header, menu, messages, CSP nonce,
breadcrumbs), the permission check of the view (it runs before the cache is read), and the
tokens of the forms inside the body — a cached body holds a placeholder for each
``{% csrf_token %}``, replaced when served by the request's CSRF field and a new one-time token
(``cte_portal.core.once``). A body rendered by a request that wrote is not kept; entries expire
after ``TIMEOUT`` at the latest (relative times such as "il y a 5 minutes").
"""

import hashlib
import re
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cte_portal.core import request_memo
from cte_portal.core.generations import Generation

T = TypeVar("T")

TIMEOUT = 10 * 60
data_generation = Generation("core:data", timeout=TIMEOUT)

_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b", re.IGNORECASE)
_UNTRACKED = re.compile(
    r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(?:django_session|axes_)", re.IGNORECASE
)

# The placeholder of a form's tokens in a body being rendered for the cache.
FORM_TOKENS = "<!--cte:form-tokens-->"
_punching: ContextVar[bool] = ContextVar("cte_page_cache_punching", default=False)


_reads = threading.local()


def current_token() -> str:
    """The token of the data as this thread reads it now (part of every key)."""
    _reads.token_read = True
    return data_generation.token()


def _new_token() -> None:
    _reads.token_read = False
    data_generation.new_token()


def _committed() -> None:
    _new_token()


def _written(connection) -> None:
    request_memo.mark_written()
    if not connection.in_atomic_block:
        _new_token()
        return
    # Other connections see the rows when the transaction commits: a new token then, once per
    # transaction (a rollback drops the callback, so the next transaction registers again).
    if not any(callback is _committed for _sids, callback, _robust in connection.run_on_commit):
        transaction.on_commit(_committed, using=connection.alias)
    # This connection sees them at once: a new token now if this thread read the last one.
    if getattr(_reads, "token_read", True):
        _new_token()


def track_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _WRITE.match(sql) and not _UNTRACKED.match(sql):
        _written(context["connection"])
    return result


def _on_connection_created(sender, connection, **_kwargs) -> None:
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def connect() -> None:
    """Track the writes of every database connection (``CoreConfig.ready``)."""
    connection_created.connect(_on_connection_created, dispatch_uid="core-page-cache-writes")
    from django.db import connections  # noqa: PLC0415

    for connection in connections.all(initialized_only=True):
        _on_connection_created(None, connection)


def punching_holes() -> bool:
    """True while a body is rendered for the cache: ``{% csrf_token %}`` writes a placeholder."""
    return _punching.get()


def _fill_holes(body: str, tokens: Callable[[], str]) -> SafeString:
    parts = body.split(FORM_TOKENS)
    filled = [parts[0]]
    for part in parts[1:]:
        filled.append(tokens())
        filled.append(part)
    return mark_safe("".join(filled))  # noqa: S308 — rendered by our templates, escaped there


def _key(request, name: str) -> str:
    # The host too: API answers hold absolute links (pagination).
    address = f"{request.get_host()}{request.get_full_path()}"
    address = hashlib.sha256(address.encode()).hexdigest()[:24]
    return (
        f"page-body:{data_generation.name}:{current_token()}:{name}:"
        f"{request.user.pk}:{timezone.localdate().isoformat()}:{address}"
    )


def _cached(request, name: str, build: Callable[[], T]) -> T:
    if request.method not in ("GET", "HEAD"):
        return build()
    key = _key(request, name)
    value = cache.get(key)
    if value is None:
        value = build()
        if not request_memo.was_written():
            cache.set(key, value, timeout=TIMEOUT)
    return value


def cached_body(request, name: str, template: str, context: Callable[[], dict]) -> SafeString:
    """``template`` rendered with ``context()`` for ``request``, from the cache when nothing
    was written since it was rendered for the same person, address and day.

    ``name`` names the page; the view has checked the permission before calling. Only for
    reads (GET, HEAD): any other request renders without the cache.
    """
    from cte_portal.core.templatetags.once import form_tokens  # noqa: PLC0415

    def render() -> str:
        reset = _punching.set(True)
        try:
            return render_to_string(template, context(), request=request)
        finally:
            _punching.reset(reset)

    return _fill_holes(_cached(request, name, render), lambda: form_tokens(request))


def cached_data(request, name: str, build: Callable[[], T]) -> T:
    """``build()`` — the data of an API answer, made of plain lists and dicts — from the cache
    when nothing was written since it was built for the same person, address and day (same
    rules as ``cached_body``)."""
    return _cached(request, name, build)
