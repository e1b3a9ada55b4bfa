"""Login throttling (django-axes) per account and per address, the admin login included, and
password reset requests throttled per address and per e-mail."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Trop de tentatives de connexion infructueuses"


def _attempt(client, email, password, address="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address, **extra
    )


def test_an_account_is_locked_out_after_five_failures_with_a_french_message(
    client, user, password, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        response = _attempt(client, user.email, "mauvais-mot-de-passe")
        assert response.status_code == 200, attempt
        assert LOCKED not in response.content.decode()
    response = _attempt(client, user.email, "mauvais-mot-de-passe")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    # Even the right password, from another address, with the e-mail in another case.
    response = _attempt(client, user.email.upper(), password, address="10.0.0.2")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert 'role="alert"' in html
    assert "Account locked" not in html
    assert SESSION_KEY not in client.session


def test_an_address_is_locked_out_after_five_failures_on_any_accounts(client, password):
    victims = [UserFactory(email=f"personne{i}@example.fr") for i in range(6)]
    for victim in victims[:5]:
        _attempt(client, victim.email, "mauvais-mot-de-passe", address="10.0.0.9")

    response = _attempt(client, victims[5].email, password, address="10.0.0.9")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session

    # The same account from another address signs in.
    response = _attempt(client, victims[5].email, password, address="10.0.0.10")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(victims[5].pk)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout(client, password):
    victims = [UserFactory(email=f"personne{i}@example.fr") for i in range(6)]
    for i, victim in enumerate(victims[:5]):
        _attempt(
            client, victim.email, "faux", address="10.0.0.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        )
    response = _attempt(
        client, victims[5].email, password, address="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, password, settings):
    settings.CTE = {**settings.CTE, "TRUSTED_PROXIES": ("10.0.0.0/24",)}
    victims = [UserFactory(email=f"personne{i}@example.fr") for i in range(6)]
    for victim in victims[:5]:
        _attempt(client, victim.email, "faux", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1")
    # Another client behind the same proxy is not locked out by the first one.
    response = _attempt(
        client, victims[5].email, password, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2"
    )
    assert response.status_code == 302


def test_the_admin_login_goes_through_the_throttled_sign_in(client, settings):
    staff = UserFactory(email="staff@example.gouv.fr", is_staff=True)
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"
    # Posting to the admin's own login URL does not bypass the portal's page either.
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


# --- Password reset requests ----------------------------------------------------------------


def _reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_throttled_per_address(client, user, settings):
    limit = settings.CTE["PASSWORD_RESET_PER_ADDRESS_HOURLY"]
    for i in range(limit):
        assert _reset(client, f"quelquun{i}@example.fr").status_code == 302
    response = _reset(client, user.email)
    assert response.status_code == 200
    assert "Trop de demandes de réinitialisation depuis cette adresse" in (
        response.content.decode()
    )
    assert mail.outbox == []
    # Another address may still ask.
    assert _reset(client, user.email, address="10.0.0.2").status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_requests_are_throttled_per_email_without_revealing_it(
    client, user, settings
):
    limit = settings.CTE["PASSWORD_RESET_PER_EMAIL_HOURLY"]
    answers = {}
    for email in (user.email, "inconnu@example.fr"):
        for i in range(limit):
            assert _reset(client, email.upper(), address=f"10.0.{i}.1").status_code == 302
        answers[email] = _reset(client, email, address="10.0.9.9")
    assert len(mail.outbox) == limit  # only to the known address, only under the limit
    known, unknown = (answers[user.email], answers["inconnu@example.fr"])
    assert known.status_code == unknown.status_code == 200
    assert "Trop de demandes de réinitialisation pour cette adresse" in known.content.decode()

    # Same page whether the account exists or not (bar the form's tokens and the CSP nonce).
    def page(response) -> str:
        html = response.content.decode().replace(user.email, "X")
        return _without_csrf(html.replace("inconnu@example.fr", "X"))

    assert page(known) == page(unknown)


def _without_csrf(html: str) -> str:
    html = re.sub(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_locked_out_admin_cannot_sign_in_through_the_admin_login(client, password):
    admin = UserFactory(email="admin@example.gouv.fr", admin=True)
    for _ in range(5):
        _attempt(client, admin.email, "mauvais-mot-de-passe")

    login_url = client.get(reverse("admin:login"), {"next": "/admin/"})["Location"]
    response = client.post(
        login_url, {"username": admin.email, "password": password, "next": "/admin/"}
    )

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302
