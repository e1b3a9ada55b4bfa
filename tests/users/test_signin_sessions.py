"""Sessions end after 30 minutes idle and 12 hours after sign-in; passwords of 12 characters."""

import time
from html import unescape

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from cte_portal.core.demo import DEMO_PASSWORD
from cte_portal.users.middleware import LAST_SEEN, SIGNED_IN_AT
from tests.factories.users import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _shift(client, **seconds_ago) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN}[key]] = now - ago
    session.save()


def _signed_in(client, user, password):
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    return client


def test_the_lifetimes_are_settings_within_bounds():
    assert django_settings.CTE["SESSION_IDLE_MINUTES"] == 30
    assert django_settings.CTE["SESSION_MAX_HOURS"] <= 12
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_sign_in_stamps_the_session(client, user, password):
    before = time.time()
    _signed_in(client, user, password)
    assert client.session[SIGNED_IN_AT] >= before
    assert client.session[LAST_SEEN] >= before


def test_an_idle_session_is_signed_out_with_a_french_message(client, user, password):
    _signed_in(client, user, password)
    _shift(client, signed_in=31 * 60, last_seen=31 * 60)

    response = client.get(reverse("profile"), follow=True)

    assert response.redirect_chain[0] == (f"{reverse('login')}?next={reverse('profile')}", 302)
    assert "après 30 minutes d'inactivité" in unescape(response.content.decode())
    assert SESSION_KEY not in client.session


def test_activity_keeps_the_session_alive(client, user, password):
    _signed_in(client, user, password)
    _shift(client, signed_in=29 * 60, last_seen=29 * 60)

    assert client.get(reverse("profile")).status_code == 200

    assert time.time() - client.session[LAST_SEEN] < 5
    assert client.session[SESSION_KEY] == str(user.pk)


def test_activity_does_not_extend_the_absolute_lifetime(client, user, password):
    _signed_in(client, user, password)
    _shift(client, signed_in=12 * 3600 - 60, last_seen=120)
    assert client.get(reverse("profile")).status_code == 200
    # The request above kept the sign-in time: the session is still 12 h old, minus a minute.
    assert time.time() - client.session[SIGNED_IN_AT] > 12 * 3600 - 120

    _shift(client, signed_in=12 * 3600 + 1, last_seen=10)
    response = client.get(reverse("profile"), follow=True)
    assert "Votre session a duré plus de 12 heures" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_recent_page_does_not_rewrite_the_session(client, user, password):
    _signed_in(client, user, password)
    stamp = client.session[LAST_SEEN]
    client.get(reverse("profile"))
    assert client.session[LAST_SEEN] == stamp


def test_force_login_sessions_follow_the_same_rules(client, user):
    client.force_login(user)
    assert client.get(reverse("profile")).status_code == 200
    _shift(client, last_seen=31 * 60)
    assert client.get(reverse("profile")).status_code == 302


# --- Passwords ---------------------------------------------------------------------------------


def test_passwords_need_twelve_characters(logged_client, password):
    response = logged_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Zq8-kW3-pL9", "new_password2": "Zq8-kW3-pL9"},
    )
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()


def test_the_test_and_demo_passwords_comply():
    validate_password(DEFAULT_PASSWORD)
    validate_password(DEMO_PASSWORD)
    with pytest.raises(ValidationError):
        validate_password("Zq8-kW3-pL9")
