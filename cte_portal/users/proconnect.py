"""ProConnect, the State agents' identity federation (OpenID Connect, mozilla-django-oidc).

On only when ``PROCONNECT_CLIENT_ID`` is set. An agent who comes back from ProConnect is
matched by e-mail (any case) to an existing, active account of the portal: ProConnect never
creates an account nor grants a right. A refusal lands on the sign-in page with a French message.

Endpoints come from the ``PROCONNECT_*_ENDPOINT`` settings when set, otherwise from the
issuer's discovery document, read at the first ProConnect sign-in (not at start-up) and kept.

Signing out of the portal after a ProConnect sign-in also ends the ProConnect session (the
provider's ``end_session_endpoint``, with the ID token as hint), as ProConnect requires: on a
shared computer, the next person must not find the agent still signed in to ProConnect.
"""

import logging
import secrets
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from cte_portal.users import second_factor, throttling

logger = logging.getLogger(__name__)

_DISCOVERED_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
_discovery_documents: dict[str, dict] = {}

# Why a ProConnect sign-in was refused (``request.proconnect_refusal``) → what the page says.
REFUSALS = {
    "unknown": (
        "Aucun compte du portail ne correspond à l'adresse électronique transmise par "
        "ProConnect. Demandez un accès au secrétariat de votre comité ou à votre administrateur."
    ),
    "inactive": "Ce compte est désactivé.",
    "invalid": (
        "La connexion avec ProConnect a échoué : la réponse du fournisseur d'identité n'a pas pu "
        "être vérifiée. Réessayez, ou connectez-vous avec votre mot de passe."
    ),
    "unavailable": (
        "ProConnect ne répond pas pour le moment. Réessayez plus tard, ou connectez-vous avec "
        "votre mot de passe."
    ),
}
# What can go wrong between the provider's answer and a user: each is a refusal, never a 500.
_PROVIDER_ERRORS = (
    SuspiciousOperation,
    ImproperlyConfigured,
    jwt.InvalidTokenError,
    requests.RequestException,
    KeyError,
    ValueError,
    TypeError,
)


class DiscoveryError(Exception):
    """The issuer's discovery document cannot be read or does not name this issuer."""


def discovery_document(issuer: str) -> dict:
    """The issuer's ``/.well-known/openid-configuration``, read once per process."""
    if issuer not in _discovery_documents:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise DiscoveryError(type(exc).__name__) from exc
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise DiscoveryError("the document names another issuer")
        _discovery_documents[issuer] = document
    return _discovery_documents[issuer]


def proconnect_setting(attr: str, *args):
    """mozilla-django-oidc's settings, with the endpoints not set taken from discovery."""
    if attr in _DISCOVERED_ENDPOINTS and not getattr(settings, attr, ""):
        document = discovery_document(settings.PROCONNECT_ISSUER)
        try:
            return document[_DISCOVERED_ENDPOINTS[attr]]
        except KeyError:
            raise DiscoveryError(f"no {_DISCOVERED_ENDPOINTS[attr]}") from None
    return import_from_settings(attr, *args)


def _refuse(request, reason: str) -> None:
    request.proconnect_refusal = reason


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the ProConnect callback only; matches an existing active user by e-mail."""

    get_settings = staticmethod(proconnect_setting)

    def __init__(self, *args, **kwargs):
        # Endpoints are resolved when a callback is authenticated, not when Django loads the
        # backend (it does so for every sign-in and every signed-in request).
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not settings.PROCONNECT_ENABLED or request is None or "nonce" not in kwargs:
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except DiscoveryError as exc:
            logger.warning("ProConnect discovery failed: %s", exc)
            _refuse(request, "unavailable")
        except _PROVIDER_ERRORS as exc:
            logger.warning("ProConnect sign-in refused: %s", type(exc).__name__)
            if not getattr(request, "proconnect_refusal", None):
                _refuse(request, "invalid")
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token: it must be for us, from our issuer, and expire
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token for another client")
            if str(payload.get("iss", "")).rstrip("/") != settings.PROCONNECT_ISSUER:
                raise SuspiciousOperation("ID token from another issuer")
            if "exp" not in payload:
                raise SuspiciousOperation("ID token without expiry")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The existing active user with the e-mail ProConnect vouches for; never a new one."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        email = str(claims.get("email") or "").strip()
        if not email:
            raise SuspiciousOperation("no e-mail in the claims")
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) != 1:
            _refuse(self.request, "unknown")
            return None
        user = users[0]
        if not user.is_active:
            _refuse(self.request, "inactive")
            return None
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the agent to ProConnect (state, nonce and the page to come back to in session)."""

    get_settings = staticmethod(proconnect_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    def get(self, request):
        if not settings.PROCONNECT_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except DiscoveryError as exc:
            logger.warning("ProConnect discovery failed: %s", exc)
            messages.error(request, REFUSALS["unavailable"])
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """ProConnect's answer: signs the agent in, or back to the sign-in page with the reason."""

    get_settings = staticmethod(proconnect_setting)

    def get(self, request):
        if not settings.PROCONNECT_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation:  # a state this session never sent
            _refuse(request, "invalid")
            return self.login_failure()

    def login_failure(self):
        if getattr(self.request, "axes_locked_out", False):
            message = throttling.lockout_message(self.request)
        else:
            message = REFUSALS[getattr(self.request, "proconnect_refusal", None) or "invalid"]
        messages.error(self.request, message)
        return redirect("login")

    def login_success(self):
        if second_factor.required_for(self.user):
            second_factor.begin(
                self.request, user=self.user, backend=self.user.backend, next_url=self.success_url
            )
            return redirect("second_factor")
        return super().login_success()


class LogoutView(auth_views.LogoutView):
    """The portal's sign-out; after a ProConnect sign-in, on to ProConnect's own sign-out."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not (id_token and settings.PROCONNECT_ENABLED):
            return response
        try:
            end_session = proconnect_setting("OIDC_OP_LOGOUT_ENDPOINT")
        except DiscoveryError as exc:  # signed out of the portal all the same
            logger.warning("ProConnect sign-out endpoint unknown: %s", exc)
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "state": secrets.token_urlsafe(16),
                "post_logout_redirect_uri": request.build_absolute_uri(
                    resolve_url(settings.LOGOUT_REDIRECT_URL)
                ),
            }
        )
        return redirect(f"{end_session}?{query}")
