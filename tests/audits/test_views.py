"""The audit screens: the referral → vote → audit path through the forms, each action refused
to whoever may not take it (403 on a visible file, 404 on a foreign one, nothing changed), the
rules' refusals shown on the form, and flat query budgets on the lists."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audits.models import Audit, AuditDocument, AuthorityAgreement, NetworkBody, Recommendation
from audits.services import audits as services
from audits.services.bodies import create_network_body
from audits.workflow import State
from meetings.services.attendance import AttendanceEntry, record_attendance
from meetings.services.decisions import record_decision
from tests.audits.world import (
    accepted,
    delivered,
    held_meeting_with,
    pdf,
    recommend,
    referral,
    request,
    today,
    vote,
)
from tests.clients import login
from tests.factories.meetings import convene, make_meeting, start

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    return " ".join(m for messages in response.context["form"].errors.values() for m in messages)


def state_of(audit) -> str:
    return Audit.objects.get(pk=audit.pk).state


# --- The path, through the screens ---------------------------------------------------------------


def test_referral_inbox_schedule_vote_start_report_recommendation_close(world, client):
    # The CLE's co-president refers a request to the CDE.
    login(client, world.cle_a_chair)
    url = reverse("audits:create", args=[world.cle_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].fields["audited_body"].queryset) == {
        world.ft,
        world.ml,
        world.cap,
        world.delegated,
    }  # never the conseil départemental, never the Ain's Mission locale (INS-AUDIT)
    response = client.post(
        url,
        {
            "audited_body": world.ml.pk,
            "scope_missions": "Accompagnement des jeunes",
            "facts": "Aucun atelier depuis six mois.",
            "document_title": "Relevé",
            "document": pdf("releve.pdf"),
        },
    )
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == audit.get_absolute_url()
    assert audit.requesting_committee == world.cle_a and audit.committee == world.cde
    assert AuditDocument.objects.get().title == "Relevé"

    # The CDE's secretariat finds it in the inbox and puts it on a meeting's agenda.
    login(client, world.secretariat)
    inbox = client.get(reverse("audits:committee", args=[world.cde.pk]))
    assert [a.pk for a in inbox.context["inbox"]] == [audit.pk]
    meeting = make_meeting(world.scene, items=0)
    response = client.post(reverse("audits:schedule", args=[audit.pk]), {"meeting": meeting.pk})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.agenda_item.meeting == meeting and audit.agenda_item.is_audit_request

    # The meeting votes (the meetings' screens), then the secretariat records the vote here.

    start(convene(world.scene, meeting))

    record_attendance(
        meeting=meeting,
        user=world.secretariat,
        entries=[
            AttendanceEntry(invitation_id=i.pk, attendance="present")
            for i in meeting.invitations.all()
        ],
    )
    decision = record_decision(
        agenda_item=audit.agenda_item,
        user=world.secretariat,
        text="Le comité demande l'audit.",
        ballots={i.pk: "for" for i in meeting.invitations.filter(votes__gt=0)},
    )
    page = client.get(reverse("audits:vote", args=[audit.pk]))
    assert list(page.context["form"].fields["decision"].queryset) == [decision]
    response = client.post(reverse("audits:vote", args=[audit.pk]), {"decision": decision.pk})
    assert response.status_code == 302 and state_of(audit) == State.ACCEPTED

    # The audit starts, the report is delivered, a recommendation followed, the file closed.
    response = client.post(
        reverse("audits:start", args=[audit.pk]),
        {"auditor": "IGAS", "started_on": today().isoformat()},
    )
    assert response.status_code == 302 and state_of(audit) == State.IN_PROGRESS
    response = client.post(
        reverse("audits:report", args=[audit.pk]),
        {"document": pdf("rapport.pdf"), "delivered_on": today().isoformat(), "summary": "Bilan"},
    )
    assert response.status_code == 302 and state_of(audit) == State.REPORT_DELIVERED
    response = client.post(
        reverse("audits:recommendation_add", args=[audit.pk]),
        {
            "text": "Rouvrir les ateliers collectifs.",
            "responsible_body": world.ml.pk,
            "due_on": (today() + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert client.post(reverse("audits:follow_up", args=[audit.pk])).status_code == 302
    assert state_of(audit) == State.FOLLOW_UP

    # The audited body brings the evidence; the secretariat closes the file.
    login(client, world.ml_user)
    response = client.post(
        reverse("audits:recommendation_edit", args=[recommendation.pk]),
        {"status": "done", "evidence": "Deux ateliers par mois depuis mars."},
    )
    assert response.status_code == 302
    login(client, world.secretariat)
    response = client.post(reverse("audits:close", args=[audit.pk]), {"note": "Soldé."})
    assert response.status_code == 302 and state_of(audit) == State.CLOSED

    # The CLE follows the fate of its referral.
    login(client, world.cle_a_chair)
    page = client.get(audit.get_absolute_url())
    names = [e.name for e in page.context["events"]]
    assert names[0] == "request" and names[-1] == "close"
    assert "Clôturé" in page.content.decode()


def test_the_delegated_body_file_shows_the_agreement_step(world, client):
    audit = accepted(world, request(world, world.delegated))
    login(client, world.secretariat)
    page = client.get(audit.get_absolute_url())
    assert page.context["can_record_agreement"]
    assert [s["label"] for s in page.context["steps"] if s["current"]] == [
        State.AGREEMENT_PENDING.label
    ]
    # Starting without the agreement: the rule is shown, nothing changes.
    response = client.post(
        reverse("audits:start", args=[audit.pk]),
        {"auditor": "IGAS", "started_on": today().isoformat()},
    )
    assert response.status_code == 200
    assert "ne peut démarrer avant que l'accord" in errors(response)
    assert state_of(audit) == State.AGREEMENT_PENDING
    # An agreement on the principle only is refused; with the modalities it is recorded.
    url = reverse("audits:agreement", args=[audit.pk])
    fields = {
        "authority": "Département du Rhône",
        "principle_agreed": "on",
        "given_on": today().isoformat(),
        "document": pdf("accord.pdf"),
    }
    response = client.post(url, fields)
    assert response.status_code == 200
    assert "sur les modalités" in errors(response)
    assert not AuthorityAgreement.objects.exists()
    response = client.post(url, {**fields, "modalities_agreed": "on", "document": pdf()})
    assert response.status_code == 302 and AuthorityAgreement.objects.exists()
    response = client.post(
        reverse("audits:start", args=[audit.pk]),
        {"auditor": "IGAS", "started_on": today().isoformat()},
    )
    assert response.status_code == 302 and state_of(audit) == State.IN_PROGRESS


# --- Refusals: 404 foreign, 403 forbidden, rule messages, nothing changed -----------------------


def test_a_request_or_a_referral_is_filed_only_by_whom_may(world, client):
    cases = [
        (world.voter, world.cde, 403),  # a member sees the CDE but does not request
        (world.dreets, world.cde, 403),
        (world.ft_user, world.cde, 404),  # a body's user does not see the committee
        (world.ddets_ain, world.cde, 404),
        (world.cle_b_chair, world.cle_a, 404),
        (world.state, world.cde, 200),  # a CDE co-president requests
        (world.cle_a_local_chair, world.cle_a, 200),
    ]
    for user, committee, status in cases:
        login(client, user)
        url = reverse("audits:create", args=[committee.pk])
        assert client.get(url).status_code == status, (user, committee)
        response = client.post(
            url, {"audited_body": world.ft.pk, "scope_missions": "x", "facts": "y"}
        )
        assert response.status_code == (302 if status == 200 else status), (user, committee)
    assert Audit.objects.count() == 2


def test_the_rule_refusal_is_shown_on_the_request_form(world, client):
    login(client, world.secretariat)
    url = reverse("audits:create", args=[world.cde.pk])
    response = client.post(url, {"audited_body": world.cd.pk, "scope_missions": "x", "facts": "y"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Audit.objects.exists()
    response = client.post(url, {"audited_body": world.ft.pk, "scope_missions": " ", "facts": "y"})
    assert response.status_code == 200
    assert not Audit.objects.exists()


@pytest.mark.parametrize(
    "persona", ["state", "local", "cle_a_chair", "voter", "dreets", "ddets_ain", "outsider"]
)
def test_only_the_cde_secretariat_runs_the_file(world, client, persona):
    audit = referral(world)
    meeting = make_meeting(world.scene, items=0)
    sees = persona in ("state", "local", "cle_a_chair")
    expected = 403 if sees else 404
    login(client, getattr(world, persona))
    posts = [
        ("audits:schedule", {"meeting": meeting.pk}),
        ("audits:vote", {"decision": 1}),
        ("audits:agreement", {}),
        ("audits:start", {"auditor": "x", "started_on": today().isoformat()}),
        ("audits:report", {}),
        ("audits:follow_up", {}),
        ("audits:close", {}),
        ("audits:recommendation_add", {"text": "x"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[audit.pk]), data).status_code == expected, name
    assert state_of(audit) == State.REQUESTED
    assert audit.events.count() == 1 and not meeting.agenda_items.exists()


def test_a_body_user_updates_only_their_body_recommendations(world, client):
    audit = delivered(world)
    own = recommend(world, audit)
    other = recommend(world, audit, body=world.cap)
    login(client, world.ft_user)
    assert client.get(audit.get_absolute_url()).status_code == 200
    url = reverse("audits:recommendation_edit", args=[other.pk])
    assert client.post(url, {"status": "done", "evidence": "x"}).status_code == 403
    assert client.post(reverse("audits:close", args=[audit.pk])).status_code == 403
    response = client.post(
        reverse("audits:recommendation_edit", args=[own.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=other.pk).status == "open"
    assert Recommendation.objects.get(pk=own.pk).status == "in_progress"
    login(client, world.ml_user)  # not their audit
    assert client.post(url, {"status": "done", "evidence": "x"}).status_code == 404


def test_a_step_out_of_its_state_is_refused_and_changes_nothing(world, client):
    audit = request(world)
    login(client, world.secretariat)
    for name in ("audits:start", "audits:report", "audits:close", "audits:agreement"):
        response = client.post(reverse(name, args=[audit.pk]), {})
        assert response.status_code == 302, name
    response = client.post(reverse("audits:follow_up", args=[audit.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Étape impossible" in m for m in messages)
    assert state_of(audit) == State.REQUESTED and audit.events.count() == 1


def test_the_vote_form_offers_only_the_votes_on_the_scheduled_item(world, client):
    audit = request(world)
    other = request(world, world.ml)
    decision = vote(world, other)
    held_meeting_with(world, audit)
    login(client, world.secretariat)
    page = client.get(reverse("audits:vote", args=[audit.pk]))
    assert list(page.context["form"].fields["decision"].queryset) == []
    response = client.post(reverse("audits:vote", args=[audit.pk]), {"decision": decision.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert state_of(audit) == State.REQUESTED


# --- Every page renders, for each reader ---------------------------------------------------------


def test_every_audit_page_renders(world, client):
    audit = delivered(world, referral(world))
    recommendation = recommend(world, audit)
    services.add_audit_document(audit=audit, user=world.secretariat, title="Annexe", file=pdf())
    login(client, world.secretariat)
    for url in (
        reverse("audits:index"),
        reverse("audits:index") + "?etat=report_delivered",
        reverse("audits:committee", args=[world.cde.pk]),
        reverse("audits:committee", args=[world.cle_a.pk]),
        reverse("audits:create", args=[world.cde.pk]),
        audit.get_absolute_url(),
        reverse("audits:recommendation_add", args=[audit.pk]),
        reverse("audits:recommendation_edit", args=[recommendation.pk]),
        reverse("audits:document_add", args=[audit.pk]),
        reverse("audits:close", args=[audit.pk]),
        reverse("audits:bodies"),
        reverse("audits:body_create"),
        reverse("audits:body", args=[world.ml.pk]),
    ):
        assert client.get(url).status_code == 200, url
    for user in (world.cle_a_chair, world.ml_user, world.admin):
        login(client, user)
        assert client.get(audit.get_absolute_url()).status_code == 200


# --- Query budgets ----------------------------------------------------------------------------


def _many_requests(world, factor):
    bodies = [world.ft, world.ml, world.cap, world.delegated]
    for number in range(3 * factor):
        request(world, bodies[number % 4])
        referral(world, world.cle_a if number % 2 else world.cle_b, body=bodies[number % 4])


@pytest.mark.parametrize("factor", [1, 10])
def test_the_audit_lists_have_flat_query_budgets(
    world, client, factor, django_assert_max_num_queries
):
    _many_requests(world, factor)
    login(client, world.secretariat)
    # session, user, manage and copreside ids, the user's bodies, count, page, committees.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audits:index")).status_code == 200
    # + the committee and its guardian checks, the inbox
    with django_assert_max_num_queries(16):
        assert client.get(reverse("audits:committee", args=[world.cde.pk])).status_code == 200
    login(client, world.cle_a_chair)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("audits:committee", args=[world.cle_a.pk])).status_code == 200


@pytest.mark.parametrize("factor", [1, 10])
def test_the_file_has_a_flat_query_budget(world, client, factor, django_assert_max_num_queries):
    audit = delivered(world, referral(world))
    for _ in range(factor):
        recommend(world, audit)
        services.add_audit_document(audit=audit, user=world.secretariat, title="Pièce", file=pdf())
    login(client, world.secretariat)
    with django_assert_max_num_queries(30):
        assert client.get(audit.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("factor", [1, 10])
def test_the_bodies_list_has_a_flat_query_budget(
    world, client, factor, django_assert_max_num_queries
):

    for number in range(5 * factor):
        create_network_body(
            name=f"Mission locale {number}",
            kind="mission_locale",
            departement=world.cde.departements.get(),
        )
    login(client, world.secretariat)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("audits:bodies")).status_code == 200
    assert NetworkBody.objects.count() > 5 * factor
