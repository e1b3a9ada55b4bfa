"""A roadmap in a real browser (INS-ROADMAP): the DDETS secretariat drafts a roadmap with two
axes and three action sheets and submits it; one co-president asks for changes; after the
edit both co-presidents approve; the secretariat publishes; the roadmap then appears on the
public page and in the open-data CSV. Every page visited passes axe."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from roadmaps.models import Roadmap
from tests.roadmaps.world import make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:(?s)Session-scoped fixtures defined as instance methods.*base_url"
        ":pytest.PytestRemovedIn10Warning"
    ),
]

SHEETS = {
    "Lever les freins à la mobilité": ["Garage solidaire", "Transport à la demande"],
    "Recruter dans la logistique": ["Préparation opérationnelle à l'emploi"],
}


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _sign_in_as(page, login_in_browser, user):
    page.context.clear_cookies()
    login_in_browser(user)


def _add_axis(page, axe_check, title):
    page.get_by_role("link", name="Ajouter un axe").click()
    _heading(page, "Ajouter un axe")
    axe_check(page)
    page.locator("#id_title").fill(title)
    page.locator("#id_diagnostic").fill("Un demandeur d'emploi sur trois n'a pas de véhicule.")
    page.locator("#id_stakes").fill("L'accès aux zones d'activité.")
    page.locator("#id_objectives").fill("Une solution pour chaque personne accompagnée.")
    page.get_by_role("button", name="Ajouter l'axe").click()
    expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()


def _add_sheet(page, axe_check, axis_title, title, *, check):
    page.get_by_role("link", name=f"Ajouter une fiche action à l'axe « {axis_title} »").click()
    _heading(page, f"Nouvelle fiche action — {axis_title}")
    if check:
        axe_check(page)
    page.locator("#id_title").fill(title)
    page.locator("#id_problem").fill("Des offres non pourvues faute de candidats mobiles.")
    page.locator("#id_objective").fill("Que chaque candidat retenu rejoigne son poste.")
    page.locator("#id_target_public").fill("Demandeurs d'emploi sans véhicule")
    page.locator("#id_expected_results").fill("150 personnes accompagnées par an.")
    page.get_by_role("button", name="Ajouter la fiche action").click()
    _heading(page, title)
    if check:
        axe_check(page)
    page.get_by_role("link", name=re.compile("^Feuille de route — CLE")).first.click()


def test_draft_submit_request_changes_approve_publish_and_open_data(
    live_server, page, login_in_browser, axe_check
):
    world = make_world()
    base = live_server.url

    # The secretariat (DDETS du Rhône) drafts the roadmap.
    login_in_browser(world.ddets69)
    page.goto(f"{base}/feuilles-de-route/")
    _heading(page, "Feuilles de route")
    axe_check(page)
    page.get_by_role(
        "link", name="Commencer la feuille de route de CLE Villefranche Beaujolais"
    ).click()
    _heading(page, "Feuille de route — CLE Villefranche Beaujolais")
    axe_check(page)
    page.get_by_role("button", name="Créer la feuille de route").click()
    _heading(page, "Feuille de route — CLE Villefranche Beaujolais")
    expect(page.get_by_text("La feuille de route est créée, en brouillon.")).to_be_visible()
    axe_check(page)
    for axis_title in SHEETS:
        _add_axis(page, axe_check, axis_title)
    first = True
    for axis_title, titles in SHEETS.items():
        for title in titles:
            _add_sheet(page, axe_check, axis_title, title, check=first)
            first = False
    page.get_by_role("button", name="Soumettre aux co-présidents").click()
    expect(page.get_by_text("La feuille de route est soumise aux co-présidents.")).to_be_visible()
    axe_check(page)
    roadmap = Roadmap.objects.get(committee=world.cle)
    assert roadmap.status == Roadmap.Status.SUBMITTED

    # The local-authority co-president asks for changes.
    _sign_in_as(page, login_in_browser, world.elu)
    page.goto(f"{base}/feuilles-de-route/{roadmap.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Demander des modifications").click()
    _heading(page, "Demander des modifications")
    axe_check(page)
    page.get_by_role("button", name="Demander ces modifications").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the comment is required
    axe_check(page)
    page.locator("#id_comment").fill("Préciser les résultats attendus du garage solidaire.")
    page.get_by_role("button", name="Demander ces modifications").click()
    expect(page.get_by_role("cell", name="Modifications demandées")).to_be_visible()

    # The secretariat edits the sheet.
    _sign_in_as(page, login_in_browser, world.ddets69)
    page.goto(f"{base}/feuilles-de-route/{roadmap.pk}/")
    page.get_by_role("link", name="Garage solidaire").click()
    page.get_by_role("link", name="Modifier la fiche").click()
    axe_check(page)
    page.locator("#id_expected_results").fill("150 locations par an, 60 % en emploi à six mois.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("60 % en emploi à six mois")).to_be_visible()

    # Both co-presidents approve.
    for copresident in (world.elu, world.prefet):
        _sign_in_as(page, login_in_browser, copresident)
        page.goto(f"{base}/feuilles-de-route/{roadmap.pk}/")
        page.get_by_role("button", name="Approuver la feuille de route").click()
        expect(page.get_by_text("Votre approbation est enregistrée.")).to_be_visible()
    axe_check(page)
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.APPROVED

    # The secretariat publishes, and visits the other screens of the roadmap.
    _sign_in_as(page, login_in_browser, world.ddets69)
    page.goto(f"{base}/feuilles-de-route/{roadmap.pk}/")
    page.get_by_role("button", name="Publier la feuille de route").click()
    expect(page.get_by_text("figure désormais dans les données ouvertes")).to_be_visible()
    axe_check(page)
    for path in (
        f"/feuilles-de-route/{roadmap.pk}/versions/",
        f"/feuilles-de-route/{roadmap.pk}/versions/1/",
        f"/feuilles-de-route/comite/{world.cle.pk}/tableau-de-bord/",
        f"/feuilles-de-route/comite/{world.cle.pk}/indicateurs/",
        f"/feuilles-de-route/comite/{world.cle.pk}/remontees/",
        f"/feuilles-de-route/comite/{world.cle.pk}/remontees/nouvelle/",
        "/feuilles-de-route/bonnes-pratiques/",
        "/feuilles-de-route/suivi/",
    ):
        page.goto(f"{base}{path}")
        axe_check(page)
    page.goto(f"{base}/feuilles-de-route/{roadmap.pk}/")
    page.get_by_role("button", name="Exporter en PDF").click()
    _heading(page, "Export PDF de la feuille de route")
    expect(page.get_by_role("link", name="Télécharger le PDF")).to_be_visible()
    axe_check(page)

    # The public sees it without signing in, on the page and in the CSV.
    page.context.clear_cookies()
    page.goto(f"{base}/donnees-ouvertes/")
    axe_check(page)
    page.get_by_role("link", name="CLE Villefranche Beaujolais").click()
    _heading(page, "CLE Villefranche Beaujolais")
    for titles in SHEETS.values():
        for title in titles:
            expect(page.get_by_role("heading", name=f"Fiche action : {title}")).to_be_visible()
    axe_check(page)
    for path in ("/donnees-ouvertes/regions/84/", "/donnees-ouvertes/departements/69/"):
        page.goto(f"{base}{path}")
        axe_check(page)
    response = page.request.get(
        f"{base}/donnees-ouvertes/telechargements/fiches-action.csv?departement=69"
    )
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert sorted(row["fiche_intitule"] for row in rows) == sorted(
        t for ts in SHEETS.values() for t in ts
    )
    assert {row["comite_nom"] for row in rows} == {"CLE Villefranche Beaujolais"}
