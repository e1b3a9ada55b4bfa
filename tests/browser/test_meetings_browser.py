"""A meeting in a real browser: a co-president validates the agenda (DEC-JOINT); the secretariat
records the attendance (DEC-QUORUM) and a weighted vote (DEC-MAJORITY); both co-presidents
approve the minutes and the PDF can be downloaded. Every page passes axe (no serious or
critical violation)."""

import re

import pytest
from playwright.sync_api import expect

from committees.models.rules import Category
from meetings.models import Decision, Meeting, Minutes
from meetings.services.convocation import submit_for_validation, validate_meeting
from tests.factories.meetings import build_scene, make_meeting, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.context.clear_cookies()


@pytest.fixture
def world(eager, media):
    scene = build_scene()
    meeting = make_meeting(scene, title="Séance plénière d'automne")
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.local)
    return scene, meeting


def test_a_meeting_from_validation_to_the_pdf_minutes(
    world, live_server, page, login_in_browser, axe_check
):
    scene, meeting = world
    meeting_url = f"{live_server.url}/reunions/{meeting.pk}/"

    # 1. The State co-president validates the agenda: the convocation goes out (DEC-JOINT).
    login_in_browser(scene.state)
    page.goto(meeting_url)
    expect(page.get_by_role("heading", name="Séance plénière d'automne")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Valider l'ordre du jour et la convocation").click()
    expect(page.get_by_text("la convocation est envoyée")).to_be_visible()
    axe_check(page)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED
    sign_out(page)

    # The meeting takes place today.
    start(meeting)

    # 2. The secretariat records the attendance; the quorum is computed (DEC-QUORUM).
    login_in_browser(scene.secretariat)
    page.goto(meeting_url)
    page.get_by_role("link", name="Présences et quorum").click()
    expect(page.get_by_role("heading", name="Présences et quorum")).to_be_visible()
    axe_check(page)
    expect(page.locator("#quorum-panel")).to_contain_text("Quorum non atteint")
    present = {
        "Claire Préfète": "present",
        "Louis Président": "present",
        scene.person(Category.STATE).get_full_name(): "remote",
    }
    for name, status in present.items():
        page.get_by_label(f"Présence de {name}").select_option(status)
    # The live quorum follows the form before it is saved.
    expect(page.locator("#quorum-panel")).to_contain_text("Quorum atteint")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Les présences sont enregistrées.")).to_be_visible()
    expect(page.locator("#quorum-panel")).to_contain_text("Quorum atteint")
    axe_check(page)

    # …and a vote on the first item (DEC-MAJORITY: 1 for, 1 against, the State decides).
    page.goto(meeting_url)
    page.get_by_role("link", name=re.compile("Enregistrer une décision.*point 1")).click()
    expect(page.get_by_role("heading", name="Enregistrer une décision")).to_be_visible()
    axe_check(page)
    page.locator("#radio-id_method").get_by_text("Vote").click()
    page.get_by_label("Texte de la décision").fill(
        "Le comité adopte le plan pour l'emploi des jeunes."
    )
    page.get_by_label("Vote de Claire Préfète").select_option("for")
    page.get_by_label("Vote de Louis Président").select_option("against")
    page.get_by_label(f"Vote de {scene.person(Category.STATE).get_full_name()}").select_option(
        "abstain"
    )
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La décision est enregistrée.")).to_be_visible()
    expect(page.get_by_text(re.compile("est prépondérante")).first).to_be_visible()
    axe_check(page)
    decision = Decision.objects.get()
    assert decision.casting_vote_used and decision.outcome == Decision.Outcome.ADOPTED

    # The secretariat drafts the minutes from the meeting.
    page.get_by_role("link", name="Compte rendu").first.click()
    axe_check(page)
    page.get_by_role("button", name="Rédiger le compte rendu").click()
    body = page.get_by_label("Compte rendu des échanges")
    # One summary to write per agenda item; the decisions stay in the structured record.
    expect(body).to_contain_text("[à compléter]")
    axe_check(page)
    body.fill(body.input_value().replace("[à compléter]", "les membres échangent."))
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est enregistré.")).to_be_visible()
    sign_out(page)

    # 3. Each co-president approves; the PDF is produced, then downloaded.
    for copresident in (scene.state, scene.local):
        login_in_browser(copresident)
        page.goto(f"{meeting_url}compte-rendu/")
        axe_check(page)
        page.get_by_role("button", name="Approuver le compte rendu").click()
        if copresident is scene.state:
            expect(page.get_by_text("Votre approbation est enregistrée.")).to_be_visible()
            sign_out(page)
        else:
            expect(page.get_by_text(re.compile("son PDF est en cours"))).to_be_visible()
    minutes = Minutes.objects.get()
    assert minutes.is_approved
    link = page.get_by_role("link", name="Télécharger le compte rendu (PDF)")
    expect(link).to_be_visible(timeout=30_000)
    axe_check(page)
    with page.expect_download() as info:
        link.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.suggested_filename.startswith("compte-rendu-")


def test_the_other_meeting_pages_pass_axe(
    eager, media, live_server, page, login_in_browser, axe_check
):
    scene = build_scene()
    meeting = make_meeting(scene, title="Séance convoquée")
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    validate_meeting(meeting=meeting, user=scene.local)

    # A member: their space, their answer, their calendar link.
    member = scene.person(Category.DEPARTEMENT)
    login_in_browser(member)
    page.goto(f"{live_server.url}/reunions/")
    expect(page.get_by_role("heading", name="Mes réunions")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Répondre")).first.click()
    expect(page.get_by_role("heading", name="Répondre à la convocation")).to_be_visible()
    axe_check(page)
    page.get_by_text("Représenté par mon suppléant").click()
    page.get_by_role("button", name="Enregistrer ma réponse").click()
    expect(page.get_by_text("Votre réponse est enregistrée.")).to_be_visible()
    page.goto(f"{live_server.url}/reunions/")
    page.get_by_role("button", name="Créer mon lien d'agenda").click()
    expect(page.get_by_label("Votre lien d'agenda (affiché une seule fois)")).to_be_visible()
    axe_check(page)
    sign_out(page)

    # The secretariat: the committee's meetings, a new meeting, an agenda item, the overview.
    login_in_browser(scene.secretariat)
    page.goto(f"{live_server.url}/reunions/comite/{scene.committee.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Préparer une réunion").click()
    axe_check(page)
    page.locator("#id_title").fill("Instance technique")
    page.locator("#id_date").fill(meeting.date.isoformat())
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_end_time").fill("16:00")
    page.locator("#id_place").fill("DDETS du Rhône")
    page.get_by_role("button", name="Créer la réunion").click()
    expect(page.get_by_role("heading", name="Instance technique")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Ajouter un point").click()
    axe_check(page)
    page.goto(f"{live_server.url}/reunions/suivi/?tous=1")
    expect(page.get_by_role("heading", name="Suivi des réunions des comités")).to_be_visible()
    axe_check(page)


def test_refusing_and_confirming_pages_pass_axe(
    eager, media, live_server, page, login_in_browser, axe_check
):
    """A co-president asks for changes from the meeting's page; the secretariat's
    confirmation page for removing an agenda item (issue 13)."""
    scene = build_scene()
    meeting = make_meeting(scene, title="Séance à valider")
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    meeting_url = f"{live_server.url}/reunions/{meeting.pk}/"

    login_in_browser(scene.local)
    page.goto(meeting_url)
    page.get_by_role("link", name="Demander des modifications").click()
    axe_check(page)
    page.get_by_label("Modifications demandées").fill("Ajouter un point sur la mobilité.")
    page.get_by_role("button", name="Envoyer la demande de modifications").click()
    expect(page.get_by_text("Ajouter un point sur la mobilité.")).to_be_visible()
    expect(page.get_by_role("link", name="Demander des modifications")).to_have_count(0)
    axe_check(page)
    sign_out(page)

    login_in_browser(scene.secretariat)
    page.goto(meeting_url)
    page.get_by_role("link", name=re.compile("Retirer le point 1")).click()
    expect(page.get_by_role("heading", name="Retirer un point de l'ordre du jour")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Retirer le point").click()
    expect(page.get_by_text("Le point est retiré de l'ordre du jour.")).to_be_visible()
