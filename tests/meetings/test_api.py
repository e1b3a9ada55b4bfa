"""``/api/v1/meetings/``: filters, nested data, the same rules as the screens (404 outside the
scope, 403 for a forbidden action, 400 with the rule in French and nothing saved)."""

import pytest
from rest_framework.test import APIClient

from committees.models.rules import Category
from meetings.models import Decision, Meeting, Minutes, Validation
from meetings.services.decisions import record_decision
from tests.factories.meetings import (
    Attendance,
    attend,
    convene,
    drafted_minutes,
    future_day,
    held_today,
    invitation_of,
    make_meeting,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(meeting, suffix=""):
    return f"{LIST}{meeting.pk}/{suffix}"


def test_anonymous_gets_a_401_in_french():
    response = APIClient().get(LIST)
    assert response.status_code == 401
    assert "authentification" in response.json()["detail"].lower()


def test_the_list_nests_agenda_attendance_and_decisions(scene):
    meeting = held_today(scene)
    attend(
        scene,
        meeting,
        dict.fromkeys([scene.state, scene.local, scene.person(Category.STATE)], Attendance.PRESENT),
    )
    record_decision(agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Adopté")
    body = api(scene.secretariat).get(LIST).json()
    assert body["count"] == 1
    (data,) = body["results"]
    assert data["committee_name"] == "CDE du Rhône"
    assert [i["title"] for i in data["agenda_items"]] == ["Point 1", "Point 2"]
    assert data["agenda_items"][0]["decisions"][0]["text"] == "Adopté"
    assert data["quorum"] == {
        "total": 6,
        "counted": 3,
        "required": 3,
        "reached": True,
        "text": data["quorum"]["text"],
    }
    state = next(i for i in data["invitations"] if i["is_state_copresident"])
    assert state["attendance"] == "present"
    assert state["person"]["email"] == scene.state.email  # the secretariat sees contacts


def test_members_see_convened_meetings_without_contacts(scene):
    convene(scene, make_meeting(scene, title="Convoquée"))
    make_meeting(scene, title="Brouillon")
    body = api(scene.person(Category.FRANCE_TRAVAIL)).get(LIST).json()
    assert [m["title"] for m in body["results"]] == ["Convoquée"]
    assert all(i["person"]["email"] is None for i in body["results"][0]["invitations"])


def test_outsiders_see_nothing_and_get_404_on_a_meeting(scene):
    meeting = convene(scene, make_meeting(scene))
    for user in (scene.outsider, scene.other_ddets):
        assert api(user).get(LIST).json()["count"] == 0
        assert api(user).get(detail(meeting)).status_code == 404


def test_filters_by_committee_and_dates(scene):
    near = make_meeting(scene, days=10, title="Proche")
    make_meeting(scene, days=40, title="Lointaine")
    client = api(scene.secretariat)
    titles = lambda params: [m["title"] for m in client.get(LIST, params).json()["results"]]  # noqa: E731
    assert titles({"committee": scene.committee.pk}) == ["Lointaine", "Proche"]
    assert titles({"to": future_day(20).isoformat()}) == ["Proche"]
    assert titles({"from": future_day(20).isoformat()}) == ["Lointaine"]
    assert titles({"from": near.date.isoformat(), "to": near.date.isoformat()}) == ["Proche"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"committee": "abc"}, "committee"),
        ({"committee": "999999"}, "committee"),
        ({"from": "31/12/2026"}, "from"),
        ({"from": "2026-12-31", "to": "2026-01-01"}, "to"),
    ],
)
def test_bad_filters_are_400_in_french(scene, params, field):
    response = api(scene.secretariat).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_committee_outside_the_scope_is_refused_as_unknown(scene):
    response = api(scene.other_ddets).get(LIST, {"committee": scene.committee.pk})
    assert response.status_code == 400


def test_create_by_the_secretariat_only(scene):
    payload = {
        "committee": scene.committee.pk,
        "title": "Plénière",
        "date": future_day().isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "Préfecture",
    }
    assert api(scene.state).post(LIST, payload, format="json").status_code == 403
    assert api(scene.other_ddets).post(LIST, payload, format="json").status_code == 400
    assert not Meeting.objects.exists()
    response = api(scene.secretariat).post(LIST, payload, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert len(response.json()["invitations"]) == 9


def test_a_rule_refusal_is_a_400_naming_the_field(scene):
    payload = {
        "committee": scene.committee.pk,
        "title": "Plénière",
        "date": future_day().isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
    }
    response = api(scene.secretariat).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert "Indiquez un lieu" in response.json()["errors"]["place"][0]
    assert not Meeting.objects.exists()


def test_joint_validation_through_the_api(scene):
    meeting = make_meeting(scene)
    assert api(scene.state).post(detail(meeting, "submit/")).status_code == 403
    assert api(scene.secretariat).post(detail(meeting, "submit/")).status_code == 200
    assert api(scene.secretariat).post(detail(meeting, "validate/")).status_code == 403
    assert not Validation.objects.exists()
    assert api(scene.state).post(detail(meeting, "validate/")).status_code == 200
    response = api(scene.state).post(detail(meeting, "validate/"))
    assert response.status_code == 400 and "déjà validé" in str(response.json())
    assert api(scene.local).post(detail(meeting, "validate/")).json()["status"] == "convened"


def test_agenda_items_through_the_api(scene):
    meeting = make_meeting(scene, items=0)
    payload = {"title": "Demande d'audit", "is_audit_request": True}
    assert (
        api(scene.state).post(detail(meeting, "agenda-items/"), payload, format="json").status_code
        == 403
    )
    response = api(scene.secretariat).post(detail(meeting, "agenda-items/"), payload, format="json")
    assert response.status_code == 201
    item = response.json()["agenda_items"][0]
    assert item["decision_by_vote"] is True  # INS-CONSENSUS


def test_answers_through_the_api(scene):
    meeting = convene(scene, make_meeting(scene))
    member = scene.person(Category.EMPLOYEE_UNIONS)
    holder = invitation_of(meeting, scene.person(Category.EMPLOYER_ORGS))
    assert (
        api(scene.secretariat).post(detail(meeting, "answer/"), {"answer": "present"}).status_code
        == 403
    )
    response = api(member).post(
        detail(meeting, "answer/"), {"answer": "proxy", "proxy_to": holder.pk}, format="json"
    )
    assert response.status_code == 200
    response = api(scene.state).post(
        detail(meeting, "answer/"), {"answer": "proxy", "proxy_to": holder.pk}, format="json"
    )
    assert response.status_code == 400 and "ne peut en détenir plus de" in str(response.json())
    assert invitation_of(meeting, scene.state).answer == ""


def test_attendance_and_a_vote_through_the_api(scene):
    meeting = held_today(scene)
    voters = [scene.state, scene.local, scene.person(Category.STATE)]
    entries = [
        {
            "invitation": i.pk,
            "attendance": "present" if i.person in voters else "absent",
        }
        for i in meeting.invitations.all()
    ]
    assert (
        api(scene.state)
        .post(detail(meeting, "attendance/"), {"entries": entries}, format="json")
        .status_code
        == 403
    )
    response = api(scene.secretariat).post(
        detail(meeting, "attendance/"), {"entries": entries}, format="json"
    )
    assert response.status_code == 200 and response.json()["quorum"]["reached"] is True
    payload = {
        "agenda_item": meeting.agenda_items.first().pk,
        "method": "vote",
        "text": "Motion",
        "ballots": [
            {"invitation": invitation_of(meeting, p).pk, "choice": c}
            for p, c in zip(voters, ("for", "against", "abstain"), strict=True)
        ],
    }
    response = api(scene.secretariat).post(detail(meeting, "decisions/"), payload, format="json")
    assert response.status_code == 201
    decision = Decision.objects.get()
    # 1 for, 1 against: the State co-president voted for (DEC-MAJORITY casting vote).
    assert decision.casting_vote_used and decision.outcome == Decision.Outcome.ADOPTED
    ballots = response.json()["agenda_items"][0]["decisions"][0]["ballots"]
    assert {b["choice"] for b in ballots} == {"for", "against", "abstain"}


def test_a_vote_without_quorum_is_a_400(scene):
    meeting = held_today(scene)
    payload = {
        "agenda_item": meeting.agenda_items.first().pk,
        "method": "vote",
        "text": "Motion",
        "ballots": [{"invitation": invitation_of(meeting, scene.state).pk, "choice": "for"}],
    }
    response = api(scene.secretariat).post(detail(meeting, "decisions/"), payload, format="json")
    assert response.status_code == 400 and "le quorum n'est pas atteint" in str(response.json())
    assert not Decision.objects.exists()


def test_minutes_approval_through_the_api(scene):
    meeting = held_today(scene)
    assert api(scene.state).post(detail(meeting, "minutes/approve/")).status_code == 404
    drafted_minutes(scene, meeting)
    assert api(scene.secretariat).post(detail(meeting, "minutes/approve/")).status_code == 403
    assert api(scene.state).post(detail(meeting, "minutes/approve/")).status_code == 200
    # Members do not see unapproved minutes.
    member_view = api(scene.person(Category.STATE)).get(detail(meeting)).json()
    assert member_view["minutes"] is None
    api(scene.local).post(detail(meeting, "minutes/approve/"))
    assert Minutes.objects.get().is_approved


@pytest.mark.parametrize("grow", [1, 10])
def test_list_query_budget(scene, django_assert_max_num_queries, grow):
    for index in range(grow):
        meeting = make_meeting(scene, items=3, days=10 + index, title=f"Réunion {index}")
        convene(scene, meeting)
    client = api(scene.secretariat)
    with django_assert_max_num_queries(16):
        body = client.get(LIST).json()
    assert body["count"] == grow
