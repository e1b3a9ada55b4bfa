"""Agenda documents are checked by their content (issue 14, "Input")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import AgendaDocument
from tests.clients import login
from tests.factories.meetings import make_meeting

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
HTML = b"<html><body onload=alert(1)></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.png", HTML, "programme ou une page web"),
        ("ordre-du-jour.pdf", ELF, "programme ou une page web"),
        ("ordre-du-jour.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "ne correspond pas"),
        ("script.exe", ELF, "Ce type de fichier n'est pas accepté"),
    ],
)
def test_a_disguised_agenda_document_is_refused(client, scene, name, content, message):
    meeting = make_meeting(scene)
    item = meeting.agenda_items.first()
    login(client, scene.secretariat)
    response = client.post(
        reverse("meetings:document_add", args=[meeting.pk, item.pk]),
        {"title": "Support", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not AgendaDocument.objects.exists()


def test_a_real_pdf_is_added(client, scene):
    meeting = make_meeting(scene)
    item = meeting.agenda_items.first()
    login(client, scene.secretariat)
    response = client.post(
        reverse("meetings:document_add", args=[meeting.pk, item.pk]),
        {"title": "Support", "file": SimpleUploadedFile("support.pdf", b"%PDF-1.4 support")},
    )
    assert response.status_code == 302
    assert AgendaDocument.objects.count() == 1


def test_an_agenda_item_longer_than_a_day_of_meeting_is_refused(client, scene):
    meeting = make_meeting(scene)
    login(client, scene.secretariat)
    data = {"title": "Point fleuve", "duration_minutes": 99999999999, "presenter": "DDETS"}
    response = client.post(reverse("meetings:item_add", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "inférieure ou égale à 480" in response.content.decode()
    api = client.post(
        f"/api/v1/meetings/{meeting.pk}/agenda-items/",
        {"title": "Point fleuve", "duration_minutes": 40000},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "duration_minutes" in api.json()["errors"]
    assert not meeting.agenda_items.filter(title="Point fleuve").exists()
