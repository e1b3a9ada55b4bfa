"""What every ``/api/v1/committees/…`` endpoint shares: the French 404,
the error responses of the schema, and the base of the collections nested
under a committee (members, co-presidents, commissions).

Reads are scoped to the user: every lookup starts from ``Committee.objects.visible_to(user)``,
so a committee outside the user's scope is a 404 and they do not learn it exists. Writes are
gated by the predicates of ``committees.permissions`` — a forbidden action on a visible
committee is a 403, decided before the payload is even read — then call one service. A
``RuleError`` (a rule of the decree or the instruction) becomes a 400 whose ``errors`` name the
field at fault, in French; every write runs in one transaction, so nothing is saved when it
fails.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from committees.models import Committee
from committees.permissions import can_manage_committee

COMMITTEE_NOT_FOUND = "Comité introuvable."

COMMITTEE_ID = OpenApiParameter(
    "committee_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="id du comité"
)
ERRORS = {
    400: OpenApiResponse(description="Données invalides ou règle refusée (messages en français)."),
    403: OpenApiResponse(description="Action non permise sur ce comité."),
    404: OpenApiResponse(description="Comité introuvable ou hors de votre périmètre."),
}


def get_or_404(queryset, message: str, **lookup):
    """Like ``get_object_or_404``, with a French message that never says whether the row
    exists outside the user's scope."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise NotFound(message)
    return obj


@extend_schema_field(OpenApiTypes.INT)
class CommitteeScopedField(serializers.PrimaryKeyRelatedField):
    """An id among the rows of the committee in the URL (``context["committee"]``)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.filter(committee=self.context["committee"])


class CommitteeChildViewSet(viewsets.GenericViewSet):
    """Rows of the committee in the URL: readable by whoever sees it, written by its
    secretariat. The committee is resolved first (404), then the right (403), then the data."""

    lookup_value_converter = "int"

    def get_committee(self) -> Committee:
        if not hasattr(self, "_committee"):
            self._committee = get_or_404(
                Committee.objects.visible_to(self.request.user),
                COMMITTEE_NOT_FOUND,
                pk=self.kwargs["committee_pk"],
            )
        return self._committee

    def check_manage(self) -> Committee:
        committee = self.get_committee()
        if not can_manage_committee(self.request.user, committee):
            raise PermissionDenied()
        return committee

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "committee_pk" in self.kwargs:
            committee = self.get_committee()
            context["committee"] = committee
            context["show_contacts"] = can_manage_committee(self.request.user, committee)
        return context

    not_found = "Ressource introuvable."

    def get_object(self):
        return get_or_404(self.get_queryset(), self.not_found, pk=self.kwargs["pk"])

    def read(self, instance, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(instance).data, status=status_code)

    def list(self, request, committee_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def write_input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def nested_schema(noun: str, read, create, update=None):
    """The schema of a collection nested under a committee: list, add and, if ``update`` is
    given, modify."""
    views = {
        "list": extend_schema(
            summary=f"{noun} (liste)", parameters=[COMMITTEE_ID], responses={200: read(many=True)}
        ),
        "create": extend_schema(
            summary=f"{noun} (ajout)",
            parameters=[COMMITTEE_ID],
            request=create,
            responses={201: read, **ERRORS},
        ),
    }
    if update is not None:
        views["partial_update"] = extend_schema(
            summary=f"{noun} (modification)",
            parameters=[COMMITTEE_ID],
            request=update,
            responses={200: read, **ERRORS},
        )
    return extend_schema_view(**views)
