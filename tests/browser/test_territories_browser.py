"""Browsing the territories in a real browser, from a region down to a commune, and searching.

A handful of real communes is loaded (``tests/territories/cog_sample.py``), not the whole of France.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.territories.cog_sample import load_sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-playwright's session fixture ``base_url`` (see RECIPES.md): the message names
    # ``base_url`` on its second line, which the pyproject filter's ``.*`` does not reach.
    pytest.mark.filterwarnings(
        r"ignore:(?s)Session-scoped fixtures defined as instance methods.*base_url"
        ":pytest.PytestRemovedIn10Warning"
    ),
]


@pytest.fixture
def territories(tmp_path):
    return load_sample(tmp_path)


def _heading(page, name):
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_browse_from_a_region_down_to_a_commune(
    live_server, territories, user, login_in_browser, axe_check
):
    page = login_in_browser(user)
    axe_check(page)

    page.get_by_role("link", name="Territoires").first.click()
    _heading(page, "Territoires")
    axe_check(page)

    page.get_by_role("link", name="Auvergne-Rhône-Alpes").click()
    _heading(page, "Auvergne-Rhône-Alpes")
    axe_check(page)

    page.get_by_role("link", name="Rhône", exact=True).click()
    _heading(page, "Rhône (69)")
    axe_check(page)

    page.get_by_role("link", name="Lyon", exact=True).click()  # the arrondissement
    _heading(page, "Arrondissement de Lyon")
    axe_check(page)

    page.get_by_role("link", name="Villeurbanne").click()
    _heading(page, "Villeurbanne")
    expect(page.get_by_text("69266")).to_be_visible()
    axe_check(page)

    # Up to its EPCI, and down again to another commune.
    page.get_by_role("link", name="Métropole de Lyon").click()
    _heading(page, "Métropole de Lyon")
    axe_check(page)
    page.get_by_role("link", name="Bron").click()
    _heading(page, "Bron")
    expect(page).to_have_url(re.compile(r"/territoires/communes/69029/$"))

    # The breadcrumb (unfolded on a desktop screen) leads back to the département.
    page.get_by_role("navigation", name="vous êtes ici :").get_by_role(
        "link", name="Rhône", exact=True
    ).click()
    _heading(page, "Rhône (69)")


def test_search_a_commune_by_name_and_by_insee_code(
    live_server, territories, user, login_in_browser, axe_check
):
    page = login_in_browser(user)
    page.goto(f"{live_server.url}/territoires/")

    page.get_by_label("Rechercher une commune par nom ou code INSEE").fill("ajac")
    page.get_by_role("button", name="Rechercher").click()
    _heading(page, "Rechercher une commune")
    expect(page.get_by_role("table")).to_contain_text("1 commune pour « ajac »")
    axe_check(page)
    page.get_by_role("link", name="Ajaccio").click()
    _heading(page, "Ajaccio")
    axe_check(page)

    search = page.get_by_label("Rechercher une commune par nom ou code INSEE")
    page.goto(f"{live_server.url}/territoires/recherche/")
    search.fill("2B033")
    search.press("Enter")
    expect(page.get_by_role("link", name="Bastia")).to_be_visible()
    axe_check(page)

    search.fill("Atlantide")
    search.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Aucune commune ne correspond à « Atlantide ».")
    axe_check(page)
