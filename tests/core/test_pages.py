"""The DSFR shell every page shares: header, navigation, skip links, footer, CSP."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SERVICE = "Portail des comités territoriaux pour l&#x27;emploi"


@pytest.fixture
def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _html(response) -> str:
    return response.content.decode()


def test_the_page_is_in_french(home):
    assert re.search(r'<html lang="fr"', _html(home))
    assert re.search(rf"<title>\s*Accueil — {SERVICE}\s*</title>", _html(home))


def test_the_header_carries_the_marianne_block_and_the_service_name(home):
    header = re.search(r'<header role="banner" class="fr-header">.*?</header>', _html(home), re.S)
    assert header
    header = header.group(0)
    assert re.search(r'<p class="fr-logo">\s*République\s*<br>\s*française\s*</p>', header)
    assert f'<p class="fr-header__service-title">{SERVICE}</p>' in header
    assert "Se connecter" in header


def test_the_main_navigation_marks_the_current_page(home):
    nav = re.search(r'<nav class="fr-nav".*?</nav>', _html(home), re.S).group(0)
    assert 'aria-label="Menu principal"' in nav
    assert 'id="fr-navigation"' in nav
    assert re.search(r'href="/"\s+aria-current="page">Accueil</a>', nav)


def test_the_navigation_offers_the_territories_once_signed_in(client, user):
    territories = f'href="{reverse("territories:regions")}"'
    nav = re.search(r'<nav class="fr-nav".*?</nav>', _html(client.get("/")), re.S).group(0)
    assert territories not in nav
    client.force_login(user)
    nav = re.search(r'<nav class="fr-nav".*?</nav>', _html(client.get("/")), re.S).group(0)
    assert territories in nav


def test_skip_links_lead_to_existing_targets(home):
    html = _html(home)
    skiplinks = re.search(r'<div class="fr-skiplinks">.*?</div>', html, re.S).group(0)
    targets = re.findall(r'href="#([\w-]+)"', skiplinks)
    assert targets == ["content", "fr-navigation", "footer"]
    for target in targets:
        assert f'id="{target}"' in html


def test_the_footer_has_the_mandatory_links(home):
    footer = re.search(r'<footer class="fr-footer".*?</footer>', _html(home), re.S).group(0)
    links = {
        label.strip(): href
        for href, label in re.findall(
            r'<a class="fr-footer__bottom-link"\s+href="([^"]+)">([^<]+)</a>', footer
        )
    }
    assert links == {
        "Plan du site": reverse("footer-sitemap"),
        "Accessibilité : non conforme": reverse("footer-accessibility-status"),
        "Mentions légales": reverse("footer-legal-notice"),
        "Données personnelles": reverse("footer-personal-data"),
    }
    assert re.search(r'<p class="fr-logo">\s*République\s*<br>\s*française', footer)


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("footer-accessibility-status", "Déclaration d&#x27;accessibilité"),
        ("footer-legal-notice", "Mentions légales"),
        ("footer-personal-data", "Données personnelles"),
        ("footer-sitemap", "Plan du site"),
    ],
)
def test_each_footer_page_renders_in_the_shell(client, name, heading):
    html = _html(client.get(reverse(name)))
    heading = heading.replace("&#x27;", "'")
    assert f"<h1>{heading}</h1>" in html
    assert 'class="fr-footer"' in html


def test_the_accessibility_statement_states_its_conformity_level(client):
    html = _html(client.get(reverse("footer-accessibility-status")))
    assert "<strong>non conforme</strong>" in html
    assert "RGAA" in html


def test_the_sitemap_links_every_public_page(client):
    html = _html(client.get(reverse("footer-sitemap")))
    for name in (
        "home",
        "login",
        "footer-accessibility-status",
        "footer-legal-notice",
        "footer-personal-data",
    ):
        assert f'href="{reverse(name)}"' in html


def test_the_csp_header_allows_only_our_scripts_with_a_nonce(home):
    policy = home["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    nonce = re.fullmatch(r"'self' 'nonce-([\w+/=]+)'", directives["script-src"]).group(1)

    scripts = re.findall(r"<script\b[^>]*>", _html(home))
    # The DSFR module and nomodule bundles and the portal's tables script; no inline script.
    assert len(scripts) == 3
    for tag in scripts:
        assert re.search(
            r'src="/static/(dsfr/dist/dsfr/dsfr\.(no)?module\.min|js/tables)\.js"', tag
        )
        assert f'nonce="{nonce}"' in tag


def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(reverse("home"))["Content-Security-Policy"]
    second = client.get(reverse("home"))["Content-Security-Policy"]
    assert first != second


def test_security_headers_are_set(home):
    assert home["X-Frame-Options"] == "DENY"
    assert home["X-Content-Type-Options"] == "nosniff"
    assert home["Referrer-Policy"] == "same-origin"


def test_the_dsfr_assets_are_served(client, home):
    assets = re.findall(r'(?:src|href)="(/static/[^"]+\.(?:css|js))"', _html(home))
    assert "/static/dsfr/dist/dsfr/dsfr.min.css" in assets
    assert "/static/css/portal.css" in assets
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()


def test_the_404_page_uses_the_shell(client):
    response = client.get("/pas-de-page-ici/")
    assert response.status_code == 404
    html = _html(response)
    assert "<h1>Page introuvable</h1>" in html
    assert 'class="fr-footer"' in html
