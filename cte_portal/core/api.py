"""Shared pieces of the REST API: pagination and the JSON error format."""

from django.http import Http404, JsonResponse
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


_DEFAULT_DETAILS = {
    400: "Les données envoyées sont invalides.",
    401: "Authentification requise : fournissez un jeton (« Authorization: Token … ») ou une session.",
    403: "Vous n'avez pas la permission d'effectuer cette action.",
    404: "Ressource introuvable.",
    405: "Méthode non autorisée.",
}

_MALFORMED = "Requête mal formée : le contenu envoyé ne peut pas être lu."


def exception_handler(exc, context):
    """Answer every API error as ``{"status", "detail", "errors"?}`` with a French message.

    A validation error keeps its field errors under ``errors``; the others carry DRF's own
    (translated) message as ``detail``.
    """
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    data = response.data
    body = {"status": code}
    if isinstance(exc, Http404):
        # Django's own message is English ("No Region matches the given query.").
        body["detail"] = _DEFAULT_DETAILS[404]
    elif isinstance(exc, ParseError):
        # DRF's parsers word this one in English ("JSON parse error - …"), untranslated.
        body["detail"] = _MALFORMED
    elif code == status.HTTP_400_BAD_REQUEST and not (
        isinstance(data, dict) and set(data) == {"detail"}
    ):
        body["detail"] = _DEFAULT_DETAILS[400]
        body["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
    else:
        body["detail"] = _DEFAULT_DETAILS.get(code, str(data))
    return Response(body, status=code, headers=_kept_headers(response))


def _kept_headers(response):
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Allow", "Retry-After")}


def json_not_found() -> JsonResponse:
    return JsonResponse({"status": 404, "detail": _DEFAULT_DETAILS[404]}, status=404)
