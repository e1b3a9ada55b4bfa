"""Edge cases of the composition rules found in review: expired mandates, vacancies at the
maximum, empty rotation years, and the caller's instance after installation."""

from datetime import date, timedelta

import pytest

from committees.models import Commission, Committee, CoPresidency, Level, Membership
from committees.models.rules import Category
from committees.selectors import committee_history
from committees.services.committees import (
    appointed_members,
    dissolve_committee,
    install_committee,
    set_perimeter,
    update_committee,
)
from committees.services.composition import (
    add_commission,
    add_copresident,
    add_member,
    end_membership,
    propose_rotation,
    rotation_problems,
    vote_balance,
)
from cte_portal.core.errors import RuleError
from tests.committees.composition_helpers import complete_composition, make_cle, make_cre
from tests.factories.committees import MembershipFactory
from tests.factories.territories import COMPOSITION, build_territory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territories():
    return build_territory(COMPOSITION)


def test_an_expired_mandate_no_longer_counts_for_votes_or_dec_max(territories):
    # DEC-MANDATE: a mandate that has run out is over, even if nobody ended it by hand.
    cle = make_cle(territories)
    expired = MembershipFactory(
        committee=cle,
        category=Category.STATE,
        mandate_start=date.today() - timedelta(days=400),
        mandate_end=date.today() - timedelta(days=1),
    )
    current = MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    assert list(appointed_members(cle)) == [current]
    assert not Membership.objects.active().filter(pk=expired.pk).exists()
    assert vote_balance(cle)["state"] == 0


def test_a_mandate_ending_today_is_still_in_office(territories):
    cle = make_cle(territories)
    member = MembershipFactory(
        committee=cle,
        category=Category.STATE,
        mandate_start=date.today() - timedelta(days=10),
        mandate_end=date.today(),
    )
    assert Membership.objects.active().filter(pk=member.pk).exists()


def test_filling_a_vacancy_is_refused_when_the_seat_was_taken_meanwhile(settings, territories):
    # DEC-MAX holds for a vacancy too: the seat freed by the departure was given to someone else.
    settings.CTE = {**settings.CTE, "MAX_MEMBERS_LOCAL": 2}
    cle = make_cle(territories)
    leaving = MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    end_membership(membership=leaving, ended_on=date.today(), reason="Mutation")
    MembershipFactory(committee=cle, category=Category.FRANCE_TRAVAIL)  # takes the freed seat
    before = Membership.objects.count()
    with pytest.raises(RuleError) as error:
        add_member(
            committee=cle,
            person=UserFactory(),
            organisation="Préfecture du Rhône",
            category=Category.STATE,
            mandate_start=date.today(),
            replaces=leaving,
        )
    assert "maximum" in str(error.value)
    assert Membership.objects.count() == before


def test_filling_a_vacancy_at_the_maximum_is_allowed_for_the_freed_seat(settings, territories):
    settings.CTE = {**settings.CTE, "MAX_MEMBERS_LOCAL": 2}
    cle = make_cle(territories)
    leaving = MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    replacement = add_member(
        committee=cle,
        person=UserFactory(),
        organisation="Préfecture du Rhône",
        category=Category.STATE,
        mandate_start=date.today(),
        replaces=leaving,
    )
    # DEC-MANDATE: the remainder of the mandate only.
    assert replacement.mandate_end == leaving.mandate_end


def test_a_rotation_with_an_empty_year_is_refused(territories):
    # INS-CRE-CREFOP: the rotation spreads the départements over the three years.
    cre = make_cre(territories)
    plan = propose_rotation(cre)
    assert rotation_problems(cre, plan) == []
    everyone = [code for codes in plan.values() for code in codes]
    problems = rotation_problems(cre, {1: everyone, 2: everyone, 3: []})
    assert any("l'année 3" in problem for problem in problems)


def test_installation_updates_the_callers_instance(territories):
    cle = make_cle(territories)
    complete_composition(cle)
    install_committee(committee=cle, installed_on=date(2024, 9, 15), arrete_reference="Arrêté 69-1")
    assert cle.status == Committee.Status.INSTALLED
    # The next perimeter change on the same instance checks overlaps as an installed CLE.
    other = make_cle(territories, name="CLE Saône", epcis=[territories.epci_beaujolais])
    complete_composition(other)
    install_committee(
        committee=other, installed_on=date(2024, 9, 15), arrete_reference="Arrêté 69-2"
    )
    with pytest.raises(RuleError) as error:
        set_perimeter(
            committee=cle, epcis=[territories.epci_villefranche, territories.epci_beaujolais]
        )
    assert "Anse (69024)" in " ".join(error.value.messages)
    assert cle.level == Level.LOCAL


def test_update_refuses_a_crefop_mode_outside_the_regional_level(territories):

    cle = make_cle(territories)
    with pytest.raises(RuleError):
        update_committee(committee=cle, crefop_mode="merged")
    cle.refresh_from_db()
    assert cle.crefop_mode == ""


def test_update_refuses_a_special_authority_outside_the_departmental_level(territories):

    cle = make_cle(territories)
    with pytest.raises(RuleError):
        update_committee(committee=cle, special_authority="cea")
    cle.refresh_from_db()
    assert cle.special_authority == ""


def test_a_dissolved_committee_can_no_longer_be_changed(territories):

    cle = make_cle(territories)
    dissolve_committee(committee=cle, dissolved_on=date.today())
    attempts = [
        lambda: update_committee(committee=cle, name="Nouveau nom"),
        lambda: set_perimeter(committee=cle, epcis=[territories.epci_beaujolais]),
        lambda: MembershipFactory(committee=cle, category=Category.STATE),
        lambda: add_copresident(
            committee=cle,
            side=CoPresidency.Side.STATE,
            person=UserFactory(),
            office="Préfète du Rhône",
            started_on=date.today(),
        ),
        lambda: add_commission(committee=cle, name="Mobilité", kind=Commission.Kind.COMMISSION),
    ]
    for attempt in attempts:
        with pytest.raises(RuleError) as error:
            attempt()
        assert "dissous" in str(error.value)
    cle.refresh_from_db()
    assert cle.name == "CLE Beaujolais"
    assert list(cle.communes.values_list("code", flat=True)) == ["69010", "69264"]
    assert not cle.memberships.exists() and not cle.copresidencies.exists()


def test_a_perimeter_change_shows_in_the_committee_history(territories):
    # Population and commune count alike, only the pieces differ: the history still says so.

    cle = make_cle(territories, epcis=[territories.epci_villefranche])
    assert "CA Villefranche Beaujolais Saône (200040590)" in cle.perimeter_description
    set_perimeter(committee=cle, arrondissements=[], communes=["69264", "69010"])
    cle.refresh_from_db()
    assert cle.perimeter_description == ("Communes : Arnas (69010), Villefranche-sur-Saône (69264)")
    latest = committee_history(cle)[0]
    assert latest.subject == "Comité"
    assert latest.fields == ["Périmètre"]
