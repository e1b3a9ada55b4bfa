"""The second factor in a real browser: enrolment page (QR code, no CSP violation, accessible)
and the login helper of the browser tests passing the step for a national admin."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories.users import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page):
    messages = []
    page.on(
        "console",
        lambda msg: (
            messages.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    return messages


def test_an_admin_enrols_with_the_qr_code_page(
    live_server, page, password, axe_check, csp_violations
):
    admin = UserFactory(email="admin@example.gouv.fr", admin=True)
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique", exact=True).fill(admin.email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").last.click()

    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("Code QR"))
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 0
    axe_check(page)
    assert csp_violations == []

    device = TOTPDevice.objects.get(user=admin)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code à 6 chiffres").fill(f"{code:06d}")
    page.get_by_role("button", name="Valider le code").click()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")


def test_the_login_helper_passes_the_second_factor(live_server, login_in_browser):
    admin = UserFactory(email="admin@example.gouv.fr", admin=True)
    page = login_in_browser(admin)
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    # Twice in a row (a code is good once): the helper gives a fresh device each time. Leave the
    # admin first, so no request of its page (its icon…) is still in flight when cookies go.
    page.goto("about:blank")
    page.context.clear_cookies()
    page = login_in_browser(admin)
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
