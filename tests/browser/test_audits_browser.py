"""An audit in a real browser (INS-AUDIT, INS-CONSENSUS): a CLE co-president refers a request
to the CDE; the CDE's secretariat finds it in the inbox and puts it on a meeting's agenda; the
meeting votes (the meetings' screens, DEC-MAJORITY); the secretariat records the vote, starts
the audit and records the report; the audited body's user then sees their audit. The reports,
commitments and bodies pages are visited too. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from audits.models import Audit
from audits.workflow import State
from meetings.models import Invitation
from meetings.services.attendance import AttendanceEntry, record_attendance
from tests.audits.world import build_world
from tests.factories.meetings import convene, make_meeting, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(eager, media):
    world = build_world()
    world.meeting = make_meeting(world.scene, items=0, title="Séance plénière de printemps")
    return world


def sign_out(page):
    page.context.clear_cookies()


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(text))


def test_referral_inbox_vote_and_audit(world, live_server, page, login_in_browser, axe_check):
    base = live_server.url

    # 1. The CLE's co-president refers a request to the CDE.
    login_in_browser(world.cle_a_chair)
    page.goto(f"{base}/audits/")
    heading(page, "Audits et comptes rendus")
    axe_check(page)
    page.get_by_role("link", name="Audits — CLE Villefranche").click()
    heading(page, "Audits — CLE Villefranche")
    axe_check(page)
    page.get_by_role("link", name="Saisir le comité départemental").click()
    heading(page, "Saisir le comité départemental")
    axe_check(page)
    page.locator("#id_audited_body").select_option(label="Mission locale Beaujolais")
    page.locator("#id_scope_missions").fill("Repérage et accompagnement des jeunes")
    page.locator("#id_facts").fill("Aucun atelier collectif depuis six mois à Tarare.")
    page.get_by_role("button", name="Transmettre la saisine").click()
    expect(page.get_by_text("La saisine est transmise")).to_be_visible()
    heading(page, "Audit n° .* — Mission locale Beaujolais")
    axe_check(page)
    audit = Audit.objects.get()
    assert audit.requesting_committee == world.cle_a
    sign_out(page)

    # 2. The CDE's secretariat finds it in the inbox and puts it on a meeting's agenda.
    login_in_browser(world.secretariat)
    page.goto(f"{base}/audits/comite/{world.cde.pk}/")
    axe_check(page)
    inbox = page.get_by_role("table", name=re.compile("Saisines en attente"))
    inbox.get_by_role("link", name=f"Audit n° {audit.pk}").click()
    axe_check(page)
    page.get_by_role("link", name="Inscrire à l'ordre du jour d'une réunion").click()
    axe_check(page)
    page.locator("#id_meeting").select_option(index=1)
    page.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    expect(page.get_by_text(re.compile("le comité la votera en séance"))).to_be_visible()
    audit.refresh_from_db()
    item = audit.agenda_item
    assert item.is_audit_request and item.meeting == world.meeting

    # 3. The co-presidents validate the agenda, the meeting takes place, everyone attends…
    meeting = start(convene(world.scene, world.meeting))
    record_attendance(
        meeting=meeting,
        user=world.secretariat,
        entries=[
            AttendanceEntry(invitation_id=i.pk, attendance=Invitation.Attendance.PRESENT)
            for i in meeting.invitations.all()
        ],
    )
    # …and the committee votes on the request on the meetings' screen (always a vote).
    page.goto(f"{base}/reunions/{meeting.pk}/points/{item.pk}/decision/")
    axe_check(page)
    page.get_by_label("Texte de la décision").fill("Le comité demande l'audit.")
    for invitation in meeting.invitations.filter(votes__gt=0).select_related("person"):
        page.get_by_label(f"Vote de {invitation.person.get_full_name()}").select_option("for")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("La décision est enregistrée.")).to_be_visible()

    # 4. The secretariat records the vote on the file: the request is accepted.
    page.goto(f"{base}/audits/{audit.pk}/")
    page.get_by_role("link", name="Enregistrer le vote du comité").click()
    heading(page, "Enregistrer le vote")
    axe_check(page)
    page.locator("#id_decision").select_option(index=1)
    page.get_by_role("button", name="Enregistrer le vote").click()
    expect(page.get_by_text("Le vote est enregistré")).to_be_visible()
    expect(page.get_by_role("table", name="Résultat du vote")).to_contain_text("Adoptée")
    axe_check(page)

    # 5. The audit starts, then its report is delivered.
    page.get_by_role("link", name="Démarrer l'audit").click()
    axe_check(page)
    page.locator("#id_auditor").fill("Inspection générale des affaires sociales")
    page.locator("#id_started_on").fill(meeting.date.isoformat())
    page.get_by_role("button", name="Démarrer l'audit").click()
    expect(page.get_by_text("L'audit est démarré.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Enregistrer la remise du rapport").click()
    axe_check(page)
    page.locator("#id_document").set_input_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.locator("#id_delivered_on").fill(meeting.date.isoformat())
    page.get_by_role("button", name="Enregistrer la remise du rapport").click()
    expect(page.get_by_text("Le rapport est enregistré")).to_be_visible()
    axe_check(page)
    assert Audit.objects.get().state == State.REPORT_DELIVERED

    # The other pages of the section.
    for path in (
        "/audits/comptes-rendus/",
        f"/audits/comite/{world.cde.pk}/comptes-rendus/",
        f"/audits/comite/{world.cde.pk}/engagements/",
        "/audits/organismes/",
        f"/audits/organismes/{world.ml.pk}/",
    ):
        page.goto(f"{base}{path}")
        axe_check(page)
    sign_out(page)

    # 6. The audited body's user now sees their audit; the CLE follows its referral.
    login_in_browser(world.ml_user)
    page.goto(f"{base}/audits/")
    page.get_by_role("link", name=f"Audit n° {audit.pk}").click()
    expect(page.get_by_role("link", name="Télécharger le rapport")).to_be_visible()
    axe_check(page)
    sign_out(page)
    login_in_browser(world.cle_a_chair)
    page.goto(f"{base}/audits/{audit.pk}/")
    expect(page.get_by_role("table", name="Étapes franchies")).to_contain_text(
        "Enregistrer la remise du rapport"
    )
