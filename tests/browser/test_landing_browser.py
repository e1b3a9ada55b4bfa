"""Each demo persona, from sign-in, finds what awaits them on their page and reaches each
pending item in one click (issue 13): the co-presidents (agenda, minutes, roadmap, audit
agreement) — the local authority's, and the State's (the préfet or his representative), who
still finds what the other co-president has already validated and completes it — the DDETS secretariat (meetings to prepare, answers missing, minutes to draft,
installations, mandates, late reports, audits), the DREETS agent (a regional meeting, an
invitation without answer), a member (answer owed, next meetings), the national admin
(invitations). axe-core finds no serious or critical violation, at 1280 px and at 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits.services import audits as audit_services
from committees.models import Level, StaffAssignment
from committees.services.committees import create_committee
from committees.services.staff import start_staff_assignment
from cte_portal.core.inbox import inbox_items
from cte_portal.users.services import invite_user
from meetings.models import Meeting
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.minutes import DRAFT_BLANK, approve_minutes, draft_minutes, update_minutes
from roadmaps.models import Roadmap
from roadmaps.services import lifecycle
from tests.audits.world import build_world, owe, request, vote
from tests.factories.committees import CommitteeFactory, MembershipFactory
from tests.factories.meetings import MeetingFactory, convene, make_meeting, move_to, start
from tests.roadmaps.world import build_roadmap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}


@pytest.fixture
def world(eager, media):
    w = build_world()
    scene = w.scene
    t = scene.territories
    today = timezone.localdate()
    # Co-presidents: an agenda to validate, minutes to approve, a roadmap, an audit agreement.
    submit_for_validation(meeting=make_meeting(scene, title="Séance à valider"), user=w.secretariat)
    held = start(convene(scene, make_meeting(scene, title="Séance tenue ce matin")))
    drafted = draft_minutes(meeting=held, user=w.secretariat)
    update_minutes(  # the secretariat completes the draft: the minutes can be approved
        minutes=drafted,
        user=w.secretariat,
        body=drafted.body.replace(DRAFT_BLANK, "les membres échangent."),
    )
    roadmap = build_roadmap(w.cde, w.secretariat, title="Feuille de route du Rhône")
    lifecycle.submit_roadmap(roadmap=roadmap, user=w.secretariat)
    audit = request(w, body=w.delegated)
    audit_services.record_vote(audit=audit, decision=vote(w, audit), user=w.secretariat)
    # Secretariat: a meeting to prepare, answers missing, minutes to draft, a committee to
    # install, a mandate ending, a late report, an audit request to put on an agenda.
    make_meeting(scene, title="Séance à préparer", days=40)
    convene(scene, make_meeting(scene, title="Séance convoquée", days=15))
    past = convene(scene, make_meeting(scene, title="Séance passée", days=3))
    move_to(past, today - timedelta(days=6))
    create_committee(
        level=Level.LOCAL, name="CLE en préparation", region=t.ara, departements=[t.d69]
    )
    MembershipFactory(
        committee=w.cde, mandate_end=today + timedelta(days=20), organisation="Mandat court"
    )
    owe(w, body=w.ft)
    request(w, body=w.cap)
    # DREETS: a regional meeting to prepare; an agent of the region invited, without answer.
    cre = CommitteeFactory(cre=True, region=t.ara, name="CRE Auvergne-Rhône-Alpes")
    MeetingFactory(committee=cre, user=w.dreets, title="Séance régionale à préparer", items=1)
    invited, _created = invite_user(
        email="invite@ddets69.gouv.fr", first_name="Inès", last_name="Vitée"
    )
    start_staff_assignment(
        user=invited, service=StaffAssignment.Service.DDETS, started_on=today, departement=t.d69
    )
    return w


def _inbox_links(page) -> list[tuple[str, str]]:
    links = page.locator("[data-testid^='inbox-'] a")
    return [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]


def _both_widths(page, axe_check, problems: list[str]) -> None:
    """axe at 1280 px and 390 px; what it finds is gathered, to report every page at once."""
    for size in (WIDE, NARROW):
        page.set_viewport_size(size)
        try:
            axe_check(page)
        except AssertionError as error:
            problems.append(f"{page.url} at {size['width']} px: {str(error).splitlines()[0]}")
    page.set_viewport_size(WIDE)


def _journey(page, live_server, user, login_in_browser, axe_check, *, expected: set[str]):
    """Sign in, land on the person's page, check it at both widths, then follow each pending
    item: one click from the landing page, a page that opens and passes axe."""
    page.set_viewport_size(WIDE)
    login_in_browser(user)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=f"Bonjour {user.first_name}", level=1)).to_be_visible()
    kinds = {
        testid.removeprefix("inbox-")
        for testid in page.locator("[data-testid^='inbox-']").evaluate_all(
            "cards => cards.map(c => c.dataset.testid)"
        )
    }
    assert expected <= kinds, expected - kinds
    problems: list[str] = []
    _both_widths(page, axe_check, problems)
    links = _inbox_links(page)
    assert links
    for index, (text, href) in enumerate(links):
        page.goto(f"{live_server.url}/")
        link = page.locator("[data-testid^='inbox-'] a").nth(index)
        with page.expect_navigation() as navigation:
            link.click()  # the one click from the landing page
        assert navigation.value.ok, f"{text} → {href}: {navigation.value.status}"
        assert page.url.split("#")[0] == f"{live_server.url}{href.split('#')[0]}"
        expect(page.locator("h1").first).to_be_visible()
        _both_widths(page, axe_check, problems)
    assert problems == [], "\n".join(problems)


def test_a_copresident_validates_and_approves_from_their_page(
    world, live_server, page, login_in_browser, axe_check
):
    _journey(
        page,
        live_server,
        world.local,
        login_in_browser,
        axe_check,
        expected={"meeting_validation", "minutes_approval", "roadmap_approval", "audit_agreement"},
    )


def test_the_ddets_secretariat_prepares_and_follows_up_from_their_page(
    world, live_server, page, login_in_browser, axe_check
):
    _journey(
        page,
        live_server,
        world.secretariat,
        login_in_browser,
        axe_check,
        expected={
            "meeting_preparation",
            "answers_missing",
            "minutes_to_draft",
            "minutes_waiting",
            "installation",
            "mandates",
            "reports_late",
            "audit_to_schedule",
            "audit_agreement_to_record",
        },
    )


def test_the_dreets_agent_finds_the_regional_work_and_the_invitations(
    world, live_server, page, login_in_browser, axe_check
):
    _journey(
        page,
        live_server,
        world.dreets,
        login_in_browser,
        axe_check,
        expected={"meeting_preparation", "invitations"},
    )


def test_a_member_answers_from_their_page(world, live_server, page, login_in_browser, axe_check):
    _journey(
        page,
        live_server,
        world.voter,
        login_in_browser,
        axe_check,
        expected={"answer_owed", "next_meetings"},
    )
    # The answer owed leads straight to the answer form.
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("inbox-answer_owed").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Répondre")


def test_the_admin_follows_the_invitations_from_their_page(
    world, live_server, page, login_in_browser, axe_check
):
    _journey(page, live_server, world.admin, login_in_browser, axe_check, expected={"invitations"})
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("inbox-invitations").get_by_role("link").click()
    expect(
        page.get_by_role("cell", name="Invitation envoyée, mot de passe non choisi").first
    ).to_be_visible()


APPROVALS = {"meeting_validation", "minutes_approval", "roadmap_approval", "audit_agreement"}


@pytest.fixture
def local_side_done(world):
    """The local authority's co-president has validated the agenda, approved the minutes
    (completed by the secretariat) and the roadmap: each now waits for the State side only."""
    meeting = Meeting.objects.get(title="Séance à valider")
    validate_meeting(meeting=meeting, user=world.local)
    minutes = Meeting.objects.get(title="Séance tenue ce matin").minutes
    minutes = update_minutes(
        minutes=minutes,
        user=world.secretariat,
        body=minutes.body.replace(DRAFT_BLANK, "les membres échangent."),
    )
    approve_minutes(minutes=minutes, user=world.local)
    roadmap = Roadmap.objects.get(title="Feuille de route du Rhône")
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.local)
    # The local co-president's page keeps only the audit agreement among the approvals.
    local_kinds = {item.kind for item in inbox_items(world.local)}
    assert local_kinds & APPROVALS == {"audit_agreement"}
    return world


def _row(page, table: str, office: str):
    """The row of ``office`` (a co-presidency) in the table captioned ``table``."""
    rows = page.get_by_role("table", name=table).get_by_role("row")
    return rows.filter(has=page.get_by_role("rowheader", name=office))


def _open_from_landing(page, live_server, kind: str, title: str) -> None:
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_test_id(f"inbox-{kind}").get_by_role("link", name=title).click()


def test_the_state_copresident_completes_what_the_local_side_validated(
    local_side_done, live_server, page, login_in_browser, axe_check
):
    world = local_side_done
    state, local = "Préfète du Rhône", "Président du conseil départemental"
    _journey(page, live_server, world.state, login_in_browser, axe_check, expected=APPROVALS)

    # The agenda: the local side has validated, the préfète's validation sends the convocation.
    _open_from_landing(page, live_server, "meeting_validation", "Séance à valider")
    validations = "Validations des co-présidents"
    expect(_row(page, validations, local)).to_contain_text("Validée le")
    expect(_row(page, validations, state)).to_contain_text("En attente")
    page.get_by_role("button", name="Valider l'ordre du jour et la convocation").click()
    expect(page.get_by_text("la convocation est envoyée aux personnes convoquées")).to_be_visible()
    expect(_row(page, validations, state)).to_contain_text("Validée le")

    # The minutes: hers is the last approval.
    _open_from_landing(page, live_server, "minutes_approval", "Séance tenue ce matin")
    approvals = "Approbations des co-présidents"
    expect(_row(page, approvals, local)).to_contain_text("Approuvé le")
    expect(_row(page, approvals, state)).to_contain_text("En attente")
    page.get_by_role("button", name="Approuver le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est approuvé : son PDF")).to_be_visible()
    expect(_row(page, approvals, state)).to_contain_text("Approuvé le")

    # The roadmap: the local side approved in this round, the State side completes it.
    _open_from_landing(page, live_server, "roadmap_approval", "Feuille de route du Rhône")
    board = "Décisions des co-présidents (tour en cours)"
    expect(_row(page, board, local)).to_contain_text("Approuvée")
    expect(_row(page, board, state)).to_contain_text("En attente")
    page.get_by_role("button", name="Approuver la feuille de route").click()
    expect(page.get_by_text("Votre approbation est enregistrée.")).to_be_visible()
    expect(_row(page, board, state)).to_contain_text("Approuvée")

    # Back on her page: only the audit awaiting the Département's agreement remains to watch.
    page.goto(f"{live_server.url}/")
    approve = page.locator("section[aria-labelledby='approve']")
    expect(approve.locator("[data-testid^='inbox-']")).to_have_count(1)
    expect(approve.get_by_test_id("inbox-audit_agreement")).to_contain_text("Rhône Insertion")
    assert Meeting.objects.get(title="Séance à valider").status == Meeting.Status.CONVENED
    assert Roadmap.objects.get(title="Feuille de route du Rhône").status == (
        Roadmap.Status.APPROVED
    )
