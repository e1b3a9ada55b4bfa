"""The committees REST API, ``/api/v1/committees/…`` (issue 3, « Screens and API »).

Every endpoint: success and refusal, nothing changed on refusal, French error messages, the
OpenAPI schema without warnings, and query budgets that stay flat with 10× more rows.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from committees.models import (
    Commission,
    Committee,
    CoPresidency,
    Level,
    Membership,
    RulesOfProcedure,
)
from committees.models.rules import Category
from committees.services.committees import create_committee, install_committee
from committees.services.composition import add_commission, add_commission_member
from cte_portal.users.models import User
from cte_portal.users.services import create_api_token
from tests.committees.committee_world import (
    START,
    complete_composition,
    copreside,
    fresh,
    make_cle,
    rolled_back_world,
    seat,
    snapshot,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()
LIST = reverse("api-committee-list")
INVALID = "Les données envoyées sont invalides."
FORBIDDEN = {"status": 403, "detail": "Vous n'avez pas la permission d'effectuer cette action."}
NOT_FOUND = {"status": 404, "detail": "Comité introuvable."}


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with rolled_back_world(django_db_blocker) as world:
        yield world


@pytest.fixture
def world(db, module_world):
    return fresh(module_world)


@pytest.fixture
def t(world):
    return world.territories


@pytest.fixture
def cre(world):
    return world.committees["cre"]


@pytest.fixture
def cde(world):
    return world.committees["cde"]


@pytest.fixture
def cle(world):
    return world.committees["cle"]


@pytest.fixture
def foreign_cle(world):
    return world.committees["foreign_cle"]


@pytest.fixture
def as_user(client, world):
    """Sign the test client in as one of the world's personas."""

    def login(persona: str):
        client.force_login(world.users[persona])
        return client

    return login


def detail(committee) -> str:
    return reverse("api-committee-detail", args=[committee.pk])


def nested(name: str, committee, *pks) -> str:
    return reverse(f"api-committee-{name}", args=[committee.pk, *pks])


def send(client, method: str, url: str, payload=None):
    return getattr(client, method)(url, payload, content_type="application/json")


def person(email: str, **fields) -> dict:
    return {"email": email, "first_name": "Alex", "last_name": "Durand", **fields}


def errors(response) -> dict:
    body = response.json()
    assert response.status_code == 400, body
    assert body["status"] == 400
    assert body["detail"] == INVALID
    return body["errors"]


# --- Authentication -----------------------------------------------------------------------------


def test_anonymous_gets_a_json_401_in_french(client, world):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "detail": "Informations d'authentification non fournies.",
    }
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_personal_api_token_authenticates(client, world):
    _token, key = create_api_token(user=world.users["ddets_own"], name="Tableur")
    response = client.get(LIST, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 3


# --- List -------------------------------------------------------------------------------------


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ["CRE Auvergne-Rhône-Alpes", "CDE du Rhône", "CLE Beaujolais"]),
        ("ddets_own", ["CRE Auvergne-Rhône-Alpes", "CDE du Rhône", "CLE Beaujolais"]),
        ("ddets_other", ["CRE Auvergne-Rhône-Alpes"]),
        ("dreets_other", ["CLE Dijon Métropole"]),
        ("copresident", ["CDE du Rhône", "CLE Beaujolais"]),
        ("member", ["CLE Beaujolais"]),
        ("outsider", []),
    ],
)
def test_list_shows_only_the_committees_the_user_may_see(as_user, persona, expected):
    found = names(as_user(persona).get(LIST))
    if persona == "admin":
        assert set(expected) <= set(found) and "CLE Dijon Métropole" in found
    else:
        assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=local", ["CLE Beaujolais", "CLE Dijon Métropole"]),
        ("level=regional", ["CRE Auvergne-Rhône-Alpes"]),
        ("region=27", ["CLE Dijon Métropole"]),
        ("departement=69", ["CDE du Rhône", "CLE Beaujolais"]),
        ("departement=01", []),
        ("status=installed", []),
        ("status=draft&level=departmental", ["CDE du Rhône"]),
        ("q=beaujo", ["CLE Beaujolais"]),
        ("q=  rhône ", ["CDE du Rhône", "CRE Auvergne-Rhône-Alpes"]),
    ],
)
def test_list_filters(as_user, query, expected):
    assert sorted(names(as_user("admin").get(f"{LIST}?{query}"))) == expected


def test_the_status_filter_follows_installation(as_user, cle):
    complete_composition(cle)
    install_committee(committee=cle, installed_on=START, arrete_reference="Arrêté 69-001")
    assert names(as_user("ddets_own").get(f"{LIST}?status=installed")) == ["CLE Beaujolais"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("level=national", "level", "Niveau inconnu « national »"),
        ("status=open", "status", "Statut inconnu « open »"),
        ("region=99", "region", "Aucune région n'a le code « 99 »."),
        ("departement=2A", "departement", "Aucun département n'a le code « 2A »."),
        ("q=" + "x" * 101, "q", "La recherche dépasse 100 caractères."),
    ],
)
def test_list_refuses_unknown_filter_values_in_french(as_user, query, field, message):
    found = errors(as_user("admin").get(f"{LIST}?{query}"))
    assert message in found[field][0]


def test_list_is_paginated(as_user, t):
    for n in range(5):
        create_committee(level=Level.LOCAL, name=f"CLE {n}", region=t.ara, departements=[t.d69])
    first = as_user("ddets_own").get(f"{LIST}?page_size=3").json()
    assert first["count"] == 8
    assert len(first["results"]) == 3
    assert first["previous"] is None
    last = as_user("ddets_own").get(f"{LIST}?page_size=3&page=3").json()
    assert len(last["results"]) == 2
    assert last["next"] is None
    seen = [row["id"] for row in first["results"]] + [row["id"] for row in last["results"]]
    assert len(set(seen)) == 5


def test_list_row_shape(as_user, cle):
    row = next(r for r in as_user("ddets_own").get(LIST).json()["results"] if r["id"] == cle.pk)
    assert row == {
        "id": cle.pk,
        "level": "local",
        "level_label": "Comité local pour l'emploi (CLE)",
        "name": "CLE Beaujolais",
        "status": "draft",
        "status_label": "En préparation",
        "installed_on": None,
        "dissolved_on": None,
        "arrete_reference": "",
        "region": "84",
        "departements": ["69"],
        "special_authority": "",
        "crefop_mode": "",
        "parent": cle.parent_id,
        "commune_count": 2,
        "population": 41132,
    }


# --- Detail -------------------------------------------------------------------------------------


def test_detail_of_a_cle(as_user, world, cle):
    body = as_user("ddets_own").get(detail(cle)).json()
    assert body["name"] == "CLE Beaujolais"
    assert body["perimeter"] == {
        "commune_count": 2,
        "population": 41132,
        "departements": [{"code": "69", "name": "Rhône"}],
        "arrondissements": [],
        "epcis": ["200040590"],
        "epts": [],
        "communes": [],
        "employment_areas": [],
        "municipal_arrondissements": [],
        "review_due_on": None,
        "review_is_due": False,
    }
    [copresidency] = body["copresidents"]
    assert copresidency["side"] == "local_authority"
    assert copresidency["authority"] == "CA Villefranche Beaujolais Saône"
    [member] = body["members"]
    assert member["organisation"] == "France Travail"
    assert member["category"] == "france_travail"
    assert member["has_vote"] is False  # DEC-VOTERS
    assert member["votes"] == 0
    assert member["mandate_end"] is None  # DEC-MANDATE: France Travail sits by law
    assert body["max_members"] == 8  # DEC-MAX
    assert body["missing_categories"] == [
        "state",
        "communes_epci",
        "missions_locales",
        "cap_emploi",
    ]
    assert body["installation_problems"] == [
        "Il manque le co-président représentant l'État.",
        "Catégories de membres permanents manquantes : État, Communes et EPCI, Missions locales, "
        "Cap emploi.",
    ]
    assert body["vote_balance"] == {
        "state": 0,
        "local_authorities": 1,
        "social_partners": 0,
        "total": 1,
        "unbalanced": True,
    }
    assert body["rules_of_procedure"] is None  # « règlement intérieur non adopté »
    assert body["rights"] == {"manage": True, "copreside": False}


def test_detail_of_a_cde_lists_its_mandatory_iae_commission_and_former_instances(as_user, cde):
    cde.former_instances.create(kind="sped", name="SPED du Rhône", outcome="removed")
    commission = cde.commissions.get()
    add_commission_member(
        commission=commission, person=UserFactory(last_name="Bernard"), organisation="SIAE"
    )
    body = as_user("copresident").get(detail(cde)).json()
    [iae] = body["commissions"]
    assert iae["kind"] == "iae"
    assert iae["is_mandatory"] is True  # INS-CDE-COMMISSIONS, DEC-IAE
    assert iae["members"][0]["organisation"] == "SIAE"
    assert iae["members"][0]["person"]["last_name"] == "Bernard"
    assert body["former_instances"] == [
        {
            "id": cde.former_instances.get().pk,
            "kind": "sped",
            "kind_label": "SPED (service public de l'emploi départemental)",
            "name": "SPED du Rhône",
            "outcome": "removed",
            "outcome_label": "Supprimée (remplacée par le comité)",
        }
    ]
    assert body["rights"] == {"manage": False, "copreside": True}


def test_an_installed_cle_shows_its_perimeter_review_date(as_user, cle):
    complete_composition(cle)
    install_committee(committee=cle, installed_on=date(2024, 9, 15), arrete_reference="A-1")
    body = as_user("member").get(detail(cle)).json()
    assert body["status"] == "installed"
    assert body["perimeter"]["review_due_on"] == "2027-09-15"  # INS-CLE-PERIMETER
    assert body["installation_problems"] == []


def test_ended_members_and_copresidencies_are_not_listed(as_user, cle, world):
    leaving = seat(cle, Category.STATE)
    leaving.ended_on = TODAY - timedelta(days=1)
    leaving.save()
    body = as_user("ddets_own").get(detail(cle)).json()
    assert [m["id"] for m in body["members"]] == [
        Membership.objects.get(person=world.users["member"]).pk
    ]


# Personal data: names and organisations for readers; e-mails only for the secretariat;
# phone numbers never (see the docstring of committees/api/committees.py).


@pytest.mark.parametrize(
    ("persona", "sees_emails"),
    [("admin", True), ("ddets_own", True), ("copresident", False), ("member", False)],
)
def test_contacts_are_for_the_secretariat_only(as_user, world, cle, persona, sees_emails):
    client = as_user(persona)
    for body in (
        client.get(detail(cle)).json(),
        {"members": client.get(nested("member-list", cle)).json()["results"]},
        {"copresidents": client.get(nested("copresident-list", cle)).json()["results"]},
    ):
        for row in body.get("members", []) + body.get("copresidents", []):
            assert set(row["person"]) == {"first_name", "last_name", "full_name", "email"}
            assert (row["person"]["email"] is not None) is sees_emails
    raw = client.get(detail(cle)).content.decode()
    assert "0600000000" not in raw and "phone" not in raw
    assert ("membre@francetravail.example.fr" in raw) is sees_emails


def test_detail_of_a_foreign_or_unknown_committee_is_404(as_user, foreign_cle):
    client = as_user("ddets_own")
    assert client.get(detail(foreign_cle)).json() == NOT_FOUND
    assert client.get(reverse("api-committee-detail", args=[999999])).json() == NOT_FOUND
    assert client.get("/api/v1/committees/abc/").status_code == 404


# --- Create ---------------------------------------------------------------------------------


def test_a_ddets_agent_creates_a_cle_from_two_epci(as_user, t):
    response = send(
        as_user("ddets_own"),
        "post",
        LIST,
        {
            "level": "local",
            "name": "CLE Val de Saône",
            "region": "84",
            "epcis": ["200040590", "200040574"],
            "arrete_reference": "Arrêté n° 69-2024-001",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["departements"] == ["69"]  # derived from the perimeter
    assert body["perimeter"]["commune_count"] == 3
    assert body["perimeter"]["population"] == 37081 + 4051 + 7847
    assert body["perimeter"]["epcis"] == ["200040574", "200040590"]
    committee = Committee.objects.get(pk=body["id"])
    assert sorted(committee.communes.values_list("code", flat=True)) == ["69010", "69024", "69264"]
    assert committee.history.count() >= 1


def test_a_cde_is_created_with_its_iae_commission(as_user, t):
    response = send(
        as_user("ddets_other"),
        "post",
        LIST,
        {"level": "departmental", "name": "CDE de l'Ain", "region": "84", "departements": ["01"]},
    )
    assert response.status_code == 201, response.content
    assert [c["kind"] for c in response.json()["commissions"]] == ["iae"]  # DEC-IAE


def test_a_dreets_agent_may_not_create_a_cde_and_nothing_is_saved(as_user, t):
    before = snapshot()
    response = send(
        as_user("dreets_own"),
        "post",
        LIST,
        {"level": "departmental", "name": "CDE de l'Ain", "region": "84", "departements": ["01"]},
    )
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "member", "copresident", "ddets_other"])
def test_only_the_ddets_of_the_departement_creates_its_cle(as_user, persona):
    before = snapshot()
    response = send(
        as_user(persona),
        "post",
        LIST,
        {"level": "local", "name": "CLE X", "region": "84", "departements": ["69"]},
    )
    assert response.json() == FORBIDDEN
    assert snapshot() == before


def test_a_second_cde_on_the_rhone_is_refused_in_french_and_nothing_is_saved(as_user, cde):
    before = snapshot()
    response = send(
        as_user("ddets_own"),
        "post",
        LIST,
        {"level": "departmental", "name": "Autre CDE", "region": "84", "departements": ["69"]},
    )
    assert errors(response) == {
        "departements": ["Un comité départemental existe déjà sur ce territoire : CDE du Rhône."]
    }
    assert snapshot() == before


def test_a_second_cre_is_refused(as_user, cre):
    before = snapshot()
    response = send(
        as_user("dreets_own"),
        "post",
        LIST,
        {"level": "regional", "name": "CRE bis", "region": "84", "crefop_mode": "within"},
    )
    assert errors(response) == {
        "region": ["La région Auvergne-Rhône-Alpes a déjà un comité régional pour l'emploi."]
    }
    assert snapshot() == before


def test_a_perimeter_across_the_regional_boundary_is_accepted(as_user, t):
    """DEC-CLE-PERIMETER: a CLE may cross the region's limits (the written opinions of the
    collectivités concerned are then required to install it)."""
    response = send(
        as_user("ddets_own"),
        "post",
        LIST,
        {
            "level": "local",
            "name": "CLE à cheval",
            "region": "84",
            "departements": ["69"],
            "epcis": ["200040590", "242100410"],
        },
    )
    assert response.status_code == 201, response.json()
    committee = Committee.objects.get(name="CLE à cheval")
    assert sorted(committee.departements.values_list("code", flat=True)) == ["21", "69"]
    assert any("avis écrit" in p for p in response.json()["installation_problems"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"level": "national", "name": "X", "region": "84"}, "level"),
        ({"level": "local", "name": "X", "region": "99", "departements": ["69"]}, "region"),
        ({"level": "local", "name": "X", "region": "84"}, "departements"),
        ({"level": "departmental", "name": "X", "region": "84"}, "departements"),
        ({"level": "regional", "name": "X", "region": "84", "epcis": ["200040590"]}, "communes"),
        ({"level": "local", "region": "84", "departements": ["69"]}, "name"),
    ],
)
def test_create_validates_its_input_in_french(as_user, payload, field):
    before = snapshot()
    found = errors(send(as_user("admin"), "post", LIST, payload))
    assert field in found
    assert snapshot() == before


# --- Update ---------------------------------------------------------------------------------


def test_the_secretariat_edits_a_committee_and_it_is_in_the_history(as_user, world, cde):
    response = send(
        as_user("ddets_own"),
        "patch",
        detail(cde),
        {"name": "CDE du Rhône (conseil départemental)", "arrete_reference": "Arrêté 69-7"},
    )
    assert response.status_code == 200, response.content
    cde.refresh_from_db()
    assert cde.name == "CDE du Rhône (conseil départemental)"
    assert cde.arrete_reference == "Arrêté 69-7"
    last = cde.history.first()
    assert last.history_type == "~"
    assert last.history_user == world.users["ddets_own"]


def test_patching_a_cle_perimeter_keeps_the_parts_not_sent(as_user, t, cle):
    response = send(as_user("ddets_own"), "patch", detail(cle), {"communes": ["69024"]})
    assert response.status_code == 200, response.content
    perimeter = response.json()["perimeter"]
    assert perimeter["epcis"] == ["200040590"]
    assert perimeter["communes"] == ["69024"]
    assert perimeter["commune_count"] == 3


def test_an_installed_cle_cannot_take_communes_of_another_installed_cle(as_user, t, cle):
    complete_composition(cle)
    install_committee(committee=cle, installed_on=START, arrete_reference="A-1")
    other = make_cle(t, name="CLE Pierres Dorées", epcis=[t.epci_beaujolais])
    complete_composition(other)
    install_committee(committee=other, installed_on=START, arrete_reference="A-2")
    before = snapshot()
    response = send(as_user("ddets_own"), "patch", detail(other), {"communes": ["69264"]})
    assert errors(response) == {
        "communes": [
            "1 commune(s) appartiennent déjà à un autre CLE installé :",
            "Villefranche-sur-Saône (69264) — déjà dans « CLE Beaujolais »",
        ]
    }
    assert snapshot() == before


def test_a_cre_must_keep_its_crefop_mode(as_user, cre):
    before = snapshot()
    response = send(as_user("dreets_own"), "patch", detail(cre), {"crefop_mode": ""})
    assert errors(response) == {
        "crefop_mode": ["Précisez si le CRE est installé au sein du CREFOP ou par fusion avec lui."]
    }
    assert snapshot() == before


def test_the_perimeter_of_a_cde_cannot_be_set(as_user, cde):
    before = snapshot()
    response = send(as_user("ddets_own"), "patch", detail(cde), {"epcis": ["200040590"]})
    assert errors(response) == {
        "non_field_errors": ["Seul un comité local a un périmètre de communes."]
    }
    assert snapshot() == before


def test_put_is_not_offered(as_user, cde):
    response = send(as_user("ddets_own"), "put", detail(cde), {"name": "X"})
    assert response.status_code == 405
    assert response.json()["status"] == 405


# --- Install and dissolve ---------------------------------------------------------------------


def test_a_complete_cle_is_installed(as_user, cle):
    complete_composition(cle)
    response = send(
        as_user("ddets_own"),
        "post",
        reverse("api-committee-install", args=[cle.pk]),
        {"installed_on": "2024-10-01", "arrete_reference": "Arrêté n° 69-2024-10-01"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "installed"
    assert body["installed_on"] == "2024-10-01"
    assert body["arrete_reference"] == "Arrêté n° 69-2024-10-01"
    assert body["perimeter"]["review_due_on"] == "2027-10-01"  # INS-CLE-PERIMETER


def test_installation_is_refused_while_a_permanent_category_is_missing(as_user, cle):
    complete_composition(cle)
    Membership.objects.filter(committee=cle, category=Category.CAP_EMPLOI).update(ended_on=START)
    before = snapshot()
    response = send(
        as_user("ddets_own"),
        "post",
        reverse("api-committee-install", args=[cle.pk]),
        {"installed_on": "2024-10-01", "arrete_reference": "Arrêté n° 69-2024-10-01"},
    )
    assert errors(response) == {
        "non_field_errors": ["Catégories de membres permanents manquantes : Cap emploi."]
    }
    assert snapshot() == before


def test_install_needs_a_date(as_user, cle):
    found = errors(
        send(as_user("ddets_own"), "post", reverse("api-committee-install", args=[cle.pk]), {})
    )
    assert found == {"installed_on": ["Ce champ est obligatoire."]}


def test_a_committee_is_dissolved_once(as_user, cle):
    url = reverse("api-committee-dissolve", args=[cle.pk])
    client = as_user("ddets_own")
    response = send(client, "post", url, {"dissolved_on": "2025-01-31"})
    assert response.status_code == 200
    assert response.json()["status"] == "dissolved"
    assert response.json()["dissolved_on"] == "2025-01-31"
    before = snapshot()
    assert errors(send(client, "post", url, {"dissolved_on": "2025-02-01"})) == {
        "non_field_errors": ["Ce comité est déjà dissous."]
    }
    assert snapshot() == before


def test_dissolution_cannot_precede_installation(as_user, cle):
    complete_composition(cle)
    install_committee(committee=cle, installed_on=date(2024, 10, 1), arrete_reference="A")
    before = snapshot()
    response = send(
        as_user("ddets_own"),
        "post",
        reverse("api-committee-dissolve", args=[cle.pk]),
        {"dissolved_on": "2024-09-01"},
    )
    assert errors(response) == {"dissolved_on": ["La dissolution ne peut précéder l'installation."]}
    assert snapshot() == before


# --- Members --------------------------------------------------------------------------------


def test_a_member_is_appointed_and_invited(as_user, cde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            as_user("ddets_own"),
            "post",
            nested("member-list", cde),
            {
                "person": person("delegue@cgt.example.fr", first_name="Lou"),
                "organisation": "CGT",
                "category": "employee_unions",
                "mandate_start": "2024-09-01",
                "appointment_arrete": "Arrêté 69-2024-09",
            },
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["email"] == "delegue@cgt.example.fr"  # the secretariat sees it
    assert body["has_vote"] is True  # DEC-VOTERS: social partners vote
    assert body["votes"] == 1  # DEC-VOTES default
    assert body["mandate_end"] == "2027-08-31"  # DEC-MANDATE
    assert User.objects.get(email="delegue@cgt.example.fr").first_name == "Lou"
    assert [m.to for m in mail.outbox] == [["delegue@cgt.example.fr"]]


def test_an_existing_account_is_reused(as_user, world, cde):
    response = send(
        as_user("ddets_own"),
        "post",
        nested("member-list", cde),
        {
            "person": person("membre@francetravail.example.fr"),
            "organisation": "France Travail",
            "category": "france_travail",
            "mandate_start": "2024-09-01",
        },
    )
    assert response.status_code == 201
    assert Membership.objects.get(pk=response.json()["id"]).person == world.users["member"]
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("committee_key", "payload", "expected"),
    [
        (
            "cle",
            {"category": "employer_orgs"},
            {"category": ["Les partenaires sociaux ne siègent pas dans un comité local."]},
        ),
        (
            "cde",
            {"category": "france_travail", "votes": 2},
            {
                "votes": [
                    "Les membres de la catégorie « France Travail » siègent sans voix "
                    "délibérative (article R. 5311-37 du code du travail)."
                ]
            },
        ),
        (
            "cde",
            {"category": "invited_expert", "is_permanent": True},
            {
                "is_permanent": [
                    "Un expert est invité selon l'ordre du jour : il ne peut être membre permanent."
                ]
            },
        ),
        (
            "cde",
            {"category": "state", "votes": 0},
            {
                "votes": [
                    "Un membre à voix délibérative dispose d'au moins une voix (articles R. 5311-38 et R. 5311-39 du code du travail)."
                ]
            },
        ),
        ("cde", {"category": "state", "mandate_start": "hier"}, "mandate_start"),
        ("cde", {"category": "state", "substitute_for": 999999}, "substitute_for"),
    ],
)
def test_member_rules_refuse_in_french_and_nothing_is_saved(
    as_user, world, committee_key, payload, expected, django_capture_on_commit_callbacks
):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            as_user("ddets_own"),
            "post",
            nested("member-list", world.committees[committee_key]),
            {
                "person": person("jamais.cree@example.fr"),
                "organisation": "Organisme",
                "mandate_start": "2024-09-01",
                **payload,
            },
        )
    found = errors(response)
    if isinstance(expected, str):
        assert expected in found
    else:
        assert found == expected
    assert snapshot() == before  # the invited account is rolled back with the membership
    assert mail.outbox == []


def test_dec_max_refuses_one_appointed_member_too_many(as_user, cle):
    # DEC-MAX counts the appointed members with a vote (France Travail's seat is not counted).
    cle.max_members_override = 1
    cle.save()
    seat(cle, Category.STATE)
    before = snapshot()
    response = send(
        as_user("ddets_own"),
        "post",
        nested("member-list", cle),
        {
            "person": person("en.trop@example.fr"),
            "organisation": "Communauté de communes",
            "category": "communes_epci",
            "mandate_start": "2024-09-01",
        },
    )
    assert errors(response) == {
        "category": [
            "Ce comité compte déjà 1 membres nommés à voix délibérative, le maximum fixé pour "
            "ce comité."
        ]
    }
    assert snapshot() == before


def test_a_substitute_takes_the_category_and_votes_of_the_titular(as_user, cde):
    titular = seat(cde, Category.DEPARTEMENT, votes=2)
    response = send(
        as_user("ddets_own"),
        "post",
        nested("member-list", cde),
        {
            "person": person("suppleante@cd69.example.fr"),
            "organisation": "Département du Rhône",
            "category": "state",
            "role": "substitute",
            "substitute_for": titular.pk,
            "mandate_start": "2024-09-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["category"] == "departement"
    assert response.json()["votes"] == 2
    assert response.json()["substitute_for"] == titular.pk


def test_a_substitute_of_another_committees_member_is_refused(as_user, cde, cle, world):
    other = Membership.objects.get(person=world.users["member"])  # in the CLE
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            nested("member-list", cde),
            {
                "person": person("x@example.fr"),
                "organisation": "X",
                "category": "state",
                "role": "substitute",
                "substitute_for": other.pk,
                "mandate_start": "2024-09-01",
            },
        )
    )
    assert list(found) == ["substitute_for"]


def test_a_vacancy_is_filled_for_the_remainder_of_the_mandate(as_user, cde):
    leaving = seat(cde, Category.STATE)
    response = send(
        as_user("ddets_own"),
        "post",
        nested("member-list", cde),
        {
            "person": person("successeur@example.gouv.fr"),
            "organisation": "Préfecture",
            "category": "state",
            "replaces": leaving.pk,
            "mandate_start": "2025-03-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["mandate_end"] == leaving.mandate_end.isoformat()  # DEC-MANDATE
    leaving.refresh_from_db()
    assert leaving.ended_on == date(2025, 3, 1)


def test_a_member_is_updated(as_user, cde):
    membership = seat(cde, Category.STATE)
    response = send(
        as_user("ddets_own"),
        "patch",
        nested("member-detail", cde, membership.pk),
        {"votes": 3, "appointment_arrete": "Arrêté modificatif"},
    )
    assert response.status_code == 200, response.content
    membership.refresh_from_db()
    assert membership.votes == 3
    assert membership.appointment_arrete == "Arrêté modificatif"
    assert membership.organisation.startswith("Organisme")  # not sent, kept


def test_a_non_voting_member_gets_no_votes_on_update(as_user, world, cle):
    membership = Membership.objects.get(person=world.users["member"])
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "patch",
            nested("member-detail", cle, membership.pk),
            {"votes": 1},
        )
    )
    assert list(found) == ["votes"]
    assert snapshot() == before


def test_a_member_of_another_committee_is_404_in_this_one(as_user, world, cde):
    membership = Membership.objects.get(person=world.users["member"])  # in the CLE
    response = send(
        as_user("ddets_own"), "patch", nested("member-detail", cde, membership.pk), {"votes": 1}
    )
    assert response.json() == {"status": 404, "detail": "Membre introuvable dans ce comité."}


def test_a_mandate_ends_and_the_member_leaves_the_list(as_user, world, cle):
    membership = Membership.objects.get(person=world.users["member"])
    client = as_user("ddets_own")
    response = send(
        client,
        "post",
        nested("member-end", cle, membership.pk),
        {"ended_on": TODAY.isoformat(), "reason": "Démission"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["end_reason"] == "Démission"
    assert client.get(nested("member-list", cle)).json()["count"] == 0


def test_ending_a_mandate_needs_a_reason(as_user, world, cle):
    membership = Membership.objects.get(person=world.users["member"])
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            nested("member-end", cle, membership.pk),
            {"ended_on": TODAY.isoformat(), "reason": "  "},
        )
    )
    assert "reason" in found
    assert snapshot() == before


def test_member_list_of_a_foreign_committee_is_404(as_user, foreign_cle):
    assert as_user("ddets_own").get(nested("member-list", foreign_cle)).json() == NOT_FOUND


@pytest.mark.parametrize(
    ("name", "method"),
    [("member-detail", "patch"), ("member-end", "post")],
)
def test_a_member_may_not_touch_memberships(as_user, world, cle, name, method):
    membership = Membership.objects.get(person=world.users["member"])
    before = snapshot()
    response = send(
        as_user("member"),
        method,
        nested(name, cle, membership.pk),
        {"votes": 1, "ended_on": TODAY.isoformat(), "reason": "x"},
    )
    assert response.json() == FORBIDDEN
    assert snapshot() == before


# --- Co-presidents --------------------------------------------------------------------------


def test_a_state_copresident_is_added_with_a_delegate(as_user, cle):
    response = send(
        as_user("ddets_own"),
        "post",
        nested("copresident-list", cle),
        {
            "side": "state",
            "person": person("prefete@rhone.gouv.fr", last_name="Préfète"),
            "office": "Préfète du Rhône",
            "started_on": "2024-09-01",
            "delegate": person("sous-prefet@rhone.gouv.fr", last_name="Sous-préfet"),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["side"] == "state"
    assert body["delegate"]["email"] == "sous-prefet@rhone.gouv.fr"
    delegate = User.objects.get(email="sous-prefet@rhone.gouv.fr")
    assert delegate.has_perm("committees.copreside_committee", cle)  # derived


def test_a_second_prefet_is_refused(as_user, cde):
    copreside(cde, CoPresidency.Side.STATE)
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            nested("copresident-list", cde),
            {
                "side": "state",
                "person": person("autre.prefet@example.gouv.fr"),
                "office": "Préfet",
                "started_on": "2024-09-01",
            },
        )
    )
    assert "Mettez fin à la co-présidence en cours" in found["side"][0]
    assert snapshot() == before


def test_the_local_side_names_its_authority(as_user, cle):
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            nested("copresident-list", cle),
            {
                "side": "local_authority",
                "person": person("maire@example.fr"),
                "office": "Maire",
                "started_on": "2024-09-01",
            },
        )
    )
    assert found == {"authority": ["Indiquez la collectivité représentée."]}
    assert snapshot() == before


def test_a_delegate_is_named_then_removed(as_user, world, cle):
    copresidency = CoPresidency.objects.get(committee=cle, person=world.users["copresident"])
    url = nested("copresident-detail", cle, copresidency.pk)
    client = as_user("ddets_own")
    response = send(client, "patch", url, {"delegate": person("dga@agglo.example.fr")})
    assert response.status_code == 200, response.content
    assert response.json()["delegate"]["email"] == "dga@agglo.example.fr"
    response = send(client, "patch", url, {"delegate": None})
    assert response.json()["delegate"] is None
    assert not User.objects.get(email="dga@agglo.example.fr").has_perm(
        "committees.view_committee", cle
    )


def test_a_copresident_cannot_be_their_own_delegate(as_user, world, cle):
    copresidency = CoPresidency.objects.get(committee=cle, person=world.users["copresident"])
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "patch",
            nested("copresident-detail", cle, copresidency.pk),
            {"delegate": person("copresident@rhone.example.fr")},
        )
    )
    assert found == {"delegate": ["Le délégataire doit être une autre personne."]}
    assert snapshot() == before


def test_a_copresidency_ends_and_its_rights_go(as_user, world, cle):
    copresidency = CoPresidency.objects.get(committee=cle, person=world.users["copresident"])
    response = send(
        as_user("ddets_own"),
        "post",
        nested("copresident-end", cle, copresidency.pk),
        {"ended_on": TODAY.isoformat()},
    )
    assert response.status_code == 200, response.content
    copresident = User.objects.get(pk=world.users["copresident"].pk)
    assert not copresident.has_perm("committees.view_committee", cle)


def test_a_copresidency_cannot_end_before_it_started(as_user, world, cle):
    copresidency = CoPresidency.objects.get(committee=cle, person=world.users["copresident"])
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            nested("copresident-end", cle, copresidency.pk),
            {"ended_on": "2020-01-01"},
        )
    )
    assert found == {"ended_on": ["La fin ne peut précéder le début."]}
    assert snapshot() == before


def test_a_copresident_may_not_change_the_copresidency(as_user, world, cle):
    copresidency = CoPresidency.objects.get(committee=cle, person=world.users["copresident"])
    before = snapshot()
    response = send(
        as_user("copresident"),
        "patch",
        nested("copresident-detail", cle, copresidency.pk),
        {"delegate": person("ami@example.fr")},
    )
    assert response.json() == FORBIDDEN
    assert snapshot() == before


# --- Commissions ----------------------------------------------------------------------------


def test_a_working_group_is_added_and_gets_a_member(as_user, cle):
    client = as_user("ddets_own")
    response = send(
        client,
        "post",
        nested("commission-list", cle),
        {"name": "Mobilité", "kind": "working_group", "mission": "Transports vers l'emploi"},
    )
    assert response.status_code == 201, response.content
    commission_id = response.json()["id"]
    assert response.json()["is_mandatory"] is False
    response = send(
        client,
        "post",
        nested("commission-member-list", cle, commission_id),
        {"person": person("mobilite@example.fr"), "organisation": "Wimoov", "is_chair": True},
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_chair"] is True
    listed = client.get(nested("commission-list", cle)).json()["results"]
    assert [m["organisation"] for m in listed[0]["members"]] == ["Wimoov"]


def test_the_iae_commission_belongs_to_cdes(as_user, cle):
    before = snapshot()
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            nested("commission-list", cle),
            {"name": "IAE", "kind": "iae"},
        )
    )
    assert found == {
        "kind": [
            "La commission inclusion et IAE est celle des CDE (article R. 5311-26 du code du travail)."
        ]
    }
    assert snapshot() == before


def test_the_iae_commission_of_a_cde_cannot_be_deleted(as_user, cde):
    iae = cde.commissions.get(kind=Commission.Kind.IAE)
    before = snapshot()
    found = errors(as_user("ddets_own").delete(nested("commission-detail", cde, iae.pk)))
    assert "ne peut être supprimée" in found["non_field_errors"][0]
    assert snapshot() == before


def test_another_commission_is_deleted(as_user, cde):
    commission = add_commission(committee=cde, name="Jeunes", kind="commission")
    response = as_user("ddets_own").delete(nested("commission-detail", cde, commission.pk))
    assert response.status_code == 204
    assert not Commission.objects.filter(pk=commission.pk).exists()


def test_a_person_sits_once_in_a_commission(as_user, cde):
    iae = cde.commissions.get(kind=Commission.Kind.IAE)
    url = nested("commission-member-list", cde, iae.pk)
    client = as_user("ddets_own")
    payload = {"person": person("siae@example.fr"), "organisation": "SIAE"}
    assert send(client, "post", url, payload).status_code == 201
    before = snapshot()
    assert errors(send(client, "post", url, payload)) == {
        "person": ["Cette personne siège déjà dans la commission."]
    }
    assert snapshot() == before


def test_a_commission_of_another_committee_is_404(as_user, cde, cle):
    iae = cde.commissions.get(kind=Commission.Kind.IAE)
    response = as_user("ddets_own").delete(nested("commission-detail", cle, iae.pk))
    assert response.json() == {"status": 404, "detail": "Commission introuvable dans ce comité."}
    assert Commission.objects.filter(pk=iae.pk).exists()


# --- Rules of procedure (INS-RULES) ------------------------------------------------------------

HEADINGS = {
    "principles": "Consensus recherché.",
    "secretariat": "DDETS du Rhône.",
    "bodies": "Comité plénier et comité technique.",
    "means": "Salle de la préfecture.",
    "meetings": "Trois réunions par an.",
    "commissions": "Groupes de travail thématiques.",
    "iae_commission": "Commission inclusion et IAE.",
    "coordination": "Avec le CDE.",
}


def test_rules_are_drafted_then_adopted(as_user, cle):
    client = as_user("ddets_own")
    url = reverse("api-committee-rules", args=[cle.pk])
    assert client.get(url).json() == {
        "status": 404,
        "detail": "Aucun règlement intérieur n'a encore été rédigé pour ce comité.",
    }
    response = send(client, "patch", url, {"principles": "Consensus recherché."})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    assert response.json()["adopted_on"] is None
    adopt = reverse("api-committee-rules-adopt", args=[cle.pk])
    found = errors(send(client, "post", adopt, {"adopted_on": TODAY.isoformat()}))
    assert found["non_field_errors"][0] == "Rubriques obligatoires non rédigées :"
    assert "Secrétariat" in found["non_field_errors"]
    assert send(client, "patch", url, HEADINGS).status_code == 200
    response = send(client, "post", adopt, {"adopted_on": TODAY.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["adopted_on"] == TODAY.isoformat()
    assert as_user("member").get(url).json()["version"] == 1  # members read it
    assert as_user("member").get(detail(cle)).json()["rules_of_procedure"] == {
        "version": 1,
        "adopted_on": TODAY.isoformat(),
    }
    # Editing adopted rules opens version 2.
    client = as_user("ddets_own")
    assert send(client, "patch", url, {"means": "Visio."}).json()["version"] == 2


def test_nothing_to_adopt_without_a_draft(as_user, cle):
    found = errors(
        send(
            as_user("ddets_own"),
            "post",
            reverse("api-committee-rules-adopt", args=[cle.pk]),
            {"adopted_on": TODAY.isoformat()},
        )
    )
    assert found == {"non_field_errors": ["Aucun règlement intérieur à adopter."]}


def test_a_cre_has_no_rules_of_its_own(as_user, cre):
    before = snapshot()
    found = errors(
        send(
            as_user("dreets_own"),
            "patch",
            reverse("api-committee-rules", args=[cre.pk]),
            {"principles": "x"},
        )
    )
    assert found == {"non_field_errors": ["Le CRE applique le règlement intérieur du CREFOP."]}
    assert snapshot() == before
    assert not RulesOfProcedure.objects.exists()


def test_a_member_may_not_adopt_rules(as_user, cle):
    before = snapshot()
    response = send(
        as_user("member"),
        "post",
        reverse("api-committee-rules-adopt", args=[cle.pk]),
        {"adopted_on": TODAY.isoformat()},
    )
    assert response.json() == FORBIDDEN
    assert snapshot() == before


# --- Query budgets ------------------------------------------------------------------------------
# Flat with 10× more rows. Measured (SQLite): list 6, detail 24 (22 for an admin), nested lists
# 7-8: session and user, the guardian scope, count and page, one query per prefetched
# relation, and on the detail the fixed checks (installation problems, vote balance, rules,
# the user's rights). The budgets leave a query or two of room, never room for one per row.

LIST_BUDGET = 7
DETAIL_BUDGET = 26
NESTED_LIST_BUDGET = 9


@pytest.fixture
def many_committees(t, world):
    def build(count: int):
        for n in range(count):
            create_committee(
                level=Level.LOCAL, name=f"CLE n° {n}", region=t.ara, departements=[t.d69]
            )

    return build


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_budget(as_user, many_committees, count, django_assert_max_num_queries):
    many_committees(count)
    client = as_user("ddets_own")
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(f"{LIST}?page_size=100")
    assert response.json()["count"] == count + 3


def crowd(committee, count: int) -> None:
    """``count`` members (invited, not counted against DEC-MAX), commission members and
    former instances."""
    commission = add_commission(committee=committee, name="Groupe", kind="working_group")
    for n in range(count):
        seat(committee, Category.OTHER_NETWORK, is_permanent=False)
        add_commission_member(commission=commission, person=UserFactory(), organisation=f"O{n}")
        committee.former_instances.create(kind="steering", name=f"Comité {n}", outcome="removed")


@pytest.mark.parametrize("persona", ["ddets_own", "member"])
@pytest.mark.parametrize("count", [2, 20])
def test_detail_query_budget(as_user, cle, count, persona, django_assert_max_num_queries):
    crowd(cle, count)
    client = as_user(persona)
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(detail(cle))
    assert len(response.json()["members"]) == count + 1


@pytest.mark.parametrize("name", ["member-list", "copresident-list", "commission-list"])
@pytest.mark.parametrize("count", [2, 20])
def test_nested_list_query_budget(as_user, cle, count, name, django_assert_max_num_queries):
    crowd(cle, count)
    for n in range(count // 2):
        copreside(cle, CoPresidency.Side.LOCAL_AUTHORITY)
        add_commission(committee=cle, name=f"Groupe {n}", kind="working_group")
    client = as_user("ddets_own")
    with django_assert_max_num_queries(NESTED_LIST_BUDGET):
        response = client.get(f"{nested(name, cle)}?page_size=100")
    assert response.json()["count"] >= count // 2


# --- OpenAPI schema ---------------------------------------------------------------------------


def test_the_schema_has_every_endpoint_without_warning_and_is_valid():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
    assert not problems, "\n".join(problems)
    validate_schema(schema)
    paths = schema["paths"]
    expected = {
        "/api/v1/committees/": {"get", "post"},
        "/api/v1/committees/{id}/": {"get", "patch"},
        "/api/v1/committees/{id}/install/": {"post"},
        "/api/v1/committees/{id}/dissolve/": {"post"},
        "/api/v1/committees/{id}/rules/": {"get", "patch"},
        "/api/v1/committees/{id}/rules/adopt/": {"post"},
        "/api/v1/committees/{committee_pk}/members/": {"get", "post"},
        "/api/v1/committees/{committee_pk}/members/{id}/": {"patch"},
        "/api/v1/committees/{committee_pk}/members/{id}/end/": {"post"},
        "/api/v1/committees/{committee_pk}/copresidents/": {"get", "post"},
        "/api/v1/committees/{committee_pk}/copresidents/{id}/": {"patch"},
        "/api/v1/committees/{committee_pk}/copresidents/{id}/end/": {"post"},
        "/api/v1/committees/{committee_pk}/commissions/": {"get", "post"},
        "/api/v1/committees/{committee_pk}/commissions/{id}/": {"delete"},
        "/api/v1/committees/{committee_pk}/commissions/{id}/members/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) - {"parameters"} == methods, path
    person_schema = schema["components"]["schemas"]["Person"]["properties"]
    assert "phone" not in person_schema
    assert person_schema["email"]["nullable"] is True


def test_the_schema_is_served(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/committees/{id}/install/" in response.content.decode()
