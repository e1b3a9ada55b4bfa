"""National admins sign in with a second factor (TOTP), on every real sign-in path."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cte_portal.users import second_factor
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@example.gouv.fr", admin=True)


def _code(device: TOTPDevice, drift: int = 0) -> str:
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    return f"{code:06d}"


def _wrong_code(device: TOTPDevice) -> str:
    """A code refused now: none of those the device's tolerance accepts."""
    accepted = {_code(device, drift) for drift in range(-2, 3)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def _password_step(client, user, password, next_url=None):
    data = {"username": user.email, "password": password}
    url = reverse("login")
    if next_url:
        data["next"] = next_url
        url += f"?next={next_url}"
    return client.post(url, data)


def test_an_admin_s_password_alone_does_not_sign_in(client, admin, password):
    response = _password_step(client, admin, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("second_factor")
    assert SESSION_KEY not in client.session
    # Not signed in: every page but the second-factor step still asks to sign in.
    assert client.get(reverse("profile")).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_first_sign_in_enrols_a_device_with_a_qr_code_and_its_secret(client, admin, password):
    _password_step(client, admin, password, next_url=reverse("profile"))

    html = client.get(reverse("second_factor")).content.decode()

    assert "Première connexion" in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    assert second_factor.secret(device) in html

    response = client.post(reverse("second_factor"), {"otp_token": _code(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert client.session[SESSION_KEY] == str(admin.pk)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_the_enrolment_page_has_no_inline_script(client, admin, password):
    _password_step(client, admin, password)
    html = client.get(reverse("second_factor")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)", html)


def test_a_wrong_code_is_refused_in_french_and_counted(client, admin, password):
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _password_step(client, admin, password)

    response = client.post(reverse("second_factor"), {"otp_token": _wrong_code(device)})

    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.filter(username=admin.email).get().failures_since_start == 1


def test_wrong_codes_lock_the_account_out_with_a_french_message(client, admin, password, settings):
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _password_step(client, admin, password)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("second_factor"), {"otp_token": _wrong_code(device)})

    assert response.status_code == 429
    assert "Trop de tentatives de connexion infructueuses" in response.content.decode()
    # Even the right code is refused while locked out.
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("second_factor"), {"otp_token": _code(device)})
    assert "Trop de tentatives de connexion infructueuses" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_confirmed_device_is_asked_for_its_code_without_enrolment(client, admin, password):
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _password_step(client, admin, password)
    html = client.get(reverse("second_factor")).content.decode()
    assert "Première connexion" not in html
    assert "data:image/svg+xml" not in html

    response = client.post(reverse("second_factor"), {"otp_token": _code(device)})
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(admin.pk)


def test_the_wait_for_the_code_expires(client, admin, password):
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _password_step(client, admin, password)
    session = client.session
    session[second_factor.PENDING_KEY]["at"] = time.time() - second_factor.PENDING_SECONDS - 1
    session.save()

    response = client.post(reverse("second_factor"), {"otp_token": _code(device)})

    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_the_step_without_a_password_first_leads_to_the_sign_in_page(client):
    response = client.get(reverse("second_factor"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_other_users_sign_in_with_their_password_only(client, user, password):
    response = _password_step(client, user, password)
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_admin_login_is_the_portal_s_and_asks_for_the_second_factor(client, admin, password):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"

    response = _password_step(client, admin, password, next_url="/admin/")
    assert response["Location"] == reverse("second_factor")
    device = TOTPDevice.objects.get_or_create(user=admin, defaults={"name": "app"})[0]
    client.get(reverse("second_factor"))
    response = client.post(reverse("second_factor"), {"otp_token": _code(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_user_without_admin_access_gets_a_403_not_a_loop(client, user):
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_an_empty_code_is_refused_in_french(client, admin, password):
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _password_step(client, admin, password)
    response = client.post(reverse("second_factor"), {})
    assert response.status_code == 200
    assert "Saisissez le code à 6 chiffres." in response.content.decode()
    assert SESSION_KEY not in client.session
