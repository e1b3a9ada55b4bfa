"""A password change or reset offers to revoke the person's API tokens, and does by default."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from cte_portal.users import services
from cte_portal.users.models import ApiToken

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-nouveau-secret-2026"


@pytest.fixture
def tokens(user):
    return [services.create_api_token(user=user, name=f"Jeton {i}")[0] for i in range(2)]


def _active(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def _checkbox_checked_by_default(html: str) -> bool:
    match = re.search(r'<input[^>]*name="revoke_api_tokens"[^>]*>', html)
    assert match, "no revoke_api_tokens checkbox"
    return "checked" in match.group(0)


def _change(client, password, **extra):
    return client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        | extra,
    )


def test_password_change_offers_revocation_checked_by_default(logged_client):
    html = unescape(logged_client.get(reverse("password_change")).content.decode())
    assert "Révoquer mes jetons d'API" in html
    assert _checkbox_checked_by_default(html)


def test_password_change_revokes_the_tokens_when_ticked(logged_client, user, password, tokens):
    response = _change(logged_client, password, revoke_api_tokens="on")
    assert response.status_code == 302
    assert _active(user) == 0
    assert ApiToken.find_active(key="x") is None


def test_password_change_keeps_the_tokens_when_unticked(logged_client, user, password, tokens):
    response = _change(logged_client, password)
    assert response.status_code == 302
    assert _active(user) == 2


def _reset_form_url(client, user) -> str:
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(\S+/reinitialiser/\S+/)", mail.outbox[-1].body).group(1)
    return client.get(link)["Location"]


def test_password_reset_revokes_the_tokens_when_ticked(client, user, tokens):
    form_url = _reset_form_url(client, user)
    assert _checkbox_checked_by_default(client.get(form_url).content.decode())
    response = client.post(
        form_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "revoke_api_tokens": "on"},
    )
    assert response.status_code == 302
    assert _active(user) == 0


def test_password_reset_keeps_the_tokens_when_unticked(client, user, tokens):
    form_url = _reset_form_url(client, user)
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _active(user) == 2


def test_another_person_s_tokens_are_untouched(logged_client, user, password, tokens, outsider):
    other, _ = services.create_api_token(user=outsider, name="Autre")
    _change(logged_client, password, revoke_api_tokens="on")
    other.refresh_from_db()
    assert other.revoked_at is None
