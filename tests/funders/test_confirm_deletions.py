"""Destructive actions of the funders' screens ask for confirmation (issue 13): the page links
to a confirmation page that works without JavaScript, asking changes nothing, the page's button
deletes and goes back; the same gates as before on both (403 for a forbidden action on a
visible object, 404 outside the user's scope, nothing deleted either way)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from funders.models import (
    CoFinancing,
    ConventionCommitment,
    ConventionParty,
    FundingLine,
    FundingNeed,
)
from funders.services.conventions import add_commitment, add_party, create_convention
from funders.services.needs import answer_need, raise_need
from tests.clients import login
from tests.funders.world import NEED, line, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer_line(funders, cde_conference):
    return line(
        cde_conference,
        funders["caf"],
        scheme="Garde d'enfants solidaire",
        is_cofinanced=True,
        own_share=Decimal("70"),
        cofinancings=[{"partner_name": "Ville", "share": Decimal("30"), "partner": None}],
    )


@pytest.fixture
def need(world, cle_conference):
    return raise_need(conference=cle_conference, user=world.ddets69, **NEED)


@pytest.fixture
def convention(world):
    return create_convention(
        committee=world.cde,
        kind="caom",
        title="CAOM 2026",
        starts_on=today(),
        ends_on=today() + timedelta(days=200),
    )


@pytest.fixture
def party(convention):
    return add_party(convention=convention, name="Département du Rhône", amount="150000.00")


@pytest.fixture
def commitment(convention):
    return add_commitment(
        convention=convention,
        text="Orienter chaque bénéficiaire en un mois",
        indicator_label="Délai d'orientation",
        target="30",
    )


def _asks_then_deletes(client, *, page_url, address, question, model, pk, back):
    """The page offers a link (not a form) to ``address``; GET asks and changes nothing;
    POST deletes and goes ``back``."""
    page = client.get(page_url).content.decode()
    assert f'href="{address}"' in page
    assert f'action="{address}"' not in page  # no one-click delete left
    asked = client.get(address)
    assert asked.status_code == 200
    assert escape(question) in asked.content.decode()
    assert model.objects.filter(pk=pk).exists()
    response = client.post(address, {"confirmer": "oui"})
    assert response.status_code == 302 and response.url == back
    assert not model.objects.filter(pk=pk).exists()


def test_deleting_a_funding_line_asks_first(client, world, cde_conference, offer_line):
    login(client, world.ddets69)
    lines = reverse("funders:lines", args=[cde_conference.pk])
    address = reverse("funders:line_delete", args=[offer_line.pk])
    assert "plan de cofinancement est supprimé" in client.get(address).content.decode()
    _asks_then_deletes(
        client,
        page_url=lines,
        address=address,
        question="Supprimer la ligne de financement « Garde d'enfants solidaire » de CAF du Rhône ?",
        model=FundingLine,
        pk=offer_line.pk,
        back=lines,
    )
    assert not CoFinancing.objects.filter(line_id=offer_line.pk).exists()


def test_withdrawing_a_need_asks_first(client, world, cle_conference, need):
    login(client, world.ddets69)
    _asks_then_deletes(
        client,
        page_url=cle_conference.get_absolute_url(),
        address=reverse("funders:need_delete", args=[need.pk]),
        question=f"Retirer le besoin « {NEED['pathway_need']} » ?",
        model=FundingNeed,
        pk=need.pk,
        back=f"{cle_conference.get_absolute_url()}#besoins",
    )


def test_removing_a_party_asks_first(client, world, convention, party):
    login(client, world.ddets69)
    address = reverse("funders:party_remove", args=[convention.pk, party.pk])
    asked = client.get(address).content.decode()
    assert "150\u202f000,00\u202f€" in asked  # what the total loses
    _asks_then_deletes(
        client,
        page_url=convention.get_absolute_url(),
        address=address,
        question="Retirer la partie « Département du Rhône » de la convention « CAOM 2026 » ?",
        model=ConventionParty,
        pk=party.pk,
        back=f"{convention.get_absolute_url()}#parties",
    )


def test_removing_a_commitment_asks_first(client, world, convention, commitment):
    login(client, world.ddets69)
    address = reverse("funders:commitment_remove", args=[convention.pk, commitment.pk])
    assert escape("« Délai d'orientation »") in client.get(address).content.decode()
    _asks_then_deletes(
        client,
        page_url=convention.get_absolute_url(),
        address=address,
        question=(
            "Retirer l'engagement « Orienter chaque bénéficiaire en un mois » "
            "de la convention « CAOM 2026 » ?"
        ),
        model=ConventionCommitment,
        pk=commitment.pk,
        back=f"{convention.get_absolute_url()}#engagements",
    )


def test_a_confirmed_deletion_still_obeys_the_rules(client, world, funders, cde_conference, need):
    """A line that funds a local need stays, and so does the need it answers: the refusal
    is a message, not an error page."""
    funding = line(cde_conference, funders["state"])
    answer_need(
        need=need,
        conference=cde_conference,
        user=world.ddets69,
        status="funded",
        funding_line=funding,
    )
    login(client, world.ddets69)
    for address, refusal in (
        (reverse("funders:line_delete", args=[funding.pk]), "elle ne peut pas être supprimée"),
        (reverse("funders:need_delete", args=[need.pk]), "il ne peut plus être retiré"),
    ):
        response = client.post(address, {"confirmer": "oui"}, follow=True)
        assert response.status_code == 200 and refusal in response.content.decode()
    assert FundingLine.objects.filter(pk=funding.pk).exists()
    assert FundingNeed.objects.filter(pk=need.pk).exists()


# --- Refusals: the same gate on the question and on the deletion --------------------------------


# The co-president and the member read the CDE (and see the CLE's needs from it): 403; the
# outsider sees none of it: 404.
REFUSED = [("prefet", 403), ("member", 403), ("outsider", 404)]


def _refused(client, address, model, pk, status):
    assert client.get(address).status_code == status
    assert client.post(address, {"confirmer": "oui"}).status_code == status
    assert model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_who_may_not_manage_the_offer_cannot_delete_a_line(client, world, offer_line, who, status):
    login(client, getattr(world, who))
    lines = reverse("funders:lines", args=[offer_line.conference_id])
    if status == 403:  # they read the offer, without the link
        assert reverse("funders:line_delete", args=[offer_line.pk]) not in (
            client.get(lines).content.decode()
        )
    _refused(
        client,
        reverse("funders:line_delete", args=[offer_line.pk]),
        FundingLine,
        offer_line.pk,
        status,
    )


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_who_may_not_raise_needs_cannot_withdraw_one(client, world, need, who, status):
    login(client, getattr(world, who))
    _refused(client, reverse("funders:need_delete", args=[need.pk]), FundingNeed, need.pk, status)


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_who_may_not_manage_conventions_cannot_remove_a_party(
    client, world, convention, party, who, status
):
    login(client, getattr(world, who))
    address = reverse("funders:party_remove", args=[convention.pk, party.pk])
    _refused(client, address, ConventionParty, party.pk, status)


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_who_may_not_manage_conventions_cannot_remove_a_commitment(
    client, world, convention, commitment, who, status
):
    login(client, getattr(world, who))
    address = reverse("funders:commitment_remove", args=[convention.pk, commitment.pk])
    _refused(client, address, ConventionCommitment, commitment.pk, status)
