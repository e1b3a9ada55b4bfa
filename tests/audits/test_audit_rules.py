"""The rules of audit requests and audits (INS-AUDIT, INS-CONSENSUS, DEC-MAJORITY, DEC-AUDIT),
each with its success and its refusal; a refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audits.models import Audit, AuditEvent, AuthorityAgreement, Recommendation
from audits.services import audits as services
from audits.services import conduct
from audits.services.common import apply_step
from audits.workflow import State
from committees.models import Committee
from committees.services.committees import dissolve_committee
from cte_portal.core.errors import RuleError
from meetings.models import AgendaItem, Decision
from meetings.services.decisions import delete_decision, record_decision
from meetings.services.planning import create_meeting
from tests.audits.world import (
    accepted,
    delivered,
    held_meeting_with,
    in_progress,
    pdf,
    recommend,
    referral,
    request,
    today,
    vote,
)
from tests.factories.meetings import make_meeting

pytestmark = pytest.mark.django_db


def snapshot(audit):
    audit = Audit.objects.get(pk=audit.pk)
    return (
        audit.state,
        audit.decision_id,
        audit.started_on,
        audit.report_delivered_on,
        AuditEvent.objects.filter(audit=audit).count(),
    )


# --- Requests and referrals ---------------------------------------------------------------------


def test_a_cde_request_names_the_body_the_scope_the_facts_and_documents(world):
    audit = request(
        world,
        scope_quality="Délais d'accès au premier rendez-vous",
        documents=[("Tableau des délais", pdf("delais.pdf"))],
    )
    assert audit.committee == world.cde
    assert audit.origin == Audit.Origin.COMMITTEE and audit.requesting_committee is None
    assert audit.state == State.REQUESTED
    assert audit.scope_quality == "Délais d'accès au premier rendez-vous"
    assert [d.title for d in audit.documents.all()] == ["Tableau des délais"]
    assert not audit.requires_agreement
    assert audit.events.get().name == "request"


def test_a_cle_refers_its_request_to_its_cde(world):
    """INS-AUDIT: the CLE's referral lands in its parent CDE's inbox."""
    audit = referral(world)
    assert audit.committee == world.cde
    assert audit.origin == Audit.Origin.REFERRAL
    assert audit.requesting_committee == world.cle_a
    assert list(Audit.objects.referrals_to(world.cde)) == [audit]
    assert "CLE Villefranche" in audit.events.get().label


def test_a_cle_without_a_departmental_parent_cannot_refer(world):
    Committee.objects.filter(pk=world.cle_a.pk).update(parent=None)
    world.cle_a.refresh_from_db()
    with pytest.raises(RuleError, match="rattaché à aucun comité départemental"):
        referral(world)
    assert not Audit.objects.exists()


def test_only_a_cde_requests_and_only_a_cle_refers(world):
    with pytest.raises(RuleError, match="Seul un comité départemental"):
        services.request_audit(
            committee=world.cle_a,
            user=world.cle_a_chair,
            audited_body=world.ft,
            scope_missions="x",
            facts="y",
        )
    with pytest.raises(RuleError, match="Seul un comité local"):
        services.refer_audit(
            committee=world.cde,
            user=world.secretariat,
            audited_body=world.ft,
            scope_missions="x",
            facts="y",
        )
    assert not Audit.objects.exists()


@pytest.mark.parametrize("body", ["ft", "ml", "cap", "delegated"])
def test_france_travail_missions_locales_cap_emploi_and_delegated_bodies_are_audited(world, body):
    audit = request(world, getattr(world, body))
    assert audit.requires_agreement == (body == "delegated")


def test_a_conseil_departemental_is_not_audited_by_the_cde(world):
    with pytest.raises(RuleError, match="un comité départemental fait auditer") as refusal:
        request(world, world.cd)
    assert refusal.value.field == "audited_body"
    assert not Audit.objects.exists()


def test_a_body_of_another_departement_is_refused(world):
    with pytest.raises(RuleError, match="pas du territoire"):
        request(world, world.foreign_body)
    assert not Audit.objects.exists()


def test_the_scope_and_the_facts_are_required(world):
    with pytest.raises(RuleError) as refusal:
        request(world, scope_missions="  ")
    assert refusal.value.field == "scope_missions"
    with pytest.raises(RuleError) as refusal:
        request(world, facts="")
    assert refusal.value.field == "facts"
    assert not Audit.objects.exists()


def test_a_dissolved_cde_orders_no_audit(world):
    dissolve_committee(committee=world.cde, dissolved_on=today())
    with pytest.raises(RuleError, match="dissous"):
        request(world)


# --- Scheduling and the vote (INS-CONSENSUS, DEC-MAJORITY) --------------------------------------


def test_the_request_goes_on_a_cde_meeting_agenda_as_a_voted_audit_request(world):
    audit = request(world)
    meeting = make_meeting(world.scene, items=0)
    item = services.schedule_vote(audit=audit, meeting=meeting, user=world.secretariat)
    assert item.is_audit_request and item.decision_by_vote and item.decision_expected
    assert item.meeting == meeting
    audit.refresh_from_db()
    assert audit.agenda_item == item
    assert audit.state == State.REQUESTED  # scheduling is not the vote


def test_a_request_cannot_be_scheduled_twice_nor_on_another_committee_meeting(world):
    audit = request(world)
    meeting = make_meeting(world.scene, items=0)
    services.schedule_vote(audit=audit, meeting=meeting, user=world.secretariat)
    with pytest.raises(RuleError, match="déjà inscrite"):
        services.schedule_vote(audit=audit, meeting=meeting, user=world.secretariat)
    other = create_meeting(
        committee=world.cde_ain,
        user=world.ddets_ain,
        title="Séance",
        date=today() + timedelta(days=5),
        start_time=timezone.datetime(2000, 1, 1, 9).time(),
        end_time=timezone.datetime(2000, 1, 1, 11).time(),
        place="Bourg",
    )
    second = request(world, world.ml)
    with pytest.raises(RuleError, match="comité départemental saisi"):
        services.schedule_vote(audit=second, meeting=other, user=world.secretariat)
    assert meeting.agenda_items.count() == 1 and not other.agenda_items.exists()


def test_a_request_cannot_be_accepted_without_a_recorded_vote(world):
    """INS-AUDIT / INS-CONSENSUS: no vote, no acceptance — whatever the path."""
    audit = request(world)
    before = snapshot(audit)
    with pytest.raises(RuleError, match="vote du comité départemental n'est pas enregistré"):
        services.record_vote(audit=audit, decision=None, user=world.secretariat)
    with pytest.raises(RuleError, match="vote du comité départemental n'est pas enregistré"):
        apply_step(audit, "accept", user=world.secretariat)
    with pytest.raises(RuleError, match="Étape impossible"):
        conduct.start_audit(audit=audit, user=world.secretariat, auditor="IGAS", started_on=today())
    assert snapshot(audit) == before


def test_an_adopted_vote_accepts_the_request_and_records_the_meeting_and_the_result(world):
    audit = request(world)
    decision = vote(world, audit)
    assert decision.method == Decision.Method.VOTE and decision.outcome == "adopted"
    audit = services.record_vote(audit=audit, decision=decision, user=world.secretariat)
    assert audit.state == State.ACCEPTED
    assert audit.decision == decision and audit.meeting == decision.meeting
    event = audit.events.get(name="accept")
    assert event.from_state == State.REQUESTED and event.to_state == State.ACCEPTED
    assert f"pour {decision.votes_for}" in event.note


def test_a_rejected_vote_closes_the_request_with_the_vote(world):
    audit = referral(world)
    decision = vote(world, audit, adopt=False)
    assert decision.outcome == Decision.Outcome.REJECTED
    audit = services.record_vote(audit=audit, decision=decision, user=world.secretariat)
    assert audit.state == State.REJECTED
    assert audit.decision == decision
    with pytest.raises(RuleError, match="Étape impossible"):
        conduct.start_audit(audit=audit, user=world.secretariat, auditor="x", started_on=today())


def test_a_consensus_decision_never_settles_an_audit_request(world):
    """INS-CONSENSUS: a decision taken by consensus (on an ordinary item) is refused."""
    audit = request(world)
    meeting = held_meeting_with(world, audit)
    item = meeting.agenda_items.get(is_audit_request=True)
    with pytest.raises(RuleError, match="toujours votée"):
        record_decision(
            agenda_item=item, user=world.secretariat, text="Accord général.", method="consensus"
        )
    # An ordinary item, as if added before the meeting began (no service edits a begun one).
    plain = AgendaItem.objects.create(meeting=meeting, position=9, title="Point divers")
    consensus = record_decision(
        agenda_item=plain, user=world.secretariat, text="Accord général.", method="consensus"
    )
    before = snapshot(audit)
    with pytest.raises(RuleError) as refusal:
        services.record_vote(audit=audit, decision=consensus, user=world.secretariat)
    text = " ".join(refusal.value.messages)
    assert "consensus" in text and "toujours votée" in text
    assert snapshot(audit) == before


def test_a_vote_of_another_item_or_already_used_is_refused(world):
    first = request(world)
    second = request(world, world.ml)
    decision = vote(world, first)
    before = snapshot(second)
    with pytest.raises(RuleError, match="pas été inscrite à l'ordre du jour"):
        services.record_vote(audit=second, decision=decision, user=world.secretariat)
    assert snapshot(second) == before
    held_meeting_with(world, second)
    before = snapshot(second)
    with pytest.raises(RuleError, match="autre point"):
        services.record_vote(audit=second, decision=decision, user=world.secretariat)
    assert snapshot(second) == before
    services.record_vote(audit=first, decision=decision, user=world.secretariat)
    third = request(world, world.cap)
    with pytest.raises(RuleError, match="déjà tranché"):
        services.record_vote(audit=third, decision=decision, user=world.secretariat)


def test_the_eligible_votes_are_the_cde_votes_on_the_scheduled_item(world):
    audit = request(world)
    decision = vote(world, audit)
    assert list(services.eligible_decisions(audit)) == [decision]
    services.record_vote(audit=audit, decision=decision, user=world.secretariat)
    assert not services.eligible_decisions(request(world, world.ml)).exists()


def test_the_decision_that_settled_a_request_cannot_be_deleted(world):
    audit = accepted(world)
    with pytest.raises(RuleError, match="demande d'audit"):
        delete_decision(decision=audit.decision)
    assert Decision.objects.filter(pk=audit.decision_id).exists()


# --- The delegating authority's agreement (INS-AUDIT) -------------------------------------------


def agree(world, audit, **kwargs):
    fields = {
        "authority": "Département du Rhône",
        "principle_agreed": True,
        "modalities_agreed": True,
        "modalities": "Entretiens sur site en mars, accès aux dossiers anonymisés.",
        "given_on": today(),
        "document": pdf("accord.pdf"),
        **kwargs,
    }
    return services.record_agreement(audit=audit, user=world.secretariat, **fields)


def test_a_delegated_body_waits_for_the_authority_agreement_before_the_audit_starts(world):
    audit = accepted(world, request(world, world.delegated))
    assert audit.state == State.AGREEMENT_PENDING
    before = snapshot(audit)
    with pytest.raises(RuleError, match="ne peut démarrer avant que l'accord"):
        conduct.start_audit(audit=audit, user=world.secretariat, auditor="IGAS", started_on=today())
    assert snapshot(audit) == before
    agreement = agree(world, audit)
    assert agreement.is_complete
    audit = conduct.start_audit(
        audit=audit, user=world.secretariat, auditor="IGAS", started_on=today()
    )
    assert audit.state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"principle_agreed": False}, "sur le principe"),
        ({"modalities_agreed": False}, "sur les modalités"),
        ({"document": None}, "Joignez le document"),
        ({"authority": " "}, "Indiquez la collectivité"),
        ({"given_on": None}, "Indiquez la date"),
    ],
)
def test_the_agreement_needs_principle_modalities_date_and_document(world, change, message):
    audit = accepted(world, request(world, world.delegated))
    with pytest.raises(RuleError, match=message):
        agree(world, audit, **change)
    assert not AuthorityAgreement.objects.exists()


def test_an_agreement_dated_in_the_future_is_refused_and_the_audit_never_starts_before_it(world):
    audit = accepted(world, request(world, world.delegated))
    with pytest.raises(RuleError, match="future"):
        agree(world, audit, given_on=today() + timedelta(days=1))
    agree(world, audit, given_on=today())
    with pytest.raises(RuleError, match="avant l'accord"):
        conduct.start_audit(
            audit=audit,
            user=world.secretariat,
            auditor="IGAS",
            started_on=today() - timedelta(days=1),
        )


def test_no_agreement_is_asked_for_a_body_that_is_not_delegated(world):
    audit = accepted(world)
    assert audit.state == State.ACCEPTED
    with pytest.raises(RuleError, match="aucun accord n'est requis"):
        agree(world, audit)


# --- The audit, the report, the recommendations -------------------------------------------------


def test_the_audit_starts_with_an_auditor_and_dates(world):
    audit = accepted(world)
    with pytest.raises(RuleError) as refusal:
        conduct.start_audit(
            audit=audit,
            user=world.secretariat,
            auditor="",
            started_on=today(),
            planned_end_on=today() - timedelta(days=1),
        )
    assert "Indiquez l'auditeur" in refusal.value.messages[0]
    assert any("fin prévue" in m for m in refusal.value.messages)
    assert Audit.objects.get(pk=audit.pk).state == State.ACCEPTED
    audit = conduct.start_audit(
        audit=audit, user=world.secretariat, auditor="IGAS", started_on=today()
    )
    assert audit.state == State.IN_PROGRESS and audit.auditor == "IGAS"


def test_the_report_needs_its_document(world):
    audit = in_progress(world)
    with pytest.raises(RuleError, match="Joignez le rapport"):
        conduct.deliver_report(
            audit=audit, user=world.secretariat, document=None, delivered_on=today()
        )
    assert Audit.objects.get(pk=audit.pk).report_delivered_on is None
    audit = conduct.deliver_report(
        audit=audit, user=world.secretariat, document=pdf(), delivered_on=today()
    )
    assert audit.state == State.REPORT_DELIVERED and audit.report_delivered


def test_recommendations_have_a_responsible_and_a_due_date_after_the_report(world):
    audit = delivered(world)
    with pytest.raises(RuleError) as refusal:
        conduct.add_recommendation(
            audit=audit, user=world.secretariat, text="Faire mieux.", due_on=today()
        )
    assert refusal.value.field == "responsible_body"
    with pytest.raises(RuleError, match="précéder la remise"):
        conduct.add_recommendation(
            audit=audit,
            user=world.secretariat,
            text="Faire mieux.",
            due_on=today() - timedelta(days=1),
            responsible_name="DDETS du Rhône",
        )
    assert not Recommendation.objects.exists()
    other = conduct.add_recommendation(
        audit=audit,
        user=world.secretariat,
        text="Former les conseillers.",
        due_on=today(),
        responsible_name="DDETS du Rhône",
    )
    assert other.responsible_label == "DDETS du Rhône"


def test_no_recommendation_before_the_report(world):
    audit = in_progress(world)
    with pytest.raises(RuleError, match="n'est pas possible"):
        recommend(world, audit)


def test_a_recommendation_is_implemented_or_dropped_with_evidence(world):
    audit = delivered(world)
    recommendation = recommend(world, audit)
    with pytest.raises(RuleError, match="preuve"):
        conduct.update_recommendation(
            recommendation=recommendation, user=world.ft_user, status="done"
        )
    assert Recommendation.objects.get(pk=recommendation.pk).status == "open"
    done = conduct.update_recommendation(
        recommendation=recommendation,
        user=world.ft_user,
        status="done",
        evidence="Délai moyen ramené à douze jours.",
    )
    assert done.status == "done" and done.done_on == today()


def test_follow_up_needs_recommendations_and_closing_needs_them_settled(world):
    audit = delivered(world)
    with pytest.raises(RuleError, match="au moins une recommandation"):
        conduct.begin_follow_up(audit=audit, user=world.secretariat)
    recommendation = recommend(world, audit)
    audit = conduct.begin_follow_up(audit=audit, user=world.secretariat)
    assert audit.state == State.FOLLOW_UP
    with pytest.raises(RuleError, match="ni mises en œuvre ni abandonnées"):
        conduct.close_audit(audit=audit, user=world.secretariat)
    assert Audit.objects.get(pk=audit.pk).state == State.FOLLOW_UP
    conduct.update_recommendation(
        recommendation=recommendation,
        user=world.secretariat,
        status="dropped",
        evidence="Rendu sans objet par la réorganisation.",
    )
    audit = conduct.close_audit(audit=audit, user=world.secretariat, note="Dossier soldé.")
    assert audit.state == State.CLOSED and audit.closed_on == today()
    with pytest.raises(RuleError, match="n'est pas possible"):
        services.add_audit_document(audit=audit, user=world.secretariat, title="x", file=pdf())


def test_the_history_tells_the_referring_cle_the_fate_of_its_referral(world):
    audit = delivered(world, referral(world))
    names = list(audit.events.values_list("name", flat=True))
    assert names == ["request", "schedule_vote", "accept", "start", "deliver_report"]
