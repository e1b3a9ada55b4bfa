"""``/api/v1/funders-conferences/``, ``/api/v1/funding-lines/``, ``/api/v1/conventions/``:
scoped lists, 404 outside the scope, 403 for a forbidden write, the services' refusals as 400
in French, exact decimal strings, the OpenAPI schema, flat query budgets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from funders.models import FundingLine
from funders.services.conventions import add_party, create_convention
from tests.clients import login
from tests.funders.world import conference, line, today

pytestmark = pytest.mark.django_db

CONFERENCES = "/api/v1/funders-conferences/"
LINES = "/api/v1/funding-lines/"
CONVENTIONS = "/api/v1/conventions/"


def _payload(conference, funder, **overrides):
    data = {
        "conference": conference.pk,
        "funder": funder.pk,
        "scheme": "Aide au permis",
        "scheme_kind": "mobility",
        "public": "youth",
        "covers_whole_perimeter": False,
        "commune_codes": ["69243"],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "amount_committed": "45000.10",
        "amount_available": "0.20",
    }
    data.update(overrides)
    return data


def test_conferences_with_their_exact_totals(client, world, funders, cde_conference):
    line(cde_conference, funders["state"], amount_committed=Decimal("0.10"))
    line(cde_conference, funders["fse"], amount_committed=Decimal("0.20"))
    login(client, world.member)
    body = client.get(CONFERENCES).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["amount_committed"] == "0.30"
    assert item["line_count"] == 2 and item["level"] == "departmental"
    assert {f["name"] for f in item["funders"]} == {"DDETS du Rhône", "FSE+ (État)"}
    assert client.get(CONFERENCES, {"year": 1999}).json()["count"] == 0
    assert client.get(CONFERENCES, {"committee": "abc"}).status_code == 400


def test_lists_are_scoped_and_foreign_objects_are_404(client, world, funders, cde_conference):
    offer_line = line(cde_conference, funders["state"])
    login(client, world.ddets75)
    assert client.get(CONFERENCES).json()["count"] == 0
    assert client.get(LINES).json()["count"] == 0
    assert client.get(f"{CONFERENCES}{cde_conference.pk}/").status_code == 404
    assert client.get(f"{LINES}{offer_line.pk}/").status_code == 404
    response = client.post(
        LINES, _payload(cde_conference, funders["state"]), content_type="application/json"
    )
    assert response.status_code == 404
    response = client.patch(
        f"{LINES}{offer_line.pk}/", {"amount_committed": "1.00"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.delete(f"{LINES}{offer_line.pk}/").status_code == 404
    offer_line.refresh_from_db()
    assert offer_line.amount_committed == Decimal("100000.00")


def test_the_secretariat_adds_edits_and_removes_a_line(client, world, funders, cde_conference):
    login(client, world.ddets69)
    response = client.post(
        LINES, _payload(cde_conference, funders["region"]), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount_committed"] == "45000.10" and body["communes"] == ["69243"]
    created = FundingLine.objects.get()
    response = client.patch(
        f"{LINES}{created.pk}/",
        {
            "amount_available": "12.34",
            "cofinancings": [{"partner_name": "OPCO", "share": "30"}],
            "is_cofinanced": True,
            "own_share": "70",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    created.refresh_from_db()
    assert created.amount_available == Decimal("12.34")
    assert created.cofinancings.get().partner_name == "OPCO"
    assert created.communes.get().pk == "69243"  # unchanged by a partial update
    assert client.delete(f"{LINES}{created.pk}/").status_code == 204
    assert not FundingLine.objects.exists()


def test_a_refused_rule_is_a_400_in_french_and_nothing_is_saved(
    client, world, funders, cde_conference
):
    login(client, world.ddets69)
    response = client.post(
        LINES,
        _payload(cde_conference, funders["region"], commune_codes=["75056"]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Hors du périmètre du comité : Paris." in response.json()["errors"]["epcis"]
    response = client.post(
        LINES,
        _payload(cde_conference, funders["region"], amount_committed="1.005"),
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        LINES,
        _payload(cde_conference, funders["region"], commune_codes=["99999"]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Commune inconnue : 99999" in response.json()["errors"]["commune_codes"]
    assert not FundingLine.objects.exists()


def test_readers_get_a_403_on_writes(client, world, funders, cde_conference):
    offer_line = line(cde_conference, funders["caf"])
    for reader in (world.member, world.prefet, funders["caf"].contact):
        login(client, reader)
        assert client.get(f"{LINES}{offer_line.pk}/").status_code == 200
        response = client.post(
            LINES, _payload(cde_conference, funders["region"]), content_type="application/json"
        )
        assert response.status_code == 403
        assert "secrétariat" in response.json()["detail"]
        assert client.delete(f"{LINES}{offer_line.pk}/").status_code == 403
    assert FundingLine.objects.count() == 1


def test_a_funder_contact_sees_only_the_conferences_of_their_funder(
    client, world, funders, cde_conference
):
    line(cde_conference, funders["caf"])
    conference(world.cde, world.ddets69, title="Sans la CAF")
    login(client, funders["caf"].contact)
    body = client.get(CONFERENCES).json()
    assert [c["title"] for c in body["results"]] == [cde_conference.title]
    assert client.get(CONVENTIONS).json()["count"] == 0


def test_conventions_with_parties_and_renewal(client, world, funders):
    convention = create_convention(
        committee=world.cde,
        kind="solidarity_pact",
        title="Pacte des solidarités",
        starts_on=today() - timedelta(days=300),
        ends_on=today() + timedelta(days=60),
        status="signed",
        signed_on=today() - timedelta(days=300),
    )
    add_party(convention=convention, name="État", amount=Decimal("700000.35"))
    add_party(convention=convention, name="Département", amount=Decimal("300000.65"))
    login(client, world.member)
    item = client.get(CONVENTIONS).json()["results"][0]
    assert item["total_amount"] == "1000001.00"
    assert item["renewal_due"] is True
    assert [p["name"] for p in item["parties"]] == ["État", "Département"]
    login(client, world.ddets75)
    assert client.get(f"{CONVENTIONS}{convention.pk}/").status_code == 404


def test_the_lists_stay_flat(client, world, funders, django_assert_max_num_queries):
    def grow(count):
        for index in range(count):
            created = conference(world.cde, world.ddets69, title=f"C{index}")
            line(
                created,
                funders["caf"],
                is_cofinanced=True,
                own_share=Decimal("50"),
                cofinancings=[{"partner_name": "Ville", "share": Decimal("50"), "partner": None}],
                covers_whole_perimeter=False,
                communes=[world.territory.communes["69264"]],
            )
            convention = create_convention(
                committee=world.cde,
                kind="other",
                title=f"K{index}",
                starts_on=today(),
                ends_on=today(),
            )
            add_party(convention=convention, name="État", amount=Decimal("1"))

    grow(2)
    login(client, world.ddets69)
    for url in (CONFERENCES, LINES, CONVENTIONS):
        client.get(url)
        with django_assert_max_num_queries(15) as few:
            assert client.get(url).status_code == 200
        counts = len(few.captured_queries)
        grow(10)
        with django_assert_max_num_queries(counts):
            assert client.get(url).status_code == 200


def test_the_openapi_schema_documents_the_funders_endpoints_without_new_warnings():

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        p
        for p in {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
        if "funders" in p.lower() or "Level" in p
    ]
    assert not problems, problems
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths[CONFERENCES]) >= {"get"}
    assert set(paths[LINES]) >= {"get", "post"}
    assert set(paths[f"{LINES}{{id}}/"]) >= {"get", "put", "patch", "delete"}
    assert set(paths[CONVENTIONS]) >= {"get"}
    components = schema["components"]["schemas"]
    assert components["FundingLine"]["properties"]["amount_committed"]["format"] == "decimal"
