"""Audit documents are checked by their content (issue 14, "Input"): an executable or a web
page renamed ``.pdf`` is refused in French on the screens and through the API, nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import AuditDocument, AuthorityAgreement
from tests.audits.world import accepted, pdf, request, today
from tests.clients import login

pytestmark = pytest.mark.django_db

API = "/api/v1/audits/"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def test_the_document_screen_refuses_an_executable_renamed_pdf(client, world):
    audit = request(world)
    login(client, world.secretariat)
    response = client.post(
        reverse("audits:document_add", args=[audit.pk]),
        {"title": "Rapport", "file": SimpleUploadedFile("rapport.pdf", EXE)},
    )
    assert response.status_code == 200
    assert "programme ou une page web" in response.content.decode()
    assert not AuditDocument.objects.exists()


def test_the_document_screen_still_takes_a_real_pdf(client, world):
    audit = request(world)
    login(client, world.secretariat)
    response = client.post(
        reverse("audits:document_add", args=[audit.pk]), {"title": "Rapport", "file": pdf()}
    )
    assert response.status_code == 302
    assert AuditDocument.objects.count() == 1


@pytest.mark.parametrize(("name", "content"), [("accord.pdf", HTML), ("accord.png", EXE)])
def test_the_api_refuses_a_disguised_document_in_french(world, client, name, content):
    audit = accepted(world, request(world, world.delegated))
    client.force_login(world.secretariat)
    response = client.post(
        f"{API}{audit.pk}/agreement/",
        {
            "authority": "Département du Rhône",
            "principle_agreed": "true",
            "modalities_agreed": "true",
            "given_on": today().isoformat(),
            "document": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["document"]
    assert "programme ou une page web" in message
    assert not AuthorityAgreement.objects.exists()


def test_the_api_refuses_a_pdf_named_docx(world, client):
    audit = accepted(world, request(world, world.delegated))
    client.force_login(world.secretariat)
    response = client.post(
        f"{API}{audit.pk}/agreement/",
        {
            "authority": "Département du Rhône",
            "principle_agreed": "true",
            "modalities_agreed": "true",
            "given_on": today().isoformat(),
            "document": SimpleUploadedFile("accord.docx", b"%PDF-1.4 accord"),
        },
    )
    assert response.status_code == 400
    assert "ne correspond pas à son extension" in response.json()["errors"]["document"][0]
