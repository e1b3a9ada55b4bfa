"""Personal API tokens: created and revoked on the profile page, or by ``create_api_token``."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cte_portal.users.models import ApiToken
from cte_portal.users.services import create_api_token
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _create_on_profile(client, name="Tableur de la DDETS") -> tuple[ApiToken, str]:
    response = client.post(reverse("profile"), {"name": name})
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    page = client.get(reverse("profile"))
    key = page.context["new_key"]["key"]
    html = page.content.decode()
    assert "Copiez cette clé maintenant" in html
    assert f'data-testid="new-token-key">{key}<' in html
    return ApiToken.objects.get(pk=page.context["new_key"]["id"]), key


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_the_profile_page_creates_a_token_and_shows_its_key_once(logged_client, user):
    token, key = _create_on_profile(logged_client)
    assert token.user == user
    assert token.name == "Tableur de la DDETS"

    # The page that followed the creation showed the key; the next one does not.
    again = logged_client.get(reverse("profile")).content.decode()
    assert key not in again
    assert "Tableur de la DDETS" in again
    assert f"{key[:8]}…" in again


def test_only_the_hash_of_the_key_is_stored(logged_client):
    token, key = _create_on_profile(logged_client)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored
    assert token.prefix == key[:8]


def test_a_token_needs_a_name(logged_client):
    response = logged_client.post(reverse("profile"), {"name": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_token_authenticates_the_api(logged_client, client, user):
    _token, key = _create_on_profile(logged_client)
    logged_client.logout()
    response = client.get(ME, **_auth(key))
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_using_a_token_records_when_it_was_last_used(client, user):
    token, key = create_api_token(user=user, name="Script")
    assert token.last_used_at is None
    client.get(ME, **_auth(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused_with_a_french_json_error(logged_client, client):
    token, key = _create_on_profile(logged_client)
    response = logged_client.post(reverse("revoke_token", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "révoqué" in logged_client.get(reverse("profile")).content.decode()

    logged_client.logout()
    response = client.get(ME, **_auth(key))
    assert response.status_code == 401
    assert response.json() == {"status": 401, "detail": "Jeton invalide ou révoqué."}
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_key_is_refused(client, db):
    response = client.get(ME, **_auth("pas-un-vrai-jeton"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Jeton invalide ou révoqué."


def test_the_token_of_a_deactivated_user_is_refused(client, user):
    _token, key = create_api_token(user=user, name="Script")
    user.is_active = False
    user.save()
    assert client.get(ME, **_auth(key)).status_code == 401


def test_another_users_token_cannot_be_revoked(logged_client):
    other = UserFactory(email="autre@example.fr")
    token, key = create_api_token(user=other, name="Le sien")
    response = logged_client.post(reverse("revoke_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    logged_client.logout()
    assert logged_client.get(ME, **_auth(key)).status_code == 200


def test_revoking_needs_a_post(logged_client, user):
    # A GET only asks for confirmation (issue 13, tests/users/test_confirm_revoke_token.py).
    token, _key = create_api_token(user=user, name="Script")
    assert logged_client.get(reverse("revoke_token", args=[token.pk])).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_command_prints_a_working_key(client, user):
    out = StringIO()
    call_command("create_api_token", "MEMBRE@example.fr", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert token.name == "Jeton créé en ligne de commande"
    response = client.get(ME, **_auth(key))
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_the_command_names_the_token_when_asked(user):
    call_command("create_api_token", user.email, "--name", "Export nocturne", stdout=StringIO())
    assert ApiToken.objects.get(user=user).name == "Export nocturne"


def test_the_command_fails_clearly_for_an_unknown_email(db):
    with pytest.raises(
        CommandError, match="Aucun utilisateur actif n'a l'adresse inconnu@example.fr"
    ):
        call_command("create_api_token", "inconnu@example.fr", stdout=StringIO())
    assert not ApiToken.objects.exists()
