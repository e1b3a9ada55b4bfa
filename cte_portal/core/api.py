"""Shared pieces of the REST API: pagination, query parameters and the JSON error format.

A ``RuleError`` raised by a service becomes a French 400 naming the field at fault: through
``rule_errors()`` around a write (which also makes it atomic), or through the exception handler
when it escapes a view.
"""

from contextlib import contextmanager

from django.db import transaction
from django.http import Http404, JsonResponse
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from cte_portal.core.errors import RuleError


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


def validation_error(error: RuleError) -> ValidationError:
    """The API's form of a refused rule: its messages under the field at fault."""
    return ValidationError({error.field or api_settings.NON_FIELD_ERRORS_KEY: error.messages})


@contextmanager
def rule_errors():
    """Run the writes of one request atomically; a broken rule is a 400 and nothing is saved."""
    try:
        with transaction.atomic():
            yield
    except RuleError as error:
        raise validation_error(error) from error


def int_query_param(request, name: str) -> int | None:
    """An optional numeric filter of the query string (``?committee=12``); a 400 otherwise."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise ValidationError({name: ["Un identifiant numérique est attendu."]})
    return int(raw)


def exception_handler(exc, context):
    """Answer every API error as ``{"status", "detail", "errors"?}`` with a French message.

    A validation error keeps its field errors under ``errors``; the others carry DRF's own
    (translated) message as ``detail``.
    """
    if isinstance(exc, RuleError):
        exc = validation_error(exc)
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
