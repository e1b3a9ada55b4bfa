"""The API answers every error as JSON ``{"status", "detail", "errors"?}`` in French.

A few endpoints exist only in this module (its own urlconf, marked ``with_test_endpoints``) to reach the
error paths that the real endpoints do not have yet: a write with validation and a refusal.
"""

import re

import pytest
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from cte_portal.users.services import create_api_token

pytestmark = pytest.mark.django_db

with_test_endpoints = pytest.mark.urls(__name__)


class MeetingSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=20)
    attendees = serializers.IntegerField(min_value=1)


class MeetingView(APIView):
    def post(self, request):
        serializer = MeetingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data, status=201)


class NobodyMay(BasePermission):
    def has_permission(self, request, view):
        return False


class LockedView(APIView):
    permission_classes = [NobodyMay]

    def get(self, request):  # pragma: no cover - never reached
        return Response({})


urlpatterns = [
    path("api/test/meetings/", MeetingView.as_view()),
    path("api/test/locked/", LockedView.as_view()),
    path("", include("cte_portal.urls")),
]
handler404 = "cte_portal.core.views.not_found"


@pytest.fixture
def token_headers(user):
    _token, key = create_api_token(user=user, name="Tests")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_401_without_credentials(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 401,
        "detail": "Informations d'authentification non fournies.",
    }
    assert response["WWW-Authenticate"] == "Token"


def test_the_session_also_authenticates_the_api(logged_client, user):
    response = logged_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation,
        "job_title": user.job_title,
    }


@pytest.mark.parametrize("url", ["/api/v1/inconnu/", "/api/nulle-part", "/api/v2/me/"])
def test_404_for_an_unknown_api_path_is_json(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": 404, "detail": "Ressource introuvable."}


def test_404_outside_the_api_stays_an_html_page(client):
    response = client.get("/inconnu/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@with_test_endpoints
def test_400_lists_the_field_errors_in_french(client, token_headers):
    response = client.post(
        "/api/test/meetings/",
        {"title": "Un titre beaucoup trop long pour ce champ"},
        content_type="application/json",
        **token_headers,
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "detail": "Les données envoyées sont invalides.",
        "errors": {
            "title": ["Assurez-vous que ce champ comporte au plus 20\xa0caractères."],
            "attendees": ["Ce champ est obligatoire."],
        },
    }


@with_test_endpoints
def test_400_for_malformed_json_keeps_the_parser_message(client, token_headers):
    response = client.post(
        "/api/test/meetings/", "{pas du json", content_type="application/json", **token_headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "detail": "Requête mal formée : le contenu envoyé ne peut pas être lu.",
    }


@with_test_endpoints
def test_valid_data_goes_through(client, token_headers):
    response = client.post(
        "/api/test/meetings/",
        {"title": "CDE du Rhône", "attendees": 12},
        content_type="application/json",
        **token_headers,
    )
    assert response.status_code == 201
    assert response.json() == {"title": "CDE du Rhône", "attendees": 12}


@with_test_endpoints
def test_403_when_a_permission_refuses(client, token_headers):
    response = client.get("/api/test/locked/", **token_headers)
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "detail": "Vous n'avez pas la permission d'effectuer cette action.",
    }


@with_test_endpoints
def test_405_names_the_method_in_french(client, token_headers):
    response = client.delete("/api/test/meetings/", **token_headers)
    assert response.status_code == 405
    assert response.json() == {"status": 405, "detail": "Méthode «\xa0DELETE\xa0» non autorisée."}
    assert "POST" in response["Allow"]


# --- OpenAPI ------------------------------------------------------------------------------------


def test_the_openapi_schema_describes_the_api_and_its_token(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API du portail des comités territoriaux pour l'emploi"
    assert "/api/v1/me/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "Jeton personnel, préfixé par « Token » : `Token <clé>`.",
    }


def test_the_openapi_schema_is_yaml_by_default(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_the_docs_page_renders_with_local_assets_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    for cdn in ("cdn.", "jsdelivr", "unpkg", "cdnjs"):
        assert cdn not in html
    assets = re.findall(r'(?:src|href)="(/static/drf_spectacular_sidecar/[^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        served.close()
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_a_missing_object_answers_in_french(client, user):
    client.force_login(user)
    response = client.get("/api/v1/territories/regions/ZZ/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "detail": "Ressource introuvable."}
