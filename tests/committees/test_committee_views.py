"""Committee screens of the State services: list, creation, perimeter, page, installation,
dissolution, former instances, written opinions, history, dashboard, admin."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import (
    Category,
    Commission,
    Committee,
    FormerInstance,
    Level,
    Membership,
    WrittenOpinion,
    add_years,
)
from committees.permissions import can_manage_committee
from committees.selectors import committee_warnings, warning_counts
from committees.services.committees import create_committee, install_committee, set_perimeter
from committees.services.composition import adopt_rules, end_membership, save_rules_draft
from committees.services.former_instances import add_former_instance
from tests.committees import builders
from tests.factories.committees import CoPresidencyFactory, MembershipFactory, compose, install

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _pdf(name="avis.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 avis favorable", content_type="application/pdf")


def _errors(response) -> str:
    """The page as text, HTML entities decoded."""
    return unescape(response.content.decode())


# --- List -----------------------------------------------------------------------------------------


def test_list_shows_the_committees_of_my_territory_only(client, territory, ddets_rhone):
    cle = builders.make_cle(territory)
    cde = builders.make_cde(territory)
    cre = builders.make_cre(territory)
    foreign = create_committee(
        level=Level.LOCAL,
        name="CLE Paris Centre",
        region=territory.idf,
        departements=[territory.d75],
    )
    set_perimeter(committee=foreign, communes=[territory.communes["75056"]])
    client.force_login(ddets_rhone)
    response = client.get(reverse("committees:list"))
    assert response.status_code == 200
    html = _errors(response)
    for committee in (cle, cde, cre):
        assert committee.name in html
    assert "CLE Paris Centre" not in html
    populations = {row["committee"]: row["population"] for row in response.context["rows"]}
    # DEC-SPECIAL-CDE: the Rhône CDE covers the 69 without the Métropole de Lyon
    assert populations[cde] == sum(
        c.population
        for c in territory.communes.values()
        if c.departement_id == "69" and c.epci_id != "200046977"
    )
    assert populations[cre] == sum(
        c.population for c in territory.communes.values() if c.region_id == "84"
    )


def test_list_filters_by_level_departement_status_and_name(client, territory, ddets_rhone):
    cle = builders.make_cle(territory)
    install(cle)
    cde = builders.make_cde(territory)
    client.force_login(ddets_rhone)
    url = reverse("committees:list")
    html = _errors(client.get(url, {"level": Level.LOCAL}))
    assert cle.name in html and cde.name not in html
    html = _errors(client.get(url, {"status": Committee.Status.DRAFT}))
    assert cde.name in html and cle.name not in html
    html = _errors(client.get(url, {"q": "beaujolais"}))
    assert cle.name in html and cde.name not in html
    html = _errors(client.get(url, {"departement": "69"}))
    assert cle.name in html and cde.name in html


def test_list_shows_population_and_warning_counts(client, territory, ddets_rhone):
    cle = builders.make_cle(territory)  # arrondissement 692: 6 communes of the sample
    client.force_login(ddets_rhone)
    response = client.get(reverse("committees:list"))
    row = next(r for r in response.context["rows"] if r["committee"] == cle)
    assert row["population"] == cle.population == 86_040
    assert row["warnings"] == len(committee_warnings(cle)) > 0


def _crowd(territory, count: int, members: int) -> None:
    """``count`` CLEs of the Rhône with ``members`` members each."""
    for i in range(count):
        committee = builders.make_cle(territory, name=f"CLE n° {i}")
        CoPresidencyFactory(committee=committee)
        for _ in range(members):
            MembershipFactory(
                committee=committee,
                category=Category.FRANCE_TRAVAIL,
                mandate_end=TODAY + timedelta(30),
            )


@pytest.mark.parametrize("count", [2, 20])
def test_list_query_budget_is_flat(
    client, territory, ddets_rhone, django_assert_max_num_queries, count
):
    builders.make_cde(territory)
    builders.make_cre(territory)
    _crowd(territory, count, members=3)
    client.force_login(ddets_rhone)
    # session + user, guardian visibility, departement filter choices, count, page,
    # prefetch, warnings (7), populations (2)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("committees:list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count + 2


def test_list_requires_login(client, territory):
    response = client.get(reverse("committees:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- Creation -------------------------------------------------------------------------------------


def test_ddets_agent_creates_a_cle_then_lands_on_its_page(client, territory, ddets_rhone):
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:create"),
        {
            "level": Level.LOCAL,
            "name": "CLE Sud-Ouest lyonnais",
            "departements": ["69"],
            "arrete_reference": "",
        },
    )
    committee = Committee.objects.get(name="CLE Sud-Ouest lyonnais")
    assert response.status_code == 302
    assert response["Location"] == committee.get_absolute_url()
    assert committee.level == Level.LOCAL
    assert committee.status == Committee.Status.DRAFT
    assert committee.region_id == "84"
    assert list(committee.departements.values_list("code", flat=True)) == ["69"]


def test_a_cde_is_created_with_its_iae_commission(client, territory, ddets_rhone):
    # INS-CDE-COMMISSIONS, DEC-IAE
    client.force_login(ddets_rhone)
    client.post(
        reverse("committees:create"),
        {"level": Level.DEPARTMENTAL, "name": "CDE du Rhône", "departements": ["69"]},
    )
    committee = Committee.objects.get(name="CDE du Rhône")
    assert committee.commissions.filter(kind=Commission.Kind.IAE, is_mandatory=True).exists()


def test_metropole_de_lyon_cde_beside_the_rhone_one(client, territory, ddets_rhone):
    # DEC-SPECIAL-CDE / INS-CDE-RHONE: two CDEs on the 69.
    builders.make_cde(territory)
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:create"),
        {
            "level": Level.DEPARTMENTAL,
            "name": "CDE de la Métropole de Lyon",
            "departements": ["69"],
            "special_authority": "metropole_lyon",
        },
    )
    assert response.status_code == 302
    assert Committee.objects.filter(level=Level.DEPARTMENTAL).count() == 2


def test_a_second_plain_cde_is_refused_on_the_form(client, territory, ddets_rhone):
    # DEC-SPECIAL-CDE: one CDE per département, otherwise.
    builders.make_cde(territory)
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:create"),
        {"level": Level.DEPARTMENTAL, "name": "Autre CDE du Rhône", "departements": ["69"]},
    )
    assert response.status_code == 200
    assert "Un comité départemental existe déjà sur ce territoire" in _errors(response)
    assert not Committee.objects.filter(name="Autre CDE du Rhône").exists()


def test_the_cre_needs_its_crefop_mode(client, territory, dreets_ara):
    # INS-CRE-CREFOP
    client.force_login(dreets_ara)
    url = reverse("committees:create")
    data = {"level": Level.REGIONAL, "name": "CRE Auvergne-Rhône-Alpes", "region": "84"}
    response = client.post(url, data)
    assert "Précisez si le CRE est installé au sein du CREFOP" in _errors(response)
    assert not Committee.objects.exists()
    response = client.post(url, {**data, "crefop_mode": "within"})
    assert response.status_code == 302
    assert Committee.objects.get().crefop_mode == "within"


def test_create_form_offers_the_levels_of_my_service(client, territory, ddets_rhone, dreets_ara):
    client.force_login(ddets_rhone)
    levels = dict(client.get(reverse("committees:create")).context["form"].fields["level"].choices)
    assert set(levels) == {Level.DEPARTMENTAL, Level.LOCAL}
    client.force_login(dreets_ara)
    levels = dict(client.get(reverse("committees:create")).context["form"].fields["level"].choices)
    assert set(levels) == {Level.REGIONAL}


def test_create_form_lists_the_departements_as_checkboxes(client, territory, ddets_rhone):
    client.force_login(ddets_rhone)
    page = _errors(client.get(reverse("committees:create")))
    assert 'type="checkbox" name="departements" value="69"' in page
    assert "Rhône (69)" in page and "Ain (01)" in page and "Paris (75)" not in page


def test_create_is_forbidden_to_who_is_no_state_service(client, territory, outsider):
    client.force_login(outsider)
    assert client.get(reverse("committees:create")).status_code == 403
    response = client.post(
        reverse("committees:create"),
        {"level": Level.LOCAL, "name": "CLE pirate", "departements": ["69"]},
    )
    assert response.status_code == 403
    assert not Committee.objects.exists()


def test_create_outside_my_departement_is_forbidden(client, territory, ddets_ain):
    # can_create_committee: a DDETS agent creates the committees of their own département.
    client.force_login(ddets_ain)
    response = client.post(
        reverse("committees:create"),
        {"level": Level.DEPARTMENTAL, "name": "CDE du Rhône", "departements": ["69"]},
    )
    assert response.status_code == 403
    assert not Committee.objects.exists()


# --- Edition --------------------------------------------------------------------------------------


def test_edit_a_committee(client, territory, ddets_rhone):
    cde = builders.make_cde(territory)
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:edit", args=[cde.pk]),
        {
            "name": "Comité départemental pour l'emploi du Rhône (CDE 69)",
            "arrete_reference": "Arrêté n° 69-2024-10-01",
            "max_members_override": "25",
            "max_members_basis": "Arrêté n° 69-2024-10-01",
        },
    )
    assert response.status_code == 302
    cde.refresh_from_db()
    assert cde.name == "Comité départemental pour l'emploi du Rhône (CDE 69)"
    assert cde.max_members_override == 25


def test_edit_refuses_a_maximum_without_its_arrete(client, territory, ddets_rhone):
    cde = builders.make_cde(territory)
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:edit", args=[cde.pk]),
        {"name": "Nouveau nom", "max_members_override": "25", "max_members_basis": ""},
    )
    assert response.status_code == 200
    assert "Indiquez l'arrêté qui fixe ce nombre maximal" in _errors(response)
    cde.refresh_from_db()
    assert cde.name != "Nouveau nom"


# --- Perimeter ------------------------------------------------------------------------------------


def test_perimeter_preview_shows_communes_and_population_without_saving(
    client, territory, ddets_rhone
):
    committee = builders.make_cle(territory, name="CLE Sud-Ouest lyonnais")
    before = set(committee.communes.values_list("code", flat=True))
    client.force_login(ddets_rhone)
    response = client.get(
        reverse("committees:perimeter", args=[committee.pk]),
        {"epcis": [territory.garon.code, territory.mornantais.code], "apercu": "1"},
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert {c.code for c in preview["communes"]} == {"69027", "69141"}
    assert preview["population"] == 12503 + 6282
    html = _errors(response)
    assert "Brignais" in html and "Mornant" in html
    assert set(committee.communes.values_list("code", flat=True)) == before


def test_perimeter_offers_my_departement_only(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    client.force_login(ddets_rhone)
    form = client.get(reverse("committees:perimeter", args=[committee.pk])).context["form"]
    codes = {c.code for c in form.fields["communes"].queryset}
    assert "69264" in codes and "01053" not in codes and "75056" not in codes
    assert {a.code for a in form.fields["arrondissements"].queryset} == {"691", "692"}
    # the EPCI of Villefranche reaches the Ain (Jassans-Riottier): it is offered
    assert territory.villefranche in form.fields["epcis"].queryset
    assert territory.dombes not in form.fields["epcis"].queryset


def test_perimeter_is_saved_from_epci_and_communes(client, territory, ddets_rhone):
    committee = builders.make_cle(territory, name="CLE Sud-Ouest lyonnais")
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:perimeter", args=[committee.pk]),
        {"epcis": [territory.garon.code], "communes": ["69141"]},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert set(committee.communes.values_list("code", flat=True)) == {"69027", "69141"}
    assert committee.population == 12503 + 6282
    assert committee.commune_count == 2


def test_perimeter_conflicts_are_listed_commune_by_commune(client, territory, ddets_rhone):
    # INS-CLE-PERIMETER: a commune belongs to at most one installed CLE.
    beaujolais = install(builders.make_cle(territory))
    other = install(
        builders.make_cle(territory, name="CLE Sud-Ouest lyonnais", epcis=[territory.garon])
    )
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:perimeter", args=[other.pk]),
        {"epcis": [territory.garon.code, territory.epci("200040574").code]},
    )
    assert response.status_code == 200
    html = _errors(response)
    assert "2 commune(s) appartiennent déjà à un autre CLE installé" in html
    assert f"Anse (69009) — déjà dans « {beaujolais.name} »" in html
    assert f"Val d'Oingt (69024) — déjà dans « {beaujolais.name} »" in html
    assert set(other.communes.values_list("code", flat=True)) == {"69027"}


def test_perimeter_preview_warns_of_conflicts_and_other_departements(
    client, territory, ddets_rhone
):
    install(builders.make_cle(territory))
    draft = builders.make_cle(territory, name="CLE Val de Saône", epcis=[territory.garon])
    client.force_login(ddets_rhone)
    response = client.get(
        reverse("committees:perimeter", args=[draft.pk]),
        {"epcis": [territory.villefranche.code], "apercu": "1"},
    )
    html = _errors(response)
    assert "appartiennent déjà à un autre comité local installé" in html
    assert "Villefranche-sur-Saône (69264)" in html
    # INS-WRITTEN-OPINIONS: Jassans-Riottier lies in the Ain (said in French, no rule id)
    assert "sera exigé avant l'installation" in html


def test_perimeter_of_a_cde_does_not_exist(client, territory, ddets_rhone):
    cde = builders.make_cde(territory)
    client.force_login(ddets_rhone)
    assert client.get(reverse("committees:perimeter", args=[cde.pk])).status_code == 404


# --- Committee page -------------------------------------------------------------------------------


def test_committee_page_header_and_warnings(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    CoPresidencyFactory(committee=committee)
    client.force_login(ddets_rhone)
    response = client.get(committee.get_absolute_url())
    assert response.status_code == 200
    html = _errors(response)
    assert "Comité local pour l'emploi (CLE)" in html
    assert "En préparation" in html
    assert "Arrondissements (1)" in html and "Villefranche-sur-Saône" in html
    assert "Il manque le co-président représentant les collectivités" in html
    assert "Catégories de membres permanents manquantes" in html
    assert "Règlement intérieur non adopté" in html
    assert "Voix déséquilibrées" in html  # State co-president alone (DEC-VOTES)
    assert response.context["can_manage"] is True


@pytest.fixture
def short_review(settings):
    """Committees exist since July 2024 (INS-DATES): for a perimeter review to be due today,
    the review period is shortened to two years."""
    settings.CTE = {**settings.CTE, "PERIMETER_REVIEW_YEARS": 2}


def test_committee_page_lists_mandates_ending_and_review_due(
    client, territory, ddets_rhone, short_review
):
    committee = builders.make_cle(territory)
    compose(committee)
    install_committee(
        committee=committee,
        installed_on=add_years(TODAY, -2) - timedelta(days=1),
        arrete_reference="Arrêté n° 69-2024-001",
    )
    MembershipFactory(
        committee=committee,
        category=Category.OTHER_NETWORK,
        is_permanent=False,
        organisation="Chambre de commerce et d'industrie",
        mandate_end=TODAY + timedelta(days=45),
    )
    client.force_login(ddets_rhone)
    html = _errors(client.get(committee.get_absolute_url()))
    assert "1 mandat arrive à échéance dans les 90 jours" in html
    assert "Chambre de commerce et d'industrie" in html
    assert "Révision du périmètre à mener" in html
    assert "À mener" in html


def test_committee_page_shows_adopted_rules(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    rules = save_rules_draft(
        committee=committee,
        principles="Consensus",
        secretariat="DDETS",
        bodies="Plénière",
        means="Salle",
        meetings="Trois",
        commissions="Aucune",
        iae_commission="Celle du CDE",
        coordination="Avec le CDE",
    )
    adopt_rules(rules=rules, adopted_on=TODAY)
    client.force_login(ddets_rhone)
    response = client.get(committee.get_absolute_url())
    assert "rules" not in {w.kind for w in response.context["warnings"]}
    assert "Règlement intérieur non adopté" not in _errors(response)


def test_committee_page_of_a_foreign_committee_is_404(client, territory, ddets_paris, ddets_ain):
    committee = builders.make_cle(territory)
    for user in (ddets_paris, ddets_ain):
        client.force_login(user)
        assert client.get(committee.get_absolute_url()).status_code == 404


def test_dreets_sees_the_committee_page_without_actions(client, territory, dreets_ara):
    committee = builders.make_cle(territory)
    client.force_login(dreets_ara)
    response = client.get(committee.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert reverse("committees:install", args=[committee.pk]) not in _errors(response)


def test_committee_page_history_names_fields_in_french_without_personal_data(
    client, territory, ddets_rhone
):
    committee = builders.make_cle(territory)
    client.force_login(ddets_rhone)
    client.post(
        reverse("committees:edit", args=[committee.pk]),
        {"name": "CLE Beaujolais", "arrete_reference": "Arrêté n° 1"},
    )
    member = MembershipFactory(
        committee=committee, category=Category.FRANCE_TRAVAIL, organisation="France Travail Rhône"
    )
    end_membership(membership=member, ended_on=TODAY, reason="Mutation")
    response = client.get(committee.get_absolute_url())
    entries = response.context["history"]
    assert entries[0].subject == "Membre — France Travail, France Travail Rhône"
    assert entries[0].fields == ["Fin anticipée", "Motif de fin"]
    edit = next(e for e in entries if e.subject == "Comité" and e.action == "Modification")
    assert edit.who == "Claire Duval"
    assert set(edit.fields) == {"Nom", "Référence de l'arrêté préfectoral"}
    html = _errors(response)
    assert member.person.email not in html


def _populate(territory, members: int) -> Committee:
    committee = builders.make_cde(territory)
    compose(committee)
    for i in range(members):
        MembershipFactory(
            committee=committee,
            category=Category.OTHER_NETWORK,
            is_permanent=False,
            organisation=f"Réseau {i}",
            mandate_end=TODAY + timedelta(days=10 + i),
        )
    add_former_instance(committee=committee, kind="sped", name="SPED du Rhône", outcome="removed")
    return committee


@pytest.mark.parametrize("members", [2, 20])
def test_committee_page_query_budget_is_flat(
    client, territory, ddets_rhone, django_assert_max_num_queries, members
):
    committee = _populate(territory, members)
    client.force_login(ddets_rhone)
    with django_assert_max_num_queries(50):
        response = client.get(committee.get_absolute_url())
    assert response.status_code == 200


def test_committee_page_queries_do_not_grow_with_members(
    client, territory, ddets_rhone, django_assert_num_queries
):

    small = _populate(territory, 2)
    client.force_login(ddets_rhone)
    client.get(small.get_absolute_url())  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    few_count = len(few)  # read now: the next request resets the query log
    for i in range(20):
        MembershipFactory(
            committee=small,
            category=Category.OTHER_NETWORK,
            is_permanent=False,
            organisation=f"Réseau bis {i}",
            mandate_end=TODAY + timedelta(days=5),
        )
    client.get(small.get_absolute_url())  # warm again: the writes renewed the menu flags
    with CaptureQueriesContext(connection) as many:
        client.get(small.get_absolute_url())
    assert 0 < len(many) == few_count


# --- Installation and dissolution -----------------------------------------------------------------


def test_installation_is_refused_with_the_list_of_problems(client, territory, ddets_rhone):
    # INS-COMPOSITION: every permanent category before installation.
    committee = builders.make_cle(territory)
    compose(committee, skip=(Category.CAP_EMPLOI,))
    client.force_login(ddets_rhone)
    url = reverse("committees:install", args=[committee.pk])
    assert "Cap emploi" in _errors(client.get(url))
    response = client.post(url, {"installed_on": TODAY.isoformat(), "arrete_reference": "A-1"})
    assert response.status_code == 200
    assert "Catégories de membres permanents manquantes : Cap emploi" in _errors(response)
    committee.refresh_from_db()
    assert committee.status == Committee.Status.DRAFT
    assert committee.installed_on is None


def test_installation_succeeds_when_everything_is_there(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    compose(committee)
    client.force_login(ddets_rhone)
    response = client.post(
        reverse("committees:install", args=[committee.pk]),
        {"installed_on": "2024-09-15", "arrete_reference": "Arrêté n° 69-2024-09-15-002"},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.status == Committee.Status.INSTALLED
    assert committee.installed_on == date(2024, 9, 15)
    assert committee.arrete_reference == "Arrêté n° 69-2024-09-15-002"
    # INS-CLE-PERIMETER: review three years later
    assert committee.perimeter_review_due_on == date(2027, 9, 15)


def test_dissolution(client, territory, ddets_rhone):
    committee = install(builders.make_cle(territory))
    client.force_login(ddets_rhone)
    url = reverse("committees:dissolve", args=[committee.pk])
    response = client.post(url, {"dissolved_on": "2024-01-01"})
    assert "La dissolution ne peut précéder l'installation." in _errors(response)
    committee.refresh_from_db()
    assert committee.status == Committee.Status.INSTALLED
    response = client.post(url, {"dissolved_on": TODAY.isoformat()})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.status == Committee.Status.DISSOLVED
    assert committee.dissolved_on == TODAY


# --- Former instances (INS-REPLACES) --------------------------------------------------------------


def test_add_and_remove_a_former_instance(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    client.force_login(ddets_rhone)
    url = reverse("committees:former_instance_add", args=[committee.pk])
    data = {"kind": "spel", "name": "SPEL de Villefranche-sur-Saône", "outcome": "integrated"}
    assert client.post(url, data).status_code == 302
    instance = FormerInstance.objects.get(committee=committee)
    assert instance.outcome == "integrated"
    response = client.post(url, data)
    assert "figure déjà parmi les instances antérieures" in _errors(response)
    assert FormerInstance.objects.filter(committee=committee).count() == 1
    html = _errors(client.get(committee.get_absolute_url()))
    assert "SPEL de Villefranche-sur-Saône" in html
    response = client.post(
        reverse("committees:former_instance_remove", args=[committee.pk, instance.pk])
    )
    assert response.status_code == 302
    assert not FormerInstance.objects.filter(committee=committee).exists()


def test_remove_requires_post(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    instance = add_former_instance(
        committee=committee, kind="sped", name="SPED du Rhône", outcome="removed"
    )
    client.force_login(ddets_rhone)
    url = reverse("committees:former_instance_remove", args=[committee.pk, instance.pk])
    # A GET only asks for confirmation (issue 13, test_confirm_former_instance.py).
    assert client.get(url).status_code == 200
    assert FormerInstance.objects.filter(pk=instance.pk).exists()


# --- Written opinions (INS-WRITTEN-OPINIONS) ------------------------------------------------------


def test_interdepartmental_cle_is_installed_once_opinions_are_uploaded(
    client, territory, ddets_rhone, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    committee = builders.make_cle(territory, epcis=[territory.villefranche])  # 69 + 01
    compose(committee)
    client.force_login(ddets_rhone)
    install = reverse("committees:install", args=[committee.pk])
    data = {"installed_on": TODAY.isoformat(), "arrete_reference": "Arrêté inter-préfectoral"}
    assert "il faut l'avis écrit" in _errors(client.post(install, data))
    add = reverse("committees:opinion_add", args=[committee.pk])
    for code, authority in (
        ("69", "Conseil départemental du Rhône"),
        ("01", "Département de l'Ain"),
    ):
        response = client.post(
            add,
            {
                "subject": "interdepartmental_cle",
                "authority": authority,
                "departement": code,
                "given_on": "2024-08-20",
                "document": _pdf(),
            },
        )
        assert response.status_code == 302
    assert client.post(install, data).status_code == 302
    committee.refresh_from_db()
    assert committee.status == Committee.Status.INSTALLED


def test_written_opinion_refusals(client, territory, ddets_rhone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    committee = builders.make_cle(territory)
    client.force_login(ddets_rhone)
    add = reverse("committees:opinion_add", args=[committee.pk])
    base = {"subject": "interdepartmental_cle", "authority": "Département de l'Ain"}
    response = client.post(
        add, {**base, "given_on": (TODAY + timedelta(days=3)).isoformat(), "document": _pdf()}
    )
    assert "La date de l'avis ne peut être dans le futur." in _errors(response)
    response = client.post(add, {**base, "given_on": "2024-08-20", "document": _pdf("avis.exe")})
    assert "Format non accepté" in _errors(response)
    assert not WrittenOpinion.objects.exists()


def test_written_opinion_is_downloaded_only_by_who_sees_the_committee(
    client, territory, ddets_rhone, dreets_ara, ddets_paris, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    committee = builders.make_cle(territory)
    client.force_login(ddets_rhone)
    client.post(
        reverse("committees:opinion_add", args=[committee.pk]),
        {
            "subject": "interdepartmental_cle",
            "authority": "Département de l'Ain",
            "given_on": "2024-08-20",
            "document": _pdf(),
        },
    )
    opinion = WrittenOpinion.objects.get()
    url = reverse("committees:opinion_document", args=[committee.pk, opinion.pk])
    for user in (ddets_rhone, dreets_ara):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]
    client.force_login(ddets_paris)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert "/media/" not in _errors(client.get(committee.get_absolute_url()))


# --- History page ---------------------------------------------------------------------------------


def test_history_page_lists_every_change_newest_first(client, territory, ddets_rhone):
    committee = builders.make_cle(territory)
    compose(committee)
    client.force_login(ddets_rhone)
    response = client.get(reverse("committees:history", args=[committee.pk]))
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert entries[-1].subject == "Comité" and entries[-1].action == "Création"
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert any(e.subject.startswith("Co-présidence") for e in entries)


# --- Dashboard ------------------------------------------------------------------------------------


def _dashboard_world(territory):
    ending = install(builders.make_cle(territory), on=TODAY - timedelta(days=30))
    MembershipFactory(
        committee=ending,
        category=Category.FRANCE_TRAVAIL,
        organisation="France Travail Villefranche",
        mandate_end=TODAY + timedelta(days=20),
    )
    review = builders.make_cle(territory, name="CLE Sud-Ouest lyonnais", epcis=[territory.garon])
    compose(review)
    install_committee(
        committee=review,
        installed_on=add_years(TODAY, -2) - timedelta(days=3),
        arrete_reference="Arrêté n° 2024-1",
    )
    draft = builders.make_cde(territory)
    return ending, review, draft


def test_dashboard_lists_what_needs_doing(client, territory, ddets_rhone, short_review):
    ending, review, draft = _dashboard_world(territory)
    client.force_login(ddets_rhone)
    response = client.get(reverse("committees:dashboard"))
    assert response.status_code == 200
    context = response.context
    assert [m.organisation for m in context["mandates_ending"]] == ["France Travail Villefranche"]
    assert context["reviews_due"] == [review]
    assert context["not_installed"] == [draft]
    assert set(context["rules_not_adopted"]) == {ending, review, draft}
    html = _errors(response)
    assert "France Travail Villefranche" in html


def test_dashboard_is_empty_for_who_manages_nothing(client, territory, dreets_ara, short_review):
    _dashboard_world(territory)
    client.force_login(dreets_ara)
    response = client.get(reverse("committees:dashboard"))
    assert response.context["committees"] == []
    assert "Vous n'assurez le secrétariat d'aucun comité" in _errors(response)


@pytest.mark.parametrize("count", [2, 20])
def test_dashboard_query_budget_is_flat(
    client, territory, ddets_rhone, django_assert_max_num_queries, count
):
    _crowd(territory, count, members=3)
    client.force_login(ddets_rhone)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("committees:dashboard"))
    assert len(response.context["mandates_ending"]) == 3 * count


# --- Warnings: the list's counts agree with the committee page ------------------------------------


def test_warning_counts_agree_with_committee_warnings(territory, short_review):
    lonely = builders.make_cle(territory, name="CLE seul")
    CoPresidencyFactory(committee=lonely)
    inter = builders.make_cle(territory, name="CLE Val de Saône", epcis=[territory.villefranche])
    compose(inter)
    full = install(builders.make_cle(territory, name="CLE Garon", epcis=[territory.garon]))
    MembershipFactory(
        committee=full, category=Category.STATE, mandate_end=TODAY + timedelta(days=3), votes=2
    )
    cde = builders.make_cde(territory)
    compose(cde)
    merged = builders.make_cre(territory, crefop_mode="merged")
    compose(merged)
    old = builders.make_cle(territory, name="CLE ancien", epcis=[territory.mornantais])
    compose(old)
    install_committee(
        committee=old, installed_on=add_years(TODAY, -2) - timedelta(days=5), arrete_reference="A"
    )
    committees = [lonely, inter, full, cde, merged, old]
    counts = warning_counts(committees)
    for committee in committees:
        assert counts[committee.pk] == len(committee_warnings(committee)), committee.name


def test_membership_vote_follows_category_in_counts(territory):
    committee = builders.make_cle(territory)
    CoPresidencyFactory(committee=committee)
    CoPresidencyFactory(committee=committee, local_authority=True)
    MembershipFactory(committee=committee, category=Category.FRANCE_TRAVAIL)  # no vote (DEC-VOTERS)
    assert Membership.objects.get().has_vote is False
    kinds = {w.kind for w in committee_warnings(committee)}
    assert "balance" not in kinds


# --- Menu, home, admin ----------------------------------------------------------------------------


def test_menu_has_committees_and_dashboard(client, territory, ddets_rhone):
    client.force_login(ddets_rhone)
    response = client.get(reverse("committees:dashboard"))
    menu = {item["label"]: item["current"] for item in response.context["main_menu"]}
    assert menu["Comités"] is False and menu["Mon tableau de bord"] is True
    response = client.get(reverse("committees:list"))
    menu = {item["label"]: item["current"] for item in response.context["main_menu"]}
    assert menu["Comités"] is True and menu["Mon tableau de bord"] is False


def test_home_links_to_the_dashboard(client, territory, ddets_rhone):
    client.force_login(ddets_rhone)
    html = _errors(client.get("/"))
    assert reverse("committees:dashboard") in html


def test_admin_pages_of_committee_models(client, territory, admin_user):
    committee = install(builders.make_cle(territory))
    add_former_instance(committee=committee, kind="sped", name="SPED du Rhône", outcome="removed")
    client.force_login(admin_user)
    for model in (
        "committee",
        "membership",
        "copresidency",
        "commission",
        "commissionmember",
        "rulesofprocedure",
        "crefoprotation",
        "formerinstance",
        "writtenopinion",
        "staffassignment",
        "territories.commune",
        "territories.epci",
        "territories.region",
        "territories.departement",
        "territories.arrondissement",
        "territories.ept",
    ):
        app, _, name = model.rpartition(".")
        response = client.get(reverse(f"admin:{app or 'committees'}_{name}_changelist"))
        assert response.status_code == 200, model
    for url in (
        reverse("admin:committees_committee_change", args=[committee.pk]),
        reverse("admin:committees_committee_history", args=[committee.pk]),
    ):
        assert client.get(url).status_code == 200
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Ville",
            "app_label": "committees",
            "model_name": "committee",
            "field_name": "perimeter_communes",
        },
    )
    assert {r["text"] for r in response.json()["results"]} >= {"Villefranche-sur-Saône (69264)"}


def _inline_management(prefixes) -> dict:
    data = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


ADMIN_INLINES = ("copresidencies", "memberships", "former_instances", "written_opinions")


def test_admin_derives_the_perimeter_and_the_permissions(
    client, territory, admin_user, ddets_rhone
):
    # INS-CLE-PERIMETER: communes and population follow the picks; guardian follows the facts.
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:committees_committee_add"),
        {
            "level": Level.LOCAL,
            "name": "CLE créé par l'administration",
            "status": Committee.Status.DRAFT,
            "region": "84",
            "departements": ["69"],
            "special_authority": "",
            "crefop_mode": "",
            "perimeter_epcis": [territory.garon.code, territory.mornantais.code],
            **_inline_management(ADMIN_INLINES),
        },
    )
    assert response.status_code == 302, _errors(response)
    committee = Committee.objects.get(name="CLE créé par l'administration")
    assert set(committee.communes.values_list("code", flat=True)) == {"69027", "69141"}
    assert committee.population == 12503 + 6282

    assert can_manage_committee(ddets_rhone, committee)


def test_admin_refuses_a_perimeter_taken_by_an_installed_cle(client, territory, admin_user):
    install(builders.make_cle(territory))
    other = install(builders.make_cle(territory, name="CLE Garon", epcis=[territory.garon]))
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:committees_committee_change", args=[other.pk]),
        {
            "level": Level.LOCAL,
            "name": other.name,
            "status": Committee.Status.INSTALLED,
            "installed_on": other.installed_on.isoformat(),
            "region": "84",
            "departements": ["69"],
            "special_authority": "",
            "crefop_mode": "",
            "arrete_reference": other.arrete_reference,
            "perimeter_epcis": [territory.garon.code],
            "perimeter_communes": ["69009"],
            **_inline_management(ADMIN_INLINES),
        },
    )
    assert response.status_code == 200
    assert "Anse (69009) — déjà dans « CLE Beaujolais – Val de Saône »" in _errors(response)
    assert set(other.communes.values_list("code", flat=True)) == {"69027"}
