"""Funding lines (INS-FUNDERS): every rule with its success and its refusal; amounts exact."""

from datetime import date
from decimal import Decimal

import pytest

from committees.services.committees import dissolve_committee
from cte_portal.core.errors import RuleError
from funders.models import CoFinancing, FundingLine
from funders.services.offer import (
    add_line,
    delete_line,
    exact_amount,
    update_line,
    values_from_line,
)
from tests.funders.world import D, funder, line, values

pytestmark = pytest.mark.django_db


def test_a_line_is_added_and_its_funder_joins_the_conference(cde_conference, funders):
    created = line(cde_conference, funders["fse"], amount_committed=D("1234567.89"))
    created.refresh_from_db()
    assert created.amount_committed == Decimal("1234567.89")
    assert isinstance(created.amount_committed, Decimal)
    assert funders["fse"] in cde_conference.funders.all()


def test_a_funder_of_another_committee_is_refused(world, cde_conference):
    foreign = funder(world.cde75, "Ville de Paris", "communes_epci")
    with pytest.raises(RuleError) as error:
        line(cde_conference, foreign)
    assert "répertoire du comité" in error.value.messages[0]
    assert not FundingLine.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1\u202f234,5 €", Decimal("1234.50")),
        ("0", Decimal("0.00")),
        (1234, Decimal("1234.00")),
        (0.1, Decimal("0.10")),
        (Decimal("99.99"), Decimal("99.99")),
    ],
)
def test_exact_amounts_are_read_without_rounding(raw, expected):
    assert exact_amount(raw, "montant") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,345", "plus de deux décimales"),
        (0.125, "plus de deux décimales"),
        ("-5", "négatif"),
        ("douze", "n'est pas un nombre"),
        ("", "manquant"),
        ("1e13", "dépasse"),
    ],
)
def test_inexact_or_invalid_amounts_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        exact_amount(raw, "montant")


def test_an_amount_with_three_decimals_is_refused_not_rounded(cde_conference, funders):
    with pytest.raises(RuleError) as error:
        line(cde_conference, funders["state"], amount_committed=D("10.005"))
    assert "deux décimales" in " ".join(error.value.messages)
    assert not FundingLine.objects.exists()


def test_the_period_must_start_before_it_ends(cde_conference, funders):
    line(cde_conference, funders["state"], starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 1))
    with pytest.raises(RuleError) as error:
        line(
            cde_conference,
            funders["state"],
            scheme="Autre",
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 1, 1),
        )
    assert error.value.field == "ends_on"
    assert FundingLine.objects.count() == 1


def test_another_public_must_be_specified(cde_conference, funders):
    with pytest.raises(RuleError) as error:
        line(cde_conference, funders["state"], public="other")
    assert error.value.field == "public_detail"
    created = line(
        cde_conference, funders["state"], public="other", public_detail="Sortants de prison"
    )
    assert created.public_label == "Sortants de prison"


def test_part_of_the_territory_must_lie_in_the_perimeter(world, cde_conference, funders):
    villefranche = world.territory.villefranche
    paris = world.territory.communes["75056"]
    created = line(
        cde_conference,
        funders["state"],
        covers_whole_perimeter=False,
        epcis=[villefranche],
        communes=[world.territory.communes["69243"]],
    )
    assert list(created.epcis.all()) == [villefranche]
    with pytest.raises(RuleError) as error:
        line(
            cde_conference,
            funders["state"],
            scheme="Hors périmètre",
            covers_whole_perimeter=False,
            communes=[paris],
        )
    assert "hors du périmètre" in error.value.messages[0].lower()
    assert "Paris" in error.value.messages[0]
    with pytest.raises(RuleError):
        line(cde_conference, funders["state"], scheme="Vide", covers_whole_perimeter=False)
    assert FundingLine.objects.count() == 1


def test_a_cle_line_covers_only_the_cle_perimeter(world, cle_conference):
    cle_funder = funder(world.cle, "CA Villefranche Beaujolais Saône", "communes_epci")
    line(
        cle_conference,
        cle_funder,
        covers_whole_perimeter=False,
        communes=[world.territory.communes["69264"]],
    )
    with pytest.raises(RuleError):
        line(
            cle_conference,
            cle_funder,
            scheme="Lyon",
            covers_whole_perimeter=False,
            communes=[world.territory.communes["69123"]],  # Lyon: in the CDE, not in the CLE
        )


def test_a_line_financed_alone_has_no_cofinancer(cde_conference, funders):
    with pytest.raises(RuleError) as error:
        line(
            cde_conference,
            funders["state"],
            cofinancings=[{"partner_name": "Région", "share": D("30"), "partner": None}],
        )
    assert error.value.field == "cofinancings"
    with pytest.raises(RuleError):
        line(cde_conference, funders["state"], own_share=D("60"))
    assert line(cde_conference, funders["state"], own_share=D("100")).own_share is None


def test_a_cofinanced_line_names_its_cofinancers_and_shares(cde_conference, funders):
    with pytest.raises(RuleError):
        line(cde_conference, funders["fse"], is_cofinanced=True, own_share=D("60"))
    with pytest.raises(RuleError):
        line(
            cde_conference,
            funders["fse"],
            is_cofinanced=True,
            cofinancings=[{"partner_name": "Département", "share": D("40"), "partner": None}],
        )
    with pytest.raises(RuleError) as error:
        line(
            cde_conference,
            funders["fse"],
            is_cofinanced=True,
            own_share=D("60"),
            cofinancings=[{"partner_name": "FSE+ (État)", "share": D("40"), "partner": None}],
        )
    assert "déjà le financeur" in error.value.messages[0]
    with pytest.raises(RuleError):
        line(
            cde_conference,
            funders["fse"],
            is_cofinanced=True,
            own_share=D("60"),
            cofinancings=[{"partner_name": "Département", "share": D("0"), "partner": None}],
        )
    created = line(
        cde_conference,
        funders["fse"],
        is_cofinanced=True,
        own_share=D("60"),
        cofinancings=[
            {
                "partner_name": "Département du Rhône",
                "share": D("40"),
                "partner": funders["departement"],
            }
        ],
    )
    assert created.cofinancings.get().partner == funders["departement"]


def test_shares_not_adding_up_to_100_are_accepted_for_the_conference_to_settle(
    cde_conference, funders
):
    created = line(
        cde_conference,
        funders["fse"],
        is_cofinanced=True,
        own_share=D("50"),
        cofinancings=[{"partner_name": "Département", "share": D("30"), "partner": None}],
    )
    assert created.pk


def test_update_checks_the_rules_again(cde_conference, funders):
    created = line(cde_conference, funders["state"])
    changed = values_from_line(created)
    changed.amount_committed = D("2500.50")
    update_line(line=created, values=changed)
    created.refresh_from_db()
    assert created.amount_committed == D("2500.50")
    changed.amount_available = D("-1")
    with pytest.raises(RuleError):
        update_line(line=created, values=changed)
    created.refresh_from_db()
    assert created.amount_available == D("40000.00")


def test_update_replaces_the_cofinancing(cde_conference, funders):
    created = line(
        cde_conference,
        funders["fse"],
        is_cofinanced=True,
        own_share=D("60"),
        cofinancings=[{"partner_name": "Département", "share": D("40"), "partner": None}],
    )
    changed = values_from_line(created)
    changed.is_cofinanced = False
    changed.own_share = None
    changed.cofinancings = []
    update_line(line=created, values=changed)
    assert not CoFinancing.objects.exists()


def test_a_dissolved_committee_offer_no_longer_changes(world, cde_conference, funders):
    created = line(cde_conference, funders["state"])
    dissolve_committee(committee=world.cde, dissolved_on=date(2026, 1, 1))
    cde_conference.committee.refresh_from_db()
    with pytest.raises(RuleError):
        add_line(conference=cde_conference, values=values(funders["state"], scheme="Nouvelle"))
    with pytest.raises(RuleError):
        delete_line(line=FundingLine.objects.get(pk=created.pk))
    assert FundingLine.objects.count() == 1


def test_a_line_is_deleted(cde_conference, funders):
    created = line(cde_conference, funders["state"])
    delete_line(line=created)
    assert not FundingLine.objects.exists()
