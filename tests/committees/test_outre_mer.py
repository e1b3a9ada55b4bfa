"""DEC-OUTRE-MER: the single regional-and-departmental committees of the DROM.

Guadeloupe and La Réunion may merge their regional and departmental committees into one
(préfet + président du conseil régional + président du conseil départemental, at most 47
members); Guyane, Martinique and Mayotte have one collectivité holding both powers (préfet +
président of the collectivité). The separate CRE and CDE stay lawful. Each rule: a success
and a refusal, the refusal leaving the database as it was.
"""

from datetime import date

import pytest

from committees.models import Commission, Committee, CoPresidency, Level
from committees.models.rules import REQUIRED_CATEGORIES, Category
from committees.permissions import can_manage_committee, can_view_committee
from committees.selectors import committee_warnings, warning_counts
from committees.services.committees import install_committee, max_members, missing_categories
from cte_portal.core.errors import RuleError
from tests.factories.committees import (
    ARRETE,
    START,
    CommitteeFactory,
    CoPresidencyFactory,
    MembershipFactory,
    ddets_agent,
    dreets_agent,
)
from tests.factories.territories import OVERSEAS, build_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(db):
    return build_territory(OVERSEAS)


def single(t, region, departement, **kwargs) -> Committee:
    return CommitteeFactory(
        level=Level.DEPARTMENTAL,
        outre_mer_single=True,
        name=kwargs.pop("name", f"Comité pour l'emploi de {region.name}"),
        region=region,
        departements=[departement],
        **kwargs,
    )


def seat_categories(committee: Committee, categories) -> None:
    for category in categories:
        MembershipFactory(committee=committee, category=category)


def reunion_copresidents(committee: Committee, *, with_departement: bool = True) -> None:
    CoPresidencyFactory(committee=committee, office="Préfet de La Réunion")
    CoPresidencyFactory(
        committee=committee,
        local_authority=True,
        office="Présidente du conseil régional",
        authority="Conseil régional de La Réunion",
    )
    if with_departement:
        CoPresidencyFactory(
            committee=committee,
            local_authority=True,
            office="Président du conseil départemental",
            authority="Conseil départemental de La Réunion",
        )


# --- Creation -----------------------------------------------------------------------------------


def test_the_single_committee_of_la_reunion_holds_both_levels_with_its_iae_commission(t):
    """DEC-OUTRE-MER: one committee for the regional and departmental levels, with the
    departmental duties (its IAE commission, DEC-IAE) and no committee above it."""
    committee = single(t, t.reunion, t.d974)
    assert committee.outre_mer_single
    assert committee.level == Level.DEPARTMENTAL
    assert committee.parent is None
    assert committee.commissions.filter(kind=Commission.Kind.IAE, is_mandatory=True).exists()
    assert max_members(committee) == 47


def test_a_single_committee_is_refused_in_metropolitan_france(t):
    """DEC-OUTRE-MER: the single committee exists in the five DROM only."""
    before = Committee.objects.count()
    with pytest.raises(RuleError, match="n'existe qu'en Guadeloupe") as error:
        single(t, t.ara, t.d69)
    assert error.value.field == "outre_mer_single"
    assert Committee.objects.count() == before


def test_a_single_committee_covers_its_drom_departement(t):
    """DEC-OUTRE-MER: the single committee of La Réunion covers the 974, not another one."""
    with pytest.raises(RuleError, match="couvre le département 974"):
        single(t, t.reunion, t.d971)
    assert not Committee.objects.exists()


def test_no_separate_cre_or_cde_beside_a_single_committee(t):
    """DEC-OUTRE-MER: the single committee stands for both levels; a CRE or CDE beside it is
    refused, while a CLE of the island is welcome and reports to it."""
    committee = single(t, t.reunion, t.d974)
    with pytest.raises(RuleError, match="a déjà un comité unique"):
        CommitteeFactory(cre=True, region=t.reunion)
    with pytest.raises(RuleError, match="a déjà un comité unique"):
        CommitteeFactory(cde=True, region=t.reunion, departements=[t.d974])
    assert Committee.objects.count() == 1

    cle = CommitteeFactory(
        cle=True,
        name="CLE Nord",
        region=t.reunion,
        departements=[t.d974],
        perimeter={"epcis": [t.cinor]},
    )
    assert cle.parent == committee
    assert cle.commune_count == 2


def test_a_single_committee_is_refused_while_the_cre_is_active(t):
    """DEC-OUTRE-MER: the merger replaces the CRE and the CDE; not beside them."""
    CommitteeFactory(cre=True, name="CRE Guadeloupe", region=t.guadeloupe)
    with pytest.raises(RuleError, match="CRE Guadeloupe"):
        single(t, t.guadeloupe, t.d971)
    assert not Committee.objects.filter(outre_mer_single=True).exists()


def test_separate_cre_and_cde_stay_lawful_in_a_drom(t):
    """DEC-OUTRE-MER: the merger is an option: Guadeloupe may keep a CRE and a CDE."""
    cre = CommitteeFactory(cre=True, region=t.guadeloupe)
    cde = CommitteeFactory(cde=True, region=t.guadeloupe, departements=[t.d971])
    assert cde.parent == cre
    assert not cre.outre_mer_single and not cde.outre_mer_single


# --- Co-presidency and composition, at installation ----------------------------------------------


def test_la_reunion_installs_with_its_three_co_presidents(t):
    """DEC-OUTRE-MER / DEC-COPRESIDENCY: préfet + président de région + président du conseil
    départemental, and the regional and departmental categories seated."""
    committee = single(t, t.reunion, t.d974)
    reunion_copresidents(committee)
    seat_categories(committee, REQUIRED_CATEGORIES[Level.REGIONAL])
    install_committee(committee=committee, installed_on=date(2025, 1, 15), arrete_reference=ARRETE)
    committee.refresh_from_db()
    assert committee.is_installed
    sides = sorted(committee.copresidencies.values_list("side", flat=True))
    assert sides == [CoPresidency.Side.LOCAL_AUTHORITY] * 2 + [CoPresidency.Side.STATE]


def test_la_reunion_is_not_installed_without_the_departement_co_president(t):
    """DEC-OUTRE-MER: where a région and a département both exist, both presidents co-preside."""
    committee = single(t, t.reunion, t.d974)
    reunion_copresidents(committee, with_departement=False)
    seat_categories(committee, REQUIRED_CATEGORIES[Level.REGIONAL])
    with pytest.raises(RuleError) as error:
        install_committee(committee=committee, installed_on=START, arrete_reference=ARRETE)
    assert any("président du conseil départemental" in m for m in error.value.messages)
    committee.refresh_from_db()
    assert committee.status == Committee.Status.DRAFT


def test_la_reunion_seats_the_region_and_the_departement(t):
    """DEC-OUTRE-MER: the single committee of La Réunion seats both the Région and the
    Département (and the social partners of both levels)."""
    committee = single(t, t.reunion, t.d974)
    seat_categories(
        committee, [c for c in REQUIRED_CATEGORIES[Level.REGIONAL] if c != Category.REGION]
    )
    assert missing_categories(committee) == [Category.REGION]


def test_martinique_installs_with_the_prefet_and_the_collectivite(t):
    """DEC-OUTRE-MER: Martinique's collectivité unique holds both powers: the préfet and its
    président co-preside, and its seat counts for the Région and the Département."""
    committee = single(t, t.martinique, t.d972)
    CoPresidencyFactory(committee=committee, office="Préfet de la Martinique")
    CoPresidencyFactory(
        committee=committee,
        local_authority=True,
        office="Président du conseil exécutif",
        authority="Collectivité territoriale de Martinique",
    )
    seat_categories(
        committee, [c for c in REQUIRED_CATEGORIES[Level.REGIONAL] if c != Category.DEPARTEMENT]
    )
    assert missing_categories(committee) == []
    install_committee(committee=committee, installed_on=date(2025, 2, 1), arrete_reference=ARRETE)
    assert Committee.objects.get(pk=committee.pk).is_installed


def test_martinique_needs_the_collectivite_seated(t):
    """DEC-OUTRE-MER: without any seat of the collectivité, the installation is refused."""
    committee = single(t, t.martinique, t.d972)
    local = {Category.REGION, Category.DEPARTEMENT}
    seat_categories(committee, [c for c in REQUIRED_CATEGORIES[Level.REGIONAL] if c not in local])
    assert missing_categories(committee) == [Category.REGION]


# --- Who runs it -----------------------------------------------------------------------------------


def test_the_regional_state_service_runs_the_single_committee(t):
    """DEC-OUTRE-MER: the single committee is also the regional one: the DREETS (DEETS) agent
    of La Réunion runs it beside the departmental service; an agent elsewhere does not."""
    regional = dreets_agent(t.reunion)
    departmental = ddets_agent(t.d974)
    elsewhere = dreets_agent(t.guadeloupe)
    committee = single(t, t.reunion, t.d974)
    assert can_manage_committee(regional, committee)
    assert can_manage_committee(departmental, committee)
    assert not can_view_committee(elsewhere, committee)
    assert not can_manage_committee(elsewhere, committee)


def test_the_list_counts_the_same_warnings_as_the_committee_page(t):
    """DEC-OUTRE-MER: the missing second local co-president is one warning on both."""
    committee = single(t, t.reunion, t.d974)
    reunion_copresidents(committee, with_departement=False)
    committee.refresh_from_db()
    assert warning_counts([committee])[committee.pk] == len(committee_warnings(committee))
