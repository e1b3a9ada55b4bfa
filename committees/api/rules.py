"""Rules of procedure of a committee in the API: ``/api/v1/committees/<id>/rules/…``
(INS-RULES). The actions are mixed into ``committees.api.committees.CommitteeViewSet``, whose
``get_committee`` (404 outside the user's scope) and ``get_manageable_committee`` (403 unless
the secretariat) they use."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from committees.api.base import ERRORS
from committees.models import RULES_HEADINGS, RulesOfProcedure
from committees.services import composition as composition_services
from cte_portal.core.api import rule_errors

# --- Serializers --------------------------------------------------------------------------------


class RulesOfProcedureSerializer(serializers.ModelSerializer):
    """INS-RULES: one version of the rules of procedure, by heading."""

    class Meta:
        model = RulesOfProcedure
        fields = [
            "id",
            "version",
            *(field for field, _heading, _required in RULES_HEADINGS),
            "min_meetings_per_year",
            "adopted_on",
        ]
        read_only_fields = ["id", "version", "adopted_on"]
        extra_kwargs = {field: {"required": False} for field, _heading, _required in RULES_HEADINGS}


class RulesSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    adopted_on = serializers.DateField(allow_null=True)


class AdoptRulesSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()


# --- Views ---------------------------------------------------------------------------------------


class RulesOfProcedureActions:
    """The rules of procedure of the committee in the URL: read by whoever sees it, drafted
    and adopted by its secretariat."""

    @extend_schema(
        summary="Règlement intérieur (version courante)",
        description="La dernière version, adoptée ou en projet ; 404 s'il n'y en a aucune.",
        responses={200: RulesOfProcedureSerializer, 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], url_path="rules", url_name="rules")
    def rules(self, request, pk=None):
        committee = self.get_committee()
        rules = composition_services.current_rules(committee)
        if rules is None:
            raise NotFound("Aucun règlement intérieur n'a encore été rédigé pour ce comité.")
        return Response(RulesOfProcedureSerializer(rules).data)

    @rules.mapping.patch
    @extend_schema(
        summary="Rédiger le règlement intérieur",
        description="Modifie le projet en cours, ou ouvre une nouvelle version si la dernière "
        "est adoptée. Refusé pour un CRE (règlement du CREFOP).",
        request=RulesOfProcedureSerializer,
        responses={200: RulesOfProcedureSerializer, **ERRORS},
    )
    def edit_rules(self, request, pk=None):
        committee = self.get_manageable_committee()
        serializer = RulesOfProcedureSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            rules = composition_services.save_rules_draft(
                committee=committee, **serializer.validated_data
            )
        return Response(RulesOfProcedureSerializer(rules).data)

    @extend_schema(
        summary="Adopter le règlement intérieur",
        description="Adopte la version en projet si toutes les rubriques obligatoires sont "
        "rédigées.",
        request=AdoptRulesSerializer,
        responses={200: RulesOfProcedureSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="rules/adopt", url_name="rules-adopt")
    def adopt_rules(self, request, pk=None):
        committee = self.get_manageable_committee()
        serializer = AdoptRulesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rules = composition_services.current_rules(committee)
        if rules is None:
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Aucun règlement intérieur à adopter."]}
            )
        with rule_errors():
            rules = composition_services.adopt_rules(
                rules=rules, adopted_on=serializer.validated_data["adopted_on"]
            )
        return Response(RulesOfProcedureSerializer(rules).data)
