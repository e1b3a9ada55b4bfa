"""The API keeps the same rules as the screens (issue 13): one decision per agenda item
(replacement only when asked), and co-presidents refuse the agenda or the minutes with a
comment (DEC-JOINT)."""

import pytest
from rest_framework.test import APIClient

from committees.models.rules import Category
from meetings.models import ChangeRequest, Decision
from meetings.services.convocation import submit_for_validation
from meetings.services.decisions import record_decision
from tests.factories.meetings import drafted_minutes, held_today, make_meeting

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_second_decision_through_the_api_replaces_only_when_asked(scene):
    meeting = held_today(scene)
    item = meeting.agenda_items.first()
    record_decision(agenda_item=item, user=scene.secretariat, text="Première")
    payload = {"agenda_item": item.pk, "text": "Seconde"}
    refused = api(scene.secretariat).post(f"{LIST}{meeting.pk}/decisions/", payload, format="json")
    assert refused.status_code == 400 and "remplacement" in str(refused.json())
    assert Decision.objects.get(agenda_item=item).text == "Première"
    replaced = api(scene.secretariat).post(
        f"{LIST}{meeting.pk}/decisions/", {**payload, "replace": True}, format="json"
    )
    assert replaced.status_code == 201
    assert Decision.objects.get(agenda_item=item).text == "Seconde"


def test_copresidents_refuse_the_agenda_through_the_api(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    path = f"{LIST}{meeting.pk}/request-changes/"
    assert api(scene.secretariat).post(path, {"comment": "Non"}, format="json").status_code == 403
    assert api(scene.local).post(path, {"comment": ""}, format="json").status_code == 400
    response = api(scene.local).post(path, {"comment": "Ajouter la mobilité."}, format="json")
    assert response.status_code == 200
    assert ChangeRequest.objects.get().comment == "Ajouter la mobilité."


def test_copresidents_refuse_the_minutes_through_the_api(scene):
    meeting = held_today(scene)
    path = f"{LIST}{meeting.pk}/minutes/request-changes/"
    assert api(scene.state).post(path, {"comment": "x"}, format="json").status_code == 404
    drafted_minutes(scene, meeting)
    member = scene.person(Category.STATE)
    assert api(member).post(path, {"comment": "x"}, format="json").status_code in (403, 404)
    response = api(scene.state).post(path, {"comment": "Préciser les chiffres."}, format="json")
    assert response.status_code == 200
    assert ChangeRequest.objects.get().subject == ChangeRequest.Subject.MINUTES
