"""ProConnect sign-in, against a local OpenID Connect provider started by the tests."""

from urllib.parse import parse_qs

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from cte_portal.users.models import User
from cte_portal.users.second_factor import PENDING_KEY
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def _page(client, response) -> str:
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    return client.get(response["Location"]).content.decode()


def test_the_button_shows_only_when_proconnect_is_configured(client, settings):
    settings.PROCONNECT_ENABLED = False
    assert "S'identifier avec ProConnect" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("proconnect_login")).status_code == 404
    assert client.get(reverse("proconnect_callback")).status_code == 404


def test_an_existing_user_signs_in_matched_by_email_in_any_case(
    client, oidc_provider, proconnect_sign_in
):
    agent = UserFactory(email="claire.duval@example.gouv.fr")
    oidc_provider.email = "Claire.Duval@EXAMPLE.gouv.fr"
    assert "S'identifier avec ProConnect" in client.get(reverse("login")).content.decode()

    response = proconnect_sign_in(client, next_url=reverse("profile"))

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert client.session[SESSION_KEY] == str(agent.pk)
    assert client.get(reverse("profile")).status_code == 200
    # The portal authenticated itself at the token endpoint with the configured client.
    assert oidc_provider.token_requests[-1]["client_secret"] == "secret-de-test"


def test_an_unknown_email_is_refused_in_french_and_no_user_is_created(
    client, oidc_provider, proconnect_sign_in
):
    oidc_provider.email = "inconnu@example.gouv.fr"
    users_before = User.objects.count()

    response = proconnect_sign_in(client)

    html = _page(client, response)
    assert "Aucun compte du portail ne correspond" in html
    assert SESSION_KEY not in client.session
    assert User.objects.count() == users_before
    assert not User.objects.filter(email__iexact="inconnu@example.gouv.fr").exists()


def test_an_inactive_user_is_refused(client, oidc_provider, proconnect_sign_in):
    UserFactory(email="ancien@example.gouv.fr", is_active=False)
    oidc_provider.email = "ancien@example.gouv.fr"

    html = _page(client, proconnect_sign_in(client))

    assert "Ce compte est désactivé." in html
    assert SESSION_KEY not in client.session


def test_an_id_token_with_a_bad_signature_is_refused(client, oidc_provider, proconnect_sign_in):
    UserFactory(email="claire.duval@example.gouv.fr")
    oidc_provider.email = "claire.duval@example.gouv.fr"
    oidc_provider.sign_id_token_with_wrong_key = True

    html = _page(client, proconnect_sign_in(client))

    assert "La connexion avec ProConnect a échoué" in html
    assert SESSION_KEY not in client.session


def test_proconnect_grants_no_right(client, oidc_provider, proconnect_sign_in):
    agent = UserFactory(email="claire.duval@example.gouv.fr")
    oidc_provider.email = agent.email

    proconnect_sign_in(client)

    agent.refresh_from_db()
    assert not agent.is_staff
    assert not agent.is_superuser
    assert not agent.groups.exists()
    assert not agent.user_permissions.exists()


def test_a_national_admin_from_proconnect_still_gives_a_second_factor(
    client, oidc_provider, proconnect_sign_in
):
    admin = UserFactory(email="admin@example.gouv.fr", admin=True)
    oidc_provider.email = admin.email

    response = proconnect_sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("second_factor")
    assert SESSION_KEY not in client.session
    assert client.session[PENDING_KEY]["user_id"] == admin.pk


def test_proconnect_down_is_a_french_message_not_an_error(client, oidc_provider):
    oidc_provider.stop()
    response = client.get(reverse("proconnect_login"))
    assert "ProConnect ne répond pas" in _page(client, response)


def test_signing_out_after_proconnect_also_ends_the_proconnect_session(
    client, oidc_provider, proconnect_sign_in
):
    UserFactory(email="agent@example.gouv.fr")
    proconnect_sign_in(client)
    assert SESSION_KEY in client.session

    response = client.post(reverse("logout"))

    # Signed out of the portal, then sent to ProConnect's sign-out with the ID token as hint.
    assert SESSION_KEY not in client.session
    assert response.status_code == 302
    end_session, query = response["Location"].split("?", 1)
    assert end_session == f"{oidc_provider.issuer}/session/end"
    params = parse_qs(query)
    assert params["id_token_hint"] == [oidc_provider.id_tokens[-1]]
    assert params["post_logout_redirect_uri"] == ["http://testserver/"]
    assert params["state"][0]
    # The provider sends the agent back to the portal's home page.
    answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert answer.headers["Location"] == "http://testserver/"
    assert oidc_provider.logouts[-1]["id_token_hint"] == oidc_provider.id_tokens[-1]
    assert client.get(reverse("profile")).status_code == 302


def test_signing_out_after_a_password_sign_in_stays_on_the_portal(client, oidc_provider):
    user = UserFactory(email="elu@example.fr")
    client.force_login(user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert SESSION_KEY not in client.session
    assert oidc_provider.logouts == []
