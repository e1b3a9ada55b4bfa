"""``/api/v1/iae-requests/``: the IAE commission's files (DEC-IAE), under the same rules as the
screens: files scoped to their readers (404 outside), 403 for a write the user may not make,
the services' refusals as a French 400."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from committees.models import Committee
from cte_portal.core.api import int_query_param, rule_errors
from iae import permissions as perms
from iae import services
from iae.api.serializers import (
    IaeRequestInputSerializer,
    IaeRequestSerializer,
    NoticeInputSerializer,
    OpinionInputSerializer,
    WithdrawInputSerializer,
)
from iae.models import IaeRequest, RequestKind, RequestStatus
from meetings.models import Meeting


@extend_schema(
    parameters=[
        OpenApiParameter("committee", int, description="Comité départemental"),
        OpenApiParameter("status", str, description="Statut du dossier"),
        OpenApiParameter("kind", str, description="Nature : conventionnement ou FDI"),
    ]
)
class IaeRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Requests submitted to the IAE commission of the CDEs the user follows, with the
    commission's opinion and its notice to the préfet."""

    serializer_class = IaeRequestSerializer

    def get_queryset(self):
        queryset = IaeRequest.objects.visible_to(self.request.user).select_related(
            "opinion", "opinion__meeting"
        )
        committee = int_query_param(self.request, "committee")
        if committee is not None:
            queryset = queryset.filter(committee_id=committee)
        for param, values in (("status", RequestStatus.values), ("kind", RequestKind.values)):
            value = self.request.query_params.get(param)
            if value:
                if value not in values:
                    raise ValidationError({param: ["Valeur inconnue."]})
                queryset = queryset.filter(**{param: value})
        return queryset.order_by("-received_on", "-pk")

    def _respond(self, item, code=status.HTTP_200_OK):
        return Response(IaeRequestSerializer(self.get_queryset().get(pk=item.pk)).data, status=code)

    def _managed(self) -> IaeRequest:
        item = self.get_object()
        if not perms.can_edit_request(self.request.user, item):
            raise PermissionDenied(
                "Seul le secrétariat du comité départemental modifie ce dossier."
            )
        return item

    @extend_schema(request=IaeRequestInputSerializer, responses=IaeRequestSerializer)
    def create(self, request, *args, **kwargs):
        """DEC-IAE: record a request (conventionnement or FDI) of a CDE."""
        serializer = IaeRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        committee = (
            Committee.objects.visible_to(request.user).filter(pk=data.pop("committee")).first()
        )
        if committee is None:
            raise ValidationError({"committee": ["Comité introuvable."]})
        if not perms.can_manage_iae(request.user, committee):
            raise PermissionDenied(
                "Seul le secrétariat du comité départemental saisit les demandes."
            )
        with rule_errors():
            item = services.create_request(
                committee=committee, user=request.user, data=services.RequestData(**data)
            )
        return self._respond(item, status.HTTP_201_CREATED)

    @extend_schema(request=OpinionInputSerializer, responses=IaeRequestSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """DEC-IAE: the commission's opinion (vote or consensus, in one of its meetings)."""
        item = self._managed()
        serializer = OpinionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting_id = data.pop("meeting")
        meeting = None
        if meeting_id is not None:
            meeting = (
                Meeting.objects.filter(pk=meeting_id, committee_id=item.committee_id)
                .select_related("commission")
                .first()
            )
            if meeting is None:
                raise ValidationError({"meeting": ["Réunion introuvable pour ce comité."]})
        with rule_errors():
            services.record_opinion(
                iae_request=item,
                user=request.user,
                data=services.OpinionData(meeting=meeting, **data),
            )
        return self._respond(item)

    @extend_schema(request=NoticeInputSerializer, responses=IaeRequestSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        """DEC-IAE: the opinion sent to the préfet (or the DDETS)."""
        item = self._managed()
        serializer = NoticeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            services.record_notice(iae_request=item, user=request.user, **serializer.validated_data)
        return self._respond(item)

    @extend_schema(request=WithdrawInputSerializer, responses=IaeRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        item = self._managed()
        serializer = WithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            services.withdraw_request(
                iae_request=item, user=request.user, reason=serializer.validated_data["reason"]
            )
        return self._respond(item)
