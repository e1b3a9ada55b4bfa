"""DEC-IAE: the requests submitted to a CDE's inclusion & IAE commission, its opinions (voted
or by consensus, in a meeting of the commission) and the notice sent to the préfet — each
rule's success and refusal, nothing saved on a refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cte_portal.core.errors import RuleError
from iae import services
from iae.models import IaeOpinion, IaeRequest, RequestStatus
from iae.siret import check_siret, is_valid_siret
from meetings.models import Meeting
from tests.factories.meetings import make_meeting, move_to
from tests.iae.world import (
    SIRET_ACI,
    SIRET_LA_POSTE,
    give_opinion,
    new_request,
    opinion_data,
    request_data,
    today,
)

pytestmark = pytest.mark.django_db


def snapshot(item):
    item = IaeRequest.objects.get(pk=item.pk)
    opinion = item.current_opinion
    return (
        item.status,
        item.updated_at,
        opinion and (opinion.verdict, opinion.method, opinion.notice_sent_on),
    )


# --- SIRET -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [SIRET_ACI, "412 345 678 00012", "412.345.678.00012", SIRET_LA_POSTE, "35600000000048"],
)
def test_dec_iae_a_siret_with_a_valid_key_is_accepted(raw):
    assert is_valid_siret(check_siret(raw))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Indiquez le numéro SIRET"),
        ("4123456780001", "14 chiffres"),
        ("41234567800013", "clé de contrôle"),
        ("4123456780001A", "14 chiffres"),
        ("35600000000011", "clé de contrôle"),  # La Poste: digits sum not a multiple of 5
    ],
)
def test_dec_iae_a_siret_with_a_wrong_length_or_key_is_refused(raw, message):
    with pytest.raises(RuleError, match=message):
        check_siret(raw)


# --- Requests -----------------------------------------------------------------------------------


def test_dec_iae_a_cde_secretariat_records_a_conventionnement_and_an_fdi_request(world):
    item = new_request(world, siret="412 345 678 00012")
    assert item.status == RequestStatus.RECEIVED and item.siret == SIRET_ACI
    fdi = new_request(world, kind="fdi", siae_type="ai", amount_requested=Decimal("45000"))
    assert fdi.get_kind_display().startswith("Fonds de développement de l'inclusion")
    assert IaeRequest.objects.filter(committee=world.cde).count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"siret": "41234567800013"}, "clé de contrôle"),
        ({"structure_name": " "}, "nom de la structure"),
        ({"kind": "autre"}, "conventionnement ou d'une demande au FDI"),
        ({"siae_type": "geiq"}, "type de SIAE"),
        ({"period_end": "before"}, "ne peut précéder son début"),
        ({"received_on": "future"}, "ne peut être future"),
        ({"kind": "fdi", "amount_requested": None}, "montant demandé"),
        ({"amount_requested": Decimal("-1")}, "positif"),
    ],
)
def test_dec_iae_an_incomplete_or_wrong_request_is_refused_and_nothing_saved(
    world, changes, message
):
    if changes.get("period_end") == "before":
        changes = {"period_end": request_data().period_start - timedelta(days=1)}
    if changes.get("received_on") == "future":
        changes = {"received_on": today() + timedelta(days=1)}
    with pytest.raises(RuleError, match=message):
        new_request(world, **changes)
    assert not IaeRequest.objects.exists()


def test_dec_iae_only_a_cde_with_its_iae_commission_takes_requests(world):
    with pytest.raises(RuleError, match="comité départemental"):
        new_request(world, committee=world.cle)
    world.cde_ain.commissions.all().delete()  # a CDE without its commission (data damage)
    with pytest.raises(RuleError, match="n'a pas de commission inclusion et IAE"):
        new_request(world, committee=world.cde_ain)
    assert not IaeRequest.objects.exists()


def test_dec_iae_a_request_is_corrected_only_before_the_opinion(world):
    item = new_request(world)
    item = services.update_request(
        iae_request=item, user=world.secretariat, data=request_data(structure_name="Jardins")
    )
    assert item.structure_name == "Jardins"
    give_opinion(world, item)
    before = snapshot(item)
    with pytest.raises(RuleError, match="ne peut plus être modifiée"):
        services.update_request(
            iae_request=item, user=world.secretariat, data=request_data(structure_name="Autre")
        )
    assert snapshot(item) == before


# --- The commission's opinion -------------------------------------------------------------------


def test_dec_iae_an_opinion_voted_in_a_meeting_of_the_commission(world):
    item = new_request(world)
    opinion = give_opinion(world, item)
    item.refresh_from_db()
    assert item.status == RequestStatus.OPINION_GIVEN
    assert opinion.meeting == world.commission_meeting
    assert opinion.given_on == world.commission_meeting.date  # the meeting's date
    assert (opinion.votes_for, opinion.votes_against, opinion.votes_abstain) == (8, 1, 2)
    assert services.opinion_warnings(opinion) == []


def test_dec_iae_an_opinion_by_consensus_without_meeting_in_the_portal(world):
    """A meeting held before the portal: only its date; consensus: no counts."""
    item = new_request(world)
    opinion = give_opinion(
        world,
        item,
        method="consensus",
        meeting=None,
        given_on=today() - timedelta(days=2),
        votes_for=None,
        votes_against=None,
        votes_abstain=None,
        verdict="reserved",
        reservations="Plan de formation à présenter sous six mois.",
    )
    assert opinion.method == IaeOpinion.Method.CONSENSUS and opinion.meeting is None
    assert opinion.vote_summary == "Par consensus"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"votes_for": None}, "voix pour, contre et les abstentions"),
        ({"votes_for": 0, "votes_against": 0, "votes_abstain": 0}, "au moins une voix"),
        ({"method": "consensus"}, "ne compte pas de voix"),
        ({"verdict": "reserved"}, "réserves"),
        ({"verdict": "maybe"}, "Indiquez l'avis"),
        ({"meeting": None}, "Indiquez la date de la réunion"),
        ({"meeting": None, "given_on": "future"}, "ne peut être future"),
        ({"meeting": None, "given_on": "before"}, "précéder la réception"),
        ({"given_on": "other"}, "le jour de la réunion"),
    ],
)
def test_dec_iae_an_opinion_without_its_vote_or_date_is_refused(world, changes, message):
    item = new_request(world)
    if changes.get("given_on") == "future":
        changes["given_on"] = today() + timedelta(days=1)
    elif changes.get("given_on") == "before":
        changes["given_on"] = item.received_on - timedelta(days=1)
    elif changes.get("given_on") == "other":
        changes["given_on"] = world.commission_meeting.date - timedelta(days=1)
    before = snapshot(item)
    with pytest.raises(RuleError, match=message):
        give_opinion(world, item, **changes)
    assert snapshot(item) == before
    assert not IaeOpinion.objects.exists()


def test_dec_iae_the_opinion_is_given_in_a_meeting_of_the_cde_iae_commission(world):
    item = new_request(world)
    cancelled = move_to(
        make_meeting(world.scene, items=0, title="Commission annulée", commission=world.commission),
        today() - timedelta(days=3),
    )
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    cancelled.refresh_from_db()
    future = make_meeting(world.scene, items=0, title="Prochaine", commission=world.commission)
    for meeting, message in (
        (world.plenary, "n'est pas une réunion de la commission inclusion et IAE"),
        (cancelled, "annulée"),
        (future, "pas encore eu lieu"),
    ):
        with pytest.raises(RuleError, match=message):
            give_opinion(world, item, meeting=meeting)
    assert not IaeOpinion.objects.exists()
    assert list(services.commission_meetings(world.cde)) == [world.commission_meeting]


def test_dec_iae_counts_against_the_opinion_warn_and_never_refuse(world):
    """The commission's voting rules are its own ([OPEN]): a warning, not a refusal."""
    item = new_request(world)
    opinion = give_opinion(world, item, votes_for=2, votes_against=7)
    assert opinion.verdict == "favourable"
    assert "voix contre sont majoritaires" in services.opinion_warnings(opinion)[0]


def test_dec_iae_the_opinion_is_corrected_until_the_notice_then_final(world):
    item = new_request(world)
    give_opinion(world, item)
    opinion = give_opinion(world, item, verdict="unfavourable", votes_for=1, votes_against=9)
    assert opinion.verdict == "unfavourable" and IaeOpinion.objects.count() == 1
    services.record_notice(
        iae_request=item, user=world.secretariat, sent_on=today(), recipient="prefet"
    )
    before = snapshot(item)
    with pytest.raises(RuleError, match="déjà été transmis"):
        give_opinion(world, item)
    assert snapshot(item) == before


# --- The notice -----------------------------------------------------------------------------


def test_dec_iae_the_notice_is_sent_to_the_prefet_after_the_opinion(world):
    item = new_request(world)
    give_opinion(world, item)
    opinion = services.record_notice(
        iae_request=item,
        user=world.secretariat,
        sent_on=today(),
        recipient="ddets",
        recipient_label="DDETS du Rhône",
    )
    item.refresh_from_db()
    assert item.status == RequestStatus.NOTICE_SENT
    assert opinion.notice_sent_on == today() and opinion.notice_recipient == "ddets"


def test_dec_iae_no_notice_without_opinion_nor_before_it_nor_twice(world):
    item = new_request(world)
    with pytest.raises(RuleError, match="rien à transmettre"):
        services.record_notice(
            iae_request=item, user=world.secretariat, sent_on=today(), recipient="prefet"
        )
    give_opinion(world, item)
    before = snapshot(item)
    for sent_on, recipient, message in (
        (world.commission_meeting.date - timedelta(days=1), "prefet", "avant d'avoir été rendu"),
        (today() + timedelta(days=1), "prefet", "future"),
        (today(), "maire", "destinataire"),
    ):
        with pytest.raises(RuleError, match=message):
            services.record_notice(
                iae_request=item, user=world.secretariat, sent_on=sent_on, recipient=recipient
            )
    assert snapshot(item) == before
    services.record_notice(
        iae_request=item, user=world.secretariat, sent_on=today(), recipient="prefet"
    )
    with pytest.raises(RuleError, match="déjà été transmis"):
        services.record_notice(
            iae_request=item, user=world.secretariat, sent_on=today(), recipient="prefet"
        )


def test_dec_iae_a_withdrawn_request_takes_no_opinion(world):
    item = new_request(world)
    with pytest.raises(RuleError, match="motif"):
        services.withdraw_request(iae_request=item, user=world.secretariat, reason=" ")
    item = services.withdraw_request(
        iae_request=item, user=world.secretariat, reason="Structure en liquidation."
    )
    assert item.status == RequestStatus.WITHDRAWN
    with pytest.raises(RuleError, match="retirée"):
        give_opinion(world, item)
    with pytest.raises(RuleError, match="ne peut plus être retirée"):
        services.withdraw_request(iae_request=item, user=world.secretariat, reason="Encore.")


def test_dec_iae_opinion_data_defaults_the_date_to_the_meeting(world):
    data = opinion_data(world)
    assert data.given_on is None and data.meeting == world.commission_meeting
