"""Fixtures of the sign-in tests: a local OpenID Connect provider standing for ProConnect."""

from urllib.parse import urlparse

import pytest
import requests
from django.urls import reverse

from cte_portal.users import proconnect as proconnect_module
from tests.users.oidc_provider import LocalOIDCProvider

CLIENT_ID = "portail-cte-test"


@pytest.fixture
def oidc_provider(settings, monkeypatch):
    """A running local provider; the portal's ProConnect settings point at it (its endpoints
    found through its discovery document, as in production without explicit endpoints)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    provider = LocalOIDCProvider(client_id=CLIENT_ID).start()
    monkeypatch.setattr(proconnect_module, "_discovery_documents", {})
    settings.PROCONNECT_ENABLED = True
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret-de-test"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_USER_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    yield provider
    provider.stop()


@pytest.fixture
def proconnect_sign_in(oidc_provider):
    """Go to ProConnect from the portal, let the provider answer, come back: the response of
    the portal's callback."""

    def sign_in(client, *, next_url: str | None = None):
        start = reverse("proconnect_login") + (f"?next={next_url}" if next_url else "")
        response = client.get(start)
        assert response.status_code == 302, response
        assert response["Location"].startswith(f"{oidc_provider.issuer}/authorize?")
        answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text
        back = urlparse(answer.headers["Location"])
        assert back.path == reverse("proconnect_callback")
        return client.get(f"{back.path}?{back.query}")

    return sign_in
