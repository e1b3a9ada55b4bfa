"""``Cache-Control: no-store`` on what only a signed-in person may read (pages, API, files);
public pages keep their caching. The OpenAPI schema and docs are behind sign-in in production
(``CTE["PUBLIC_API_DOCS"]``)."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from cte_portal.users.services import create_api_token
from meetings.models import AgendaDocument
from tests.factories.meetings import convene, make_meeting

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_signed_in_page_is_not_stored(client, user):
    client.force_login(user)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_an_api_answer_to_a_token_is_not_stored(client, user):
    from_token = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {_token(user)}")
    assert from_token.status_code == 200
    assert {"no-store", "private"} <= _directives(from_token)


def _token(user) -> str:
    return create_api_token(user=user, name="Tableur")[1]


def test_a_private_document_download_is_not_stored(client, scene):
    meeting = convene(scene, make_meeting(scene))
    item = meeting.agenda_items.first()
    doc = AgendaDocument.objects.create(
        agenda_item=item, title="Note", file=ContentFile(b"%PDF-1.4 note", name="note.pdf")
    )
    client.force_login(scene.secretariat)
    response = client.get(reverse("meetings:document", args=[meeting.pk, doc.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert {"no-store", "private"} <= _directives(response)


def test_a_public_page_for_the_public_keeps_its_caching(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
    open_data = client.get(reverse("open_data:index"))
    assert open_data.status_code == 200
    assert "no-store" not in _directives(open_data)


def test_a_signed_in_person_gets_no_store_even_on_a_public_page(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "no-store" in _directives(response)


# --- OpenAPI schema and docs ------------------------------------------------------------------


@pytest.fixture
def private_docs(settings):
    settings.CTE = {**settings.CTE, "PUBLIC_API_DOCS": False}


def test_in_production_the_schema_needs_a_sign_in(client, private_docs):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 401
    assert "paths" not in response.content.decode()


def test_in_production_the_docs_page_sends_to_the_sign_in_page(client, private_docs):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 302


def test_in_production_a_signed_in_person_reads_the_schema_and_docs(client, user, private_docs):
    client.force_login(user)
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200


def test_in_production_a_token_reads_the_schema(client, user, private_docs):
    response = client.get(
        "/api/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Token {_token(user)}"
    )
    assert response.status_code == 200


def test_outside_production_the_docs_are_public(client, settings):
    assert settings.CTE["PUBLIC_API_DOCS"] is True  # CTE_ENV=test
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200
    assert client.get("/api/docs/").status_code == 200


_PRINT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CTE['PUBLIC_API_DOCS'])"
)


@pytest.mark.parametrize(
    ("variables", "expected"), [({}, "False"), ({"CTE_PUBLIC_API_DOCS": "true"}, "True")]
)
def test_the_docs_are_private_by_default_in_production(tmp_path, variables, expected):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CTE_", "DJANGO_"))}
    environ.update(
        DJANGO_SETTINGS_MODULE="cte_portal.settings",
        CTE_ENV="production",
        CTE_VAR_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cte.example.gouv.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **variables,
    )
    result = subprocess.run(
        [sys.executable, "-c", _PRINT],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
