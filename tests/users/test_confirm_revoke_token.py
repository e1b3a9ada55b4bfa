"""Revoking a personal API token asks for confirmation (issue 13): the profile page links to a
page that works without JavaScript and says what stops working, asking changes nothing, its
button revokes; another person's token is not found (404, nothing revoked)."""

from html import unescape

import pytest
from django.urls import reverse

from cte_portal.users.services import create_api_token, revoke_api_token
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_revoking_a_token_asks_first(logged_client, user):
    token, _key = create_api_token(user=user, name="Tableur de la DDETS")
    address = reverse("revoke_token", args=[token.pk])
    page = logged_client.get(reverse("profile")).content.decode()
    assert f'href="{address}"' in page and f'action="{address}"' not in page
    asked = logged_client.get(address)
    html = unescape(asked.content.decode())
    assert asked.status_code == 200
    assert "Révoquer le jeton « Tableur de la DDETS » ?" in html
    assert f"commençant par {token.prefix}…" in html and "perdent aussitôt l'accès" in html
    assert f'href="{reverse("profile")}"' in html  # cancel
    token.refresh_from_db()
    assert token.revoked_at is None
    response = logged_client.post(address, {"confirmer": "oui"})
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_revoked_token_is_not_asked_about_again(logged_client, user):
    token, _key = create_api_token(user=user, name="Script")
    revoke_api_token(token=token)
    address = reverse("revoke_token", args=[token.pk])
    assert f'href="{address}"' not in logged_client.get(reverse("profile")).content.decode()
    response = logged_client.get(address, follow=True)
    assert response.redirect_chain[-1][0] == reverse("profile")
    assert "Le jeton « Script » est déjà révoqué." in unescape(response.content.decode())


def test_another_persons_token_is_not_found_on_either_step(logged_client):
    other = UserFactory(email="autre@example.fr")
    token, _key = create_api_token(user=other, name="Le sien")
    address = reverse("revoke_token", args=[token.pk])
    assert logged_client.get(address).status_code == 404
    assert logged_client.post(address, {"confirmer": "oui"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
