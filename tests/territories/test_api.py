"""Read-only API of the territorial reference under ``/api/v1/territories/``."""

import pytest

from cte_portal.users.services import create_api_token
from territories.models import Commune, Departement
from tests.territories.cog_sample import load_sample

pytestmark = pytest.mark.django_db

API = "/api/v1/territories"


@pytest.fixture
def territories(db, tmp_path):
    return load_sample(tmp_path)


@pytest.fixture
def api(client, user):
    """A client authenticated the way scripts are: with a personal token."""
    _token, key = create_api_token(user=user, name="tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


def _codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_anonymous_gets_401_in_json(client, territories):
    response = client.get(f"{API}/regions/")
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert response.json()["detail"]


def test_session_authentication_works_too(logged_client, territories):
    assert logged_client.get(f"{API}/regions/").status_code == 200


def test_region_list_is_paginated(api, territories):
    body = api.get(f"{API}/regions/").json()
    assert body["count"] == 4
    assert [r["code"] for r in body["results"]] == ["06", "11", "84", "94"]
    assert body["results"][2] == {
        "code": "84",
        "name": "Auvergne-Rhône-Alpes",
        "zone": "metro",
        "is_current": True,
    }
    page = api.get(f"{API}/regions/", {"page_size": 3, "page": 2}).json()
    assert page["count"] == 4
    assert _codes_of(page) == ["94"]
    assert page["previous"] is not None and page["next"] is None


def _codes_of(body) -> list[str]:
    return [row["code"] for row in body["results"]]


def test_details_by_code(api, territories):
    assert api.get(f"{API}/departements/2A/").json() == {
        "code": "2A",
        "name": "Corse-du-Sud",
        "region": "94",
        "zone": "metro",
        "is_current": True,
    }
    assert api.get(f"{API}/arrondissements/691/").json()["departement"] == "69"
    assert api.get(f"{API}/epci/200046977/").json() == {
        "code": "200046977",
        "name": "Métropole de Lyon",
        "kind": "MET69",
        "kind_label": "Métropole de Lyon",
        "is_current": True,
    }
    assert api.get(f"{API}/ept/200057867/").json()["name"] == "Plaine Commune"
    assert api.get(f"{API}/communes/69123/").json() == {
        "code": "69123",
        "name": "Lyon",
        "population": 519127,
        "departement": "69",
        "region": "84",
        "arrondissement": "691",
        "epci": "200046977",
        "ept": None,
        "is_current": True,
    }
    assert api.get(f"{API}/communes/97611/").json()["arrondissement"] is None


def test_unknown_code_is_404_in_json(api, territories):
    response = api.get(f"{API}/communes/99999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 404
    assert response.json()["detail"]


def test_retired_rows_stay_reachable_by_code_but_leave_lists(api, territories):
    Commune.objects.filter(code="69029").update(is_current=False)
    assert "69029" not in _codes(api.get(f"{API}/communes/", {"departement": "69"}))
    assert api.get(f"{API}/communes/69029/").json()["is_current"] is False


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("departements", {"region": "84"}, ["01", "69"]),
        ("departements", {"region": "94"}, ["2A", "2B"]),
        ("arrondissements", {"departement": "2A"}, ["2A1", "2A4"]),
        ("epci", {"departement": "69"}, ["200040590", "200046977"]),
        ("epci", {"departement": "93"}, ["200054781"]),
        ("communes", {"departement": "69"}, ["69029", "69123", "69264", "69266"]),
        ("communes", {"region": "94"}, ["2A004", "2B033"]),
        ("communes", {"arrondissement": "691"}, ["69029", "69123", "69266"]),
        ("communes", {"epci": "200046977"}, ["69029", "69123", "69266"]),
        ("communes", {"ept": "200057867"}, ["93066"]),
        ("communes", {"q": "lyon"}, ["69123"]),
        ("communes", {"q": "2a0"}, ["2A004"]),
        ("communes", {"q": "691"}, ["69123"]),
        ("communes", {"q": "Ville", "departement": "69"}, ["69264", "69266"]),
        ("communes", {"q": "  "}, ["01053", "2A004", "2B033", "69029", "69123", "69264"]),
    ],
)
def test_filters(api, territories, path, params, expected):
    response = api.get(f"{API}/{path}/", {"page_size": 6, **params})
    assert response.status_code == 200
    assert _codes(response) == expected


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        ("departements", {"region": "99"}, "region", "Aucune région n'a le code « 99 »."),
        (
            "arrondissements",
            {"departement": "2C"},
            "departement",
            "Aucun département n'a le code « 2C ».",
        ),
        ("epci", {"departement": ""}, "departement", "Ce paramètre ne peut pas être vide."),
        ("communes", {"epci": "123"}, "epci", "Aucun EPCI n'a le code « 123 »."),
        ("communes", {"ept": "x"}, "ept", "Aucun EPT n'a le code « x »."),
        (
            "communes",
            {"arrondissement": "999"},
            "arrondissement",
            "Aucun arrondissement n'a le code « 999 ».",
        ),
        ("communes", {"q": "x" * 101}, "q", "La recherche dépasse 100 caractères."),
    ],
)
def test_bad_filters_are_400_with_a_french_message(api, territories, path, params, field, message):
    response = api.get(f"{API}/{path}/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["detail"] == "Les données envoyées sont invalides."
    assert body["errors"] == {field: [message]}


def test_api_is_read_only(api, territories):
    assert api.post(f"{API}/regions/", {"code": "99", "name": "X"}).status_code == 405
    assert api.delete(f"{API}/communes/69123/").status_code == 405
    assert Departement.objects.count() == 7


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/regions/",
        f"{API}/departements/?region=84",
        f"{API}/epci/?departement=69",
        f"{API}/communes/",
        f"{API}/communes/?epci=200046977",
    ],
)
def test_query_budget_stays_flat(api, territories, django_assert_max_num_queries, url):
    # token + user, the parent-code check when filtered, count, page: never one per row.
    with django_assert_max_num_queries(6):
        assert api.get(url).status_code == 200
    Commune.objects.bulk_create(
        Commune(
            code=f"69{900 + i}",
            name=f"Commune d'essai {i}",
            departement_id="69",
            region_id="84",
            epci_id="200046977",
        )
        for i in range(120)
    )
    with django_assert_max_num_queries(6):
        assert api.get(url).status_code == 200


def test_openapi_schema_documents_the_territory_paths(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for name in ("regions", "departements", "arrondissements", "epci", "ept", "communes"):
        assert f"{API}/{name}/" in paths
        assert f"{API}/{name}/{{code}}/" in paths
    parameters = {p["name"] for p in paths[f"{API}/communes/"]["get"]["parameters"]}
    assert {"region", "departement", "arrondissement", "epci", "ept", "q", "page"} <= parameters
