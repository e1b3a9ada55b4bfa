"""The foundation in a real browser: home, sign-in, profile tokens; axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from cte_portal.users.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page):
    """Console errors the browser reports for the Content-Security-Policy."""
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


def test_home_page_loads_the_dsfr_and_is_accessible(live_server, page, axe_check, csp_violations):
    page.goto(live_server.url)
    expect(page).to_have_title(re.compile("Portail des comités territoriaux pour l'emploi"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".fr-header .fr-logo")).to_contain_text("République")
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    expect(page.get_by_role("link", name="Accessibilité : non conforme")).to_be_visible()

    # The DSFR style sheet and scripts are served, applied and allowed by the CSP.
    css = page.request.get(f"{live_server.url}/static/dsfr/dist/dsfr/dsfr.min.css")
    assert css.status == 200
    assert css.headers["content-type"].startswith("text/css")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in font
    page.wait_for_function("() => window.dsfr !== undefined")
    assert csp_violations == []
    axe_check(page)


def test_sign_in_with_an_email_address(
    live_server, page, user, login_in_browser, axe_check, csp_violations
):
    page.goto(f"{live_server.url}/compte/connexion/")
    expect(page.get_by_role("heading", name="Se connecter", level=1)).to_be_visible()
    axe_check(page)

    # A wrong password: the error summary is announced and the page stays accessible.
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("alert")).to_contain_text("mot de passe incorrect")
    axe_check(page)

    login_in_browser(user)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=f"Bonjour {user.first_name}")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert csp_violations == []
    axe_check(page)


def test_profile_creates_shows_once_and_revokes_a_token(
    live_server, page, user, login_in_browser, axe_check
):
    login_in_browser(user)
    page.goto(f"{live_server.url}/compte/profil/")
    expect(page.get_by_role("heading", name="Mon profil")).to_be_visible()
    expect(page.get_by_text("Vous n'avez aucun jeton.")).to_be_visible()
    axe_check(page)

    page.get_by_label("Nom du jeton").fill("Tableur de la DDETS")
    page.get_by_role("button", name="Créer le jeton").click()
    key_box = page.get_by_test_id("new-token-key")
    expect(key_box).to_be_visible()
    key = key_box.inner_text().strip()
    assert len(key) >= 40
    token = ApiToken.objects.get(user=user)
    assert token.prefix == key[:8]
    axe_check(page)

    # The key works against the API, and it is never shown again.
    response = page.request.get(
        f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Token {key}"}
    )
    assert response.status == 200
    assert response.json()["email"] == user.email
    page.reload()
    expect(page.get_by_test_id("new-token-key")).to_have_count(0)
    assert key not in page.content()

    row = page.get_by_role("row", name=re.compile("Tableur de la DDETS"))
    expect(row).to_contain_text("actif")
    row.get_by_role("link", name="Révoquer « Tableur de la DDETS »").click()
    # The revocation asks first (issue 13) and says what stops working.
    expect(
        page.get_by_role("heading", name="Révoquer le jeton « Tableur de la DDETS » ?")
    ).to_be_visible()
    expect(page.get_by_text("perdent aussitôt l'accès")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Révoquer le jeton").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Le jeton « Tableur de la DDETS » est révoqué."
    )
    row = page.get_by_role("row", name=re.compile("Tableur de la DDETS"))
    expect(row).to_contain_text("révoqué le")
    expect(row.get_by_role("link")).to_have_count(0)
    axe_check(page)

    response = page.request.get(
        f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Token {key}"}
    )
    assert response.status == 401
    assert response.json() == {"status": 401, "detail": "Jeton invalide ou révoqué."}
