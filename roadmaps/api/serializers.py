from rest_framework import serializers

from roadmaps.models import (
    ActionSheet,
    ActorRole,
    Axis,
    IndicatorValue,
    ResultIndicator,
    Roadmap,
    RoadmapIndicator,
)


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActorRole
        fields = ["organisation", "commitment"]


class RoadmapIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoadmapIndicator
        fields = ["id", "name", "unit", "baseline", "target", "due_on", "direction"]


class ActionSheetSerializer(serializers.ModelSerializer):
    roadmap = serializers.IntegerField(source="axis.roadmap_id", read_only=True)
    committee = serializers.IntegerField(source="axis.roadmap.committee_id", read_only=True)
    actors = ActorSerializer(many=True, read_only=True)
    indicators = RoadmapIndicatorSerializer(many=True, read_only=True)
    is_good_practice = serializers.SerializerMethodField()

    class Meta:
        model = ActionSheet
        fields = [
            "id",
            "roadmap",
            "committee",
            "axis",
            "position",
            "title",
            "problem",
            "objective",
            "target_public",
            "target_territory",
            "sector",
            "expected_results",
            "users_participation",
            "starts_on",
            "ends_on",
            "status",
            "progress",
            "actors",
            "indicators",
            "is_good_practice",
        ]

    def get_is_good_practice(self, sheet) -> bool:
        return hasattr(sheet, "good_practice")


class AxisSerializer(serializers.ModelSerializer):
    sheets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Axis
        fields = ["id", "position", "title", "diagnostic", "stakes", "objectives", "sheets"]


class RoadmapSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    level = serializers.CharField(source="committee.level", read_only=True)

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "committee",
            "committee_name",
            "level",
            "title",
            "status",
            "approval_round",
            "submitted_at",
            "approved_at",
            "published_at",
            "published_version",
            "updated_at",
        ]


class RoadmapDetailSerializer(RoadmapSerializer):
    axes = AxisSerializer(many=True, read_only=True)

    class Meta(RoadmapSerializer.Meta):
        fields = [
            *RoadmapSerializer.Meta.fields,
            "summary",
            "orientations",
            "users_participation",
            "axes",
        ]


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ResultIndicatorSerializer(serializers.ModelSerializer):
    breakdowns = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = ResultIndicator
        fields = [
            "id",
            "code",
            "name",
            "definition",
            "unit",
            "direction",
            "aggregation",
            "breakdowns",
            "source",
            "is_illustrative",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer):
    typology = serializers.CharField(source="category.typology.code", read_only=True, default=None)
    category_code = serializers.CharField(source="category.code", read_only=True, default=None)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "committee",
            "result_indicator",
            "roadmap_indicator",
            "period",
            "value",
            "category",
            "typology",
            "category_code",
        ]
        read_only_fields = ["id"]
        # Entering a value for an existing date corrects it (the service upserts).
        validators: list = []
