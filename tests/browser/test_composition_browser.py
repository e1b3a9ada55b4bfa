"""A DDETS agent composes a committee in a real browser: two co-presidents (one invited by
e-mail), members of several categories, then reads the vote totals. Every page passes axe
(which checks that each field has its label; fields are located by id because a DSFR label
also carries the help text)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from committees.models import CoPresidency, CrefopRotation, Membership
from tests.committees.composition_helpers import make_cde, make_cre
from tests.factories.committees import ddets_agent, dreets_agent
from tests.factories.territories import COMPOSITION, build_territory
from tests.factories.users import UserFactory

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
def cde(db):
    return make_cde(build_territory(COMPOSITION))


@pytest.fixture
def agent(cde):
    return ddets_agent(cde.departements.get(), email="agent.ddets69@rhone.gouv.fr")


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _fill_person(page, email, first_name="", last_name=""):
    page.locator("#id_email").fill(email)
    if first_name:
        page.locator("#id_first_name").fill(first_name)
        page.locator("#id_last_name").fill(last_name)


def _add_member(page, axe_check, *, email, first_name, last_name, organisation, category, votes):
    page.get_by_role("link", name="Ajouter un membre").click()
    _heading(page, "Ajouter un membre")
    axe_check(page)
    _fill_person(page, email, first_name, last_name)
    page.locator("#id_organisation").fill(organisation)
    page.locator("#id_category").select_option(label=category)
    votes_input = page.locator("#id_votes")
    if votes is None:
        # DEC-VOTERS: the category does not vote, the field is disabled at 0.
        expect(votes_input).to_be_disabled()
        expect(votes_input).to_have_value("0")
    else:
        expect(votes_input).to_be_enabled()
        votes_input.fill(str(votes))
    page.locator("#id_mandate_start").fill("2024-09-01")
    page.get_by_role("button", name="Ajouter le membre").click()
    _heading(page, "Composition du comité")
    expect(page.get_by_text("Le membre a été ajouté.")).to_be_visible()


def test_a_ddets_agent_composes_a_cde_and_reads_the_vote_totals(
    live_server, cde, agent, login_in_browser, axe_check
):
    prefete = UserFactory(email="prefete@rhone.gouv.fr", first_name="Fabienne", last_name="Buccio")
    page = login_in_browser(agent)
    page.goto(f"{live_server.url}/comites/{cde.pk}/composition/")
    _heading(page, "Composition du comité")
    expect(page.get_by_text("règlement intérieur non adopté")).to_be_visible()
    axe_check(page)

    # The State co-president already has an account: chosen by e-mail.
    page.get_by_role("link", name="Ajouter un co-président").click()
    _heading(page, "Ajouter un co-président ou une co-présidente")
    axe_check(page)
    page.locator("label[for=id_side_0]").click()  # État
    _fill_person(page, "prefete@rhone.gouv.fr")
    page.locator("#id_office").fill("Préfète du Rhône")
    page.locator("#id_votes").fill("2")
    page.locator("#id_started_on").fill("2024-09-01")
    page.get_by_role("button", name="Enregistrer la co-présidence").click()
    _heading(page, "Composition du comité")
    expect(page.get_by_role("row", name=re.compile("Fabienne Buccio"))).to_be_visible()
    axe_check(page)

    # A second State co-president is refused, with the rule, and nothing is saved.
    page.get_by_role("link", name="Ajouter un co-président").click()
    page.locator("label[for=id_side_0]").click()
    _fill_person(page, "sous-prefet@rhone.gouv.fr", "Marc", "Durand")
    page.locator("#id_office").fill("Sous-préfet")
    page.locator("#id_started_on").fill("2024-09-01")
    page.get_by_role("button", name="Enregistrer la co-présidence").click()
    expect(page.get_by_role("alert")).to_contain_text("Mettez fin à la co-présidence en cours")
    axe_check(page)

    # The local-authority co-president has no account: invited by e-mail.
    page.locator("label[for=id_side_1]").click()  # Collectivités territoriales
    _fill_person(page, "president@rhone.fr", "Christophe", "Guilloteau")
    page.locator("#id_organisation").fill("Département du Rhône")
    page.locator("#id_office").fill("Président du conseil départemental")
    page.locator("#id_authority").fill("Conseil départemental du Rhône")
    page.locator("#id_votes").fill("2")
    page.get_by_role("button", name="Enregistrer la co-présidence").click()
    _heading(page, "Composition du comité")
    expect(page.get_by_role("row", name=re.compile("Christophe Guilloteau"))).to_be_visible()
    assert [m.to for m in mail.outbox] == [["president@rhone.fr"]]

    _add_member(
        page,
        axe_check,
        email="dreets.ut69@rhone.gouv.fr",
        first_name="Sophie",
        last_name="Lambert",
        organisation="Préfecture du Rhône",
        category="État",
        votes=3,
    )
    _add_member(
        page,
        axe_check,
        email="vp.insertion@rhone.fr",
        first_name="Karim",
        last_name="Haddad",
        organisation="Département du Rhône",
        category="Départements",
        votes=2,
    )
    _add_member(
        page,
        axe_check,
        email="direction@francetravail.fr",
        first_name="Nadia",
        last_name="Benali",
        organisation="France Travail Rhône",
        category="France Travail",
        votes=None,
    )

    # Vote totals per side, co-presidents included (DEC-VOTES): 5 State, 4 local authorities.
    expect(page.get_by_test_id("votes-state")).to_have_text("5")
    expect(page.get_by_test_id("votes-local-authorities")).to_have_text("4")
    expect(page.get_by_test_id("votes-total")).to_have_text("9")
    expect(page.get_by_text("ne sont pas équilibrées")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Nadia Benali"))).to_contain_text("Non")
    axe_check(page)

    assert CoPresidency.objects.filter(committee=cde).count() == 2
    assert sorted(Membership.objects.filter(committee=cde).values_list("votes", flat=True)) == [
        0,
        2,
        3,
    ]
    assert prefete.copresidencies.get().votes == 2


RULES_TEXT = {
    "principles": "Le comité recherche le consensus.",
    "secretariat": "La DDETS assure le secrétariat.",
    "bodies": "Une plénière et un comité technique.",
    "means": "Salles de la préfecture.",
    "meetings": "Trois réunions par an.",
    "commissions": "Groupes de travail thématiques.",
    "iae_commission": "La commission inclusion et IAE se réunit avant chaque conventionnement.",
}


def test_rules_of_procedure_are_drafted_refused_then_adopted(
    live_server, cde, agent, login_in_browser, axe_check, media
):
    # ``media``: a storage of its own, so that a PDF left by an earlier run on this machine
    # does not make the storage rename this one (« …-v1_AbCdEfG.pdf »).
    page = login_in_browser(agent)
    page.goto(f"{live_server.url}/comites/{cde.pk}/reglement-interieur/")
    _heading(page, "Règlement intérieur")
    expect(page.get_by_text("règlement intérieur non adopté")).to_be_visible()
    axe_check(page)
    for field, text in RULES_TEXT.items():
        page.locator(f"#id_{field}").fill(text)
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_text("Le projet de règlement a été enregistré.")).to_be_visible()

    # INS-RULES: « Coordination » is still empty, adoption is refused.
    page.get_by_role("link", name="Adopter la version 1").click()
    _heading(page, "Adopter la version 1 du règlement intérieur")
    axe_check(page)
    page.locator("#id_adopted_on").fill("2024-10-01")
    page.get_by_role("button", name="Adopter").click()
    expect(page.get_by_role("alert")).to_contain_text("Coordination")
    axe_check(page)

    page.goto(f"{live_server.url}/comites/{cde.pk}/reglement-interieur/")
    page.locator("#id_coordination").fill("Avec le CRE et les CLE du Rhône.")
    page.get_by_role("button", name="Enregistrer le projet").click()
    page.get_by_role("link", name="Adopter la version 1").click()
    page.locator("#id_adopted_on").fill("2024-10-01")
    page.get_by_role("button", name="Adopter").click()
    _heading(page, "Règlement intérieur — version 1")
    expect(page.get_by_text("Adoptée le 01/10/2024")).to_be_visible()
    axe_check(page)
    # The PDF is built in the background: the button leads to its progress page, then the file.
    page.get_by_role("button", name="Télécharger en PDF").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger reglement-interieur-cde-du-rhone-v1.pdf").click()
    assert download.value.suggested_filename == "reglement-interieur-cde-du-rhone-v1.pdf"


def test_a_dreets_agent_edits_the_crefop_rotation_with_the_keyboard(
    live_server, login_in_browser, axe_check
):
    territories = build_territory(COMPOSITION)
    cre = make_cre(territories)
    agent = dreets_agent(territories.ara, email="agent@dreets-ara.gouv.fr")
    page = login_in_browser(agent)
    page.goto(f"{live_server.url}/comites/{cre.pk}/rotation-crefop/")
    _heading(page, "Rotation des départements au CREFOP")
    axe_check(page)
    ain_year_1 = page.get_by_label("Ain (01) siège l'année 1")
    ain_year_2 = page.get_by_label("Ain (01) siège l'année 2")
    expect(ain_year_1).to_be_checked()
    # Keyboard only: the Ain sits in year 2 instead of year 1.
    ain_year_2.focus()
    page.keyboard.press("Space")
    ain_year_1.focus()
    page.keyboard.press("Space")
    expect(ain_year_1).not_to_be_checked()
    expect(ain_year_2).to_be_checked()
    page.get_by_role("button", name="Enregistrer la rotation").click()
    expect(page.get_by_text("La rotation des départements a été enregistrée.")).to_be_visible()
    assert list(
        CrefopRotation.objects.filter(committee=cre, departement_id="01").values_list(
            "year", flat=True
        )
    ) == [2]

    # A département that never sits is refused (INS-CRE-CREFOP); nothing changes.
    page.get_by_label("Ain (01) siège l'année 2").uncheck(force=True)
    page.get_by_role("button", name="Enregistrer la rotation").click()
    expect(page.get_by_role("alert")).to_contain_text("jamais : 01")
    axe_check(page)
    assert CrefopRotation.objects.filter(committee=cre, departement_id="01").count() == 1
