"""Throttling of sign-in attempts (django-axes callables) and of password reset requests.

Axes counts failures per account and per client address (``AXES_LOCKOUT_PARAMETERS``); these
callables make it count an e-mail in any case as one account, believe ``X-Forwarded-For``
only from the configured proxies, keep e-mail addresses out of the logs, and turn a lockout into
the sign-in page with a French message rather than Axes' English page.
"""

import hashlib
import ipaddress
from functools import lru_cache

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from cte_portal.core.conf import cte_setting

LOCKOUT_STATUS = 429


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account an attempt is for: the e-mail, lower-cased, from the credentials or the form."""
    username = None
    if credentials:
        username = credentials.get("username") or credentials.get("email")
    if username is None and request is not None and request.method == "POST":
        username = request.POST.get("username")
    if not username:
        return None
    return str(username).strip().lower()


@lru_cache(maxsize=32)
def _networks(proxies: tuple) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's (``REMOTE_ADDR``) or, from a proxy listed in
    ``CTE["TRUSTED_PROXIES"]`` (IPs or CIDRs), the right-most address of ``X-Forwarded-For``
    that is not a trusted proxy: a header written by the client itself is never believed."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(cte_setting("TRUSTED_PROXIES")))
    if not networks or not remote or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage where a proxy writes an address: count the proxy
    return remote


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What Axes writes in its log lines: the path only (no e-mail, no address)."""
    if isinstance(path_info, tuple | list):
        path_info = path_info[0]
    return f"{{path_info: {path_info!r}}}"


def lockout_message(request: HttpRequest | None = None) -> str:
    minutes = int(get_cool_off(request).total_seconds() // 60) if request is not None else 0
    delay = f"{minutes} minutes" if minutes > 1 else "quelques minutes"
    return (
        "Trop de tentatives de connexion infructueuses pour ce compte ou depuis cette adresse : "
        f"la connexion est bloquée pendant {delay}. Réessayez plus tard ou utilisez "
        "« Mot de passe oublié ? »."
    )


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials):
    """A locked-out attempt: the page the view rendered (its form carries the French message),
    answered 429; a redirect (ProConnect's callback, back to the sign-in page with the message)
    is kept as it is."""
    if original_response is None:
        return HttpResponse(
            lockout_message(request),
            status=LOCKOUT_STATUS,
            content_type="text/plain; charset=utf-8",
        )
    if 300 <= original_response.status_code < 400:
        return original_response
    original_response.status_code = LOCKOUT_STATUS
    return original_response


def is_locked_out(request: HttpRequest, username: str | None) -> bool:
    """True while the account ``username`` or the client's address is locked out."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, username: str) -> None:
    """Count a failed attempt (a wrong second-factor code) as a failed sign-in."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# --- Password reset requests --------------------------------------------------------------------

_RESET_WINDOW_SECONDS = 3600


def _bump(key: str) -> int:
    if cache.add(key, 1, _RESET_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _RESET_WINDOW_SECONDS)
        return 1


def password_reset_refusal(request: HttpRequest, email: str) -> str | None:
    """Count a password reset request; a French message if it goes over a limit, else None.

    Counted per client address and per e-mail address whether an account has it or not, so
    the answer never tells whether an e-mail is known.
    """
    address = client_ip(request) or "unknown"
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    per_address = _bump(f"password-reset:ip:{address}")
    per_email = _bump(f"password-reset:email:{digest}")
    if per_address > cte_setting("PASSWORD_RESET_PER_ADDRESS_HOURLY"):
        return (
            "Trop de demandes de réinitialisation depuis cette adresse : réessayez dans une heure."
        )
    if per_email > cte_setting("PASSWORD_RESET_PER_EMAIL_HOURLY"):
        return (
            "Trop de demandes de réinitialisation pour cette adresse électronique : "
            "réessayez dans une heure."
        )
    return None
