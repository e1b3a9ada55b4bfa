"""INS-OPEN-DATA: the public API — read-only, without sign-in, rate-limited, and without
any personal data (committees, organisations and roles only)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from roadmaps.models import IndicatorValue, Roadmap, RoadmapVersion
from roadmaps.selectors import open_data
from roadmaps.services.versions import snapshot_progress
from roadmaps.throttling import OpenDataRateThrottle

SCOPE_PARAMETERS = [
    OpenApiParameter("region", str, description="Code INSEE de la région"),
    OpenApiParameter("departement", str, description="Code INSEE du département"),
    OpenApiParameter("comite", int, description="Identifiant du comité"),
]


class PublicRoadmapSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name")
    level = serializers.CharField(source="committee.level")
    region = serializers.CharField(source="committee.region_id")

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "committee",
            "committee_name",
            "level",
            "region",
            "title",
            "published_version",
            "published_at",
        ]


class PublicVersionSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = RoadmapVersion
        fields = ["number", "published_at", "snapshot", "progress"]

    def get_progress(self, version) -> int | None:
        return snapshot_progress(version.snapshot)["roadmap"]


class PublicValueSerializer(serializers.ModelSerializer):
    indicator_code = serializers.SerializerMethodField()
    typology = serializers.CharField(source="category.typology.code", default=None)
    category = serializers.CharField(source="category.code", default=None)

    class Meta:
        model = IndicatorValue
        fields = ["committee", "indicator_code", "period", "value", "typology", "category"]

    def get_indicator_code(self, value) -> str:
        if value.result_indicator_id:
            return value.result_indicator.code
        return f"spec-{value.roadmap_indicator_id}"


class _Public:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataRateThrottle]

    def scope(self) -> dict:
        params = self.request.query_params
        scope = {}
        for key, param in (
            ("region", "region"),
            ("departement", "departement"),
            ("committee", "comite"),
        ):
            value = params.get(param, "").strip()
            if value:
                scope[key] = value[:10]
        if "committee" in scope and not scope["committee"].isdigit():
            scope["committee"] = "0"
        return scope


@extend_schema(parameters=SCOPE_PARAMETERS)
class PublicRoadmapViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    """Published roadmaps; the detail gives the content of the last published version."""

    def get_queryset(self):
        return open_data.public_roadmaps(**self.scope()).select_related("committee").order_by("pk")

    def get_serializer_class(self):
        return PublicVersionSerializer if self.action == "retrieve" else PublicRoadmapSerializer

    def get_object(self):
        roadmap = super().get_object()
        return roadmap.versions.get(number=roadmap.published_version)


@extend_schema(parameters=SCOPE_PARAMETERS)
class PublicValueViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    """Values of the published indicators."""

    serializer_class = PublicValueSerializer

    def get_queryset(self):
        return (
            open_data.public_values(**self.scope())
            .select_related("result_indicator", "category", "category__typology")
            .order_by("committee_id", "period", "pk")
        )
