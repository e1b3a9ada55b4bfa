"""DEC-MANDATE (article R. 5311-36 of the code du travail): three years at most, edits
included; a replacement only finishes the term; a substitute's mandate follows its titular's;
seats held by law do not expire by default; the renewal of a whole committee."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from committees.models import Membership
from committees.models.rules import Category
from committees.services import composition as services
from cte_portal.core.errors import RuleError
from tests.committees.composition_helpers import make_cde, make_cle
from tests.factories.committees import START, MembershipFactory, ddets_agent
from tests.factories.territories import COMPOSITION, build_territory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

TERM_END = date(2027, 8, 31)  # three years from START, last day included
assert date(2024, 9, 1) == START


@pytest.fixture
def territories(db):
    return build_territory(COMPOSITION)


@pytest.fixture
def cde(territories):
    return make_cde(territories)


@pytest.fixture
def cle(territories):
    return make_cle(territories)


def _edit(membership, **changes):
    values = {
        "organisation": membership.organisation,
        "votes": membership.votes,
        "mandate_end": membership.mandate_end,
        "appointment_arrete": membership.appointment_arrete,
        **changes,
    }
    return services.update_member(membership=membership, **values)


# --- Three years at most ------------------------------------------------------------------------


def test_dec_mandate_an_appointed_member_serves_three_years_by_default(cle):
    member = MembershipFactory(committee=cle, category=Category.STATE)
    assert member.mandate_end == TERM_END


def test_dec_mandate_an_appointment_longer_than_three_years_is_refused(cle):
    with pytest.raises(RuleError) as error:
        MembershipFactory(
            committee=cle, category=Category.STATE, mandate_end=TERM_END + timedelta(days=1)
        )
    assert error.value.rule == "DEC-MANDATE"
    assert "trois ans au plus" in error.value.messages[0]
    assert not Membership.objects.filter(committee=cle).exists()


def test_dec_mandate_an_edit_cannot_stretch_a_mandate_beyond_three_years(cle):
    member = MembershipFactory(committee=cle, category=Category.STATE)
    with pytest.raises(RuleError) as error:
        _edit(member, mandate_end=date(2028, 6, 30))
    assert error.value.rule == "DEC-MANDATE"
    member.refresh_from_db()
    assert member.mandate_end == TERM_END
    # A shorter mandate (an arrêté may appoint until an earlier date) is accepted.
    _edit(member, mandate_end=date(2026, 12, 31))
    member.refresh_from_db()
    assert member.mandate_end == date(2026, 12, 31)


def test_dec_mandate_an_emptied_end_goes_back_to_the_three_year_term(cle):
    member = MembershipFactory(committee=cle, category=Category.STATE, mandate_end=date(2026, 1, 1))
    _edit(member, mandate_end=None)
    member.refresh_from_db()
    assert member.mandate_end == TERM_END


# --- Seats held by law ----------------------------------------------------------------------------


def test_dec_mandate_france_travail_sits_by_law_without_expiry(cde, cle):
    for committee in (cde, cle):
        seat = MembershipFactory(committee=committee, category=Category.FRANCE_TRAVAIL)
        assert seat.mandate_end is None
    # Missions locales and Cap emploi: appointed for three years at departmental level only.
    assert MembershipFactory(committee=cde, category=Category.CAP_EMPLOI).mandate_end == TERM_END
    assert MembershipFactory(committee=cle, category=Category.CAP_EMPLOI).mandate_end is None


def test_dec_mandate_a_seat_by_law_may_still_be_given_an_end(cle):
    seat = MembershipFactory(
        committee=cle, category=Category.FRANCE_TRAVAIL, mandate_end=date(2030, 12, 31)
    )
    assert seat.mandate_end == date(2030, 12, 31)


# --- Replacement: remainder of the term only ------------------------------------------------------


def test_dec_mandate_a_replacement_finishes_the_term_and_cannot_be_stretched(cle):
    leaving = MembershipFactory(committee=cle, category=Category.STATE)
    services.end_membership(membership=leaving, ended_on=date(2025, 3, 1), reason="Mutation")
    newcomer = services.add_member(
        committee=cle,
        person=UserFactory(),
        organisation="Sous-préfecture",
        category=Category.STATE,
        mandate_start=date(2025, 3, 2),
        replaces=leaving,
    )
    assert newcomer.mandate_end == TERM_END
    with pytest.raises(RuleError) as error:
        _edit(newcomer, mandate_end=date(2028, 3, 1))
    assert error.value.rule == "DEC-MANDATE"
    assert "mandat restant à courir" in error.value.messages[0]
    newcomer.refresh_from_db()
    assert newcomer.mandate_end == TERM_END


# --- Substitutes follow their titular -------------------------------------------------------------


def test_dec_mandate_a_substitute_ends_with_its_titular(cle):
    titular = MembershipFactory(committee=cle, category=Category.STATE)
    substitute = MembershipFactory(
        committee=cle,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=titular,
        mandate_start=date(2025, 1, 15),
    )
    assert substitute.mandate_end == titular.mandate_end == TERM_END
    _edit(titular, mandate_end=date(2027, 1, 31))
    substitute.refresh_from_db()
    assert substitute.mandate_end == date(2027, 1, 31)


def test_dec_mandate_a_substitute_cannot_outlast_its_titular(cle):
    titular = MembershipFactory(committee=cle, category=Category.STATE)
    with pytest.raises(RuleError) as error:
        MembershipFactory(
            committee=cle,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=titular,
            mandate_start=date(2025, 1, 15),
            mandate_end=date(2028, 1, 14),
        )
    assert error.value.rule == "DEC-MANDATE"
    substitute = MembershipFactory(
        committee=cle, role=Membership.Role.SUBSTITUTE, substitute_for=titular
    )
    with pytest.raises(RuleError):
        _edit(substitute, mandate_end=date(2026, 6, 30))
    substitute.refresh_from_db()
    assert substitute.mandate_end == TERM_END


def test_dec_mandate_the_substitutes_of_a_replaced_titular_leave_with_it(cle):
    titular = MembershipFactory(committee=cle, category=Category.STATE)
    substitute = MembershipFactory(
        committee=cle, role=Membership.Role.SUBSTITUTE, substitute_for=titular
    )
    services.add_member(
        committee=cle,
        person=UserFactory(),
        organisation="Sous-préfecture",
        category=Category.STATE,
        mandate_start=date(2025, 6, 1),
        replaces=titular,
    )
    substitute.refresh_from_db()
    assert substitute.ended_on == date(2025, 6, 1)


# --- Renewal of a committee -----------------------------------------------------------------------


def _renewable_cde(cde):
    state = MembershipFactory(committee=cde, category=Category.STATE)
    substitute = MembershipFactory(
        committee=cde, role=Membership.Role.SUBSTITUTE, substitute_for=state
    )
    departement = MembershipFactory(
        committee=cde,
        category=Category.DEPARTEMENT,
        votes=2,
        represented=cde.departements.get(),
    )
    france_travail = MembershipFactory(committee=cde, category=Category.FRANCE_TRAVAIL)
    return state, substitute, departement, france_travail


def test_dec_mandate_the_seats_to_renew_are_those_with_a_term(cde):
    state, substitute, departement, france_travail = _renewable_cde(cde)
    seats = services.seats_to_renew(cde, today=date(2027, 6, 1))
    assert seats == [departement, state, substitute]
    assert france_travail not in seats  # by law, no term (DEC-MANDATE)
    assert services.renewal_date(seats) == date(2027, 9, 1)


def test_dec_mandate_renewal_of_the_whole_committee_before_the_end_of_the_term(cde):
    state, substitute, departement, _ft = _renewable_cde(cde)
    renewed = services.renew_committee(
        committee=cde,
        seats=[state, substitute, departement],
        renewed_on=date(2027, 9, 1),
        appointment_arrete="Arrêté préfectoral n° 69-2027-08-25-001",
    )
    assert len(renewed) == 3
    new_state = Membership.objects.get(renews=state)
    new_substitute = Membership.objects.get(renews=substitute)
    new_departement = Membership.objects.get(renews=departement)
    assert new_state.person == state.person and new_state.mandate_start == date(2027, 9, 1)
    assert new_state.mandate_end == date(2030, 8, 31)
    assert new_substitute.substitute_for == new_state
    assert new_departement.votes == 2 and new_departement.has_vote
    assert new_departement.represented == cde.departements.get()
    assert new_state.appointment_arrete == "Arrêté préfectoral n° 69-2027-08-25-001"
    # On the renewal day the new mandates are in office, the old ones are over.
    in_office = set(Membership.objects.active(date(2027, 9, 1)).filter(committee=cde))
    assert {new_state, new_substitute, new_departement} <= in_office
    assert not {state, substitute, departement} & in_office
    # Renewed seats are not offered again, even while their old mandate still runs.
    offered = {m.pk for m in services.seats_to_renew(cde, today=date(2027, 8, 15))}
    assert not offered & {state.pk, substitute.pk, departement.pk}


def test_dec_mandate_renewal_ahead_of_the_term_shortens_the_running_mandates(cde):
    state, substitute, departement, _ft = _renewable_cde(cde)
    services.renew_committee(
        committee=cde,
        seats=[state, substitute],
        renewed_on=date(2027, 7, 1),
        appointment_arrete="Arrêté n° 2",
    )
    state.refresh_from_db()
    departement.refresh_from_db()
    assert state.mandate_end == date(2027, 6, 30)
    assert departement.mandate_end == TERM_END  # not renewed: runs out at its term


def test_dec_mandate_renewal_refusals_change_nothing(cde):
    state, substitute, departement, france_travail = _renewable_cde(cde)
    before = list(Membership.objects.order_by("pk").values())
    cases = [
        ({"seats": [substitute]}, "renouvelez aussi le titulaire"),
        ({"seats": [france_travail]}, "n'est pas à renouveler"),
        ({"renewed_on": date(2027, 9, 2)}, "nouvelle nomination"),
        ({"appointment_arrete": " "}, "arrêté"),
        ({"seats": []}, "au moins un siège"),
    ]
    for changes, message in cases:
        arguments = {
            "committee": cde,
            "seats": [state, substitute, departement],
            "renewed_on": date(2027, 9, 1),
            "appointment_arrete": "Arrêté n° 3",
            **changes,
        }
        with pytest.raises(RuleError) as error:
            services.renew_committee(**arguments)
        assert message in " ".join(error.value.messages), changes
    assert list(Membership.objects.order_by("pk").values()) == before


def test_dec_mandate_renewal_page_lists_the_seats_and_renews_them(client, territories, cde):
    state, substitute, departement, france_travail = _renewable_cde(cde)
    agent = ddets_agent(territories.d69)
    client.force_login(agent)
    url = reverse("committees:renewal", args=[cde.pk])
    page = client.get(url).content.decode()
    for member in (state, substitute, departement):
        assert member.person.get_full_name() in page
    assert france_travail.person.get_full_name() not in page
    response = client.post(
        url,
        {
            "seats": [str(state.pk), str(substitute.pk)],
            "renewed_on": "2027-09-01",
            "appointment_arrete": "Arrêté préfectoral n° 69-2027-08-25-001",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(renews__in=[state, substitute]).count() == 2
    assert not Membership.objects.filter(renews=departement).exists()


def test_dec_mandate_renewal_page_is_refused_to_a_member(client, cde):
    state, *_rest = _renewable_cde(cde)
    client.force_login(state.person)
    url = reverse("committees:renewal", args=[cde.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"seats": [str(state.pk)], "renewed_on": "2027-09-01", "appointment_arrete": "A"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(renews=state).exists()


@pytest.mark.parametrize("count", [2, 12])
def test_dec_mandate_renewal_page_query_budget_is_flat(
    client, territories, cde, django_assert_max_num_queries, count
):
    for _ in range(count):
        titular = MembershipFactory(committee=cde, category=Category.STATE)
        MembershipFactory(committee=cde, role=Membership.Role.SUBSTITUTE, substitute_for=titular)
    client.force_login(ddets_agent(territories.d69))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("committees:renewal", args=[cde.pk]))
    assert response.status_code == 200
    assert len(response.context["form"].fields["seats"].choices) == 2 * count
