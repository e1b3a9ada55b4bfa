"""French 404 and 500 pages in every mode, through real requests.

Without ``DEBUG`` (production, tests) Django calls ``handler404``/``handler500``; with ``DEBUG``
(``make run``) it would show its English technical pages, which
``FrenchErrorPagesMiddleware`` replaces by the same French pages. The API answers in French
JSON. No English, no exception text, no URL pattern reaches the user.
"""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

ENGLISH = ("Page not found", "Server Error", "Traceback", "DEBUG = True", "No Committee", "boom")


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def visitor():
    """A client that answers a server error with the page users see, as a server does."""
    return Client(raise_request_exception=False)


def _french(response, title: str) -> str:
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in html
    assert title in html
    for english in ENGLISH:
        assert english not in html
    return html


@pytest.mark.parametrize("url", ["/cette-page-n-existe-pas/", "/introuvable/"])
def test_a_missing_page_is_the_french_404_page(visitor, debug, url):
    response = visitor.get(url)
    assert response.status_code == 404
    html = _french(response, "Page introuvable")
    assert "Revenir à l'accueil" in html


def test_a_missing_page_for_a_signed_in_user_is_the_french_404_page(visitor, debug, user):
    visitor.force_login(user)
    response = visitor.get("/comites/999999/")
    assert response.status_code == 404
    _french(response, "Page introuvable")


def test_a_server_error_is_the_french_500_page(visitor, debug):
    response = visitor.get("/en-panne/")
    assert response.status_code == 500
    html = _french(response, "Une erreur est survenue")
    assert "Réessayez dans quelques instants" in html


def test_the_api_answers_its_errors_in_french_json(visitor, debug):
    response = visitor.get("/api/v1/cette-ressource-n-existe-pas/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "detail": "Ressource introuvable."}
    response = visitor.get("/api/v1/en-panne/")
    assert response.status_code == 500
    assert response.json()["detail"] == "Erreur interne du serveur. Réessayez plus tard."


def test_a_refused_form_token_is_a_french_page(debug, user):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/compte/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    _french(response, "Formulaire expiré")
