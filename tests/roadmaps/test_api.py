"""The REST API under the same rules as the screens: lists scoped to the user, 404 outside
the scope, 403 for a forbidden action, the services' refusals as 400 in French."""

from datetime import date

import pytest
from django.urls import reverse

from roadmaps.models import Approval, IndicatorValue, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services.indicators import record_value
from tests.clients import login
from tests.roadmaps.world import build_roadmap, first_sheet

pytestmark = pytest.mark.django_db


def test_roadmaps_are_listed_within_the_user_scope(client, world, roadmap):
    build_roadmap(world.cle21, world.ddets21)
    login(client, world.ddets69)
    results = client.get(reverse("api-roadmap-list")).json()["results"]
    assert [r["id"] for r in results] == [roadmap.pk]
    detail = client.get(reverse("api-roadmap-detail", args=[roadmap.pk])).json()
    assert detail["axes"][0]["title"] == "Axe 1"
    login(client, world.ddets21)
    assert client.get(reverse("api-roadmap-detail", args=[roadmap.pk])).status_code == 404


def test_the_api_needs_authentication(client, roadmap):
    response = client.get(reverse("api-roadmap-list"))
    assert response.status_code in (401, 403)


def test_a_co_president_approves_through_the_api(client, world, roadmap):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    login(client, world.prefet)
    response = client.post(
        reverse("api-roadmap-approve", args=[roadmap.pk]),
        {"comment": "Bien."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    login(client, world.elu)
    response = client.post(
        reverse("api-roadmap-approve", args=[roadmap.pk]), {}, content_type="application/json"
    )
    assert response.json()["status"] == "approved"


def test_the_secretariat_cannot_approve_through_the_api(client, world, roadmap):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    login(client, world.ddets69)
    response = client.post(
        reverse("api-roadmap-approve", args=[roadmap.pk]), {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "co-présidents" in response.json()["detail"]
    login(client, world.ddets21)
    response = client.post(
        reverse("api-roadmap-approve", args=[roadmap.pk]), {}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Approval.objects.exists()


def test_asking_for_changes_without_comment_is_a_400_in_french(client, world, roadmap):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    login(client, world.prefet)
    url = reverse("api-roadmap-request-changes", args=[roadmap.pk])
    response = client.post(url, {"comment": ""}, content_type="application/json")
    assert response.status_code == 400
    assert "modifications" in json_text(response)
    response = client.post(url, {"comment": "Préciser le public."}, content_type="application/json")
    assert response.status_code == 200
    assert Approval.objects.get().decision == "changes_requested"


def test_approving_a_draft_is_refused(client, world, roadmap):
    login(client, world.prefet)
    response = client.post(
        reverse("api-roadmap-approve", args=[roadmap.pk]), {}, content_type="application/json"
    )
    assert response.status_code == 400
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.DRAFT


def test_action_sheets_are_scoped_and_filterable(client, world, roadmap):
    foreign = build_roadmap(world.cle21, world.ddets21)
    login(client, world.member)
    results = client.get(reverse("api-action-sheet-list"), {"roadmap": roadmap.pk}).json()[
        "results"
    ]
    assert [r["id"] for r in results] == [first_sheet(roadmap).pk]
    assert (
        client.get(reverse("api-action-sheet-detail", args=[first_sheet(foreign).pk])).status_code
        == 404
    )
    assert client.get(reverse("api-action-sheet-list"), {"roadmap": "x"}).status_code == 400


def test_indicators_and_their_values(client, world, indicators):
    login(client, world.ddets69)
    listing = client.get(reverse("api-indicator-list")).json()["results"]
    assert [i["code"] for i in listing] == ["retours-emploi", "taux-orientation"]
    assert listing[0]["breakdowns"] == ["age"]
    payload = {
        "committee": world.cle.pk,
        "result_indicator": indicators["returns"].pk,
        "period": "2025-01-01",
        "value": "12.00",
    }
    assert (
        client.post(
            reverse("api-indicator-value-list"), payload, content_type="application/json"
        ).status_code
        == 201
    )
    payload["value"] = "13.00"
    assert (
        client.post(
            reverse("api-indicator-value-list"), payload, content_type="application/json"
        ).status_code
        == 201
    )
    assert IndicatorValue.objects.get().value == 13
    values = client.get(reverse("api-indicator-values", args=[indicators["returns"].pk])).json()
    assert values["count"] == 1


def test_only_the_secretariat_posts_values(client, world, indicators):
    payload = {
        "committee": world.cle.pk,
        "result_indicator": indicators["returns"].pk,
        "period": "2025-01-01",
        "value": "1",
    }
    login(client, world.member)
    assert (
        client.post(
            reverse("api-indicator-value-list"), payload, content_type="application/json"
        ).status_code
        == 403
    )
    login(client, world.ddets21)
    assert (
        client.post(
            reverse("api-indicator-value-list"), payload, content_type="application/json"
        ).status_code
        == 404
    )
    login(client, world.ddets69)
    payload["category"] = indicators["small"].pk
    response = client.post(
        reverse("api-indicator-value-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()


def test_values_are_visible_within_the_scope_only(client, world, indicators):

    record_value(
        committee=world.cle21,
        user=world.ddets21,
        period=date(2025, 1, 1),
        value=3,
        result_indicator=indicators["returns"],
    )
    login(client, world.ddets69)
    assert client.get(reverse("api-indicator-value-list")).json()["count"] == 0


@pytest.mark.parametrize("factor", [1, 10])
def test_the_api_lists_keep_a_flat_query_budget(
    client, world, factor, django_assert_max_num_queries
):
    roadmap = build_roadmap(world.cle, world.ddets69, axes=factor, sheets_per_axis=2)
    login(client, world.ddets69)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api-action-sheet-list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api-roadmap-detail", args=[roadmap.pk])).status_code == 200


def json_text(response) -> str:
    return response.content.decode()
