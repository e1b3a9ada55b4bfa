"""INS-AUDIT: the delegating authority refuses its agreement. The audit never starts; the file
moves to « accord refusé », keeps the reason, and unlocks two ways out: new modalities submitted
to the authority (agreement awaited again) or the file closed without an audit. Through the
services, the screens and the API; each refusal with nothing changed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audits import workflow
from audits.models import Audit, AuditEvent, AuthorityAgreement, AuthorityRefusal
from audits.services import audits as services
from audits.services import conduct
from audits.workflow import State
from cte_portal.core.errors import RuleError
from tests.audits.world import accepted, pdf, request, today

pytestmark = pytest.mark.django_db
API = "/api/v1/audits/"


def refuse(world, audit, **kwargs):
    fields = {
        "authority": "Département du Rhône",
        "scope": AuthorityRefusal.Scope.MODALITIES,
        "reason": "Calendrier incompatible avec la clôture de l'exercice budgétaire.",
        "refused_on": today(),
        **kwargs,
    }
    return services.record_refusal(audit=audit, user=world.secretariat, **fields)


def snapshot(audit):
    audit = Audit.objects.get(pk=audit.pk)
    return audit.state, audit.refusals.count(), AuditEvent.objects.filter(audit=audit).count()


def pending(world):
    audit = accepted(world, request(world, world.delegated))
    assert audit.state == State.AGREEMENT_PENDING
    return audit


# --- Services --------------------------------------------------------------------------------


def test_ins_audit_a_refusal_with_its_reason_blocks_the_start(world):
    """INS-AUDIT success: the refusal is recorded with its reason and scope; the audit
    cannot start."""
    audit = pending(world)
    refusal = refuse(world, audit)
    audit.refresh_from_db()
    assert audit.state == State.AUTHORITY_REFUSED
    assert refusal.reason.startswith("Calendrier")
    event = audit.events.last()
    assert event.name == "refuse_agreement" and "Calendrier" in event.note
    with pytest.raises(RuleError, match="ne peut suivre l'état"):
        conduct.start_audit(audit=audit, user=world.secretariat, auditor="IGAS", started_on=today())
    assert Audit.objects.get(pk=audit.pk).state == State.AUTHORITY_REFUSED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "motif du refus"),
        ({"authority": ""}, "Indiquez la collectivité"),
        ({"scope": "autre"}, "principe ou sur les modalités"),
        ({"refused_on": None}, "date du refus"),
        ({"refused_on": "future"}, "ne peut être future"),
    ],
)
def test_ins_audit_a_refusal_without_reason_date_or_authority_is_refused(world, change, message):
    """INS-AUDIT refusal: incomplete refusal → French error, nothing saved."""
    audit = pending(world)
    if change.get("refused_on") == "future":
        change = {"refused_on": today() + timedelta(days=1)}
    before = snapshot(audit)
    with pytest.raises(RuleError, match=message):
        refuse(world, audit, **change)
    assert snapshot(audit) == before


def test_ins_audit_no_refusal_where_no_agreement_is_required_or_outside_the_wait(world):
    """INS-AUDIT refusal: a body that is not delegated has no authority to refuse; a file
    that is not waiting for the agreement takes no refusal."""
    audit = accepted(world)
    with pytest.raises(RuleError, match="aucun accord n'est requis"):
        refuse(world, audit)
    waiting = request(world, world.delegated)  # still waiting for the CDE's vote
    with pytest.raises(RuleError, match="n'est pas possible dans l'état"):
        refuse(world, waiting)
    assert not AuthorityRefusal.objects.exists()


def test_ins_audit_a_refusal_withdraws_an_agreement_not_yet_acted_on(world):
    """INS-AUDIT: an authority that changes its mind before the start withdraws its
    agreement; the audit then needs a new one."""
    audit = pending(world)
    services.record_agreement(
        audit=audit,
        user=world.secretariat,
        authority="Département du Rhône",
        principle_agreed=True,
        modalities_agreed=True,
        given_on=today(),
        document=pdf("accord.pdf"),
    )
    refuse(world, audit, scope=AuthorityRefusal.Scope.PRINCIPLE, reason="Changement d'exécutif.")
    assert not AuthorityAgreement.objects.filter(audit=audit).exists()
    assert "est retiré" in Audit.objects.get(pk=audit.pk).events.last().note


def test_ins_audit_the_refusal_unlocks_new_modalities_then_an_agreement_and_the_start(world):
    """INS-AUDIT success: new modalities are submitted, the agreement is awaited again, then
    given; the audit starts. The refusal stays on the file."""
    audit = pending(world)
    refuse(world, audit)
    audit = services.resubmit_to_authority(audit=audit, user=world.secretariat)
    assert audit.state == State.AGREEMENT_PENDING
    services.record_agreement(
        audit=audit,
        user=world.secretariat,
        authority="Département du Rhône",
        principle_agreed=True,
        modalities_agreed=True,
        given_on=today(),
        document=pdf("accord.pdf"),
    )
    audit = conduct.start_audit(
        audit=audit, user=world.secretariat, auditor="IGAS", started_on=today()
    )
    assert audit.state == State.IN_PROGRESS
    assert audit.refusals.count() == 1


def test_ins_audit_the_refusal_unlocks_closing_the_file_without_an_audit(world):
    """INS-AUDIT success: the secretariat closes the refused file; nothing else follows."""
    audit = pending(world)
    refuse(world, audit)
    audit = conduct.close_audit(audit=audit, user=world.secretariat, note="Audit abandonné.")
    assert audit.state == State.CLOSED and audit.closed_on == today()
    assert audit.started_on is None


def test_ins_audit_resubmitting_is_refused_outside_the_refused_state(world):
    """INS-AUDIT refusal: new modalities are submitted only after a refusal."""
    audit = pending(world)
    with pytest.raises(RuleError, match="ne peut suivre l'état"):
        services.resubmit_to_authority(audit=audit, user=world.secretariat)
    assert Audit.objects.get(pk=audit.pk).state == State.AGREEMENT_PENDING


def test_ins_audit_the_refused_state_offers_exactly_its_ways_out():
    names = {t.name for t in workflow.available(State.AUTHORITY_REFUSED)}
    assert names == {"resubmit_to_authority", "close"}
    assert State.AUTHORITY_REFUSED not in workflow.FINAL_STATES
    assert "refuse_agreement" not in {t.name for t in workflow.available(State.AGREEMENT_PENDING)}


# --- Screens ----------------------------------------------------------------------------------


def test_ins_audit_the_secretariat_records_the_refusal_on_screen(world, client):
    audit = pending(world)
    client.force_login(world.secretariat)
    page = client.get(reverse("audits:detail", args=[audit.pk]))
    assert reverse("audits:refusal", args=[audit.pk]) in page.content.decode()
    response = client.post(
        reverse("audits:refusal", args=[audit.pk]),
        {
            "authority": "Département du Rhône",
            "scope": "principle",
            "reason": "Le Département conduit déjà une inspection.",
            "refused_on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.state == State.AUTHORITY_REFUSED
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert "Le Département conduit déjà une inspection." in page
    assert "INS-AUDIT" not in page
    response = client.post(reverse("audits:resubmit", args=[audit.pk]))
    assert response.status_code == 302
    assert Audit.objects.get(pk=audit.pk).state == State.AGREEMENT_PENDING


def test_ins_audit_an_empty_reason_is_shown_on_the_form_and_nothing_changes(world, client):
    audit = pending(world)
    before = snapshot(audit)
    client.force_login(world.secretariat)
    response = client.post(
        reverse("audits:refusal", args=[audit.pk]),
        {"authority": "Département du Rhône", "scope": "principle", "reason": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert snapshot(audit) == before


def test_ins_audit_only_the_cde_secretariat_records_a_refusal(world, client):
    """Permission refusal: a co-president sees the file but may not record the refusal (403);
    a DDETS agent of another département does not see it (404). Nothing changes."""
    audit = pending(world)
    before = snapshot(audit)
    data = {
        "authority": "Département du Rhône",
        "scope": "principle",
        "reason": "Refus.",
        "refused_on": today().isoformat(),
    }
    client.force_login(world.state)
    assert client.post(reverse("audits:refusal", args=[audit.pk]), data).status_code == 403
    client.force_login(world.ddets_ain)
    assert client.post(reverse("audits:refusal", args=[audit.pk]), data).status_code == 404
    assert snapshot(audit) == before
    refuse(world, audit)
    before = snapshot(audit)
    client.force_login(world.state)
    assert client.post(reverse("audits:resubmit", args=[audit.pk])).status_code == 403
    assert snapshot(audit) == before


# --- API --------------------------------------------------------------------------------------


def test_ins_audit_the_refusal_and_the_resubmission_through_the_api(world, client):
    audit = pending(world)
    client.force_login(world.state)
    payload = {
        "authority": "Département du Rhône",
        "scope": "modalities",
        "reason": "Période électorale.",
        "refused_on": today().isoformat(),
    }
    url = f"{API}{audit.pk}/refusal/"
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.force_login(world.secretariat)
    response = client.post(url, {**payload, "reason": " "}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == State.AUTHORITY_REFUSED
    assert body["refusals"][0]["reason"] == "Période électorale."
    response = client.post(f"{API}{audit.pk}/resubmit/")
    assert response.status_code == 200
    assert response.json()["state"] == State.AGREEMENT_PENDING
