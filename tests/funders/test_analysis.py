"""The questions a conference asks of its offer map (INS-FUNDERS): sums and shares with exact
decimals, co-financing that does not add up to 100 %, lines ending within six months, overlaps
and gaps against the roadmaps' action sheets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from funders.selectors.analysis import OfferMap, add_months, share_of
from roadmaps.services.roadmaps import add_action_sheet, add_axis, create_roadmap
from tests.funders.world import D, line, today

pytestmark = pytest.mark.django_db


def _sheet(axis, title, public="", territory="", status="to_launch"):
    return add_action_sheet(
        axis=axis,
        title=title,
        problem="Un problème du territoire.",
        objective="Un objectif partagé.",
        expected_results="Des résultats.",
        target_public=public,
        target_territory=territory,
        status=status,
    )


def _axis(committee, user):
    roadmap = create_roadmap(committee=committee, user=user, title=f"Feuille de route {committee}")
    return add_axis(
        roadmap=roadmap,
        title="Lever les freins",
        diagnostic="Diagnostic.",
        stakes="Enjeux.",
        objectives="Objectifs.",
    )


# --- Sums and shares ------------------------------------------------------------------------------


def test_totals_are_exact_decimal_sums(cde_conference, funders):
    # 0.1 + 0.2 is not 0.3 in binary floating point: the totals must be.
    line(cde_conference, funders["state"], amount_committed=D("0.10"), amount_available=D("0.10"))
    line(
        cde_conference,
        funders["state"],
        scheme="Autre",
        amount_committed=D("0.20"),
        amount_available=D("0.20"),
    )
    line(
        cde_conference,
        funders["fse"],
        amount_committed=D("9999999999.99"),
        amount_available=D("0.01"),
    )
    offer = OfferMap.build(cde_conference)
    assert offer.total.committed == Decimal("10000000000.29")
    assert offer.total.available == Decimal("0.31")
    assert isinstance(offer.total.committed, Decimal)
    by_funder = {row.label: row for row in offer.by_funder.rows}
    assert by_funder["DDETS du Rhône"].committed == Decimal("0.30")
    assert by_funder["DDETS du Rhône"].lines == 2


def test_totals_per_funder_public_and_scheme_and_the_share_each_carries(
    world, cde_conference, funders
):
    line(cde_conference, funders["state"], amount_committed=D("100000.00"), places=20)
    line(
        cde_conference,
        funders["departement"],
        scheme="Accompagnement global",
        amount_committed=D("50000.00"),
        people=35,
    )
    line(
        cde_conference,
        funders["caf"],
        scheme="Places de crèche AVIP",
        scheme_kind="childcare",
        public="single_parents",
        amount_committed=D("50000.00"),
        places=12,
    )
    offer = OfferMap.build(cde_conference)
    funders_rows = {r.label: r for r in offer.by_funder.rows}
    assert funders_rows["DDETS du Rhône"].share == Decimal("50.00")
    assert funders_rows["Département du Rhône"].share == Decimal("25.00")
    assert funders_rows["CAF du Rhône"].share == Decimal("25.00")
    assert offer.by_funder.rows[0].label == "DDETS du Rhône"  # largest first
    publics = {r.label: r.committed for r in offer.by_public.rows}
    assert publics == {
        "Bénéficiaires du RSA": Decimal("150000.00"),
        "Familles monoparentales": Decimal("50000.00"),
    }
    schemes = {r.label: r for r in offer.by_scheme.rows}
    assert schemes["Accompagnement global"].committed == Decimal("150000.00")
    assert schemes["Accompagnement global"].lines == 2
    kinds = {r.key: r.committed for r in offer.by_scheme_kind.rows}
    assert kinds == {"support": Decimal("150000.00"), "childcare": Decimal("50000.00")}
    assert offer.total.places == 32 and offer.total.people == 35


def test_shares_are_rounded_half_up_from_the_exact_sums(cde_conference, funders):
    for key in ("state", "fse", "caf"):
        line(cde_conference, funders[key], amount_committed=D("100000.00"))
    offer = OfferMap.build(cde_conference)
    assert [r.share for r in offer.by_funder.rows] == [Decimal("33.33")] * 3
    assert offer.by_funder.shares_sum == Decimal("99.99")  # displayed shares, exact sums
    assert share_of(Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert share_of(Decimal("1"), Decimal("0")) is None


def test_an_empty_offer_has_no_share(cde_conference):
    offer = OfferMap.build(cde_conference)
    assert offer.total.committed == Decimal("0.00")
    assert offer.total.share is None
    assert offer.by_funder.rows == []


# --- Co-financing ------------------------------------------------------------------------------------


def test_cofinanced_lines_whose_shares_do_not_add_up_to_100_are_listed(cde_conference, funders):
    complete = line(
        cde_conference,
        funders["fse"],
        is_cofinanced=True,
        own_share=D("60.00"),
        cofinancings=[
            {"partner_name": "Département du Rhône", "share": D("33.33"), "partner": None},
            {"partner_name": "Métropole", "share": D("6.67"), "partner": None},
        ],
    )
    short = line(
        cde_conference,
        funders["caf"],
        scheme="Crèches",
        is_cofinanced=True,
        own_share=D("50"),
        cofinancings=[{"partner_name": "Ville", "share": D("30"), "partner": None}],
    )
    over = line(
        cde_conference,
        funders["region"],
        scheme="Formation",
        is_cofinanced=True,
        own_share=D("70.01"),
        cofinancings=[{"partner_name": "OPCO", "share": D("30"), "partner": None}],
    )
    line(cde_conference, funders["state"], scheme="Seul")  # financed alone: never listed
    gaps = {gap.line.pk: gap for gap in OfferMap.build(cde_conference).incomplete_cofinancing}
    assert complete.pk not in gaps
    assert gaps[short.pk].total == Decimal("80.00")
    assert gaps[short.pk].difference == Decimal("20.00")
    assert gaps[over.pk].total == Decimal("100.01")
    assert gaps[over.pk].difference == Decimal("-0.01")
    assert len(gaps) == 2


# --- Lines ending within six months -----------------------------------------------------------------


def test_lines_ending_within_six_months(cde_conference, funders):
    now = today()
    soon = line(
        cde_conference, funders["state"], scheme="Bientôt", ends_on=now + timedelta(days=90)
    )
    limit = line(cde_conference, funders["state"], scheme="Limite", ends_on=add_months(now, 6))
    line(
        cde_conference,
        funders["state"],
        scheme="Plus tard",
        ends_on=add_months(now, 6) + timedelta(days=1),
    )
    line(
        cde_conference,
        funders["state"],
        scheme="Échue",
        starts_on=now - timedelta(days=400),
        ends_on=now - timedelta(days=1),
    )
    ending = OfferMap.build(cde_conference).ending_soon
    assert [item.pk for item in ending] == [soon.pk, limit.pk]


def test_add_months_keeps_the_end_of_month():

    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), -12) == date(2025, 3, 15)


# --- Overlaps ------------------------------------------------------------------------------------------


def test_two_funders_paying_for_the_same_public_territory_and_kind_overlap(
    world, cde_conference, funders
):
    communes = world.territory.communes
    region = line(
        cde_conference,
        funders["region"],
        scheme="Aide au permis",
        scheme_kind="mobility",
        public="youth",
        covers_whole_perimeter=False,
        epcis=[world.territory.villefranche],
    )
    ft = line(
        cde_conference,
        funders["ft"],
        scheme="Mobilité jeunes",
        scheme_kind="mobility",
        public="youth",
        covers_whole_perimeter=False,
        communes=[communes["69013"]],  # Arnas, in the CA Villefranche
    )
    overlaps = OfferMap.build(cde_conference).overlaps
    assert len(overlaps) == 1
    assert {overlaps[0].first.pk, overlaps[0].second.pk} == {region.pk, ft.pk}
    assert overlaps[0].territory == "Arnas"


def test_no_overlap_across_territories_publics_kinds_periods_or_within_one_funder(
    world, cde_conference, funders
):
    communes = world.territory.communes
    base = {"scheme_kind": "mobility", "public": "youth", "covers_whole_perimeter": False}
    line(cde_conference, funders["region"], scheme="Permis", communes=[communes["69264"]], **base)
    # another territory
    line(cde_conference, funders["ft"], scheme="Permis FT", communes=[communes["69243"]], **base)
    # another public
    line(
        cde_conference,
        funders["caf"],
        scheme="Permis parents",
        communes=[communes["69264"]],
        **{**base, "public": "single_parents"},
    )
    # another kind
    line(
        cde_conference,
        funders["departement"],
        scheme="Formation",
        communes=[communes["69264"]],
        **{**base, "scheme_kind": "training"},
    )
    # another period
    line(
        cde_conference,
        funders["state"],
        scheme="Permis 2020",
        communes=[communes["69264"]],
        starts_on=today().replace(year=2020, month=1, day=1),
        ends_on=today().replace(year=2020, month=12, day=31),
        **base,
    )
    # the same funder twice
    line(
        cde_conference, funders["region"], scheme="Permis bis", communes=[communes["69264"]], **base
    )
    assert OfferMap.build(cde_conference).overlaps == []


def test_a_declared_cofinancing_is_not_an_overlap(cde_conference, funders):
    line(
        cde_conference,
        funders["fse"],
        scheme="Accompagnement renforcé",
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
    line(cde_conference, funders["departement"], scheme="Accompagnement renforcé")
    assert OfferMap.build(cde_conference).overlaps == []
    line(cde_conference, funders["state"], scheme="Accompagnement de l'État")
    # The State's line overlaps both: nobody declared it.
    assert len(OfferMap.build(cde_conference).overlaps) == 2


def test_a_whole_perimeter_line_overlaps_a_partial_one(world, cde_conference, funders):
    line(cde_conference, funders["state"])
    line(
        cde_conference,
        funders["ft"],
        covers_whole_perimeter=False,
        communes=[world.territory.communes["69243"]],
    )
    overlaps = OfferMap.build(cde_conference).overlaps
    assert len(overlaps) == 1 and overlaps[0].territory == "Tarare"


# --- Gaps against the roadmaps -------------------------------------------------------------------------


def test_gaps_against_the_action_sheets_of_the_roadmaps(world, cde_conference, funders):
    communes = world.territory.communes
    line(cde_conference, funders["state"], public="rsa")  # whole perimeter
    line(
        cde_conference,
        funders["region"],
        scheme="Aide au permis",
        scheme_kind="mobility",
        public="youth",
        covers_whole_perimeter=False,
        communes=[communes["69243"]],  # Tarare
    )
    line(
        cde_conference,
        funders["caf"],
        scheme="Crèches",
        scheme_kind="childcare",
        public="single_parents",
        covers_whole_perimeter=False,
        communes=[communes["69264"]],  # Villefranche-sur-Saône
    )
    axis = _axis(world.cde, world.ddets69)
    rsa = _sheet(axis, "RSA", "Bénéficiaires du RSA")
    young = _sheet(axis, "Jeunes à Tarare", "Jeunes de moins de 26 ans", "Tarare")
    disabled = _sheet(axis, "Handicap", "Personnes en situation de handicap")
    parents = _sheet(axis, "Parents isolés", "Familles monoparentales", "Belleville-en-Beaujolais")
    seniors = _sheet(axis, "Seniors", "Seniors", "Saint-Pierre-la-Lune")
    _sheet(axis, "Terminée", "Personnes en situation de handicap", status="done")
    cle_axis = _axis(world.cle, world.ddets69)
    cle_rsa = _sheet(cle_axis, "RSA du CLE", "allocataires du RSA")

    offer = OfferMap.build(cde_conference)
    coverage = {item.sheet.pk: item for item in offer.coverage}
    assert set(coverage) == {rsa.pk, young.pk, disabled.pk, parents.pk, seniors.pk, cle_rsa.pk}
    assert coverage[rsa.pk].covered
    assert coverage[young.pk].covered and coverage[young.pk].territory_label == "Tarare"
    assert coverage[cle_rsa.pk].covered  # a local committee's sheet, through the CDE's offer
    assert not coverage[disabled.pk].covered
    assert coverage[disabled.pk].status == "Public non couvert"
    # Single parents are funded in Villefranche, Belleville has lines, but not for them.
    assert not coverage[parents.pk].covered
    assert (
        coverage[parents.pk].status == "Public et territoire couverts séparément, jamais ensemble"
    )
    assert not coverage[seniors.pk].covered
    assert not coverage[seniors.pk].territory_recognised
    assert [gap.label for gap in offer.public_gaps] == [
        "Personnes en situation de handicap",
        "Seniors (50 ans et plus)",
    ]
    assert [s.pk for s in offer.public_gaps[0].sheets] == [disabled.pk]
    assert {item.sheet.pk for item in offer.uncovered_sheets} == {
        disabled.pk,
        parents.pk,
        seniors.pk,
    }


def test_a_territory_no_line_covers_is_a_gap(world, cde_conference, funders):
    line(
        cde_conference,
        funders["state"],
        covers_whole_perimeter=False,
        communes=[world.territory.communes["69264"]],
    )
    axis = _axis(world.cde, world.ddets69)
    tarare = _sheet(axis, "Tarare", "Bénéficiaires du RSA", "Tarare")
    covered = _sheet(axis, "Villefranche", "Bénéficiaires du RSA", "Villefranche-sur-Saône")
    offer = OfferMap.build(cde_conference)
    assert [(gap.label, [s.pk for s in gap.sheets]) for gap in offer.territory_gaps] == [
        ("Tarare", [tarare.pk])
    ]
    assert {item.sheet.pk for item in offer.uncovered_sheets} == {tarare.pk}
    assert covered.pk not in {s.pk for gap in offer.territory_gaps for s in gap.sheets}


def test_an_epci_named_in_a_sheet_is_matched_to_its_communes(world, cde_conference, funders):
    line(
        cde_conference,
        funders["state"],
        covers_whole_perimeter=False,
        communes=[world.territory.communes["69013"]],  # Arnas, in the CA
    )
    axis = _axis(world.cde, world.ddets69)
    sheet = _sheet(axis, "CA", "RSA", "Communauté d'agglomération Villefranche Beaujolais Saône")
    item = OfferMap.build(cde_conference).coverage[0]
    assert item.sheet.pk == sheet.pk
    assert item.territory_recognised and item.covered


def test_a_tous_publics_line_covers_every_public(cde_conference, world, funders):
    line(cde_conference, funders["state"], public="all")
    axis = _axis(world.cde, world.ddets69)
    _sheet(axis, "Handicap", "Personnes handicapées")
    offer = OfferMap.build(cde_conference)
    assert offer.public_gaps == [] and offer.uncovered_sheets == []


def test_without_a_roadmap_there_is_nothing_to_compare(cde_conference, funders):
    line(cde_conference, funders["state"])
    offer = OfferMap.build(cde_conference)
    assert offer.coverage == [] and offer.public_gaps == [] and offer.territory_gaps == []


def test_a_local_conference_compares_with_its_own_roadmap_only(world, cle_conference):
    axis = _axis(world.cde, world.ddets69)
    _sheet(axis, "Du CDE", "Seniors")
    offer = OfferMap.build(cle_conference)
    assert offer.coverage == []


def test_the_offer_map_reads_in_a_fixed_number_of_queries(
    world, cde_conference, funders, django_assert_max_num_queries
):
    def fill(count, start):
        for index in range(start, start + count):
            line(
                cde_conference,
                funders["caf"],
                scheme=f"Ligne {index}",
                public="youth",
                covers_whole_perimeter=False,
                communes=[world.territory.communes["69264"]],
                is_cofinanced=True,
                own_share=D("50"),
                cofinancings=[{"partner_name": "Ville", "share": D("40"), "partner": None}],
            )

    axis = _axis(world.cde, world.ddets69)
    for index in range(3):
        _sheet(axis, f"Fiche {index}", "Jeunes", "Tarare")

    def read():
        offer = OfferMap.build(cde_conference)
        return (
            offer.breakdowns,
            offer.incomplete_cofinancing,
            offer.ending_soon,
            offer.overlaps,
            offer.coverage,
            offer.public_gaps,
            offer.territory_gaps,
        )

    fill(3, 0)
    cde_conference = (
        type(cde_conference).objects.select_related("committee__region").get(pk=cde_conference.pk)
    )
    with django_assert_max_num_queries(14) as few:
        read()
    fill(30, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        read()


def test_a_sheet_naming_the_departement_aims_at_the_whole_perimeter(world, cde_conference, funders):
    line(cde_conference, funders["state"], public="all")
    axis = _axis(world.cde, world.ddets69)
    _sheet(axis, "Plateforme", territory="Département du Rhône hors Métropole")
    item = OfferMap.build(cde_conference).coverage[0]
    assert item.territory_recognised and item.territory_label == "Tout le périmètre"
    assert item.covered


def test_a_sheet_aimed_only_at_a_sector_is_not_compared(world, cde_conference, funders):
    line(cde_conference, funders["state"])
    axis = _axis(world.cde, world.ddets69)
    add_action_sheet(
        axis=axis,
        title="Logistique",
        problem="P",
        objective="O",
        expected_results="R",
        sector="Logistique",
    )
    assert OfferMap.build(cde_conference).coverage == []
