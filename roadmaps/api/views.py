"""REST API of roadmaps, action sheets and indicators, under the same rules as the screens:
lists scoped to the user, 404 outside the scope, 403 for a forbidden action, the services'
refusals as 400 with their French messages."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from committees.models import Committee
from cte_portal.core.api import int_query_param, rule_errors
from roadmaps import permissions as perms
from roadmaps.api.serializers import (
    ActionSheetSerializer,
    DecisionSerializer,
    IndicatorValueSerializer,
    ResultIndicatorSerializer,
    RoadmapDetailSerializer,
    RoadmapSerializer,
)
from roadmaps.models import (
    ActionSheet,
    ActorRole,
    Axis,
    IndicatorValue,
    ResultIndicator,
    Roadmap,
    RoadmapIndicator,
)
from roadmaps.services import indicators as indicator_services
from roadmaps.services import lifecycle


class RoadmapViewSet(viewsets.ReadOnlyModelViewSet):
    """Roadmaps of the committees the user sees; co-presidents approve or ask for changes."""

    def get_queryset(self):
        queryset = Roadmap.objects.visible_to(self.request.user).select_related("committee")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("axes", queryset=Axis.objects.prefetch_related("sheets"))
            )
        return queryset.order_by("pk")

    def get_serializer_class(self):
        return RoadmapDetailSerializer if self.action == "retrieve" else RoadmapSerializer

    def _decide(self, request, decide):
        roadmap = self.get_object()
        if not perms.can_approve_roadmap(request.user, roadmap):
            raise PermissionDenied(
                "Seuls les co-présidents du comité se prononcent sur sa feuille de route."
            )
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            roadmap = decide(roadmap, serializer.validated_data["comment"])
        return Response(RoadmapSerializer(roadmap).data)

    @extend_schema(request=DecisionSerializer, responses=RoadmapSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(
            request,
            lambda roadmap, comment: lifecycle.approve_roadmap(
                roadmap=roadmap, user=request.user, comment=comment
            ),
        )

    @extend_schema(request=DecisionSerializer, responses=RoadmapSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        return self._decide(
            request,
            lambda roadmap, comment: lifecycle.request_changes(
                roadmap=roadmap, user=request.user, comment=comment
            ),
        )


@extend_schema(parameters=[OpenApiParameter("roadmap", int, description="Feuille de route")])
class ActionSheetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionSheetSerializer

    def get_queryset(self):
        queryset = (
            ActionSheet.objects.filter(
                axis__roadmap__committee__in=Committee.objects.visible_to(self.request.user)
            )
            .select_related("axis", "axis__roadmap", "good_practice")
            .prefetch_related(
                Prefetch("actors", queryset=ActorRole.objects.order_by("position", "pk")),
                Prefetch("indicators", queryset=RoadmapIndicator.objects.order_by("pk")),
            )
            .order_by("pk")
        )
        roadmap = int_query_param(self.request, "roadmap")
        if roadmap is not None:
            queryset = queryset.filter(axis__roadmap_id=roadmap)
        return queryset


class ResultIndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The national list of common result indicators (configured by admins)."""

    serializer_class = ResultIndicatorSerializer
    queryset = (
        ResultIndicator.objects.filter(is_active=True)
        .prefetch_related("breakdowns")
        .order_by("position", "code")
    )

    @extend_schema(
        responses=IndicatorValueSerializer(many=True),
        parameters=[OpenApiParameter("committee", int, description="Comité")],
    )
    @action(detail=True, methods=["get"])
    def values(self, request, pk=None):
        indicator = self.get_object()
        queryset = _visible_values(request).filter(result_indicator=indicator)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(IndicatorValueSerializer(page, many=True).data)


def _visible_values(request):
    queryset = (
        IndicatorValue.objects.filter(committee__in=Committee.objects.visible_to(request.user))
        .select_related("category", "category__typology")
        .order_by("committee_id", "period", "pk")
    )
    committee = int_query_param(request, "committee")
    if committee is not None:
        queryset = queryset.filter(committee_id=committee)
    return queryset


@extend_schema(
    parameters=[
        OpenApiParameter("committee", int, description="Comité"),
        OpenApiParameter("roadmap_indicator", int, description="Indicateur spécifique"),
    ]
)
class IndicatorValueViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Values of indicators of the committees the user sees; the secretariat adds values."""

    serializer_class = IndicatorValueSerializer

    def get_queryset(self):
        queryset = _visible_values(self.request)
        specific = int_query_param(self.request, "roadmap_indicator")
        if specific is not None:
            queryset = queryset.filter(roadmap_indicator_id=specific)
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        committee = data["committee"]
        if not Committee.objects.visible_to(request.user).filter(pk=committee.pk).exists():
            raise NotFound("Comité introuvable.")
        if not perms.can_enter_indicator_values(request.user, committee):
            raise PermissionDenied("Seul le secrétariat du comité saisit ses valeurs.")
        with rule_errors():
            value = indicator_services.record_value(
                committee=committee,
                user=request.user,
                period=data["period"],
                value=data["value"],
                result_indicator=data.get("result_indicator"),
                roadmap_indicator=data.get("roadmap_indicator"),
                category=data.get("category"),
            )
        return Response(IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)
