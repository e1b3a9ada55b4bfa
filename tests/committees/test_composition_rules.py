"""Composition and installation rules read against the decree and the instruction:
what DEC-MAX counts, the special CDEs' opinion (DEC-SPECIAL-CDE), installation dates
(INS-DATES), the balance of a CLE (INS-CLE-BALANCE), the bodies the seats represent
(DEC-CATEGORIES), the préfets of an inter-departmental CLE (DEC-COPRESIDENCY), the rules of
procedure of a CLE (INS-RULES), and the Django admin going through the same services."""

from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import (
    Commission,
    Committee,
    CoPresidency,
    Level,
    SpecialAuthority,
    WrittenOpinion,
)
from committees.models.rules import Category
from committees.selectors import committee_warnings, warning_counts
from committees.services import committees as committee_services
from committees.services import composition as services
from cte_portal.core.errors import RuleError
from tests.committees.composition_helpers import (
    complete_composition,
    copresident,
    make_cde,
    make_cle,
    make_cre,
)
from tests.factories.committees import (
    ARRETE,
    CommitteeFactory,
    MembershipFactory,
    compose,
    ddets_agent,
)
from tests.factories.territories import (
    COMPOSITION,
    SAMPLE,
    DepartementFactory,
    RegionFactory,
    build_territory,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

STATE = CoPresidency.Side.STATE
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def territories(db):
    return build_territory(COMPOSITION)


def _text(response) -> str:
    """The page as text, entities decoded and white space collapsed."""
    return " ".join(unescape(response.content.decode()).split())


def _opinion(committee, subject=WrittenOpinion.Subject.SPECIAL_CDE, **fields):
    return committee_services.add_written_opinion(
        committee=committee,
        subject=subject,
        authority=fields.pop("authority", "Président de la Métropole de Lyon"),
        given_on=fields.pop("given_on", date(2024, 7, 5)),
        document=SimpleUploadedFile("avis.pdf", PDF, content_type="application/pdf"),
        **fields,
    )


# --- DEC-MAX: appointed members with a vote -------------------------------------------------------


def test_dec_max_the_composition_page_counts_appointed_voting_members_and_says_so(
    client, territories
):
    cle = make_cle(territories)
    MembershipFactory(committee=cle, category=Category.STATE)
    MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    for category in (Category.FRANCE_TRAVAIL, Category.MISSIONS_LOCALES, Category.CAP_EMPLOI):
        MembershipFactory(committee=cle, category=category)
    agent = ddets_agent(territories.d69)
    client.force_login(agent)
    page = _text(client.get(reverse("committees:composition", args=[cle.pk])))
    assert "2 membres nommés à voix délibérative sur 8 au maximum" in page
    assert "Ne sont comptés ni les co-présidents, ni les suppléants, ni France Travail" in page
    form = _text(client.get(reverse("committees:member_add", args=[cle.pk])))
    assert "Sont comptés les membres titulaires nommés par arrêté à voix délibérative" in form
    assert "DEC-MAX" not in page + form


def test_dec_max_an_installation_over_the_maximum_is_refused(territories, settings):
    settings.CTE = {**settings.CTE, "MAX_MEMBERS_LOCAL": 3}
    cle = make_cle(territories)
    complete_composition(cle)  # State, communes/EPCI + three network seats not counted
    cle.max_members_override = 1
    cle.save()
    with pytest.raises(RuleError) as error:
        committee_services.install_committee(
            committee=cle, installed_on=date(2024, 10, 1), arrete_reference=ARRETE
        )
    assert "2 membres nommés à voix délibérative pour un maximum de 1." in error.value.messages
    cle.max_members_override = 2
    cle.save()
    committee_services.install_committee(
        committee=cle, installed_on=date(2024, 10, 1), arrete_reference=ARRETE
    )
    assert Committee.objects.get(pk=cle.pk).is_installed


# --- DEC-SPECIAL-CDE: the collectivité president's opinion on the composition -----------------


def test_dec_special_cde_installation_needs_the_presidents_opinion(territories):
    metropole = make_cde(
        territories,
        name="CDE de la Métropole de Lyon",
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    complete_composition(metropole)
    with pytest.raises(RuleError) as error:
        committee_services.install_committee(
            committee=metropole, installed_on=date(2024, 7, 12), arrete_reference=ARRETE
        )
    assert any(
        "après l'avis du président de la Métropole de Lyon" in m for m in error.value.messages
    )
    assert Committee.objects.get(pk=metropole.pk).status == Committee.Status.DRAFT
    _opinion(metropole)
    committee_services.install_committee(
        committee=metropole, installed_on=date(2024, 7, 12), arrete_reference=ARRETE
    )
    assert Committee.objects.get(pk=metropole.pk).is_installed


def test_dec_special_cde_a_plain_cde_needs_no_such_opinion(territories):
    cde = make_cde(territories)
    complete_composition(cde)
    committee_services.install_committee(
        committee=cde, installed_on=date(2024, 7, 12), arrete_reference=ARRETE
    )
    assert Committee.objects.get(pk=cde.pk).is_installed


def test_dec_special_cde_the_opinion_is_uploaded_on_screen(client, territories, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    alsace = CommitteeFactory(
        level=Level.DEPARTMENTAL,
        name="CDE de la Collectivité européenne d'Alsace",
        region=territories.grand_est,
        departements=[territories.d67, territories.d68],
        special_authority=SpecialAuthority.CEA,
    )
    agent = ddets_agent(territories.d67)
    client.force_login(agent)
    url = reverse("committees:opinion_add", args=[alsace.pk])
    form = _text(client.get(url))
    assert "Composition du comité départemental (avis du président de la collectivité)" in form
    response = client.post(
        url,
        {
            "subject": WrittenOpinion.Subject.SPECIAL_CDE,
            "authority": "Président de la Collectivité européenne d'Alsace",
            "given_on": "2024-07-03",
            "document": SimpleUploadedFile("avis.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert alsace.written_opinions.get().subject == WrittenOpinion.Subject.SPECIAL_CDE
    problems = committee_services.installation_problems(alsace)
    assert not any("avis du président" in p for p in problems)


# --- INS-DATES ------------------------------------------------------------------------------------


def test_ins_dates_no_installation_before_july_2024(territories):
    cle = make_cle(territories)
    complete_composition(cle)
    with pytest.raises(RuleError) as error:
        committee_services.install_committee(
            committee=cle, installed_on=date(2024, 6, 30), arrete_reference=ARRETE
        )
    assert any("avant le 1er juillet 2024" in m for m in error.value.messages)
    assert Committee.objects.get(pk=cle.pk).status == Committee.Status.DRAFT
    committee_services.install_committee(
        committee=cle, installed_on=date(2024, 7, 1), arrete_reference=ARRETE
    )
    assert Committee.objects.get(pk=cle.pk).installed_on == date(2024, 7, 1)


def test_ins_dates_an_edited_installation_date_cannot_precede_july_2024(territories):
    cle = make_cle(territories)
    complete_composition(cle)
    committee_services.install_committee(
        committee=cle, installed_on=date(2024, 10, 1), arrete_reference=ARRETE
    )
    with pytest.raises(RuleError) as error:
        committee_services.update_committee(committee=cle, installed_on=date(2023, 10, 1))
    assert error.value.rule == "INS-DATES"
    assert Committee.objects.get(pk=cle.pk).installed_on == date(2024, 10, 1)
    committee_services.update_committee(committee=cle, installed_on=date(2024, 7, 2))
    assert Committee.objects.get(pk=cle.pk).installed_on == date(2024, 7, 2)


def test_ins_dates_an_outre_mer_committee_before_september_2024_is_a_warning_not_a_refusal():
    reunion = RegionFactory(code="04", name="La Réunion", overseas=True)
    d974 = DepartementFactory(code="974", name="La Réunion", region=reunion)
    early = CommitteeFactory(cde=True, region=reunion, departements=[d974], name="CDE 974")
    compose(early)
    committee_services.install_committee(
        committee=early, installed_on=date(2024, 8, 20), arrete_reference=ARRETE
    )
    early = Committee.objects.get(pk=early.pk)
    assert early.is_installed
    warnings = [w for w in committee_warnings(early) if w.kind == "dates"]
    assert len(warnings) == 1
    assert "à compter de septembre 2024" in warnings[0].message
    assert warning_counts([early])[early.pk] == len(committee_warnings(early))


def test_ins_dates_metropolitan_july_and_outre_mer_september_raise_no_warning(territories):
    cle = make_cle(territories)
    complete_composition(cle)
    committee_services.install_committee(
        committee=cle, installed_on=date(2024, 7, 15), arrete_reference=ARRETE
    )
    reunion = RegionFactory(code="04", name="La Réunion", overseas=True)
    d974 = DepartementFactory(code="974", name="La Réunion", region=reunion)
    cde = CommitteeFactory(cde=True, region=reunion, departements=[d974], name="CDE 974")
    compose(cde)
    committee_services.install_committee(
        committee=cde, installed_on=date(2024, 9, 2), arrete_reference=ARRETE
    )
    for committee in (cle, cde):
        committee = Committee.objects.get(pk=committee.pk)
        assert not [w for w in committee_warnings(committee) if w.kind == "dates"]


# --- INS-CLE-BALANCE ------------------------------------------------------------------------------


def test_ins_cle_balance_warns_without_other_network_members_but_installs(territories):
    cle = make_cle(territories)
    complete_composition(cle)
    balance = services.cle_balance(cle)
    assert balance["network"] == 0 and balance["permanent"] == 5
    assert "Aucun autre membre du réseau pour l'emploi" in balance["warning"]
    assert [w for w in committee_warnings(cle) if w.kind == "composition"]
    assert warning_counts([cle])[cle.pk] == len(committee_warnings(cle))
    committee_services.install_committee(
        committee=cle, installed_on=date(2024, 10, 1), arrete_reference=ARRETE
    )  # a warning, never a refusal
    assert Committee.objects.get(pk=cle.pk).is_installed


def test_ins_cle_balance_is_met_with_network_members_and_warns_when_they_outnumber(territories):
    cle = make_cle(territories)
    complete_composition(cle)
    MembershipFactory(committee=cle, category=Category.OTHER_NETWORK, is_permanent=False)
    assert services.cle_balance(cle)["warning"] == ""
    assert not [w for w in committee_warnings(cle) if w.kind == "composition"]
    for _ in range(5):
        MembershipFactory(committee=cle, category=Category.OTHER_NETWORK, is_permanent=False)
    assert "plus nombreux que les membres permanents" in services.cle_balance(cle)["warning"]
    assert warning_counts([cle])[cle.pk] == len(committee_warnings(cle))


def test_ins_cle_balance_concerns_local_committees_only(territories):
    cde = make_cde(territories)
    complete_composition(cde)
    assert services.cle_balance(cde) is None


# --- Bodies represented (DEC-CATEGORIES) ----------------------------------------------------------


def test_every_epci_of_the_perimeter_is_shown_sitting_or_not(client, territories):
    cle = make_cle(territories, epcis=[territories.epci_villefranche, territories.epci_beaujolais])
    MembershipFactory(
        committee=cle, category=Category.COMMUNES_EPCI, represented=territories.epci_beaujolais
    )
    bodies = services.represented_bodies(cle)
    assert bodies["kind"] == "epci"
    # By name: « CA Villefranche Beaujolais Saône », then « CC Beaujolais Pierres Dorées ».
    assert [(r["body"], r["sits"]) for r in bodies["rows"]] == [
        (territories.epci_villefranche, False),
        (territories.epci_beaujolais, True),
    ]
    assert bodies["missing"] == [territories.epci_villefranche]
    # A co-president represents their EPCI too.
    copresident(cle, CoPresidency.Side.LOCAL_AUTHORITY, represented=territories.epci_villefranche)
    assert services.represented_bodies(cle)["missing"] == []
    client.force_login(ddets_agent(territories.d69))
    page = _text(client.get(reverse("committees:composition", args=[cle.pk])))
    assert "EPCI du périmètre représentés" in page
    assert "CA Villefranche Beaujolais Saône" in page


def test_every_departement_of_the_region_is_checked_on_the_cre(territories):
    cre = make_cre(territories)
    MembershipFactory(committee=cre, category=Category.DEPARTEMENT, represented=territories.d69)
    bodies = services.represented_bodies(cre)
    assert bodies["kind"] == "departement" and bodies["rotation"]  # 12 départements
    assert len(bodies["rows"]) == 12
    assert territories.d69 not in bodies["missing"]
    assert territories.d01 in bodies["missing"]


def test_a_member_is_linked_to_the_body_it_represents_on_screen(client, territories):
    cle = make_cle(territories)
    member = MembershipFactory(committee=cle, category=Category.COMMUNES_EPCI)
    client.force_login(ddets_agent(territories.d69))
    url = reverse("committees:member_edit", args=[member.pk])
    data = {
        "organisation": member.organisation,
        "votes": "1",
        "mandate_end": "",
        "appointment_arrete": "",
        "represented": f"epci:{territories.epci_villefranche.code}",
    }
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.represented_epci == territories.epci_villefranche
    response = client.post(url, {**data, "represented": "epci:000000000"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in _text(response)
    member.refresh_from_db()
    assert member.represented_epci == territories.epci_villefranche


# --- DEC-COPRESIDENCY: préfets of an inter-departmental CLE ---------------------------------------


def test_dec_copresidency_each_prefet_of_an_interdepartmental_cle_may_sit():
    territory = build_territory(SAMPLE)
    cle = make_cle(territory, epcis=[territory.villefranche])  # Rhône and Ain
    assert cle.departements.count() == 2
    copresident(cle, STATE, office="Préfète du Rhône")
    copresident(cle, STATE, office="Préfet de l'Ain")
    assert cle.copresidencies.filter(side=STATE).count() == 2
    with pytest.raises(RuleError):
        copresident(cle, STATE, office="Un troisième préfet")
    assert cle.copresidencies.filter(side=STATE).count() == 2


def test_dec_copresidency_a_cle_of_one_departement_has_one_prefet(territories):
    cle = make_cle(territories)
    copresident(cle, STATE)
    with pytest.raises(RuleError):
        copresident(cle, STATE, office="Un second préfet")
    assert cle.copresidencies.filter(side=STATE).count() == 1


# --- INS-RULES: a CLE's rules need no IAE heading ---------------------------------------------


RULES = {
    "principles": "Consensus.",
    "secretariat": "DDETS.",
    "bodies": "Plénière.",
    "means": "Salles.",
    "meetings": "Trois par an.",
    "commissions": "Groupes de travail.",
    "coordination": "Avec le CDE.",
}


def test_ins_rules_a_cle_adopts_its_rules_without_an_iae_heading(territories):
    cle = make_cle(territories)
    draft = services.save_rules_draft(committee=cle, **RULES)
    services.adopt_rules(rules=draft, adopted_on=date(2024, 11, 1))
    assert draft.is_adopted
    assert ("Commission inclusion et insertion par l'activité économique", "", False) in (
        draft.sections()
    )


def test_ins_rules_a_cde_still_writes_how_its_iae_commission_works(territories):
    cde = make_cde(territories)
    draft = services.save_rules_draft(committee=cde, **RULES)
    with pytest.raises(RuleError) as error:
        services.adopt_rules(rules=draft, adopted_on=date(2024, 11, 1))
    assert "Commission inclusion et insertion par l'activité économique" in error.value.messages
    draft.refresh_from_db()
    assert not draft.is_adopted


# --- The admin goes through the same services -----------------------------------------------------


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


def _admin_cde_data(cde, **changes) -> dict:
    return {
        "level": Level.DEPARTMENTAL,
        "name": cde.name,
        "status": cde.status,
        "region": cde.region_id,
        "departements": ["69"],
        "special_authority": "",
        "crefop_mode": "",
        "arrete_reference": cde.arrete_reference,
        **_inline_management(ADMIN_INLINES),
        **changes,
    }


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_admin_cannot_delete_the_iae_commission(admin_client, territories):
    cde = make_cde(territories)
    iae = cde.commissions.get(kind=Commission.Kind.IAE)
    url = reverse("admin:committees_commission_delete", args=[iae.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:committees_commission_changelist"),
        {"action": "delete_selected", "_selected_action": [iae.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Commission.objects.filter(pk=iae.pk).exists()


def test_admin_deletes_another_commission(admin_client, territories):
    cde = make_cde(territories)
    group = services.add_commission(
        committee=cde, name="Groupe mobilité", kind=Commission.Kind.WORKING_GROUP
    )
    url = reverse("admin:committees_commission_delete", args=[group.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Commission.objects.filter(pk=group.pk).exists()


def test_admin_cannot_install_a_committee_without_copresidents_members_and_arrete(
    admin_client, territories
):
    cde = make_cde(territories)
    url = reverse("admin:committees_committee_change", args=[cde.pk])
    response = admin_client.post(
        url,
        _admin_cde_data(
            cde, status=Committee.Status.INSTALLED, installed_on="2024-09-01", arrete_reference=""
        ),
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Il manque le co-président représentant l'État" in page
    assert "Indiquez la référence de l'arrêté préfectoral d'installation." in page
    cde.refresh_from_db()
    assert cde.status == Committee.Status.DRAFT and cde.installed_on is None


def test_admin_installs_a_complete_committee_through_the_service(admin_client, territories):
    cde = make_cde(territories)
    complete_composition(cde)
    url = reverse("admin:committees_committee_change", args=[cde.pk])
    response = admin_client.post(
        url,
        _admin_cde_data(
            cde,
            status=Committee.Status.INSTALLED,
            installed_on="2024-09-01",
            arrete_reference=ARRETE,
        ),
    )
    assert response.status_code == 302, _text(response)
    cde.refresh_from_db()
    assert cde.status == Committee.Status.INSTALLED
    assert cde.installed_on == date(2024, 9, 1)


def test_admin_refuses_an_installation_date_before_july_2024(admin_client, territories):
    cde = make_cde(territories)
    complete_composition(cde)
    url = reverse("admin:committees_committee_change", args=[cde.pk])
    admin_client.post(
        url,
        _admin_cde_data(
            cde,
            status=Committee.Status.INSTALLED,
            installed_on="2024-05-01",
            arrete_reference=ARRETE,
        ),
    )
    cde.refresh_from_db()
    assert cde.status == Committee.Status.DRAFT


def test_admin_cannot_create_an_installed_committee(admin_client, territories):
    response = admin_client.post(
        reverse("admin:committees_committee_add"),
        {
            "level": Level.DEPARTMENTAL,
            "name": "CDE installé d'emblée",
            "status": Committee.Status.INSTALLED,
            "installed_on": "2024-09-01",
            "region": "84",
            "departements": ["01"],
            "special_authority": "",
            "crefop_mode": "",
            "arrete_reference": ARRETE,
            **_inline_management(ADMIN_INLINES),
        },
    )
    assert response.status_code == 200
    assert "Créez d'abord le comité en préparation" in _text(response)
    assert not Committee.objects.filter(name="CDE installé d'emblée").exists()


def test_admin_gives_a_new_cde_its_iae_commission(admin_client, territories):
    response = admin_client.post(
        reverse("admin:committees_committee_add"),
        {
            "level": Level.DEPARTMENTAL,
            "name": "CDE de l'Ain",
            "status": Committee.Status.DRAFT,
            "region": "84",
            "departements": ["01"],
            "special_authority": "",
            "crefop_mode": "",
            **_inline_management(ADMIN_INLINES),
        },
    )
    assert response.status_code == 302, _text(response)
    cde = Committee.objects.get(name="CDE de l'Ain")
    iae = cde.commissions.get(kind=Commission.Kind.IAE)
    assert iae.is_mandatory
