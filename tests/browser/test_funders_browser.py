"""A DDETS agent imports an offer map in a real browser: a file with one bad line is refused
with its line number and nothing is saved; the corrected file is previewed, then imported;
the analysis answers the conference's questions. Every page visited passes axe."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from funders.models import FundingLine, FundingLineImport
from funders.services.conventions import add_party, create_convention
from funders.services.needs import raise_need
from tests.funders.files import GOOD_ROWS, bad_rows, csv_bytes, xlsx_bytes
from tests.funders.world import NEED, conference, funder, line, make_world, today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # pytest-playwright's session fixture ``base_url`` (see RECIPES.md).
    pytest.mark.filterwarnings(
        r"ignore:(?s)Session-scoped fixtures defined as instance methods.*base_url"
        ":pytest.PytestRemovedIn10Warning"
    ),
]


@pytest.fixture
def scene(db):
    world = make_world()
    for name, kind in (
        ("FSE+ (État)", "state"),
        ("Département du Rhône", "departement"),
        ("Région Auvergne-Rhône-Alpes", "region"),
        ("CAF du Rhône", "other"),
    ):
        funder(world.cde, name, kind)
    created = conference(world.cde, world.ddets69, title="Conférence des financeurs du Rhône")
    return world, created


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_import_an_offer_map_with_a_bad_line_then_the_corrected_file(
    live_server, page, login_in_browser, axe_check, scene, tmp_path
):
    world, created = scene
    bad = tmp_path / "offre-rhone.csv"
    bad.write_bytes(csv_bytes(bad_rows()))
    good = tmp_path / "offre-rhone-corrigee.xlsx"
    good.write_bytes(xlsx_bytes(GOOD_ROWS, native=True))

    login_in_browser(world.ddets69)
    axe_check(page)
    page.get_by_role("link", name="Financeurs", exact=True).first.click()
    _heading(page, "Conférences des financeurs")
    axe_check(page)
    page.get_by_role("link", name="Conférence des financeurs du Rhône").click()
    _heading(page, "Conférence des financeurs du Rhône")
    axe_check(page)

    page.get_by_role("link", name="Importer une offre (XLSX, CSV)").click()
    _heading(page, "Importer une offre")
    axe_check(page)
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier le fichier").click()

    # Refused with its line number, in French; nothing saved.
    _heading(page, "Import « offre-rhone.csv »")
    expect(page.get_by_role("alert")).to_contain_text("rien n'a été importé")
    row = page.get_by_role("row", name=re.compile("Ligne 3"))
    expect(row).to_contain_text("montant engagé « 45 000,555 » a plus de deux décimales")
    expect(page.get_by_role("button", name=re.compile("Importer ces"))).to_have_count(0)
    axe_check(page)
    assert not FundingLine.objects.exists()
    assert FundingLineImport.objects.get().status == "invalid"

    # The corrected file (XLSX with native numbers and dates): previewed, then imported.
    page.get_by_role("link", name="Déposer un autre fichier").click()
    _heading(page, "Importer une offre")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    _heading(page, "Import « offre-rhone-corrigee.xlsx »")
    expect(page.get_by_text("Le fichier est valide")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("FSE\\+ — accompagnement global"))
    ).to_contain_text("1\u202f250\u202f000,10\u202f€")
    axe_check(page)
    assert not FundingLine.objects.exists()  # a preview only
    page.get_by_role("button", name="Importer ces 3 lignes").click()

    _heading(page, "Lignes de financement")
    expect(page.get_by_text("3 ligne(s) de financement importée(s).")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Aide au permis de conduire")
    axe_check(page)
    assert FundingLine.objects.count() == 3

    page.get_by_role("link", name="Analyse de l'offre").click()
    _heading(page, "Analyse de l'offre")
    totals = page.get_by_role("table", name="Montants engagés par financeur")
    expect(totals).to_contain_text("1\u202f325\u202f000,40\u202f€")  # exact sum of the three
    expect(
        page.get_by_role("img", name=re.compile("Montants engagés par financeur"))
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=created.committee.name).first.click()
    _heading(page, f"Financeurs — {created.committee.name}")
    axe_check(page)


def test_every_other_funders_page_passes_axe(live_server, page, login_in_browser, axe_check, scene):

    world, created = scene
    caf = world.cde.funders.get(name="CAF du Rhône")
    line(created, caf, scheme="Crèches AVIP", public="single_parents")
    local = conference(world.cle, world.ddets69, title="Conférence de financement du Beaujolais")
    need = raise_need(conference=local, user=world.ddets69, **NEED)
    convention = create_convention(
        committee=world.cde,
        kind="insertion_employment",
        title="Contractualisation insertion-emploi",
        starts_on=today() - timedelta(days=700),
        ends_on=today() + timedelta(days=40),
        status="signed",
        signed_on=today() - timedelta(days=700),
    )
    add_party(convention=convention, name="État", amount="2 400 000")

    login_in_browser(world.ddets69)
    base = live_server.url
    pages = {
        "/financeurs/suivi/": "Suivi des conférences des financeurs",
        f"/financeurs/comite/{world.cde.pk}/": f"Financeurs — {world.cde.name}",
        f"/financeurs/comite/{world.cde.pk}/conferences/nouvelle/": (
            "Nouvelle conférence des financeurs"
        ),
        f"/financeurs/comite/{world.cde.pk}/financeurs/ajouter/": "Ajouter un financeur",
        f"/financeurs/conferences/{created.pk}/lignes/ajouter/": (
            "Ajouter une ligne de financement"
        ),
        f"/financeurs/conferences/{created.pk}/modifier/": f"Modifier « {created.title} »",
        local.get_absolute_url(): local.title,
        f"/financeurs/conferences/{local.pk}/besoins/ajouter/": "Faire remonter un besoin",
        f"/financeurs/conferences/{created.pk}/besoins/{need.pk}/repondre/": (
            f"Répondre au besoin de « {world.cle.name} »"
        ),
        f"/financeurs/comite/{world.cde.pk}/conventions/ajouter/": "Suivre une convention",
        convention.get_absolute_url(): convention.title,
    }
    for url, heading in pages.items():
        page.goto(f"{base}{url}")
        _heading(page, heading)
        axe_check(page)

    # A refused rule on a form is announced, and the page still passes axe.
    page.goto(f"{base}/financeurs/conferences/{created.pk}/besoins/{need.pk}/repondre/")
    page.locator("label[for=id_status_0]").click()  # Financé par une ligne, without a line
    page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Choisissez la ligne de financement mobilisée"
    )
    axe_check(page)
