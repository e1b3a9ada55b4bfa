"""``GET /api/v1/regions/{code}/map/``: the regional map of committees as JSON (INS-REGIONAL-MAP).

The same computation as the page and the exports (``regional_map.selectors``). DREETS
agents and admins read a whole region; with ``?departement=69`` anyone allowed on that
département (its DDETS agents too) reads its part. A region or département outside the user's
scope is a 404; a DDETS agent asking for their whole region gets a 403.
"""

import json

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cte_portal.core.page_cache import cached_data
from regional_map.cache import cached_regional_map
from regional_map.permissions import can_export_departement, can_view_regional_map
from regional_map.selectors import has_part_in_region, perimeter_rows
from territories.cache import departements_by_code, regions_by_code


@extend_schema_serializer(component_name="RegionalMapCoverage")
class CoverageSerializer(serializers.Serializer):
    commune_count = serializers.IntegerField()
    population = serializers.IntegerField()
    covered_communes = serializers.IntegerField()
    covered_population = serializers.IntegerField()
    uncovered_communes = serializers.IntegerField()
    uncovered_population = serializers.IntegerField()
    population_share = serializers.FloatField(
        allow_null=True, help_text="part de la population couverte par un CLE installé (%)"
    )
    commune_share = serializers.FloatField(allow_null=True)
    cre_installed = serializers.IntegerField()
    cde_count = serializers.IntegerField()
    cle_installed = serializers.IntegerField()
    cle_draft = serializers.IntegerField()
    removed = serializers.IntegerField(help_text="instances antérieures supprimées")
    integrated = serializers.IntegerField(help_text="instances antérieures intégrées")


@extend_schema_serializer(component_name="RegionalMapCoPresident")
class CoPresidentSerializer(serializers.Serializer):
    side = serializers.CharField()
    side_label = serializers.CharField()
    name = serializers.CharField()
    office = serializers.CharField()
    authority = serializers.CharField()
    delegate = serializers.CharField()


@extend_schema_serializer(component_name="RegionalMapFormerInstance")
class FormerInstanceSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind_label")
    name = serializers.CharField()
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()


@extend_schema_serializer(component_name="RegionalMapOpinion")
class OpinionSerializer(serializers.Serializer):
    subject = serializers.CharField(source="subject_label")
    authority = serializers.CharField()
    given_on = serializers.DateField()
    departement = serializers.CharField()


@extend_schema_serializer(component_name="RegionalMapCommittee")
class CommitteeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    level = serializers.CharField()
    level_short = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    installed_on = serializers.DateField(allow_null=True)
    arrete_reference = serializers.CharField()
    departements = serializers.ListField(child=serializers.CharField(), source="departement_codes")
    authority = serializers.CharField(source="authority_label")
    crefop_mode = serializers.CharField(source="crefop_mode_label")
    copresidents = CoPresidentSerializer(many=True)
    arrondissements = serializers.ListField(child=serializers.CharField())
    epcis = serializers.ListField(child=serializers.CharField())
    epts = serializers.ListField(child=serializers.CharField())
    communes = serializers.ListField(
        child=serializers.CharField(), help_text="communes ajoutées une à une"
    )
    commune_count = serializers.IntegerField()
    population = serializers.IntegerField()
    perimeter_review_due_on = serializers.DateField(allow_null=True)
    perimeter_review_is_due = serializers.BooleanField()
    is_interdepartmental = serializers.BooleanField()
    written_opinions = OpinionSerializer(many=True)
    former_instances = FormerInstanceSerializer(many=True)
    commune_codes = serializers.SerializerMethodField(
        help_text="codes INSEE des communes du périmètre (CLE)"
    )

    def get_commune_codes(self, entry) -> list[str]:
        return self.context["perimeters"].get(entry.pk, [])


@extend_schema_serializer(component_name="RegionalMapUncoveredCommune")
class UncoveredCommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField()


@extend_schema_serializer(component_name="RegionalMapEpciGroup")
class EpciGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField()
    communes = UncoveredCommuneSerializer(many=True)


@extend_schema_serializer(component_name="RegionalMapDepartement")
class DepartementSerializer(CoverageSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    zone = serializers.CharField()
    cdes = serializers.SerializerMethodField()
    uncovered = EpciGroupSerializer(many=True, source="uncovered_groups")

    def get_cdes(self, entry) -> list[int]:
        return [c.pk for c in entry.cdes]


class RegionalMapSerializer(serializers.Serializer):
    region = serializers.SerializerMethodField()
    departement = serializers.SerializerMethodField()
    generated_at = serializers.DateTimeField()
    territorial_edition = serializers.CharField(source="edition")
    totals = CoverageSerializer()
    cre = CommitteeSerializer(allow_null=True)
    cdes = CommitteeSerializer(many=True)
    cles = CommitteeSerializer(many=True)
    departements = DepartementSerializer(many=True)

    def get_region(self, regional_map) -> dict:
        return {"code": regional_map.region.code, "name": regional_map.region.name}

    def get_departement(self, regional_map) -> str | None:
        return regional_map.departement.code if regional_map.departement else None


class RegionalMapView(APIView):
    @extend_schema(
        summary="Cartographie des comités d'une région",
        parameters=[
            OpenApiParameter(
                "departement",
                OpenApiTypes.STR,
                description="code d'un département de la région : sa partie seulement",
            )
        ],
        responses=RegionalMapSerializer,
        tags=["cartographie"],
    )
    def get(self, request, code: str):
        region = regions_by_code().get(code)
        if region is None:
            raise Http404
        departement = None
        departement_code = request.query_params.get("departement")
        if departement_code:
            departement = departements_by_code().get(departement_code)
            if departement is not None and departement.region_id != region.code:
                departement = None
            if departement is None or not can_export_departement(request.user, departement):
                raise Http404
        elif not can_view_regional_map(request.user, region):
            if has_part_in_region(request.user, region):
                raise PermissionDenied(
                    "Vous avez accès à la partie de votre département seulement "
                    "(paramètre « departement »)."
                )
            raise Http404

        def data() -> dict:
            regional_map = cached_regional_map(region=region, departement=departement)
            perimeters: dict[int, list[str]] = {}
            for row in perimeter_rows(regional_map):
                perimeters.setdefault(row.committee_id, []).append(row.code)
            # Plain dicts and lists: what the cache keeps.
            return json.loads(
                JSONRenderer().render(
                    RegionalMapSerializer(regional_map, context={"perimeters": perimeters}).data
                )
            )

        return Response(cached_data(request, "api-regional-map", data))
