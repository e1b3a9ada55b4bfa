"""Rules of committees/services/composition.py and committees/services/committees.py.

Each rule has a success test and a refusal test; every refusal leaves the database unchanged.
"""

import re
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import (
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    CrefopRotation,
    Level,
    Membership,
    RulesOfProcedure,
    SpecialAuthority,
    WrittenOpinion,
)
from committees.models.rules import Category
from committees.permissions import can_copreside, can_manage_committee, can_view_committee
from committees.services import committees as committee_services
from committees.services import composition as services
from committees.services.staff import end_staff_assignment
from cte_portal.core.errors import RuleError
from cte_portal.users.models import User
from tests.committees.composition_helpers import (
    complete_composition,
    copresident,
    make_cde,
    make_cle,
    make_cre,
)
from tests.factories.committees import START, MembershipFactory, ddets_agent, dreets_agent
from tests.factories.territories import COMPOSITION, build_territory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

STATE = CoPresidency.Side.STATE
LOCAL = CoPresidency.Side.LOCAL_AUTHORITY


@pytest.fixture
def territories(db):
    return build_territory(COMPOSITION)


@pytest.fixture
def cde(territories):
    return make_cde(territories)


@pytest.fixture
def cle(territories):
    return make_cle(territories)


def refused(match: str):
    return pytest.raises(RuleError, match=match)


# --- invite_person ------------------------------------------------------------------------------


def test_invite_person_creates_the_user_and_sends_one_email_with_a_working_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.invite_person(
            email=" Claire.Dupont@Rhone.fr ",
            first_name="Claire",
            last_name="Dupont",
            organisation="Conseil départemental du Rhône",
        )
    assert person.email == "claire.dupont@rhone.fr"
    assert person.organisation == "Conseil départemental du Rhône"
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.dupont@rhone.fr"]
    link = re.search(r"https?://\S+", message.body).group(0)
    # The link opens the set-password form; the new password then signs the person in.
    response = client.get(urlparse(link).path, follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {
            "new_password1": "Un-mot-de-passe-solide-2024",
            "new_password2": "Un-mot-de-passe-solide-2024",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Un-mot-de-passe-solide-2024")
    # Signed in through the sign-in form (django-axes needs the request Client.login lacks).
    response = client.post(
        reverse("login"),
        {"username": "claire.dupont@rhone.fr", "password": "Un-mot-de-passe-solide-2024"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_invite_person_reuses_an_existing_user_without_email(django_capture_on_commit_callbacks):
    existing = UserFactory(email="prefete@rhone.gouv.fr", first_name="Fabienne")
    with django_capture_on_commit_callbacks(execute=True):
        person = services.invite_person(
            email="PREFETE@rhone.gouv.fr", first_name="Autre", last_name="Nom"
        )
    assert person == existing
    assert person.first_name == "Fabienne"
    assert mail.outbox == []
    assert User.objects.filter(email__iexact="prefete@rhone.gouv.fr").count() == 1


# --- DEC-COPRESIDENCY ---------------------------------------------------------------------------


def test_copresidency_one_prefet_and_one_president_in_a_cde(cde):
    prefete = copresident(cde, STATE)
    president = copresident(cde, LOCAL, authority="Conseil départemental du Rhône")
    assert {c.side for c in CoPresidency.objects.active().filter(committee=cde)} == {STATE, LOCAL}
    assert can_copreside(prefete.person, cde) and can_copreside(president.person, cde)


def test_copresidency_second_prefet_of_a_cde_is_refused(cde):
    copresident(cde, STATE)
    with refused("Mettez fin à la co-présidence en cours"):
        copresident(cde, STATE)
    copresident(cde, LOCAL)
    with refused("Mettez fin à la co-présidence en cours"):
        copresident(cde, LOCAL, authority="Métropole de Lyon")
    assert CoPresidency.objects.filter(committee=cde).count() == 2


def test_copresidency_cea_has_two_prefets_not_three(territories):
    cea = committee_services.create_committee(
        level=Level.DEPARTMENTAL,
        name="CDE de la Collectivité européenne d'Alsace",
        region=territories.grand_est,
        departements=[territories.d67, territories.d68],
        special_authority=SpecialAuthority.CEA,
    )
    copresident(cea, STATE, office="Préfète du Bas-Rhin")
    copresident(cea, STATE, office="Préfet du Haut-Rhin")
    with refused("Mettez fin à la co-présidence en cours"):
        copresident(cea, STATE, office="Un troisième préfet")
    assert CoPresidency.objects.filter(committee=cea, side=STATE).count() == 2


def test_copresidency_a_cle_has_one_or_more_local_authority_representatives(cle):
    copresident(cle, LOCAL, authority="CA Villefranche Beaujolais Saône")
    copresident(cle, LOCAL, authority="CC Beaujolais Pierres Dorées")
    copresident(cle, LOCAL, authority="Commune d'Anse")
    assert CoPresidency.objects.filter(committee=cle, side=LOCAL).count() == 3


def test_copresidency_local_side_needs_the_authority(cde):
    with refused("collectivité représentée"):
        copresident(cde, LOCAL, authority="  ")
    assert not CoPresidency.objects.exists()


def test_copresidency_same_person_twice_is_refused(cle):
    person = UserFactory()
    copresident(cle, LOCAL, person=person, authority="CA Villefranche")
    with refused("co-préside déjà"):
        copresident(cle, LOCAL, person=person, authority="CC Beaujolais")
    assert CoPresidency.objects.count() == 1


def test_copresidency_delegate_is_another_person(cde):
    person = UserFactory()
    with refused("autre personne"):
        copresident(cde, STATE, person=person, delegate=person)
    delegate = UserFactory()
    copresidency = copresident(cde, STATE, person=person, delegate=delegate)
    assert copresidency.delegate == delegate
    assert can_copreside(delegate, cde)


def test_set_delegate_grants_and_changes(cde):
    copresidency = copresident(cde, STATE)
    first, second = UserFactory(), UserFactory()
    services.set_delegate(copresidency=copresidency, delegate=first)
    assert can_copreside(first, cde)
    services.set_delegate(copresidency=copresidency, delegate=second)
    first = User.objects.get(pk=first.pk)  # fresh permission cache
    assert not can_copreside(first, cde)
    assert can_copreside(second, cde)


def test_set_delegate_refuses_the_copresident_themselves(cde):
    copresidency = copresident(cde, STATE)
    with refused("autre personne"):
        services.set_delegate(copresidency=copresidency, delegate=copresidency.person)
    copresidency.refresh_from_db()
    assert copresidency.delegate is None


def test_end_copresidency_revokes_and_frees_the_side(cde):
    copresidency = copresident(cde, STATE)
    services.end_copresidency(copresidency=copresidency, ended_on=date.today())
    person = User.objects.get(pk=copresidency.person_id)
    assert not can_copreside(person, cde)
    assert not can_view_committee(person, cde)
    copresident(cde, STATE)  # the side is free again


def test_end_copresidency_refusals(cde):
    copresidency = copresident(cde, STATE)
    with refused("précéder le début"):
        services.end_copresidency(copresidency=copresidency, ended_on=START - timedelta(days=1))
    services.end_copresidency(copresidency=copresidency, ended_on=date.today())
    with refused("déjà pris fin"):
        services.end_copresidency(copresidency=copresidency, ended_on=date.today())
    copresidency.refresh_from_db()
    assert copresidency.ended_on == date.today()


# --- DEC-VOTERS / DEC-VOTES -------------------------------------------------------------------


@pytest.mark.parametrize(
    "category", [Category.STATE, Category.DEPARTEMENT, Category.EMPLOYEE_UNIONS]
)
def test_voters_voting_categories_get_a_vote(cde, category):
    membership = MembershipFactory(committee=cde, category=category)
    assert membership.has_vote and membership.votes == 1
    assert MembershipFactory(committee=cde, category=category, votes=3).votes == 3


@pytest.mark.parametrize(
    "category",
    [
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
        Category.OTHER_NETWORK,
    ],
)
def test_voters_network_categories_never_vote(cde, category):
    membership = MembershipFactory(committee=cde, category=category)
    assert not membership.has_vote and membership.votes == 0
    with refused("sans voix délibérative .*article R. 5311-37"):
        MembershipFactory(committee=cde, category=category, votes=2)
    assert Membership.objects.filter(committee=cde).count() == 1


def test_voters_a_voting_member_has_at_least_one_vote(cde):
    with refused("au moins une voix"):
        MembershipFactory(committee=cde, category=Category.STATE, votes=0)
    assert not Membership.objects.exists()


def test_update_member_keeps_the_vote_rules(cde):
    state = MembershipFactory(committee=cde, category=Category.STATE)
    services.update_member(
        membership=state,
        organisation="Préfecture du Rhône",
        votes=4,
        mandate_end=date(2027, 1, 31),
        appointment_arrete="Arrêté n° 2",
    )
    state.refresh_from_db()
    assert (state.votes, state.organisation, state.mandate_end) == (
        4,
        "Préfecture du Rhône",
        date(2027, 1, 31),
    )
    france_travail = MembershipFactory(committee=cde, category=Category.FRANCE_TRAVAIL)
    with refused("siègent sans voix délibérative"):
        services.update_member(
            membership=france_travail,
            organisation="France Travail",
            votes=1,
            mandate_end=None,
            appointment_arrete="",
        )
    with refused("précéder son début"):
        services.update_member(
            membership=state,
            organisation="X",
            votes=1,
            mandate_end=START - timedelta(days=1),
            appointment_arrete="",
        )
    france_travail.refresh_from_db()
    state.refresh_from_db()
    assert france_travail.votes == 0 and state.votes == 4


def test_vote_balance_counts_titulars_in_office_and_copresidents(cde):
    copresident(cde, STATE, votes=2)
    copresident(cde, LOCAL, votes=2)
    MembershipFactory(committee=cde, category=Category.STATE, votes=3)
    MembershipFactory(committee=cde, category=Category.DEPARTEMENT, votes=3)
    unions = MembershipFactory(committee=cde, category=Category.EMPLOYEE_UNIONS, votes=2)
    MembershipFactory(committee=cde, category=Category.EMPLOYER_ORGS, votes=2)
    MembershipFactory(committee=cde, category=Category.FRANCE_TRAVAIL)
    MembershipFactory(
        committee=cde,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=unions,
    )
    ended = MembershipFactory(committee=cde, category=Category.STATE, votes=5)
    services.end_membership(membership=ended, ended_on=date.today(), reason="Mutation")
    balance = services.vote_balance(cde)
    assert balance == {
        "state": 5,
        "local_authorities": 5,
        "social_partners": 4,
        "total": 14,
        "unbalanced": False,
    }


def test_vote_balance_warns_when_state_and_local_authorities_differ(cde):
    copresident(cde, STATE)
    MembershipFactory(committee=cde, category=Category.STATE, votes=2)
    copresident(cde, LOCAL)
    balance = services.vote_balance(cde)
    assert (balance["state"], balance["local_authorities"], balance["unbalanced"]) == (3, 1, True)


# --- INS-COMPOSITION ----------------------------------------------------------------------------


def test_composition_social_partners_sit_in_a_cde(cde):
    assert MembershipFactory(committee=cde, category=Category.EMPLOYEE_UNIONS).has_vote
    assert MembershipFactory(committee=cde, category=Category.EMPLOYER_ORGS).has_vote


@pytest.mark.parametrize("category", [Category.EMPLOYEE_UNIONS, Category.EMPLOYER_ORGS])
def test_composition_no_social_partners_in_a_cle(cle, category):
    with refused("partenaires sociaux ne siègent pas dans un comité local"):
        MembershipFactory(committee=cle, category=category)
    assert not Membership.objects.exists()


def test_composition_an_expert_is_invited_never_permanent(cle):
    with refused("expert.*permanent"):
        MembershipFactory(committee=cle, category=Category.INVITED_EXPERT, is_permanent=True)
    expert = MembershipFactory(committee=cle, category=Category.INVITED_EXPERT, is_permanent=False)
    assert not expert.is_permanent and not expert.has_vote
    assert expert.mandate_end is None  # invited per topic: no mandate


def test_missing_categories_and_their_success(cle):
    assert committee_services.missing_categories(cle) == [
        Category.STATE,
        Category.COMMUNES_EPCI,
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    ]
    MembershipFactory(committee=cle, category=Category.OTHER_NETWORK, is_permanent=False)
    complete_composition(cle)
    assert committee_services.missing_categories(cle) == []


# --- DEC-MAX -----------------------------------------------------------------------------------


@pytest.fixture
def small_limits(settings):
    settings.CTE = {**settings.CTE, "MAX_MEMBERS_LOCAL": 2, "MAX_MEMBERS_DEPARTMENTAL": 3}


def test_max_members_follows_the_settings(cle, small_limits):
    # DEC-MAX: the maximum counts the appointed members with a deliberative vote.
    MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    with refused("déjà 2 membres nommés à voix délibérative") as error:
        MembershipFactory(committee=cle, category=Category.STATE)
    assert error.value.rule == "DEC-MAX"
    assert Membership.objects.filter(committee=cle).count() == 2


def test_max_members_does_not_count_the_network_seats_the_decree_sets_apart(cle, small_limits):
    # DEC-MAX: France Travail, the Missions locales and Cap emploi sit beside the appointed
    # members; at the maximum they are still seated, and they never count.
    MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    for category in (Category.FRANCE_TRAVAIL, Category.MISSIONS_LOCALES, Category.CAP_EMPLOI):
        MembershipFactory(committee=cle, category=category)
    assert committee_services.appointed_members(cle).count() == 2
    assert not any("maximum" in p for p in committee_services.installation_problems(cle))


def test_max_members_does_not_count_invited_members_substitutes_or_former_members(
    cle, small_limits
):
    state = MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.OTHER_NETWORK, is_permanent=False)
    MembershipFactory(
        committee=cle,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=state,
    )
    services.end_membership(membership=state, ended_on=date.today(), reason="Démission")
    MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    assert committee_services.appointed_members(cle).count() == 2


def test_max_members_an_arrete_may_set_another_value(cde, small_limits):
    cde.max_members_override = 4
    cde.save()
    for category in (Category.STATE, Category.DEPARTEMENT, Category.EMPLOYEE_UNIONS):
        MembershipFactory(committee=cde, category=category)
    MembershipFactory(committee=cde, category=Category.EMPLOYER_ORGS)
    MembershipFactory(committee=cde, category=Category.FRANCE_TRAVAIL)  # not counted (DEC-MAX)
    with refused("déjà 4 membres nommés"):
        MembershipFactory(committee=cde, category=Category.STATE)


def test_max_members_regional_depends_on_the_number_of_departements(territories):
    large = make_cre(territories)
    small = make_cre(territories, region=territories.bretagne)
    assert committee_services.max_members(large) == 36
    assert committee_services.max_members(small) == 29


# --- DEC-MANDATE: default end, substitutes, vacancies, end of a mandate -------------------------


def test_mandate_lasts_three_years_by_default(cde):
    membership = MembershipFactory(
        committee=cde, category=Category.STATE, mandate_start=date(2024, 9, 1)
    )
    assert membership.mandate_end == date(2027, 8, 31)
    leap = MembershipFactory(
        committee=cde, category=Category.STATE, mandate_start=date(2024, 2, 29)
    )
    assert leap.mandate_end == date(2027, 2, 28)  # the day before 1 March 2027
    assert MembershipFactory(
        committee=cde, category=Category.STATE, mandate_start=date(2025, 3, 1)
    ).mandate_end == date(2028, 2, 29)
    explicit = MembershipFactory(
        committee=cde, category=Category.STATE, mandate_end=date(2026, 6, 30)
    )
    assert explicit.mandate_end == date(2026, 6, 30)


def test_mandate_end_before_start_is_refused(cde):
    with refused("précéder son début"):
        MembershipFactory(
            committee=cde, category=Category.STATE, mandate_end=START - timedelta(days=1)
        )
    assert not Membership.objects.exists()


def test_substitute_follows_their_titular(cde):
    titular = MembershipFactory(
        committee=cde, category=Category.DEPARTEMENT, votes=3, appointment_arrete="Arrêté 1"
    )
    substitute = MembershipFactory(
        committee=cde,
        category=Category.STATE,  # ignored: a substitute sits in their titular's category
        role=Membership.Role.SUBSTITUTE,
        substitute_for=titular,
        is_permanent=False,
    )
    assert substitute.category == Category.DEPARTEMENT
    assert substitute.is_permanent and substitute.has_vote and substitute.votes == 3
    assert list(titular.substitutes.all()) == [substitute]
    assert can_view_committee(substitute.person, cde)


def test_substitute_needs_a_titular_of_this_committee(cde, cle):
    with refused("titulaire"):
        MembershipFactory(committee=cde, category=Category.STATE, role=Membership.Role.SUBSTITUTE)
    other = MembershipFactory(committee=cle, category=Category.STATE)
    with refused("titulaire"):
        MembershipFactory(
            committee=cde,
            category=Category.STATE,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=other,
        )
    assert not Membership.objects.filter(committee=cde).exists()


def test_substitute_of_a_substitute_or_of_a_former_member_is_refused(cde):
    titular = MembershipFactory(committee=cde, category=Category.STATE)
    substitute = MembershipFactory(
        committee=cde,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=titular,
    )
    with refused("titulaire"):
        MembershipFactory(
            committee=cde,
            category=Category.STATE,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=substitute,
        )
    former = MembershipFactory(committee=cde, category=Category.DEPARTEMENT)
    services.end_membership(membership=former, ended_on=date.today(), reason="Démission")
    with refused("titulaire"):
        MembershipFactory(
            committee=cde,
            category=Category.DEPARTEMENT,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=former,
        )
    assert Membership.objects.filter(role=Membership.Role.SUBSTITUTE).count() == 1


def test_vacancy_is_filled_for_the_remainder_of_the_mandate(cde):
    leaving = MembershipFactory(
        committee=cde, category=Category.DEPARTEMENT, mandate_start=date(2024, 9, 1), votes=2
    )
    services.end_membership(membership=leaving, ended_on=date(2025, 3, 15), reason="Démission")
    newcomer = MembershipFactory(
        committee=cde,
        category=Category.DEPARTEMENT,
        mandate_start=date(2025, 4, 1),
        replaces=leaving,
        votes=2,
    )
    assert newcomer.mandate_end == date(2027, 8, 31) == leaving.mandate_end
    assert newcomer.replaces == leaving
    leaving.refresh_from_db()
    assert leaving.ended_on == date(2025, 3, 15)


def test_vacancy_of_a_member_still_in_office_ends_their_mandate(cde):
    leaving = MembershipFactory(committee=cde, category=Category.STATE)
    newcomer = MembershipFactory(
        committee=cde, category=Category.STATE, mandate_start=date(2025, 1, 10), replaces=leaving
    )
    leaving.refresh_from_db()
    assert leaving.ended_on == date(2025, 1, 10)
    assert leaving.end_reason == "Remplacé (vacance)"
    assert newcomer.mandate_end == leaving.mandate_end


def test_vacancy_refusals(cde, cle):
    leaving = MembershipFactory(committee=cde, category=Category.STATE)
    MembershipFactory(committee=cde, category=Category.STATE, replaces=leaving)
    with refused("déjà été pourvu"):
        MembershipFactory(committee=cde, category=Category.STATE, replaces=leaving)
    foreign = MembershipFactory(committee=cle, category=Category.STATE)
    with refused("appartenir à ce comité"):
        MembershipFactory(committee=cde, category=Category.STATE, replaces=foreign)
    foreign.refresh_from_db()
    assert foreign.ended_on is None
    assert Membership.objects.filter(committee=cde).count() == 2


def test_end_membership_ends_the_substitutes_and_the_access(cde):
    titular = MembershipFactory(committee=cde, category=Category.STATE)
    substitute = MembershipFactory(
        committee=cde,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=titular,
    )
    services.end_membership(membership=titular, ended_on=date.today(), reason="Mutation")
    titular.refresh_from_db()
    substitute.refresh_from_db()
    assert (titular.ended_on, titular.end_reason) == (date.today(), "Mutation")
    assert substitute.ended_on == date.today()
    assert substitute.end_reason == "Fin du mandat du titulaire"
    assert not can_view_committee(User.objects.get(pk=titular.person_id), cde)


def test_end_membership_refusals(cde):
    membership = MembershipFactory(committee=cde, category=Category.STATE)
    with refused("motif"):
        services.end_membership(membership=membership, ended_on=date.today(), reason=" ")
    with refused("précéder le début"):
        services.end_membership(
            membership=membership, ended_on=START - timedelta(days=1), reason="Démission"
        )
    services.end_membership(membership=membership, ended_on=date.today(), reason="Démission")
    with refused("déjà pris fin"):
        services.end_membership(membership=membership, ended_on=date.today(), reason="Autre")
    membership.refresh_from_db()
    assert membership.end_reason == "Démission"


def test_mandates_ending_within_ninety_days(cde):
    today = date(2027, 7, 1)
    soon = MembershipFactory(
        committee=cde, category=Category.STATE, mandate_start=date(2024, 9, 1)
    )  # ends 2027-08-31
    MembershipFactory(
        committee=cde, category=Category.STATE, mandate_start=date(2025, 1, 1)
    )  # ends 2027-12-31
    assert list(services.mandates_ending([cde], today=today)) == [soon]


# --- INS-CDE-COMMISSIONS / DEC-IAE -------------------------------------------------------------


def test_a_cde_has_its_iae_commission_from_creation(cde):
    iae = cde.commissions.get()
    assert iae.kind == Commission.Kind.IAE and iae.is_mandatory


def test_the_iae_commission_cannot_be_deleted(cde):
    with refused("ne peut être supprimée"):
        services.delete_commission(commission=cde.commissions.get())
    assert cde.commissions.count() == 1


def test_commissions_and_working_groups_are_added_and_deleted(cde):
    group = services.add_commission(
        committee=cde, name="Mobilité", kind=Commission.Kind.WORKING_GROUP, mission="Transports"
    )
    assert not group.is_mandatory
    services.delete_commission(commission=group)
    assert cde.commissions.count() == 1


def test_iae_commission_only_once_and_only_in_a_cde(cde, cle):
    with refused("déjà sa commission"):
        services.add_commission(committee=cde, name="IAE bis", kind=Commission.Kind.IAE)
    with refused("celle des CDE"):
        services.add_commission(committee=cle, name="IAE", kind=Commission.Kind.IAE)
    assert Commission.objects.count() == 1


def test_commission_members_are_added_once_and_removed(cde):
    iae = cde.commissions.get()
    person = UserFactory()
    member = services.add_commission_member(
        commission=iae, person=person, organisation="SIAE du Rhône", is_chair=True
    )
    assert can_view_committee(person, cde)
    with refused("siège déjà"):
        services.add_commission_member(commission=iae, person=person, organisation="Autre")
    services.remove_commission_member(member=member)
    assert not CommissionMember.objects.exists()
    assert not can_view_committee(User.objects.get(pk=person.pk), cde)


# --- INS-RULES -----------------------------------------------------------------------------------

FULL_RULES = {
    "principles": "Recherche du consensus.",
    "secretariat": "Assuré par la DDETS.",
    "bodies": "Plénière et comité technique.",
    "means": "Salle de la préfecture.",
    "meetings": "Trois réunions par an.",
    "commissions": "Groupes de travail thématiques.",
    "iae_commission": "Commission inclusion et IAE.",
    "coordination": "Avec le CRE et les CLE.",
}


def test_rules_draft_then_adoption(cde):
    draft = services.save_rules_draft(committee=cde, principles="Consensus.")
    assert draft.version == 1 and not draft.is_adopted
    draft = services.save_rules_draft(committee=cde, **FULL_RULES)
    assert draft.version == 1 and draft.principles == "Recherche du consensus."
    services.adopt_rules(rules=draft, adopted_on=date(2024, 10, 1))
    assert services.adopted_rules(cde) == draft
    # A later edit opens version 2, a copy of the adopted text; version 1 stays adopted.
    second = services.save_rules_draft(committee=cde, means="Locaux de la DDETS.")
    assert second.version == 2 and second.principles == FULL_RULES["principles"]
    assert services.current_rules(cde) == second
    assert services.adopted_rules(cde) == draft


def test_rules_adoption_refused_while_a_required_heading_is_empty(cde):
    draft = services.save_rules_draft(committee=cde, **{**FULL_RULES, "coordination": "  "})
    with pytest.raises(RuleError) as error:
        services.adopt_rules(rules=draft, adopted_on=date(2024, 10, 1))
    assert error.value.messages == [
        "Rubriques obligatoires non rédigées :",
        "Coordination",
    ]
    draft.refresh_from_db()
    assert not draft.is_adopted
    assert services.adopted_rules(cde) is None


def test_rules_adoption_other_refusals(cde):
    draft = services.save_rules_draft(committee=cde, **FULL_RULES)
    with refused("futur"):
        services.adopt_rules(rules=draft, adopted_on=date.today() + timedelta(days=1))
    services.adopt_rules(rules=draft, adopted_on=date.today())
    with refused("déjà adoptée"):
        services.adopt_rules(rules=draft, adopted_on=date.today())


def test_rules_the_cre_applies_the_crefop_rules(territories):
    cre = make_cre(territories)
    with refused("CREFOP"):
        services.save_rules_draft(committee=cre, **FULL_RULES)
    assert not RulesOfProcedure.objects.exists()


def test_rules_unknown_heading_is_a_programming_error(cde):
    with pytest.raises(ValueError):
        services.save_rules_draft(committee=cde, adopted_on=date.today())


# --- INS-CRE-CREFOP rotation ------------------------------------------------------------------


def test_rotation_applies_to_regions_of_more_than_six_departements(territories):
    assert services.rotation_required(make_cre(territories))
    assert not services.rotation_required(make_cre(territories, region=territories.bretagne))


def test_rotation_proposal_seats_every_departement(territories):
    cre = make_cre(territories)
    plan = services.propose_rotation(cre)
    assert set(plan) == {1, 2, 3}
    seated = [code for codes in plan.values() for code in codes]
    assert sorted(seated) == sorted(cre.region.departements.values_list("code", flat=True))
    assert [len(codes) for codes in plan.values()] == [4, 4, 4]
    assert services.rotation_problems(cre, plan) == []
    services.set_rotation(committee=cre, plan=plan)
    assert CrefopRotation.objects.filter(committee=cre).count() == 12


def test_rotation_problems_and_refusal(territories):
    cre = make_cre(territories)
    plan = services.propose_rotation(cre)
    services.set_rotation(committee=cre, plan=plan)
    bad = {1: [*plan[1], "67"], 2: plan[2], 3: plan[3][1:]}
    problems = services.rotation_problems(cre, bad)
    assert any("hors de la région : 67" in p for p in problems)
    assert any("au moins une année du mandat" in p and plan[3][0] in p for p in problems)
    assert services.rotation_problems(cre, {**plan, 4: []}) == [
        "La rotation porte sur les trois années du mandat (1, 2 et 3)."
    ]
    with refused("au moins une année du mandat"):
        services.set_rotation(committee=cre, plan=bad)
    assert CrefopRotation.objects.filter(committee=cre).count() == 12  # unchanged


def test_rotation_refused_for_a_small_region(territories):
    cre = make_cre(territories, region=territories.bretagne)
    with refused("plus de six départements"):
        services.set_rotation(committee=cre, plan={1: ["22", "29", "35", "56"], 2: [], 3: []})
    assert not CrefopRotation.objects.exists()


# --- create_committee: uniqueness (INS-LEVELS, DEC-SPECIAL-CDE) ----------------------------------


def test_one_cre_per_region(territories):
    make_cre(territories)
    with refused("a déjà un comité régional"):
        make_cre(territories)
    assert Committee.objects.filter(level=Level.REGIONAL).count() == 1


def test_cre_states_its_crefop_mode(territories):
    with refused("CREFOP"):
        committee_services.create_committee(
            level=Level.REGIONAL, name="CRE", region=territories.ara, crefop_mode=""
        )
    assert not Committee.objects.exists()


def test_metropole_de_lyon_beside_the_rhone(territories):
    rhone = make_cde(territories)
    metropole = committee_services.create_committee(
        level=Level.DEPARTMENTAL,
        name="CDE de la Métropole de Lyon",
        region=territories.ara,
        departements=[territories.d69],
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    assert rhone.special_authority == "" and metropole.special_authority == "metropole_lyon"
    assert metropole.commissions.get().kind == Commission.Kind.IAE


def test_second_plain_cde_on_a_departement_is_refused(territories):
    make_cde(territories)
    with refused("existe déjà"):
        make_cde(territories, name="Autre CDE du Rhône")
    assert Committee.objects.count() == 1


def test_cea_covers_67_and_68_and_no_plain_cde_on_67(territories):
    cea = committee_services.create_committee(
        level=Level.DEPARTMENTAL,
        name="CDE d'Alsace",
        region=territories.grand_est,
        departements=[territories.d67, territories.d68],
        special_authority=SpecialAuthority.CEA,
    )
    assert sorted(cea.departements.values_list("code", flat=True)) == ["67", "68"]
    with refused("un seul comité départemental est institué"):
        committee_services.create_committee(
            level=Level.DEPARTMENTAL,
            name="CDE du Bas-Rhin",
            region=territories.grand_est,
            departements=[territories.d67],
        )
    with refused(r"article R\. 5311-28"):
        committee_services.create_committee(
            level=Level.DEPARTMENTAL,
            name="CEA sur le 67 seul",
            region=territories.grand_est,
            departements=[territories.d67],
            special_authority=SpecialAuthority.CEA,
        )
    with refused("existe déjà"):
        committee_services.create_committee(
            level=Level.DEPARTMENTAL,
            name="CEA bis",
            region=territories.grand_est,
            departements=[territories.d67, territories.d68],
            special_authority=SpecialAuthority.CEA,
        )
    assert Committee.objects.count() == 1


def test_plain_cde_covers_one_departement_of_its_region(territories):
    with refused("un seul département"):
        committee_services.create_committee(
            level=Level.DEPARTMENTAL,
            name="CDE",
            region=territories.ara,
            departements=[territories.d69, territories.d01],
        )
    with refused("appartenir à la région"):
        committee_services.create_committee(
            level=Level.DEPARTMENTAL,
            name="CDE",
            region=territories.ara,
            departements=[territories.d67],
        )
    assert not Committee.objects.exists()


def test_a_dissolved_cde_no_longer_blocks_a_new_one(territories):
    old = make_cde(territories)
    committee_services.dissolve_committee(committee=old, dissolved_on=date.today())
    assert make_cde(territories, name="Nouveau CDE du Rhône").pk != old.pk


def test_update_committee_checks_the_territory_again(territories):
    rhone = make_cde(territories)
    metropole = committee_services.create_committee(
        level=Level.DEPARTMENTAL,
        name="CDE de la Métropole de Lyon",
        region=territories.ara,
        departements=[territories.d69],
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    committee_services.update_committee(committee=rhone, name="CDE du Rhône (69)")
    with refused("existe déjà"):
        committee_services.update_committee(committee=metropole, special_authority="")
    assert Committee.objects.get(pk=metropole.pk).special_authority == "metropole_lyon"
    with pytest.raises(ValueError):
        committee_services.update_committee(committee=rhone, level=Level.LOCAL)


# --- set_perimeter (INS-CLE-PERIMETER) ----------------------------------------------------------


def test_perimeter_resolves_communes_population_and_departements(territories):
    cle = make_cle(territories, epcis=[territories.epci_villefranche, territories.epci_bugey])
    assert sorted(cle.communes.values_list("code", flat=True)) == [
        "01004",
        "01165",
        "69010",
        "69264",
    ]
    assert cle.population == 37081 + 4051 + 5138 + 6626
    assert cle.commune_count == 4
    assert committee_services.is_interdepartmental(cle)
    assert cle.parent is None  # no CDE yet


def test_perimeter_conflicts_list_the_communes_of_another_installed_cle(territories):
    installed = make_cle(territories, name="CLE Villefranche")
    complete_composition(installed)
    committee_services.install_committee(
        committee=installed, installed_on=date(2024, 10, 1), arrete_reference="Arrêté 69-1"
    )
    other = make_cle(
        territories, name="CLE Beaujolais", epcis=[territories.epci_beaujolais]
    )  # a draft may overlap
    complete_composition(other)
    committee_services.install_committee(
        committee=other, installed_on=date(2024, 10, 1), arrete_reference="Arrêté 69-2"
    )
    other.refresh_from_db()  # install_committee works on its own locked copy
    with pytest.raises(RuleError) as error:
        committee_services.set_perimeter(
            committee=other, arrondissements=[territories.arr_villefranche]
        )
    assert error.value.messages[0] == "2 commune(s) appartiennent déjà à un autre CLE installé :"
    assert "Arnas (69010) — déjà dans « CLE Villefranche »" in error.value.messages
    assert "Villefranche-sur-Saône (69264) — déjà dans « CLE Villefranche »" in error.value.messages
    other.refresh_from_db()
    assert list(other.communes.values_list("code", flat=True)) == ["69024"]


def test_perimeter_refusals(territories, cde):
    cle = committee_services.create_committee(
        level=Level.LOCAL, name="CLE", region=territories.ara, departements=[territories.d69]
    )
    with refused("aucune commune"):
        committee_services.set_perimeter(committee=cle)
    with refused("Seul un comité local"):
        committee_services.set_perimeter(committee=cde, epcis=[territories.epci_lyon])
    assert cle.communes.count() == 0


def test_perimeter_sets_the_parent_cde(territories, cde):
    cle = make_cle(territories)
    assert cle.parent == cde


# --- install_committee (INS-COMPOSITION, DEC-COPRESIDENCY, INS-WRITTEN-OPINIONS) -----------------


def test_installation_succeeds_with_a_complete_composition(cle):
    complete_composition(cle)
    assert committee_services.installation_problems(cle) == []
    committee_services.install_committee(
        committee=cle, installed_on=date(2024, 10, 1), arrete_reference="Arrêté 69-2024-10-01"
    )
    cle.refresh_from_db()
    assert cle.is_installed and cle.installed_on == date(2024, 10, 1)
    assert cle.perimeter_review_due_on == date(2027, 10, 1)


def test_installation_refused_without_a_copresidency_side(cle):
    copresident(cle, STATE)
    for category in (
        Category.STATE,
        Category.COMMUNES_EPCI,
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    ):
        MembershipFactory(committee=cle, category=category)
    with pytest.raises(RuleError) as error:
        committee_services.install_committee(
            committee=cle, installed_on=date.today(), arrete_reference="Arrêté"
        )
    assert error.value.messages == ["Il manque le co-président représentant les collectivités."]
    cle.refresh_from_db()
    assert cle.status == Committee.Status.DRAFT and cle.arrete_reference == ""


def test_installation_refused_while_a_permanent_category_is_missing(cde):
    copresident(cde, STATE)
    copresident(cde, LOCAL)
    MembershipFactory(committee=cde, category=Category.STATE)
    with pytest.raises(RuleError) as error:
        committee_services.install_committee(
            committee=cde, installed_on=date.today(), arrete_reference="Arrêté"
        )
    assert any(
        "Catégories de membres permanents manquantes" in m and "Cap emploi" in m
        for m in error.value.messages
    )
    cde.refresh_from_db()
    assert cde.status == Committee.Status.DRAFT


def test_installation_refused_without_arrete_or_twice(cle):
    complete_composition(cle)
    with refused("arrêté préfectoral"):
        committee_services.install_committee(committee=cle, installed_on=date.today())
    committee_services.install_committee(
        committee=cle, installed_on=date.today(), arrete_reference="Arrêté"
    )
    with refused("en préparation"):
        committee_services.install_committee(committee=cle, installed_on=date.today())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _pdf():
    return SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis", content_type="application/pdf")


def test_interdepartmental_cle_needs_the_written_opinions(territories, media):
    cle = make_cle(territories, epcis=[territories.epci_villefranche, territories.epci_bugey])
    complete_composition(cle)
    with pytest.raises(RuleError) as error:
        committee_services.install_committee(
            committee=cle, installed_on=date.today(), arrete_reference="Arrêté"
        )
    assert "Ain (01), Rhône (69)" in error.value.messages[0]
    for departement, authority in (
        (territories.d01, "CD de l'Ain"),
        (territories.d69, "CD du Rhône"),
    ):
        committee_services.add_written_opinion(
            committee=cle,
            subject=WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE,
            authority=authority,
            given_on=date(2024, 9, 15),
            document=_pdf(),
            departement=departement,
        )
    committee_services.install_committee(
        committee=cle, installed_on=date.today(), arrete_reference="Arrêté"
    )
    assert Committee.objects.get(pk=cle.pk).is_installed


def test_crefop_merger_needs_a_written_opinion(territories, media):
    cre = committee_services.create_committee(
        level=Level.REGIONAL, name="CRE", region=territories.bretagne, crefop_mode="merged"
    )
    complete_composition(cre)
    with refused("fusion avec le CREFOP"):
        committee_services.install_committee(
            committee=cre, installed_on=date.today(), arrete_reference="Arrêté"
        )
    committee_services.add_written_opinion(
        committee=cre,
        subject=WrittenOpinion.Subject.CREFOP_MERGER,
        authority="Conseil régional de Bretagne",
        given_on=date(2024, 9, 15),
        document=_pdf(),
    )
    committee_services.install_committee(
        committee=cre, installed_on=date.today(), arrete_reference="Arrêté"
    )
    assert Committee.objects.get(pk=cre.pk).is_installed


def test_written_opinion_cannot_be_dated_in_the_future(cle, media):
    with refused("futur"):
        committee_services.add_written_opinion(
            committee=cle,
            subject=WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE,
            authority="CD",
            given_on=date.today() + timedelta(days=1),
            document=_pdf(),
        )
    assert not WrittenOpinion.objects.exists()


def test_dissolution(cle):
    cle.installed_on = date(2024, 10, 1)
    with refused("précéder l'installation"):
        committee_services.dissolve_committee(committee=cle, dissolved_on=date(2024, 9, 1))
    committee_services.dissolve_committee(committee=cle, dissolved_on=date.today())
    with refused("déjà dissous"):
        committee_services.dissolve_committee(committee=cle, dissolved_on=date.today())


# --- Derived permissions (DOMAIN §4) ----------------------------------------------------------


def test_a_ddets_agent_manages_the_committees_of_their_departement_until_the_assignment_ends(
    territories, cle
):
    agent = ddets_agent(territories.d69)
    assert can_manage_committee(agent, cle) and can_view_committee(agent, cle)
    end_staff_assignment(assignment=agent.staff_assignments.get(), ended_on=date.today())
    agent = User.objects.get(pk=agent.pk)
    assert not can_manage_committee(agent, cle)
    assert not can_view_committee(agent, cle)
    assert not Committee.objects.visible_to(agent).exists()


def test_a_ddets_agent_of_another_departement_sees_nothing(territories, cde, cle):
    agent = ddets_agent(territories.d01)
    assert not can_view_committee(agent, cle) and not can_manage_committee(agent, cde)
    assert not Committee.objects.visible_to(agent).exists()


def test_dreets_sees_the_region_and_manages_the_cre(territories, cde):
    cre = make_cre(territories)
    agent = dreets_agent(territories.ara)
    ddets = ddets_agent(territories.d69)
    assert can_manage_committee(agent, cre) and not can_manage_committee(agent, cde)
    assert can_view_committee(agent, cde)
    assert can_view_committee(ddets, cre) and not can_manage_committee(ddets, cre)


def test_a_copresident_copresides_and_a_member_only_views(cde):
    president = copresident(cde, LOCAL).person
    member = MembershipFactory(committee=cde, category=Category.STATE).person
    assert can_copreside(president, cde) and not can_manage_committee(president, cde)
    assert can_view_committee(member, cde)
    assert not can_copreside(member, cde) and not can_manage_committee(member, cde)
    assert list(Committee.objects.visible_to(member)) == [cde]


def test_a_copresident_never_has_zero_votes(cde):
    """DEC-COPRESIDENCY, DEC-MAJORITY: a co-president sits and votes."""
    person = UserFactory()
    with pytest.raises(RuleError) as refusal:
        services.add_copresident(
            committee=cde,
            side=STATE,
            person=person,
            office="Préfète du Rhône",
            started_on=START,
            votes=0,
        )
    assert refusal.value.rule == "DEC-COPRESIDENCY"
    assert "au moins une voix" in str(refusal.value.messages)
    assert not CoPresidency.objects.filter(committee=cde).exists()
    services.add_copresident(
        committee=cde, side=STATE, person=person, office="Préfète du Rhône", started_on=START
    )
    assert CoPresidency.objects.get(committee=cde).votes == 1
