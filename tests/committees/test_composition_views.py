"""Composition screens: co-presidents, members, commissions, rules of procedure, CREFOP rotation.

Each screen: a success, a refusal by a rule (French message on the form, nothing saved), a
foreign committee (404), a forbidden action on a visible committee (403, nothing changed), and
query budgets that stay flat when the composition grows tenfold.
"""

import subprocess
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import (
    Commission,
    CommissionMember,
    CoPresidency,
    CrefopRotation,
    Membership,
    RulesOfProcedure,
)
from committees.models.rules import Category
from committees.services import composition as services
from cte_portal.core import page_cache
from cte_portal.users.models import User
from tests.clients import login
from tests.committees.composition_helpers import copresident, make_cde, make_cle, make_cre
from tests.factories.committees import START, MembershipFactory, ddets_agent, dreets_agent
from tests.factories.territories import COMPOSITION, build_territory
from tests.factories.users import UserFactory
from tests.file_jobs import download, request_file

pytestmark = pytest.mark.django_db

STATE = CoPresidency.Side.STATE
LOCAL = CoPresidency.Side.LOCAL_AUTHORITY


# --- Personas -----------------------------------------------------------------------------------


@pytest.fixture
def territories(db):
    return build_territory(COMPOSITION)


@pytest.fixture
def cde(territories):
    return make_cde(territories)


@pytest.fixture
def cle(territories, cde):
    return make_cle(territories)


@pytest.fixture
def agent(territories, cde):
    """The DDETS agent of the Rhône: secretariat of the CDE and the CLEs of 69."""
    return ddets_agent(territories.d69, email="agent.ddets69@rhone.gouv.fr")


@pytest.fixture
def foreign_agent(territories, cde):
    """A DDETS agent of the Ain: the Rhône's committees do not exist for them."""
    return ddets_agent(territories.d01, email="agent.ddets01@ain.gouv.fr")


@pytest.fixture
def president(cde):
    """The co-president of the CDE: sees it, co-presides it, does not run its secretariat."""
    return copresident(cde, LOCAL, authority="Conseil départemental du Rhône").person


@pytest.fixture
def member(cde):
    return MembershipFactory(
        committee=cde, category=Category.FRANCE_TRAVAIL, organisation="France Travail Rhône"
    ).person


def url(name, *args):
    return reverse(f"committees:{name}", args=args)


def errors(response) -> str:
    """The text of the form's errors (the error summary and the fields)."""
    form = response.context["form"]
    return " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)


# --- Composition page and partial ---------------------------------------------------------------


def test_composition_page_for_the_secretariat(client, agent, cde):
    copresident(cde, STATE, votes=2)
    titular = MembershipFactory(
        committee=cde, category=Category.STATE, organisation="Préfecture du Rhône", votes=3
    )
    MembershipFactory(
        committee=cde,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=titular,
    )
    response = login(client, agent).get(url("composition", cde.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Préfecture du Rhône" in html
    assert "Oui, 3 voix" in html
    assert url("member_add", cde.pk) in html
    assert url("copresident_add", cde.pk) in html
    assert url("member_add_substitute", titular.pk) in html
    # The IAE commission of a CDE, the rules not adopted, the vote imbalance (5 vs 0).
    assert "Commission inclusion et insertion par l&#x27;activité économique" in html
    assert "règlement intérieur non adopté" in html
    assert "ne sont pas équilibrées" in html
    # Every required category is listed, empty ones flagged (INS-COMPOSITION).
    assert "Organisations syndicales de salariés (0)" in html


def test_composition_page_is_read_only_for_a_member(client, member, cde):
    response = login(client, member).get(url("composition", cde.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "France Travail Rhône" in html
    assert url("member_add", cde.pk) not in html
    assert url("copresident_add", cde.pk) not in html


def test_composition_page_of_a_foreign_committee_is_404(client, foreign_agent, cde):
    assert login(client, foreign_agent).get(url("composition", cde.pk)).status_code == 404


def test_composition_page_needs_a_login(client, cde):
    response = client.get(url("composition", cde.pk))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_vote_totals_balanced_show_no_warning(client, agent, cde):
    copresident(cde, STATE)
    copresident(cde, LOCAL)
    MembershipFactory(committee=cde, category=Category.STATE, votes=2)
    MembershipFactory(committee=cde, category=Category.DEPARTEMENT, votes=2)
    MembershipFactory(committee=cde, category=Category.EMPLOYEE_UNIONS, votes=1)
    response = login(client, agent).get(url("composition", cde.pk))
    html = response.content.decode()
    assert '<td data-testid="votes-state">3</td>' in html
    assert '<td data-testid="votes-local-authorities">3</td>' in html
    assert '<td data-testid="votes-social-partners">1</td>' in html
    assert '<td data-testid="votes-total">7</td>' in html
    assert "ne sont pas équilibrées" not in html


def _grow(committee, n: int) -> None:
    """n members with substitutes, co-presidents, commissions with members, rules versions."""
    for i in range(n):
        titular = MembershipFactory(
            committee=committee, category=Category.OTHER_NETWORK, is_permanent=False
        )
        MembershipFactory(
            committee=committee,
            category=Category.STATE,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=titular,
        )
        commission = services.add_commission(
            committee=committee, name=f"Groupe {committee.pk}-{i}", kind="working_group"
        )
        services.add_commission_member(
            commission=commission, person=titular.person, organisation="Organisme"
        )
        ended = MembershipFactory(committee=committee, category=Category.STATE)
        services.end_membership(membership=ended, ended_on=date.today(), reason="Départ")
        draft = services.save_rules_draft(committee=committee, **FULL_RULES)
        services.adopt_rules(rules=draft, adopted_on=date.today())


def _count_queries(client, path) -> int:
    page_cache.data_generation.new_token()  # the page rendered, not its body from the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["composition", "commission_list", "rules_versions"])
def test_query_budget_stays_flat_with_ten_times_more_rows(client, agent, territories, cde, name):
    small = cde
    large = make_cde(territories, name="CDE de la Métropole", special_authority="metropole_lyon")
    copresident(small, STATE)
    copresident(large, STATE)
    _grow(small, 2)
    _grow(large, 20)
    login(client, agent)
    client.get(url(name, small.pk))  # warm the session and content-type caches
    small_count = _count_queries(client, url(name, small.pk))
    large_count = _count_queries(client, url(name, large.pk))
    assert large_count == small_count
    assert small_count <= 25


def test_the_committee_composition_tag_keeps_a_fixed_number_of_queries(
    agent, cde, django_assert_max_num_queries
):

    committee = cde
    _grow(committee, 15)
    template = Template("{% load composition_tags %}{% committee_composition committee user %}")
    with django_assert_max_num_queries(14):
        html = template.render(Context({"committee": committee, "user": agent}))
    assert "Groupe" in html and "Autre membre du réseau pour l&#x27;emploi (15)" in html


def test_the_includes_partial_renders_the_tag(territories, agent, cde, rf):

    html = render_to_string(
        "committees/includes/_composition.html", {"committee": cde, "user": agent}
    )
    assert "Co-présidence" in html and "règlement intérieur non adopté" in html


# --- Co-presidents (DEC-COPRESIDENCY) ----------------------------------------------------------


def copresident_data(**overrides):
    data = {
        "side": STATE,
        "email": "prefete@rhone.gouv.fr",
        "first_name": "Fabienne",
        "last_name": "Buccio",
        "organisation": "Préfecture du Rhône",
        "office": "Préfète du Rhône",
        "authority": "",
        "votes": "1",
        "started_on": "2024-09-01",
    }
    data.update(overrides)
    return data


def test_add_a_copresident_with_an_existing_account(client, agent, cde):
    existing = UserFactory(email="prefete@rhone.gouv.fr")
    response = login(client, agent).post(
        url("copresident_add", cde.pk),
        copresident_data(email="Prefete@Rhone.gouv.fr", first_name="", last_name=""),
    )
    assert response.status_code == 302 and response["Location"] == url("composition", cde.pk)
    copresidency = CoPresidency.objects.get(committee=cde)
    assert copresidency.person == existing and copresidency.office == "Préfète du Rhône"
    assert mail.outbox == []


def test_add_a_copresident_invited_by_email(client, agent, cde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, agent).post(
            url("copresident_add", cde.pk),
            copresident_data(
                side=LOCAL,
                email="president@rhone.fr",
                first_name="Christophe",
                last_name="Guilloteau",
                organisation="Département du Rhône",
                office="Président du conseil départemental",
                authority="Conseil départemental du Rhône",
                votes="2",
            ),
        )
    assert response.status_code == 302
    person = User.objects.get(email="president@rhone.fr")
    assert (person.first_name, person.organisation) == ("Christophe", "Département du Rhône")
    copresidency = CoPresidency.objects.get(committee=cde)
    assert (copresidency.person, copresidency.side, copresidency.votes) == (person, LOCAL, 2)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["president@rhone.fr"]


def test_add_a_copresident_unknown_email_needs_the_names(client, agent, cde):
    response = login(client, agent).post(
        url("copresident_add", cde.pk),
        copresident_data(email="inconnu@rhone.fr", first_name="", last_name=""),
    )
    assert response.status_code == 200
    assert "indiquez le prénom et le nom pour inviter la personne" in errors(response)
    assert not User.objects.filter(email="inconnu@rhone.fr").exists()


def test_add_a_second_prefet_is_refused_and_no_one_is_invited(
    client, agent, cde, django_capture_on_commit_callbacks
):
    copresident(cde, STATE)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, agent).post(
            url("copresident_add", cde.pk), copresident_data(email="autre.prefet@rhone.gouv.fr")
        )
    assert response.status_code == 200
    assert "Mettez fin à la co-présidence en cours" in errors(response)
    assert "Le formulaire contient" in response.content.decode()
    assert CoPresidency.objects.filter(committee=cde).count() == 1
    assert not User.objects.filter(email="autre.prefet@rhone.gouv.fr").exists()
    assert mail.outbox == []


def test_add_a_local_copresident_without_authority_is_refused(client, agent, cde):
    response = login(client, agent).post(
        url("copresident_add", cde.pk), copresident_data(side=LOCAL, authority="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["authority"] == ["Indiquez la collectivité représentée."]
    assert not CoPresidency.objects.exists()


def test_a_copresident_cannot_change_the_copresidency(client, president, cde):
    login(client, president)
    assert client.get(url("copresident_add", cde.pk)).status_code == 403
    response = client.post(url("copresident_add", cde.pk), copresident_data())
    assert response.status_code == 403
    copresidency = CoPresidency.objects.get()
    assert (
        client.post(url("copresident_end", copresidency.pk), {"ended_on": "2025-01-01"}).status_code
        == 403
    )
    assert CoPresidency.objects.active().count() == 1


def test_a_foreign_agent_gets_404_on_copresidencies(client, foreign_agent, president, cde):
    copresidency = CoPresidency.objects.get()
    login(client, foreign_agent)
    assert client.post(url("copresident_add", cde.pk), copresident_data()).status_code == 404
    assert client.get(url("copresident_delegate", copresidency.pk)).status_code == 404
    assert (
        client.post(url("copresident_end", copresidency.pk), {"ended_on": "2025-01-01"}).status_code
        == 404
    )
    assert CoPresidency.objects.active().count() == 1


def test_name_change_and_remove_a_delegate(client, agent, cde):
    copresidency = copresident(cde, STATE)
    deputy = UserFactory(email="sg@rhone.gouv.fr")
    login(client, agent)
    response = client.post(
        url("copresident_delegate", copresidency.pk), {"email": "sg@rhone.gouv.fr"}
    )
    assert response.status_code == 302
    copresidency.refresh_from_db()
    assert copresidency.delegate == deputy
    # The form shows the current delegate.
    assert (
        client.get(url("copresident_delegate", copresidency.pk)).context["form"].initial["email"]
        == "sg@rhone.gouv.fr"
    )
    client.post(
        url("copresident_delegate", copresidency.pk),
        {"email": "sous-prefete@rhone.gouv.fr", "first_name": "Anne", "last_name": "Roux"},
    )
    copresidency.refresh_from_db()
    assert copresidency.delegate.email == "sous-prefete@rhone.gouv.fr"
    client.post(url("copresident_delegate", copresidency.pk), {"email": ""})
    copresidency.refresh_from_db()
    assert copresidency.delegate is None


def test_the_copresident_cannot_be_their_own_delegate(client, agent, cde):
    copresidency = copresident(cde, STATE)
    response = login(client, agent).post(
        url("copresident_delegate", copresidency.pk), {"email": copresidency.person.email}
    )
    assert response.status_code == 200
    assert "autre personne" in errors(response)
    copresidency.refresh_from_db()
    assert copresidency.delegate is None


def test_end_a_copresidency(client, agent, cde):
    copresidency = copresident(cde, STATE)
    login(client, agent)
    response = client.post(url("copresident_end", copresidency.pk), {"ended_on": "2024-08-01"})
    assert response.status_code == 200 and "précéder le début" in errors(response)
    copresidency.refresh_from_db()
    assert copresidency.ended_on is None
    response = client.post(
        url("copresident_end", copresidency.pk), {"ended_on": date.today().isoformat()}
    )
    assert response.status_code == 302
    copresidency.refresh_from_db()
    assert copresidency.ended_on == date.today()
    # An ended co-presidency is no longer editable.
    assert client.get(url("copresident_end", copresidency.pk)).status_code == 404


# --- Members ----------------------------------------------------------------------------------


def member_data(**overrides):
    data = {
        "email": "directrice@francetravail.fr",
        "first_name": "Nadia",
        "last_name": "Benali",
        "organisation": "France Travail Rhône",
        "category": Category.FRANCE_TRAVAIL,
        "is_permanent": "1",
        "votes": "",
        "mandate_start": "2024-09-01",
        "mandate_end": "",
        "appointment_arrete": "Arrêté n° 69-2024-09-01-002",
    }
    data.update(overrides)
    return data


def test_the_member_form_explains_that_the_category_decides_the_vote(client, agent, cde):
    response = login(client, agent).get(url("member_add", cde.pk))
    html = response.content.decode()
    assert "La voix délibérative ne se choisit pas" in html
    assert "Adresse électronique du membre" in html
    assert "has_vote" not in response.context["form"].fields
    assert 'id="voting-categories"' in html


def test_add_a_voting_member_invited_by_email(
    client, agent, cde, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, agent).post(
            url("member_add", cde.pk),
            member_data(
                email="maire@anse.fr",
                category=Category.COMMUNES_EPCI,
                organisation="Commune d'Anse",
                votes="2",
            ),
        )
    assert response.status_code == 302
    membership = Membership.objects.get(committee=cde)
    assert membership.has_vote and membership.votes == 2
    assert membership.mandate_end == date(2027, 8, 31)  # DEC-MANDATE: three years
    assert membership.person.email == "maire@anse.fr"
    assert len(mail.outbox) == 1


def test_add_a_non_voting_member(client, agent, cde):
    response = login(client, agent).post(url("member_add", cde.pk), member_data())
    assert response.status_code == 302
    membership = Membership.objects.get(committee=cde)
    assert not membership.has_vote and membership.votes == 0


def test_votes_posted_for_a_non_voting_category_are_refused(client, agent, cde):
    response = login(client, agent).post(url("member_add", cde.pk), member_data(votes="2"))
    assert response.status_code == 200
    assert response.context["form"].errors["votes"] == [
        "Les membres de la catégorie « France Travail » siègent sans voix délibérative "
        "(article R. 5311-37 du code du travail)."
    ]
    assert not Membership.objects.exists()
    assert not User.objects.filter(email="directrice@francetravail.fr").exists()


def test_no_social_partners_in_a_cle(client, agent, cle):
    response = login(client, agent).post(
        url("member_add", cle.pk), member_data(category=Category.EMPLOYEE_UNIONS, votes="1")
    )
    assert response.status_code == 200
    assert "Les partenaires sociaux ne siègent pas dans un comité local" in errors(response)
    assert not Membership.objects.filter(committee=cle).exists()


def test_the_maximum_of_members_is_enforced(client, agent, cle, settings):
    settings.CTE = {**settings.CTE, "MAX_MEMBERS_LOCAL": 1}
    MembershipFactory(committee=cle, category=Category.STATE)
    response = login(client, agent).post(
        url("member_add", cle.pk), member_data(category=Category.STATE)
    )
    assert response.status_code == 200
    assert "membres nommés à voix délibérative, le maximum" in errors(response)  # DEC-MAX
    assert Membership.objects.filter(committee=cle).count() == 1


def test_a_member_or_a_copresident_cannot_add_members(client, member, president, cde):
    for person in (member, president):
        login(client, person)
        assert client.get(url("member_add", cde.pk)).status_code == 403
        assert (
            client.post(url("member_add", cde.pk), member_data(email="x@y.fr")).status_code == 403
        )
    assert Membership.objects.filter(committee=cde).count() == 1


def test_a_foreign_agent_gets_404_on_members(client, foreign_agent, member, cde):
    membership = Membership.objects.get()
    login(client, foreign_agent)
    assert client.post(url("member_add", cde.pk), member_data()).status_code == 404
    for name in ("member_edit", "member_add_substitute", "member_replace", "member_end"):
        assert client.get(url(name, membership.pk)).status_code == 404
    response = client.post(
        url("member_end", membership.pk), {"ended_on": "2025-01-01", "reason": "x"}
    )
    assert response.status_code == 404
    assert Membership.objects.active().count() == 1


def test_edit_a_voting_member(client, agent, cde):
    membership = MembershipFactory(committee=cde, category=Category.DEPARTEMENT, votes=1)
    response = login(client, agent).post(
        url("member_edit", membership.pk),
        {
            "organisation": "Département du Rhône",
            "votes": "3",
            "mandate_end": "2027-06-30",
            "appointment_arrete": "Arrêté modificatif",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.votes, membership.mandate_end) == (3, date(2027, 6, 30))


def test_edit_a_non_voting_member_keeps_zero_votes(client, agent, member):
    membership = Membership.objects.get()
    login(client, agent)
    response = client.get(url("member_edit", membership.pk))
    form = response.context["form"]
    assert form.fields["votes"].disabled and form.fields["votes"].initial == 0
    html = response.content.decode()
    assert "siègent sans voix délibérative (article R. 5311-37 du code du travail)" in html
    assert 'name="votes" value="0"' in html and "disabled" in html
    response = client.post(
        url("member_edit", membership.pk),
        {
            "organisation": "France Travail",
            "votes": "5",
            "mandate_end": "",
            "appointment_arrete": "",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.votes == 0 and membership.organisation == "France Travail"


def test_edit_refused_keeps_the_member_unchanged(client, agent, cde):
    membership = MembershipFactory(committee=cde, category=Category.STATE)
    response = login(client, agent).post(
        url("member_edit", membership.pk),
        {"organisation": "Autre", "votes": "0", "mandate_end": "", "appointment_arrete": ""},
    )
    assert response.status_code == 200 and "au moins une voix" in errors(response)
    membership.refresh_from_db()
    assert membership.organisation != "Autre" and membership.votes == 1


def test_add_a_substitute(client, agent, cde):
    titular = MembershipFactory(committee=cde, category=Category.DEPARTEMENT, votes=2)
    response = login(client, agent).post(
        url("member_add_substitute", titular.pk),
        {
            "email": "suppleante@rhone.fr",
            "first_name": "Léa",
            "last_name": "Morel",
            "organisation": "Département du Rhône",
            "mandate_start": "2024-09-01",
            "mandate_end": "",
            "appointment_arrete": "",
        },
    )
    assert response.status_code == 302
    substitute = titular.substitutes.get()
    assert (substitute.category, substitute.votes, substitute.role) == (
        Category.DEPARTEMENT,
        2,
        Membership.Role.SUBSTITUTE,
    )


def test_a_substitute_of_a_substitute_is_refused(client, agent, cde):
    titular = MembershipFactory(committee=cde, category=Category.STATE)
    substitute = MembershipFactory(
        committee=cde,
        category=Category.STATE,
        role=Membership.Role.SUBSTITUTE,
        substitute_for=titular,
    )
    response = login(client, agent).post(
        url("member_add_substitute", substitute.pk),
        {
            "email": "x@rhone.fr",
            "first_name": "X",
            "last_name": "Y",
            "organisation": "Préfecture",
            "mandate_start": "2024-09-01",
        },
    )
    assert response.status_code == 200 and "titulaire en fonction" in errors(response)
    assert Membership.objects.count() == 2


def test_fill_a_vacancy_for_the_remainder_of_the_mandate(client, agent, cde):
    leaving = MembershipFactory(
        committee=cde, category=Category.DEPARTEMENT, votes=2, mandate_start=date(2024, 9, 1)
    )
    services.end_membership(membership=leaving, ended_on=date.today(), reason="Démission")
    login(client, agent)
    html = client.get(url("composition", cde.pk)).content.decode()
    assert "Sièges vacants" in html and url("member_replace", leaving.pk) in html
    response = client.post(
        url("member_replace", leaving.pk),
        {
            "email": "nouveau@rhone.fr",
            "first_name": "Paul",
            "last_name": "Girard",
            "organisation": "Département du Rhône",
            "votes": "2",
            "mandate_start": date.today().isoformat(),
            "appointment_arrete": "Arrêté n° 3",
        },
    )
    assert response.status_code == 302
    newcomer = Membership.objects.get(replaces=leaving)
    assert newcomer.mandate_end == leaving.mandate_end == date(2027, 8, 31)
    assert newcomer.category == Category.DEPARTEMENT and newcomer.votes == 2
    html = client.get(url("composition", cde.pk)).content.decode()
    assert "Sièges vacants" not in html


def test_a_seat_is_filled_only_once(client, agent, cde):
    leaving = MembershipFactory(committee=cde, category=Category.STATE)
    MembershipFactory(committee=cde, category=Category.STATE, replaces=leaving)
    response = login(client, agent).post(
        url("member_replace", leaving.pk),
        {
            "email": "encore@rhone.fr",
            "first_name": "A",
            "last_name": "B",
            "organisation": "Préfecture",
            "votes": "1",
            "mandate_start": date.today().isoformat(),
        },
    )
    assert response.status_code == 200 and "déjà été pourvu" in errors(response)
    assert not User.objects.filter(email="encore@rhone.fr").exists()


def test_end_a_membership_with_a_reason(client, agent, cde):
    membership = MembershipFactory(committee=cde, category=Category.STATE)
    login(client, agent)
    response = client.post(
        url("member_end", membership.pk), {"ended_on": date.today().isoformat(), "reason": ""}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(
        url("member_end", membership.pk), {"ended_on": "2024-01-01", "reason": "Démission"}
    )
    assert response.status_code == 200 and "précéder le début" in errors(response)
    membership.refresh_from_db()
    assert membership.ended_on is None
    response = client.post(
        url("member_end", membership.pk),
        {"ended_on": date.today().isoformat(), "reason": "Démission"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == date.today() and membership.end_reason == "Démission"
    assert client.get(url("member_edit", membership.pk)).status_code == 404


# --- Commissions (INS-CDE-COMMISSIONS) ----------------------------------------------------------


def test_the_iae_commission_has_no_delete_button(client, agent, cde):
    iae = cde.commissions.get()
    login(client, agent)
    for page in (url("commission_list", cde.pk), url("commission_detail", iae.pk)):
        html = client.get(page).content.decode()
        assert "Commission inclusion et insertion" in html
        assert url("commission_delete", iae.pk) not in html


def test_a_forced_delete_of_the_iae_commission_is_refused(client, agent, cde):
    iae = cde.commissions.get()
    response = login(client, agent).post(url("commission_delete", iae.pk))
    assert response.status_code == 200
    assert "ne peut être supprimée" in errors(response)
    assert Commission.objects.filter(pk=iae.pk).exists()


def test_add_and_delete_a_working_group(client, agent, cde):
    login(client, agent)
    response = client.post(
        url("commission_add", cde.pk),
        {"name": "Mobilité", "kind": Commission.Kind.WORKING_GROUP, "mission": "Transports"},
    )
    assert response.status_code == 302
    group = cde.commissions.get(name="Mobilité")
    assert (
        url("commission_delete", group.pk)
        in client.get(url("commission_list", cde.pk)).content.decode()
    )
    assert client.post(url("commission_delete", group.pk)).status_code == 302
    assert not Commission.objects.filter(pk=group.pk).exists()


def test_a_second_iae_commission_is_refused(client, agent, cde):
    response = login(client, agent).post(
        url("commission_add", cde.pk), {"name": "IAE bis", "kind": Commission.Kind.IAE}
    )
    assert response.status_code == 200 and "déjà sa commission" in errors(response)
    assert cde.commissions.count() == 1


def test_commission_members_are_added_and_removed(client, agent, cde):
    iae = cde.commissions.get()
    login(client, agent)
    data = {
        "email": "siae@rhone.fr",
        "first_name": "Inès",
        "last_name": "Roche",
        "organisation": "Inter-réseaux IAE",
        "is_chair": "on",
    }
    assert client.post(url("commission_member_add", iae.pk), data).status_code == 302
    seat_ = CommissionMember.objects.get(commission=iae)
    assert seat_.is_chair and seat_.person.email == "siae@rhone.fr"
    response = client.post(url("commission_member_add", iae.pk), data)
    assert response.status_code == 200 and "siège déjà" in errors(response)
    assert client.post(url("commission_member_remove", seat_.pk)).status_code == 302
    assert not CommissionMember.objects.exists()


def test_commission_permissions(client, member, foreign_agent, cde):
    iae = cde.commissions.get()
    login(client, member)
    assert client.get(url("commission_list", cde.pk)).status_code == 200
    assert client.get(url("commission_detail", iae.pk)).status_code == 200
    assert (
        client.post(url("commission_add", cde.pk), {"name": "X", "kind": "commission"}).status_code
        == 403
    )
    assert client.post(url("commission_member_add", iae.pk), {}).status_code == 403
    group = services.add_commission(committee=cde, name="Groupe", kind="working_group")
    assert client.post(url("commission_delete", group.pk)).status_code == 403
    login(client, foreign_agent)
    assert client.get(url("commission_list", cde.pk)).status_code == 404
    assert client.get(url("commission_detail", iae.pk)).status_code == 404
    assert client.post(url("commission_delete", group.pk)).status_code == 404
    assert cde.commissions.count() == 2


# --- Rules of procedure (INS-RULES) -------------------------------------------------------------

FULL_RULES = {
    "principles": "Recherche du consensus.",
    "secretariat": "Assuré par la DDETS.",
    "bodies": "Plénière et comité technique.",
    "means": "Salle de la préfecture.",
    "meetings": "Trois réunions par an.",
    "commissions": "Groupes de travail thématiques.",
    "iae_commission": "Commission inclusion et IAE.",
    "coordination": "Avec le CRE et les CLE.",
    "user_representation": "",
}


def rules_data(**overrides):
    return {**FULL_RULES, "min_meetings_per_year": "3", **overrides}


def test_rules_draft_adoption_versions_and_pdf(
    client, agent, cle, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    login(client, agent)
    page = client.get(url("rules", cle.pk)).content.decode()
    assert "règlement intérieur non adopté" in page
    for _field, heading in (
        ("principles", "Principes de fonctionnement"),
        ("coordination", "Coordination"),
    ):
        assert heading in page
    response = client.post(url("rules", cle.pk), rules_data(coordination=""))
    assert response.status_code == 302
    draft = RulesOfProcedure.objects.get(committee=cle)
    # Adoption refused while a required heading is empty; nothing changes.
    response = client.post(url("rules_adopt", cle.pk), {"adopted_on": "2024-10-01"})
    assert response.status_code == 200
    assert "Rubriques obligatoires non rédigées" in errors(response)  # INS-RULES
    assert "Coordination" in errors(response)
    draft.refresh_from_db()
    assert not draft.is_adopted
    client.post(url("rules", cle.pk), rules_data())
    response = client.post(url("rules_adopt", cle.pk), {"adopted_on": "2024-10-01"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.adopted_on == date(2024, 10, 1) and draft.version == 1
    page = client.get(url("rules", cle.pk)).content.decode()
    assert "règlement intérieur non adopté" not in page and "adoptée le 01/10/2024" in page
    # A new edit opens version 2; the adopted version stays.
    client.post(url("rules", cle.pk), rules_data(means="Locaux de la sous-préfecture."))
    assert list(cle.rules_versions.values_list("version", "adopted_on")) == [
        (2, None),
        (1, date(2024, 10, 1)),
    ]
    versions = client.get(url("rules_versions", cle.pk)).content.decode()
    assert "Version 2" in versions and "Adoptée le 01/10/2024" in versions
    version_page = client.get(url("rules_version", draft.pk)).content.decode()
    assert "Salle de la préfecture." in version_page
    # The PDF is built by a task (tests/committees/test_rules_pdf_job.py).
    job = request_file(client, url("rules_pdf", draft.pk), django_capture_on_commit_callbacks)
    assert job.filename == "reglement-interieur-cle-beaujolais-v1.pdf"
    content = download(client, job)
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Règlement intérieur" in text and "Salle de la préfecture." in text
    assert "adoptée le 1 octobre 2024" in text


def test_adoption_date_cannot_be_in_the_future(client, agent, cle):
    services.save_rules_draft(committee=cle, **FULL_RULES)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = login(client, agent).post(url("rules_adopt", cle.pk), {"adopted_on": tomorrow})
    assert response.status_code == 200 and "futur" in errors(response)
    assert services.adopted_rules(cle) is None


def test_rules_are_read_by_members_and_written_by_the_secretariat(client, member, cde):
    draft = services.save_rules_draft(committee=cde, **FULL_RULES)
    login(client, member)
    response = client.get(url("rules", cde.pk))
    assert response.status_code == 200 and response.context["form"] is None
    assert client.get(url("rules_version", draft.pk)).status_code == 200
    assert client.post(url("rules_pdf", draft.pk)).status_code == 302
    assert client.post(url("rules", cde.pk), rules_data(principles="Autre")).status_code == 403
    assert client.post(url("rules_adopt", cde.pk), {"adopted_on": "2024-10-01"}).status_code == 403
    draft.refresh_from_db()
    assert draft.principles == FULL_RULES["principles"] and not draft.is_adopted


def test_rules_of_a_foreign_committee_are_404(client, foreign_agent, cde):
    draft = services.save_rules_draft(committee=cde, **FULL_RULES)
    login(client, foreign_agent)
    for path in (
        url("rules", cde.pk),
        url("rules_versions", cde.pk),
        url("rules_version", draft.pk),
    ):
        assert client.get(path).status_code == 404
    assert client.post(url("rules_pdf", draft.pk)).status_code == 404


def test_the_cre_applies_the_crefop_rules(client, territories):
    cre = make_cre(territories)
    agent = dreets_agent(territories.ara)
    login(client, agent)
    response = client.get(url("rules", cre.pk))
    assert "applique le règlement intérieur du CREFOP" in response.content.decode()
    response = client.post(url("rules", cre.pk), rules_data())
    assert response.status_code == 200 and "applique le règlement intérieur du CREFOP" in errors(
        response
    )
    assert not RulesOfProcedure.objects.exists()


# --- CREFOP rotation (INS-CRE-CREFOP) ---------------------------------------------------------


@pytest.fixture
def cre(territories):
    return make_cre(territories)


@pytest.fixture
def dreets(territories, cre):
    return dreets_agent(territories.ara, email="agent@dreets-ara.gouv.fr")


def test_rotation_page_proposes_a_labelled_grid(client, dreets, cre):
    response = login(client, dreets).get(url("rotation", cre.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="checkbox"') == 36
    assert html.count('name="seats"') == 36
    assert '<label class="fr-label" for="seat-1-01">' in html
    assert "Ain (01) siège l'année 1" in html
    assert response.context["proposed"]
    assert response.context["problems"] == []


def test_rotation_is_saved_and_checked(client, dreets, cre):
    login(client, dreets)
    plan = services.propose_rotation(cre)
    seats = [f"{year}:{code}" for year, codes in plan.items() for code in codes]
    seats.append("2:01")  # the Ain sits two years
    assert client.post(url("rotation", cre.pk), {"seats": seats}).status_code == 302
    assert CrefopRotation.objects.filter(committee=cre).count() == 13
    response = client.get(url("rotation", cre.pk))
    assert not response.context["proposed"]
    # A département that never sits: refused, nothing changes.
    without_ain = [s for s in seats if not s.endswith(":01")]
    response = client.post(url("rotation", cre.pk), {"seats": without_ain})
    assert response.status_code == 200
    assert "jamais : 01" in response.content.decode()
    assert CrefopRotation.objects.filter(committee=cre, departement_id="01").count() == 2


def test_rotation_refuses_unknown_seats(client, dreets, cre):
    response = login(client, dreets).post(url("rotation", cre.pk), {"seats": ["4:01", "1:67"]})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not CrefopRotation.objects.exists()


def test_rotation_permissions(client, territories, cre, cde):
    ddets = ddets_agent(territories.d69)
    login(client, ddets)
    assert client.get(url("rotation", cre.pk)).status_code == 200  # sees the CRE
    assert client.post(url("rotation", cre.pk), {"seats": ["1:01"]}).status_code == 403
    assert client.get(url("rotation", cde.pk)).status_code == 404  # not a CRE
    outsider = UserFactory()
    login(client, outsider)
    assert client.get(url("rotation", cre.pk)).status_code == 404
    assert not CrefopRotation.objects.exists()


def test_rotation_of_a_small_region_is_not_needed(client, territories):
    cre = make_cre(territories, region=territories.bretagne)
    agent = dreets_agent(territories.bretagne)
    response = login(client, agent).get(url("rotation", cre.pk))
    assert response.status_code == 200
    assert "six départements ou moins" in response.content.decode()
    response = client.post(url("rotation", cre.pk), {"seats": ["1:22"]})
    assert response.status_code == 200 and not CrefopRotation.objects.exists()
    assert "plus de six départements" in response.content.decode()


def test_admin_may_change_any_composition(client, admin_user, cle):
    response = login(client, admin_user).post(
        url("member_add", cle.pk), member_data(category=Category.STATE, votes="1")
    )
    assert response.status_code == 302
    assert Membership.objects.filter(committee=cle).count() == 1


def test_mandate_start_defaults_and_dates(client, agent, cde):
    form = login(client, agent).get(url("member_add", cde.pk)).context["form"]
    assert form.fields["mandate_start"].initial == date.today()
    assert date.today() > START
