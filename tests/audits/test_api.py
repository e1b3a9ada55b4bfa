"""``/api/v1/audits/``: the same rules as the screens — files scoped to their readers
(INS-AUDIT), requests and referrals, the vote (INS-CONSENSUS), the agreement and the steps
gated like the screens, the rules' refusals as 400 in French, flat query budgets."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from audits.models import Audit
from audits.workflow import State
from tests.audits.world import accepted, delivered, pdf, recommend, referral, request, today, vote

pytestmark = pytest.mark.django_db
API = "/api/v1/audits/"


def state_of(audit) -> str:
    return Audit.objects.get(pk=audit.pk).state


def test_a_cde_request_and_a_cle_referral_through_the_api(world, client):
    client.force_login(world.secretariat)
    data = {"audited_body": world.ft.pk, "scope_missions": "Accompagnement", "facts": "Délais."}
    response = client.post(
        API, {**data, "committee": world.cde.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["origin"] == "committee" and body["state"] == State.REQUESTED
    assert body["events"][0]["name"] == "request" and body["vote"] is None
    client.force_login(world.cle_a_chair)
    response = client.post(
        API, {**data, "committee": world.cle_a.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["committee"] == world.cde.pk
    assert response.json()["requesting_committee"] == world.cle_a.pk


def test_requests_are_refused_like_on_the_screens(world, client):
    data = {"audited_body": world.ft.pk, "scope_missions": "x", "facts": "y"}
    cases = [
        (world.voter, world.cde.pk, 403),
        (world.dreets, world.cde.pk, 403),
        (world.ddets_ain, world.cde.pk, 400),  # the committee is not theirs to know
        (world.cle_b_chair, world.cle_a.pk, 400),
    ]
    for user, committee, status in cases:
        client.force_login(user)
        response = client.post(
            API, {**data, "committee": committee}, content_type="application/json"
        )
        assert response.status_code == status, user
    client.force_login(world.secretariat)
    response = client.post(
        API,
        {**data, "committee": world.cde.pk, "audited_body": world.cd.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "un comité départemental fait auditer" in response.json()["errors"]["audited_body"][0]
    response = client.post(
        API,
        {**data, "committee": world.cde.pk, "audited_body": world.foreign_body.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "audited_body" in response.json()["errors"]
    assert not Audit.objects.exists()


def test_the_vote_links_the_cde_decision_and_only_the_secretariat_records_it(world, client):
    audit = request(world)
    decision = vote(world, audit)
    url = f"{API}{audit.pk}/vote/"
    for user, status in ((world.state, 403), (world.cle_a_chair, 404), (world.ddets_ain, 404)):
        client.force_login(user)
        assert (
            client.post(url, {"decision": decision.pk}, content_type="application/json").status_code
            == status
        )
    assert state_of(audit) == State.REQUESTED
    client.force_login(world.secretariat)
    response = client.post(url, {"decision": 999999}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(url, {"decision": decision.pk}, content_type="application/json")
    assert response.status_code == 200
    result = response.json()
    assert result["state"] == State.ACCEPTED
    assert result["vote"]["decision"] == decision.pk and result["vote"]["method"] == "vote"
    assert result["vote"]["votes_for"] == decision.votes_for


def test_the_agreement_comes_before_the_start_through_the_api(world, client):
    audit = accepted(world, request(world, world.delegated))
    client.force_login(world.secretariat)
    start = {"auditor": "IGAS", "started_on": today().isoformat()}
    response = client.post(f"{API}{audit.pk}/start/", start, content_type="application/json")
    assert response.status_code == 400
    assert (
        "sur le principe et sur les modalités" in response.json()["errors"]["non_field_errors"][0]
    )
    assert state_of(audit) == State.AGREEMENT_PENDING
    response = client.post(
        f"{API}{audit.pk}/agreement/",
        {
            "authority": "Département du Rhône",
            "principle_agreed": "true",
            "modalities_agreed": "true",
            "given_on": today().isoformat(),
            "document": pdf(),
        },
    )
    assert response.status_code == 200 and response.json()["agreement"]["modalities_agreed"]
    response = client.post(f"{API}{audit.pk}/start/", start, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == State.IN_PROGRESS
    response = client.post(
        f"{API}{audit.pk}/report/", {"document": pdf(), "delivered_on": today().isoformat()}
    )
    assert response.status_code == 200 and response.json()["state"] == State.REPORT_DELIVERED


def test_follow_up_and_close_through_the_api(world, client):
    audit = delivered(world)
    client.force_login(world.secretariat)
    response = client.post(f"{API}{audit.pk}/follow-up/")
    assert response.status_code == 400 and state_of(audit) == State.REPORT_DELIVERED
    recommendation = recommend(world, audit)
    assert client.post(f"{API}{audit.pk}/follow-up/").status_code == 200
    client.force_login(world.ft_user)  # the audited body reads, does not close
    assert client.get(f"{API}{audit.pk}/").json()["recommendations"][0]["id"] == recommendation.pk
    assert (
        client.post(f"{API}{audit.pk}/close/", {}, content_type="application/json").status_code
        == 403
    )
    client.force_login(world.secretariat)
    response = client.post(f"{API}{audit.pk}/close/", {}, content_type="application/json")
    assert response.status_code == 400 and state_of(audit) == State.FOLLOW_UP


def test_filters(world, client):
    first = referral(world)
    request(world)
    client.force_login(world.secretariat)
    by_cle = client.get(API, {"committee": world.cle_a.pk}).json()["results"]
    assert [row["id"] for row in by_cle] == [first.pk]
    assert client.get(API, {"state": "requested"}).json()["count"] == 2
    assert client.get(API, {"state": "closed"}).json()["count"] == 0
    assert client.get(API, {"state": "nope"}).status_code == 400
    assert client.get(API, {"committee": "x"}).status_code == 400


@pytest.mark.parametrize("factor", [1, 10])
def test_the_list_and_the_file_have_flat_query_budgets(
    world, client, factor, django_assert_max_num_queries
):
    for number in range(3 * factor):
        request(world, (world.ft, world.ml, world.cap)[number % 3])
        referral(world)
    audit = delivered(world)
    for _ in range(factor):
        recommend(world, audit, days=10)
    client.force_login(world.secretariat)
    with django_assert_max_num_queries(8):
        assert client.get(API).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}{audit.pk}/")
    assert len(response.json()["recommendations"]) == factor


def test_the_schema_documents_the_audit_endpoints_without_warning():

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/v1/audits/",
        "/api/v1/audits/{id}/vote/",
        "/api/v1/audits/{id}/agreement/",
        "/api/v1/reports/",
        "/api/v1/report-obligations/",
    ):
        assert path in schema["paths"], path
    problems = [
        key
        for key in {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
        if "audits" in str(key)
    ]
    assert problems == []
