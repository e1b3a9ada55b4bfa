"""One submission per form: a double click, a reload or a "back then send again" does not
create a second committee, meeting, member, decision, funding line…

A form carries a one-time token (``{% once_token %}`` of ``cte_portal.core.templatetags.once``,
next to ``{% csrf_token %}``; ``form_page.html`` has it). ``OnceSubmitMiddleware``:

- claims the token before the view runs (an atomic ``cache.add``: two clicks in flight at once
  cannot both pass);
- when the view succeeds (a redirect), keeps the token as used in the session with the address
  it led to;
- when the view answers anything else (the form re-shown with its errors), frees the token so
  that the corrected form can be sent;
- answers a second POST of a used token with "Ce formulaire a déjà été envoyé." and a redirect
  to what the first one created, without running the view; a POST arriving while the first is
  still being handled waits for it (a few seconds at most), then does the same.

The cache may be down (Redis): the session alone then keeps the used tokens.
"""

import logging
import re
import time
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import render

logger = logging.getLogger(__name__)

FIELD = "form_token"
ALREADY_SENT = "Ce formulaire a déjà été envoyé : il n'a pas été enregistré une seconde fois."
SESSION_KEY = "once_tokens"
KEEP = 50  # used tokens remembered per session
CLAIM_SECONDS = 600
WAIT_SECONDS = 5.0
_PENDING = "pending"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def new_token() -> str:
    return uuid.uuid4().hex


def _cache_key(token: str) -> str:
    return f"once-form:{token}"


def _cache_call(method: str, *args, default=None):
    try:
        return getattr(cache, method)(*args)
    except Exception:  # the cache (Redis) is down: the session keeps the used tokens
        logger.warning("once: cache unavailable for %s", method)
        return default


class OnceSubmitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = self._token(request)
        if token is None:
            return self.get_response(request)
        used = request.session.get(SESSION_KEY, {})
        if token in used:
            return self._already_sent(request, used[token])
        if not _cache_call("add", _cache_key(token), _PENDING, CLAIM_SECONDS, default=True):
            return self._wait_for_first(request, token)
        response = self.get_response(request)
        if isinstance(response, HttpResponseRedirect) or response.status_code in (302, 303):
            location = response["Location"]
            used = dict(request.session.get(SESSION_KEY, {}))
            used[token] = location
            request.session[SESSION_KEY] = dict(list(used.items())[-KEEP:])
            _cache_call("set", _cache_key(token), location, CLAIM_SECONDS)
        else:
            _cache_call("delete", _cache_key(token))
        return response

    @staticmethod
    def _token(request) -> str | None:
        if request.method != "POST" or request.path_info.startswith("/api/"):
            return None
        if not hasattr(request, "session"):
            return None
        token = request.POST.get(FIELD, "")
        return token if _TOKEN.fullmatch(token) else None

    @staticmethod
    def _already_sent(request, location: str):
        messages.info(request, ALREADY_SENT)
        return HttpResponseRedirect(location or request.path)

    def _wait_for_first(self, request, token: str):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            value = _cache_call("get", _cache_key(token))
            if value is None:  # the first one failed: this one may try
                return self(request)
            if value != _PENDING:
                return self._already_sent(request, value)
            time.sleep(0.1)
        return render(
            request,
            "409.html",
            {"title": "Formulaire déjà envoyé", "message": ALREADY_SENT},
            status=409,
        )
