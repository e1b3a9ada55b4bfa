"""``/api/v1/iae-requests/``: the same rules as the screens (DEC-IAE) — files scoped to their
readers, writes for the CDE's secretariat (403 for readers, 404 outside the scope), the rules'
refusals as a French 400, nothing saved; a flat query budget on the list."""

from datetime import timedelta

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from iae.models import IaeOpinion, IaeRequest, RequestStatus
from tests.iae.world import SIRET_ACI, give_opinion, new_request, today

pytestmark = pytest.mark.django_db
API = "/api/v1/iae-requests/"


def payload(world, **changes):
    return {
        "committee": world.cde.pk,
        "kind": "fdi",
        "structure_name": "Beaujolais Services Emploi",
        "siret": "412 345 678 00012",
        "siae_type": "ai",
        "amount_requested": "45000.00",
        "period_start": f"{today().year + 1}-01-01",
        "period_end": f"{today().year + 1}-12-31",
        "received_on": (today() - timedelta(days=10)).isoformat(),
        **changes,
    }


def test_dec_iae_the_secretariat_creates_a_request_and_records_opinion_and_notice(world, client):
    client.force_login(world.secretariat)
    response = client.post(API, payload(world), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["siret"] == SIRET_ACI and body["status"] == RequestStatus.RECEIVED
    pk = body["id"]
    response = client.post(
        f"{API}{pk}/opinion/",
        {
            "verdict": "reserved",
            "method": "consensus",
            "meeting": world.commission_meeting.pk,
            "reservations": "Montant ramené à 30 000 €.",
            "amount_proposed": "30000.00",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["opinion"]["verdict"] == "reserved"
    response = client.post(
        f"{API}{pk}/notice/",
        {"sent_on": today().isoformat(), "recipient": "ddets"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == RequestStatus.NOTICE_SENT


def test_dec_iae_refusals_are_french_400_and_nothing_is_saved(world, client):
    client.force_login(world.secretariat)
    response = client.post(
        API, payload(world, siret="41234567800013"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "clé de contrôle" in str(response.json())
    item = new_request(world)
    response = client.post(
        f"{API}{item.pk}/opinion/",
        {
            "verdict": "favourable",
            "method": "vote",
            "meeting": world.plenary.pk,
            "votes_for": 3,
            "votes_against": 0,
            "votes_abstain": 0,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "commission inclusion et IAE" in str(response.json())
    assert IaeRequest.objects.count() == 1 and not IaeOpinion.objects.exists()


def test_dec_iae_readers_read_and_cannot_write(world, client):
    item = new_request(world)
    for reader in (world.state, world.member):
        client.force_login(reader)
        assert client.get(f"{API}{item.pk}/").status_code == 200
        assert client.post(API, payload(world), content_type="application/json").status_code == 403
        response = client.post(
            f"{API}{item.pk}/withdraw/", {"reason": "x"}, content_type="application/json"
        )
        assert response.status_code == 403
    client.force_login(world.voter)
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}{item.pk}/").status_code == 404
    client.force_login(world.other_ddets)
    response = client.post(
        f"{API}{item.pk}/withdraw/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert IaeRequest.objects.count() == 1
    assert IaeRequest.objects.get().status == RequestStatus.RECEIVED


def test_dec_iae_the_list_filters_and_rejects_unknown_values(world, client):
    new_request(world)
    given = new_request(world, structure_name="Avec avis")
    give_opinion(world, given)
    client.force_login(world.secretariat)
    body = client.get(API, {"committee": world.cde.pk, "status": "opinion_given"}).json()
    assert [row["id"] for row in body["results"]] == [given.pk]
    assert client.get(API, {"status": "nope"}).status_code == 400


@pytest.mark.parametrize("factor", [1, 10])
def test_dec_iae_the_api_list_has_a_flat_query_budget(
    world, client, factor, django_assert_max_num_queries
):
    for number in range(3 * factor):
        item = new_request(world, structure_name=f"Structure {number}")
        if number % 2:
            give_opinion(world, item)
    client.force_login(world.member)
    with django_assert_max_num_queries(10):
        assert client.get(API).status_code == 200


def test_the_schema_documents_the_iae_endpoints_without_warning():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/v1/iae-requests/",
        "/api/v1/iae-requests/{id}/opinion/",
        "/api/v1/iae-requests/{id}/notice/",
        "/api/v1/iae-requests/{id}/withdraw/",
        "/api/v1/audits/{id}/refusal/",
        "/api/v1/audits/{id}/resubmit/",
    ):
        assert path in schema["paths"], path
    problems = [
        key
        for key in {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
        if "iae" in str(key) or "refusal" in str(key) or "resubmit" in str(key)
    ]
    assert problems == []
