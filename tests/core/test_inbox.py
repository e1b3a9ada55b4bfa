"""The landing page's inbox (issue 13): each person finds what awaits them — co-presidents what
to validate or approve (DEC-JOINT, INS-ROADMAP, INS-AUDIT), the secretariat what to prepare and
follow up, members their answers owed (DEC-PROXY) and next meetings — on ``/`` and in the API
(``/api/v1/me/inbox/``), with a flat query budget."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import BodyKind
from audits.services import audits as audit_services
from audits.services.bodies import create_network_body
from committees.models import Level
from committees.services.committees import create_committee
from cte_portal.core.inbox import inbox_for, inbox_items
from meetings.services import minutes as minutes_service
from meetings.services.answers import answer_convocation
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.minutes import approve_minutes
from roadmaps.services import lifecycle
from tests.audits.world import build_world, owe, request, vote
from tests.clients import login
from tests.factories.committees import MembershipFactory
from tests.factories.meetings import convene, drafted_minutes, make_meeting, move_to, start
from tests.roadmaps.world import build_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, eager, media):
    return build_world()


def kinds(user) -> dict[str, list[str]]:
    """kind → titles of the items of ``user``."""
    found: dict[str, list[str]] = {}
    for item in inbox_items(user):
        found.setdefault(item.kind, []).append(item.title)
    return found


# --- Co-presidents (DEC-JOINT) ------------------------------------------------------------------


def test_an_agenda_awaits_each_copresident_until_they_validate_it(world):
    """DEC-JOINT: the agenda and convocation wait for each co-president, until they validate
    the current version; the secretariat does not validate (nothing in their approvals)."""
    meeting = make_meeting(world.scene, title="Séance de janvier")
    assert "meeting_validation" not in kinds(world.state)  # a draft is not submitted yet
    submit_for_validation(meeting=meeting, user=world.secretariat)
    assert kinds(world.state)["meeting_validation"] == ["Séance de janvier"]
    assert kinds(world.local)["meeting_validation"] == ["Séance de janvier"]
    assert "meeting_validation" not in kinds(world.secretariat)
    assert "meeting_validation" not in kinds(world.voter)

    validate_meeting(meeting=meeting, user=world.state)
    assert "meeting_validation" not in kinds(world.state)
    assert kinds(world.local)["meeting_validation"] == ["Séance de janvier"]


def test_minutes_await_each_copresident_until_they_approve_them(world):
    """DEC-JOINT: drafted minutes wait for each co-president's approval of their version."""
    meeting = start(convene(world.scene, make_meeting(world.scene, title="Séance tenue")))
    drafted_minutes(world, meeting)  # the blanks of the draft completed
    assert kinds(world.state)["minutes_approval"] == ["Séance tenue"]
    assert kinds(world.secretariat)["minutes_waiting"] == ["Séance tenue"]
    approve_minutes(minutes=meeting.minutes, user=world.state)
    assert "minutes_approval" not in kinds(world.state)
    assert kinds(world.local)["minutes_approval"] == ["Séance tenue"]


def test_minutes_still_being_drafted_await_the_secretariat_not_the_copresidents(world):
    """Minutes holding blanks cannot be approved: the co-presidents are not asked to; the
    secretariat sees them to complete, then waiting for approval once completed."""
    meeting = start(convene(world.scene, make_meeting(world.scene, title="Séance tenue")))
    draft = minutes_service.draft_minutes(meeting=meeting, user=world.secretariat)
    assert "minutes_approval" not in kinds(world.state)
    assert "minutes_approval" not in kinds(world.local)
    assert kinds(world.secretariat)["minutes_to_complete"] == ["Séance tenue"]
    assert "minutes_waiting" not in kinds(world.secretariat)
    minutes_service.update_minutes(
        minutes=draft,
        user=world.secretariat,
        body=draft.body.replace(minutes_service.DRAFT_BLANK, "les membres échangent."),
    )
    assert kinds(world.state)["minutes_approval"] == ["Séance tenue"]
    assert kinds(world.secretariat)["minutes_waiting"] == ["Séance tenue"]
    assert "minutes_to_complete" not in kinds(world.secretariat)


def test_a_submitted_roadmap_awaits_each_copresident_then_the_secretariat(world):
    """INS-ROADMAP: a submitted roadmap waits for each co-president's decision; a request for
    changes sends it back to the secretariat, and so does an approval by all (to publish)."""
    roadmap = build_roadmap(world.cde, world.secretariat, title="Feuille de route du Rhône")
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.secretariat)
    assert kinds(world.state)["roadmap_approval"] == ["Feuille de route du Rhône"]
    lifecycle.request_changes(roadmap=roadmap, user=world.state, comment="Chiffrer l'axe 1.")
    assert "roadmap_approval" not in kinds(world.state)
    assert kinds(world.local)["roadmap_approval"] == ["Feuille de route du Rhône"]
    assert kinds(world.secretariat)["roadmap_changes"] == ["Feuille de route du Rhône"]


def test_an_audit_awaiting_the_authoritys_agreement_shows_to_copresidents_and_secretariat(world):
    """INS-AUDIT: an audit of a body delegated by a local authority waits for its agreement:
    the co-presidents see it to approve, the secretariat sees the agreement to record."""
    audit = request(world, body=world.delegated)
    assert audit.requires_agreement
    assert kinds(world.secretariat)["audit_to_schedule"] == [str(audit)]
    audit_services.record_vote(audit=audit, decision=vote(world, audit), user=world.secretariat)
    audit.refresh_from_db()
    assert kinds(world.state)["audit_agreement"] == [str(audit)]
    assert kinds(world.secretariat)["audit_agreement_to_record"] == [str(audit)]
    # Confidential (INS-AUDIT): a member of the committee does not see it.
    assert "audit_agreement" not in kinds(world.voter)


# --- Secretariat ----------------------------------------------------------------------------------


def test_the_secretariat_sees_meetings_to_prepare_answers_missing_minutes_to_draft(world):
    scene = world.scene
    make_meeting(scene, title="À préparer")
    convene(scene, make_meeting(scene, title="Convoquée", days=10))
    held = convene(scene, make_meeting(scene, title="Tenue", days=5))
    move_to(held, timezone.localdate() - timedelta(days=3))
    found = kinds(world.secretariat)
    assert "À préparer" in found["meeting_preparation"]
    assert found["answers_missing"] == ["Convoquée"]
    assert found["minutes_to_draft"] == ["Tenue"]
    # The DDETS agent of another département sees none of it.
    other = kinds(world.ddets_ain)
    assert not {"meeting_preparation", "answers_missing", "minutes_to_draft"} & set(other)


def test_the_secretariat_sees_installations_mandates_to_renew_and_late_reports(world):
    """INS-INSTALL, DEC-MANDATE, INS-REPORTING: committees to install, mandates ending within
    the warning delay, reports owed to their committees that are late."""
    t = world.scene.territories
    draft = create_committee(
        level=Level.LOCAL, name="CLE en préparation", region=t.ara, departements=[t.d69]
    )
    assert draft.status == draft.Status.DRAFT
    ending = timezone.localdate() + timedelta(days=20)
    MembershipFactory(committee=world.cde, mandate_end=ending, organisation="Fin proche")
    owe(world, body=world.ft)  # a year of quarters, none received
    found = kinds(world.secretariat)
    assert "CLE en préparation" in found["installation"]
    assert found["mandates"] == ["CDE du Rhône"]
    assert len(found["reports_late"]) == 1
    assert "reports_late" not in kinds(world.ddets_ain)


# --- Members (DEC-PROXY) ---------------------------------------------------------------------------


def test_a_member_owes_an_answer_until_they_give_it_and_sees_their_next_meetings(world):
    meeting = convene(world.scene, make_meeting(world.scene, title="Séance de mars"))
    found = kinds(world.voter)
    assert found["answer_owed"] == ["Séance de mars"]
    assert found["next_meetings"] == ["Séance de mars"]
    invitation = meeting.invitations.get(person=world.voter)
    answer_convocation(invitation=invitation, answer="present")
    found = kinds(world.voter)
    assert "answer_owed" not in found
    assert found["next_meetings"] == ["Séance de mars"]
    # Someone not convened owes nothing.
    assert inbox_items(world.outsider) == []


# --- Pages and API -----------------------------------------------------------------------------------


def test_the_landing_page_links_each_pending_item(client, world):
    meeting = make_meeting(world.scene, title="Séance à valider")
    submit_for_validation(meeting=meeting, user=world.secretariat)
    response = login(client, world.state).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["total"] == sum(s.count for s in response.context["sections"])
    html = response.content.decode()
    assert "Ordres du jour et convocations à valider" in html
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}#validation"' in html
    # The link leads to the page where the co-president validates.
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert reverse("meetings:validate", args=[meeting.pk]) in page.content.decode()


def test_sign_in_lands_on_the_persons_page(client, world, password):
    response = client.post(reverse("login"), {"username": world.state.email, "password": password})
    assert response.status_code == 302 and response.url == reverse("home")
    page = client.get(response.url)
    assert "core/my_page.html" in [template.name for template in page.templates]


def test_an_empty_inbox_says_so(client, world):
    response = login(client, world.outsider).get(reverse("home"))
    assert response.context["sections"] == []
    assert "Rien ne vous attend pour le moment" in response.content.decode()


def test_the_api_gives_the_same_list(client, world):
    meeting = make_meeting(world.scene, title="Séance à valider")
    submit_for_validation(meeting=meeting, user=world.secretariat)
    data = login(client, world.state).get("/api/v1/me/inbox/").json()
    sections = {s["key"]: s for s in data["sections"]}
    group = next(g for g in sections["approve"]["groups"] if g["kind"] == "meeting_validation")
    assert group["count"] == 1
    assert group["items"][0]["title"] == "Séance à valider"
    assert group["items"][0]["url"].startswith(reverse("meetings:detail", args=[meeting.pk]))
    expected = inbox_for(world.state)
    assert data["count"] == sum(s.count for s in expected)


def test_the_api_inbox_needs_a_signed_in_user(client):
    assert client.get("/api/v1/me/inbox/").status_code in (401, 403)


def _grow(world, size: int) -> None:
    """``size`` more committees with pending items of every kind for the same people."""
    t = world.scene.territories
    for index in range(size):
        create_committee(
            level=Level.LOCAL, name=f"CLE {size}-{index}", region=t.ara, departements=[t.d69]
        )
        MembershipFactory(
            committee=world.cde,
            mandate_end=timezone.localdate() + timedelta(days=10 + index),
            organisation=f"Organisme {size}-{index}",
        )
        make_meeting(world.scene, title=f"Brouillon {size}-{index}")
        submitted = make_meeting(world.scene, title=f"À valider {size}-{index}")
        submit_for_validation(meeting=submitted, user=world.secretariat)
        convene(world.scene, make_meeting(world.scene, title=f"Convoquée {size}-{index}"))
        held = convene(world.scene, make_meeting(world.scene, title=f"Tenue {size}-{index}"))
        move_to(held, timezone.localdate() - timedelta(days=2 + index))
        body = create_network_body(
            name=f"Mission locale {size}-{index}", kind=BodyKind.MISSION_LOCALE, departement=t.d69
        )
        owe(world, body=body)


@pytest.mark.parametrize("persona", ["state", "secretariat", "voter", "admin", "dreets"])
def test_the_inbox_has_a_flat_query_budget(client, world, persona):
    """At most 15 queries for the landing page and the API, the same with 1 and 6 times the
    pending items, whatever the role."""
    user = getattr(world, persona)
    login(client, user)
    _grow(world, 1)
    for url in ("/", "/api/v1/me/inbox/"):
        client.get(url)  # warm (content types, session)
    counts = {}
    for size in (None, 5):
        if size:
            _grow(world, size)
            for url in ("/", "/api/v1/me/inbox/"):
                client.get(url)  # warm again: the writes renewed the menu flags' generation
        for url in ("/", "/api/v1/me/inbox/"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts.setdefault(url, []).append(len(queries.captured_queries))
    for url, (small, large) in counts.items():
        assert small <= 15, f"{url}: {small} queries"
        assert large == small, f"{url}: {small} → {large} queries"
