"""Shared pieces of the REST API: pagination, query parameters and the JSON error format.

A ``RuleError`` raised by a service becomes a French 400 naming the field at fault: through
``rule_errors()`` around a write (which also makes it atomic), or through the exception handler
when it escapes a view.
"""

from contextlib import contextmanager

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import transaction
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from cte_portal.core.errors import RuleError
from cte_portal.core.parsers import MALFORMED as _MALFORMED
from cte_portal.core.parsers import TOO_BIG


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        # ``?page=-1``, ``?page=abc`` or ``?page=99999999999999999999``: a French 404 (DRF's
        # own message is English), never a 500.
        raw = request.query_params.get(self.page_query_param) or 1
        if raw in self.last_page_strings:
            return raw
        if not str(raw).isdigit() or len(str(raw)) > 9:
            raise NotFound("Page introuvable.")
        return raw


_DEFAULT_DETAILS = {
    400: "Les données envoyées sont invalides.",
    401: "Authentification requise : fournissez un jeton (« Authorization: Token … ») ou une session.",
    403: "Vous n'avez pas la permission d'effectuer cette action.",
    404: "Ressource introuvable.",
    405: "Méthode non autorisée.",
}

TOO_MANY_FIELDS = "Requête trop volumineuse : elle contient trop de champs ou de fichiers."


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
    # ASCII digits only ("²".isdigit() is true), and no more than a bigint holds.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ValidationError({name: ["Un identifiant numérique est attendu."]})
    return int(raw)


def exception_handler(exc, context):
    """Answer every API error as ``{"status", "detail", "errors"?}`` with a French message.

    A validation error keeps its field errors under ``errors``; the others carry DRF's own
    (translated) message as ``detail``.
    """
    if isinstance(exc, RuleError):
        exc = validation_error(exc)
    if isinstance(exc, SuspiciousOperation | MultiPartParserError):
        body = _suspicious_body(exc)
        return Response(body, status=body["status"])
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


def _suspicious_body(exc) -> dict:
    if isinstance(exc, RequestDataTooBig):
        return {"status": 413, "detail": TOO_BIG}
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return {"status": 413, "detail": TOO_MANY_FIELDS}
    return {"status": 400, "detail": _MALFORMED}


def suspicious_status(exc) -> int:
    """413 for a body Django refuses as too big (``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many
    fields or files), 400 for any other suspicious or unreadable request."""
    return _suspicious_body(exc)["status"]


def suspicious_response(exc) -> JsonResponse:
    """The API's JSON answer to a request Django refused before a view could read it."""
    body = _suspicious_body(exc)
    return JsonResponse(body, status=body["status"])


def json_not_found() -> JsonResponse:
    return JsonResponse({"status": 404, "detail": _DEFAULT_DETAILS[404]}, status=404)
