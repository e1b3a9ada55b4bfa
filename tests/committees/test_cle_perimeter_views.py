"""Screens of DEC-CLE-PERIMETER, INS-CDE-RHONE and DEC-OUTRE-MER: perimeter review, the CDE a
CLE reports to, bassins d'emploi, arrondissements municipaux and the DROM single committee.

Each screen: the success through the real view and service, and the refusals (404 outside the
user's scope, 403 for an action they may not take, the rule shown with nothing changed).
"""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from committees.models import Committee, Level, PerimeterReview, SpecialAuthority
from committees.models.rules import Category
from committees.services.perimeter import define_employment_area
from territories.models import EmploymentArea
from tests.factories.committees import (
    CommitteeFactory,
    MembershipFactory,
    ddets_agent,
    dreets_agent,
)
from tests.factories.territories import OVERSEAS, build_territory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

INSTALLED = date(2024, 9, 1)


@pytest.fixture
def t(db):
    return build_territory(OVERSEAS)


@pytest.fixture
def agent(t):
    return ddets_agent(t.d69)


def _text(response) -> str:
    return unescape(response.content.decode())


def cle(t, name="CLE Beaujolais", installed=None, **perimeter):
    return CommitteeFactory(
        cle=True,
        name=name,
        region=t.ara,
        departements=[t.d69],
        perimeter=perimeter or {"communes": [t.villefranche_commune]},
        installed=installed,
    )


# --- Perimeter review -----------------------------------------------------------------------------


def test_the_secretariat_records_a_review_on_screen(client, t, agent):
    """DEC-CLE-PERIMETER: the review is recorded and the next due date moves three years on."""
    committee = cle(t, installed=INSTALLED)
    client.force_login(agent)
    url = reverse("committees:perimeter_review", args=[committee.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reviewed_on": "2025-10-06", "outcome": "kept", "notes": "Maintenu."}, follow=True
    )
    assert response.status_code == 200
    committee.refresh_from_db()
    assert committee.perimeter_review_due_on == date(2028, 10, 6)
    assert "prochain réexamen au plus tard le 06/10/2028" in _text(response)
    assert "Dernier réexamen du périmètre : 6 octobre 2025" in _text(response)
    assert "INS-CLE-PERIMETER" not in _text(response)


def test_a_review_dated_before_installation_is_refused_on_screen(client, t, agent):
    """DEC-CLE-PERIMETER: the rule is shown on the form; nothing is recorded."""
    committee = cle(t, installed=INSTALLED)
    client.force_login(agent)
    response = client.post(
        reverse("committees:perimeter_review", args=[committee.pk]),
        {"reviewed_on": "2024-01-01", "outcome": "kept"},
    )
    assert response.status_code == 200
    assert "précède l'installation" in _text(response)
    assert not PerimeterReview.objects.exists()


def test_a_review_is_for_the_secretariat_only(client, t):
    """DEC-CLE-PERIMETER: a member sees the CLE but may not record a review (403); an agent
    of another département does not see it (404)."""
    committee = cle(t, installed=INSTALLED)
    member = committee.memberships.first().person
    url = reverse("committees:perimeter_review", args=[committee.pk])
    client.force_login(member)
    assert client.post(url, {"reviewed_on": "2025-01-01", "outcome": "kept"}).status_code == 403
    client.force_login(ddets_agent(t.d75))
    assert client.get(url).status_code == 404
    assert not PerimeterReview.objects.exists()


# --- The CDE a CLE reports to ---------------------------------------------------------------------


@pytest.fixture
def rhone_cdes(t):
    rhone = CommitteeFactory(cde=True, name="CDE du Rhône", region=t.ara, departements=[t.d69])
    lyon_cle = cle(t, name="CLE Lyon – Villeurbanne", epcis=[t.metropole])
    metropole = CommitteeFactory(
        cde=True,
        name="CDE de la Métropole de Lyon",
        region=t.ara,
        departements=[t.d69],
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    return rhone, metropole, lyon_cle


def test_an_agent_moves_a_metropole_cle_under_the_metropole_cde_on_screen(
    client, t, agent, rhone_cdes
):
    """INS-CDE-RHONE: the CLEs of the Métropole de Lyon report to the Métropole's CDE."""
    rhone, metropole, lyon_cle = rhone_cdes
    assert lyon_cle.parent == rhone
    client.force_login(agent)
    url = reverse("committees:change_parent", args=[lyon_cle.pk])
    page = _text(client.get(url))
    assert "CDE de la Métropole de Lyon" in page
    assert "CDE du Rhône" not in page  # its territory holds none of the CLE's communes
    response = client.post(url, {"parent": metropole.pk}, follow=True)
    assert "Le comité est rattaché à « CDE de la Métropole de Lyon »" in _text(response)
    lyon_cle.refresh_from_db()
    assert lyon_cle.parent == metropole


def test_a_cle_cannot_be_moved_to_a_cde_its_perimeter_does_not_allow(client, t, agent, rhone_cdes):
    """INS-CDE-RHONE / DEC-CLE-PERIMETER: the Beaujolais is not in the Métropole."""
    rhone, metropole, _lyon = rhone_cdes
    beaujolais = cle(t)
    client.force_login(agent)
    response = client.post(
        reverse("committees:change_parent", args=[beaujolais.pk]), {"parent": metropole.pk}
    )
    assert response.status_code == 200
    beaujolais.refresh_from_db()
    assert beaujolais.parent == rhone


def test_moving_a_cle_is_for_its_secretariat(client, t, rhone_cdes):
    """DEC-CLE-PERIMETER: a member of the CLE may not move it (403); an agent of another
    département or an outsider does not see it (404); the CLE stays where it was."""
    rhone, metropole, lyon_cle = rhone_cdes
    member = MembershipFactory(committee=lyon_cle, category=Category.FRANCE_TRAVAIL).person
    url = reverse("committees:change_parent", args=[lyon_cle.pk])
    client.force_login(member)
    assert client.post(url, {"parent": metropole.pk}).status_code == 403
    for user in (ddets_agent(t.d75), UserFactory()):
        client.force_login(user)
        assert client.post(url, {"parent": metropole.pk}).status_code == 404
    lyon_cle.refresh_from_db()
    assert lyon_cle.parent == rhone


def test_an_ain_agent_may_not_move_a_shared_cle_under_the_rhone(client, t, rhone_cdes):
    """DEC-CLE-PERIMETER: rights on the CLE are not enough: the Rhône's CDE is not theirs."""
    rhone, _metropole, _lyon = rhone_cdes
    ain = t.departements["01"]
    ain_cde = CommitteeFactory(cde=True, name="CDE de l'Ain", region=t.ara, departements=[ain])
    across = CommitteeFactory(
        cle=True,
        name="CLE Val de Saône",
        region=t.ara,
        departements=[ain],
        perimeter={"communes": [t.jassans, t.villefranche_commune]},
    )
    assert across.parent == ain_cde
    ain_agent = ddets_agent(ain)
    url = reverse("committees:change_parent", args=[across.pk])
    client.force_login(ain_agent)
    # The Rhône's CDE is outside their scope: not offered, refused as an unknown choice.
    response = client.post(url, {"parent": rhone.pk})
    assert response.status_code == 200
    assert "CDE du Rhône" not in _text(response)
    # Sitting in the Rhône's CDE as a State member, they see it but do not run it: 403.
    MembershipFactory(committee=rhone, category=Category.STATE, person=ain_agent)
    assert client.post(url, {"parent": rhone.pk}).status_code == 403
    across.refresh_from_db()
    assert across.parent == ain_cde
    # The Rhône's agent, who runs both (the CLE reaches the 69), may.
    client.force_login(ddets_agent(t.d69))
    response = client.post(
        reverse("committees:change_parent", args=[across.pk]), {"parent": rhone.pk}
    )
    assert response.status_code == 302
    across.refresh_from_db()
    assert across.parent == rhone


# --- Bassins d'emploi ------------------------------------------------------------------------------


def test_an_agent_defines_a_bassin_and_builds_a_perimeter_with_it(client, t, agent):
    """DEC-CLE-PERIMETER: a bassin d'emploi defined on screen is then a perimeter piece."""
    client.force_login(agent)
    response = client.post(
        reverse("committees:employment_area_create"),
        {
            "name": "Bassin de Villefranche",
            "departement": "69",
            "insee_code": "8421",
            "communes": ["69264"],
            "description": "",
        },
    )
    assert response.status_code == 302
    area = EmploymentArea.objects.get(name="Bassin de Villefranche")
    committee = CommitteeFactory(cle=True, name="CLE Bassin", region=t.ara, departements=[t.d69])
    url = reverse("committees:perimeter", args=[committee.pk])
    assert "Bassin de Villefranche" in _text(client.get(url))
    response = client.post(url, {"employment_areas": [area.pk]})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert list(committee.communes.values_list("code", flat=True)) == ["69264"]


def test_a_bassin_without_communes_is_refused_on_screen(client, t, agent):
    """DEC-CLE-PERIMETER: a bassin has communes; nothing is saved otherwise."""
    client.force_login(agent)
    response = client.post(
        reverse("committees:employment_area_create"),
        {"name": "Bassin vide", "departement": "69", "communes": []},
    )
    assert response.status_code == 200
    assert not EmploymentArea.objects.exists()


def test_bassins_are_for_the_state_services_of_their_territory(client, t, agent):
    """DEC-CLE-PERIMETER: a member or an outsider may not define bassins (403); an agent of
    another département does not reach those of the Rhône (404)."""
    area = define_employment_area(name="Bassin du Rhône", departement=t.d69, communes=["69264"])
    client.force_login(UserFactory())
    assert client.get(reverse("committees:employment_areas")).status_code == 403
    client.force_login(ddets_agent(t.d75))
    edit = reverse("committees:employment_area_edit", args=[area.pk])
    assert client.post(edit, {"name": "Pris", "departement": "75"}).status_code == 404
    area.refresh_from_db()
    assert area.name == "Bassin du Rhône"


def test_the_bassins_list_stays_within_its_query_budget(
    client, t, agent, django_assert_max_num_queries
):
    """Lists: a flat number of queries whatever the number of bassins."""
    for n in range(12):
        define_employment_area(name=f"Bassin {n}", departement=t.d69, communes=["69264", "69123"])
    client.force_login(agent)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("committees:employment_areas"))
    assert _text(response).count("Bassin ") >= 12


# --- Arrondissements municipaux and other regions on the perimeter screen --------------------------


def test_the_perimeter_screen_splits_paris_by_arrondissement(client, t):
    """DEC-CLE-PERIMETER: Paris's arrondissements municipaux are offered and kept apart."""
    committee = CommitteeFactory(
        cle=True, name="CLE Paris Nord-Est", region=t.idf, departements=[t.d75]
    )
    client.force_login(ddets_agent(t.d75))
    url = reverse("committees:perimeter", args=[committee.pk])
    assert "Paris 18e Arrondissement" in _text(client.get(url))
    response = client.post(url, {"municipal_arrondissements": ["75118", "75119"]})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.population == 188446 + 181616


def test_the_perimeter_screen_reaches_a_departement_of_another_region(client, t):
    """DEC-CLE-PERIMETER: a CLE of Saône-et-Loire takes in an Ain commune; the preview says
    the written opinions will be needed, nothing refuses it."""
    committee = CommitteeFactory(cle=True, name="CLE Mâconnais", region=t.bfc, departements=[t.d71])
    client.force_login(ddets_agent(t.d71))
    url = reverse("committees:perimeter", args=[committee.pk])
    preview = client.get(url, {"extend_to": ["01"], "communes": ["71270", "01370"], "apercu": "1"})
    assert "hors de la région du comité" in _text(preview)
    response = client.post(url, {"extend_to": ["01"], "communes": ["71270", "01370"]})
    assert response.status_code == 302
    assert set(committee.departements.values_list("code", flat=True)) == {"01", "71"}


# --- Outre-mer on the creation screen ---------------------------------------------------------------


def test_a_deets_agent_creates_the_single_committee_of_la_reunion(client, t):
    """DEC-OUTRE-MER: the creation screen offers the single committee in a DROM."""
    client.force_login(ddets_agent(t.d974))
    response = client.post(
        reverse("committees:create"),
        {
            "level": Level.DEPARTMENTAL,
            "name": "Comité pour l'emploi de La Réunion",
            "departements": ["974"],
            "special_authority": "",
            "outre_mer_single": "on",
            "arrete_reference": "",
        },
    )
    assert response.status_code == 302, _text(response)
    committee = Committee.objects.get(name="Comité pour l'emploi de La Réunion")
    assert committee.outre_mer_single
    page = _text(client.get(committee.get_absolute_url()))
    assert "Comité unique régional et départemental (outre-mer)" in page


def test_the_single_committee_is_refused_on_screen_in_metropolitan_france(client, t):
    """DEC-OUTRE-MER: a Rhône agent is not offered the option; forced, the service refuses."""
    agent = ddets_agent(t.d69)
    client.force_login(agent)
    assert "outre-mer" not in _text(client.get(reverse("committees:create"))).lower()
    admin = UserFactory(admin=True)
    client.force_login(admin)
    response = client.post(
        reverse("committees:create"),
        {
            "level": Level.DEPARTMENTAL,
            "name": "Comité unique du Rhône",
            "departements": ["69"],
            "region": "84",
            "crefop_mode": "",
            "special_authority": "",
            "outre_mer_single": "on",
        },
    )
    assert response.status_code == 200
    assert "n'existe qu'en Guadeloupe" in _text(response)
    assert not Committee.objects.filter(name="Comité unique du Rhône").exists()
    assert dreets_agent(t.reunion)  # a DROM's regional service exists beside
