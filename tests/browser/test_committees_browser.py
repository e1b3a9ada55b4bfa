"""A DDETS agent installs a CLE in a real browser: creation, perimeter from two EPCI (with a
preview), co-presidents and members through the composition screens, an installation refused
while a permanent category is missing (INS-COMPOSITION), then accepted. Every page visited
passes axe; the perimeter picker is also driven with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from committees.models import Category, Committee
from tests.committees import builders
from tests.factories.committees import compose, ddets_agent

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
def agent(territory):
    return ddets_agent(
        territory.d69,
        email="agent.ddets69@rhone.gouv.fr",
        first_name="Claire",
        last_name="Duval",
    )


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _add_copresident(page, axe_check, *, side, email, first_name, last_name, office, authority):
    page.get_by_role("link", name="Ajouter un co-président").click()
    _heading(page, "Ajouter un co-président ou une co-présidente")
    axe_check(page)
    page.locator(f"label[for=id_side_{side}]").click()
    page.locator("#id_email").fill(email)
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_last_name").fill(last_name)
    page.locator("#id_office").fill(office)
    if authority:
        page.locator("#id_authority").fill(authority)
    page.locator("#id_votes").fill("1")
    page.locator("#id_started_on").fill("2024-11-01")
    page.get_by_role("button", name="Enregistrer la co-présidence").click()
    _heading(page, "Composition du comité")
    expect(page.get_by_role("row", name=re.compile(f"{first_name} {last_name}"))).to_be_visible()


def _add_member(page, axe_check, *, email, first_name, last_name, organisation, category, votes):
    page.get_by_role("link", name="Ajouter un membre").click()
    _heading(page, "Ajouter un membre")
    axe_check(page)
    page.locator("#id_email").fill(email)
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_last_name").fill(last_name)
    page.locator("#id_organisation").fill(organisation)
    page.locator("#id_category").select_option(label=category)
    if votes is not None:
        page.locator("#id_votes").fill(str(votes))
    page.locator("#id_mandate_start").fill("2024-11-01")
    page.get_by_role("button", name="Ajouter le membre").click()
    _heading(page, "Composition du comité")
    expect(page.get_by_text("Le membre a été ajouté.")).to_be_visible()


def _install(page, axe_check, committee_name):
    page.get_by_role("link", name="Installer le comité").click()
    _heading(page, "Installer le comité")
    axe_check(page)
    page.locator("#id_installed_on").fill("2024-11-14")
    page.locator("#id_arrete_reference").fill("Arrêté préfectoral n° 69-2024-11-14-00004")
    page.get_by_role("button", name="Installer le comité").click()


def test_a_ddets_agent_creates_a_cle_from_two_epci_composes_and_installs_it(
    live_server, territory, agent, login_in_browser, axe_check
):
    page = login_in_browser(agent)

    # The committees of my territory, then the creation form.
    page.get_by_role("link", name="Comités", exact=True).click()
    _heading(page, "Comités de mon territoire")
    axe_check(page)
    page.get_by_role("link", name="Créer un comité").click()
    _heading(page, "Créer un comité")
    axe_check(page)
    page.locator("#id_level").select_option(label="Comité local pour l'emploi (CLE)")
    page.locator("#id_name").fill("CLE Sud-Ouest lyonnais")
    # The agent's own département is ticked already; the Ain stays free for a joint CLE.
    expect(page.get_by_role("checkbox", name="Rhône (69)")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Ain (01)")).not_to_be_checked()
    page.get_by_role("button", name="Créer le comité").click()
    _heading(page, "CLE Sud-Ouest lyonnais")
    expect(page.get_by_text("est créé, en préparation")).to_be_visible()
    expect(page.get_by_text("Le périmètre n'est pas encore défini.")).to_be_visible()
    axe_check(page)
    committee = Committee.objects.get(name="CLE Sud-Ouest lyonnais")

    # Perimeter: two EPCI, previewed (communes and population) before saving.
    page.get_by_role("link", name="Modifier le périmètre").click()
    _heading(page, "Périmètre du comité local")
    axe_check(page)
    page.locator("label", has_text="CC de la Vallée du Garon (CCVG)").click()
    page.locator("label", has_text="CC du Pays Mornantais (COPAMO)").click()
    page.get_by_role("button", name="Prévisualiser le périmètre").click()
    expect(page.get_by_role("heading", name=re.compile("Aperçu : 2 communes"))).to_contain_text(
        "18\u202f785 habitants"
    )
    expect(page.get_by_role("row", name=re.compile("Brignais"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Mornant"))).to_be_visible()
    axe_check(page)
    assert committee.communes.count() == 0  # nothing saved by the preview
    page.get_by_role("button", name="Enregistrer ce périmètre").click()
    _heading(page, "CLE Sud-Ouest lyonnais")
    expect(page.get_by_text("Le périmètre est enregistré : 2 communes")).to_be_visible()
    expect(page.get_by_text("EPCI (2)")).to_be_visible()
    axe_check(page)

    # Co-presidents (DEC-COPRESIDENCY) through the composition screens.
    _add_copresident(
        page,
        axe_check,
        side=0,
        email="sous-prefet@rhone.gouv.fr",
        first_name="Gaspard",
        last_name="Lemoine",
        office="Sous-préfet chargé de mission",
        authority="",
    )
    _add_copresident(
        page,
        axe_check,
        side=1,
        email="president@ccvg.fr",
        first_name="Roland",
        last_name="Vidalenc",
        office="Président de la CC de la Vallée du Garon",
        authority="CC de la Vallée du Garon",
    )
    axe_check(page)
    members = (
        ("etat@rhone.gouv.fr", "Nina", "Carrel", "DDETS du Rhône", "État", 1),
        ("vp@copamo.fr", "Loïc", "Arbogast", "CC du Pays Mornantais", "Communes et EPCI", 1),
        (
            "agence@francetravail.fr",
            "Maud",
            "Lestrade",
            "France Travail Brignais",
            "France Travail",
            None,
        ),
        (
            "ml@missionlocale.fr",
            "Yanis",
            "Ferrand",
            "Mission locale Sud-Ouest",
            "Missions locales",
            None,
        ),
    )
    for email, first_name, last_name, organisation, category, votes in members:
        _add_member(
            page,
            axe_check,
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            category=category,
            votes=votes,
        )

    # INS-COMPOSITION: no Cap emploi seat yet, installation is refused and nothing changes.
    page.goto(f"{live_server.url}{committee.get_absolute_url()}")
    _heading(page, "CLE Sud-Ouest lyonnais")
    expect(
        page.get_by_text("Catégories de membres permanents manquantes : Cap emploi")
    ).to_be_visible()
    axe_check(page)
    _install(page, axe_check, "CLE Sud-Ouest lyonnais")
    expect(page.get_by_role("alert")).to_contain_text(
        "Catégories de membres permanents manquantes : Cap emploi"
    )
    axe_check(page)
    committee.refresh_from_db()
    assert committee.status == Committee.Status.DRAFT

    # Cap emploi takes its seat: the committee is installed.
    page.goto(f"{live_server.url}/comites/{committee.pk}/composition/")
    _add_member(
        page,
        axe_check,
        email="cap@capemploi69.fr",
        first_name="Iris",
        last_name="Moulin",
        organisation="Cap emploi Rhône",
        category="Cap emploi",
        votes=None,
    )
    page.goto(f"{live_server.url}{committee.get_absolute_url()}")
    _install(page, axe_check, "CLE Sud-Ouest lyonnais")
    _heading(page, "CLE Sud-Ouest lyonnais")
    expect(page.get_by_text("Le comité « CLE Sud-Ouest lyonnais » est installé.")).to_be_visible()
    expect(page.get_by_text("Installé le 14 novembre 2024")).to_be_visible()
    # INS-CLE-PERIMETER: the review is due three years after installation.
    expect(page.get_by_text("14 novembre 2027")).to_be_visible()
    axe_check(page)
    committee.refresh_from_db()
    assert committee.status == Committee.Status.INSTALLED
    assert committee.arrete_reference == "Arrêté préfectoral n° 69-2024-11-14-00004"

    # The dashboard and the list show it installed.
    page.get_by_role("link", name="Mon tableau de bord").first.click()
    _heading(page, "Mon tableau de bord")
    axe_check(page)
    page.get_by_role("link", name="Comités", exact=True).click()
    expect(page.get_by_role("row", name=re.compile("CLE Sud-Ouest lyonnais"))).to_contain_text(
        "Installé"
    )


def test_installation_refused_while_a_permanent_category_is_missing(
    live_server, territory, agent, login_in_browser, axe_check
):
    committee = builders.make_cle(territory)
    compose(committee, skip=(Category.MISSIONS_LOCALES,))
    page = login_in_browser(agent)
    page.goto(f"{live_server.url}{committee.get_absolute_url()}")
    axe_check(page)
    _install(page, axe_check, committee.name)
    expect(page.get_by_role("alert")).to_contain_text(
        "Catégories de membres permanents manquantes : Missions locales"
    )
    axe_check(page)
    committee.refresh_from_db()
    assert committee.status == Committee.Status.DRAFT
    assert committee.installed_on is None


def test_the_perimeter_is_picked_with_the_keyboard_alone(
    live_server, territory, agent, login_in_browser, axe_check
):
    committee = builders.make_cle(territory, name="CLE Est lyonnais", epcis=[territory.garon])
    page = login_in_browser(agent)
    page.goto(f"{live_server.url}/comites/{committee.pk}/perimetre/")
    axe_check(page)
    # The filter of the communes (added by the script) narrows the list as one types.
    page.get_by_label("Filtrer la liste des communes").focus()
    page.keyboard.type("genas")
    expect(page.locator("#commune-filter-status")).to_have_text(re.compile("^1 commune affichée"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox", name="Genas (69277)")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Genas (69277)")).to_be_checked()
    # The preview button, then the save button, reached by Tab and pressed with Enter.
    page.locator("#commune-choices").evaluate("el => el.scrollTop = el.scrollHeight")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == (
            "Prévisualiser le périmètre"
        ):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Aperçu : 2 communes"))).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Enregistrer ce périmètre").focus()
    page.keyboard.press("Enter")
    _heading(page, "CLE Est lyonnais")
    committee.refresh_from_db()
    assert set(committee.communes.values_list("code", flat=True)) == {"69027", "69277"}
