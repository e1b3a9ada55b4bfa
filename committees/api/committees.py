"""Committees in the API: ``/api/v1/committees/`` and ``/api/v1/committees/<id>/`` — list,
detail, creation, update, installation, dissolution (issue 3, « Screens and API »); the rules of
procedure come from ``committees.api.rules``, the composition and commissions nested under a
committee from ``committees.api.composition`` and ``committees.api.commissions``.

Reads are scoped to the user and writes gated, as ``committees.api.base`` says; the personal
data shown follows ``committees.api.people``.
"""

import json

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from committees.api.base import COMMITTEE_NOT_FOUND, ERRORS, get_or_404
from committees.api.commissions import CommissionSerializer
from committees.api.composition import CoPresidencySerializer, MembershipSerializer
from committees.api.rules import RulesOfProcedureActions, RulesSummarySerializer
from committees.models import (
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    CrefopMode,
    FormerInstance,
    Level,
    Membership,
    SpecialAuthority,
)
from committees.permissions import can_copreside, can_create_committee, can_manage_committee
from committees.services import committees as committee_services
from committees.services import composition as composition_services
from cte_portal.core.api import rule_errors
from cte_portal.core.page_cache import cached_data
from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    EmploymentArea,
    Epci,
    Ept,
    MunicipalArrondissement,
    Region,
)

MAX_QUERY_LENGTH = 100
PERIMETER_FIELDS = (
    "arrondissements",
    "epcis",
    "epts",
    "communes",
    "employment_areas",
    "municipal_arrondissements",
)

# --- Read serializers ---------------------------------------------------------------------------


class FormerInstanceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = FormerInstance
        fields = ["id", "kind", "kind_label", "name", "outcome", "outcome_label"]
        read_only_fields = fields


class TerritoryRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PerimeterSerializer(serializers.Serializer):
    """INS-CLE-PERIMETER: what the préfet picked, and what it covers."""

    commune_count = serializers.IntegerField(read_only=True)
    population = serializers.IntegerField(read_only=True)
    departements = TerritoryRefSerializer(many=True, read_only=True)
    arrondissements = serializers.SerializerMethodField()
    epcis = serializers.SerializerMethodField()
    epts = serializers.SerializerMethodField()
    communes = serializers.SerializerMethodField(help_text="communes ajoutées une à une")
    employment_areas = serializers.SerializerMethodField(help_text="identifiants des bassins")
    municipal_arrondissements = serializers.SerializerMethodField(
        help_text="arrondissements municipaux retenus (Paris, Lyon, Marseille)"
    )
    review_due_on = serializers.DateField(
        source="perimeter_review_due_on", read_only=True, allow_null=True
    )
    review_is_due = serializers.SerializerMethodField()

    def _codes(self, committee, name) -> list[str]:
        return sorted(item.pk for item in getattr(committee, f"perimeter_{name}").all())

    def get_arrondissements(self, committee) -> list[str]:
        return self._codes(committee, "arrondissements")

    def get_epcis(self, committee) -> list[str]:
        return self._codes(committee, "epcis")

    def get_epts(self, committee) -> list[str]:
        return self._codes(committee, "epts")

    def get_communes(self, committee) -> list[str]:
        return self._codes(committee, "communes")

    def get_employment_areas(self, committee) -> list[int]:
        return self._codes(committee, "employment_areas")

    def get_municipal_arrondissements(self, committee) -> list[str]:
        return self._codes(committee, "municipal_arrondissements")

    def get_review_is_due(self, committee) -> bool:
        return committee.perimeter_review_is_due()


class CommitteeSerializer(serializers.ModelSerializer):
    """A committee in a list."""

    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True, help_text="code région")
    departements = serializers.SerializerMethodField(help_text="codes des départements")

    class Meta:
        model = Committee
        fields = [
            "id",
            "level",
            "level_label",
            "name",
            "status",
            "status_label",
            "installed_on",
            "dissolved_on",
            "arrete_reference",
            "region",
            "departements",
            "special_authority",
            "crefop_mode",
            "parent",
            "commune_count",
            "population",
        ]
        read_only_fields = fields

    def get_departements(self, committee) -> list[str]:
        return sorted(d.code for d in committee.departements.all())


class VoteBalanceSerializer(serializers.Serializer):
    """DEC-VOTES: votes per side, and whether State and local authorities are unbalanced."""

    state = serializers.IntegerField()
    local_authorities = serializers.IntegerField()
    social_partners = serializers.IntegerField()
    total = serializers.IntegerField()
    unbalanced = serializers.BooleanField()


class UserRightsSerializer(serializers.Serializer):
    manage = serializers.BooleanField(help_text="secrétariat : modifier, installer, composer")
    copreside = serializers.BooleanField(help_text="co-présidence (ou délégation)")


class CommitteeDetailSerializer(CommitteeSerializer):
    """A committee with its co-presidents, members in office, commissions and warnings."""

    copresidents = CoPresidencySerializer(source="active_copresidencies", many=True, read_only=True)
    members = MembershipSerializer(source="active_members", many=True, read_only=True)
    commissions = CommissionSerializer(many=True, read_only=True)
    former_instances = FormerInstanceSerializer(many=True, read_only=True)
    perimeter = PerimeterSerializer(source="*", read_only=True)
    max_members = serializers.SerializerMethodField(help_text="Nombre maximal de membres nommés")
    missing_categories = serializers.SerializerMethodField(
        help_text="Catégories de membres permanents encore à pourvoir"
    )
    installation_problems = serializers.SerializerMethodField(
        help_text="Ce qui empêche l'installation (comité en préparation seulement)."
    )
    vote_balance = serializers.SerializerMethodField()
    rules_of_procedure = serializers.SerializerMethodField(
        help_text="Dernière version adoptée ; null : règlement intérieur non adopté."
    )
    rights = serializers.SerializerMethodField()

    class Meta(CommitteeSerializer.Meta):
        fields = [
            *CommitteeSerializer.Meta.fields,
            "max_members_override",
            "max_members_basis",
            "max_members",
            "perimeter",
            "copresidents",
            "members",
            "commissions",
            "former_instances",
            "missing_categories",
            "installation_problems",
            "vote_balance",
            "rules_of_procedure",
            "rights",
        ]
        read_only_fields = fields

    def get_max_members(self, committee) -> int:
        return committee_services.max_members(committee)

    def get_missing_categories(self, committee) -> list[str]:
        return committee_services.missing_categories(committee)

    def get_installation_problems(self, committee) -> list[str]:
        if committee.status != Committee.Status.DRAFT:
            return []
        return committee_services.installation_problems(committee)

    @extend_schema_field(VoteBalanceSerializer)
    def get_vote_balance(self, committee):
        return composition_services.vote_balance(committee)

    @extend_schema_field(RulesSummarySerializer(allow_null=True))
    def get_rules_of_procedure(self, committee):
        rules = composition_services.adopted_rules(committee)
        return {"version": rules.version, "adopted_on": rules.adopted_on} if rules else None

    @extend_schema_field(UserRightsSerializer)
    def get_rights(self, committee):
        user = self.context["request"].user
        return {
            "manage": self.context.get("show_contacts", False),
            "copreside": can_copreside(user, committee),
        }


# --- Write serializers --------------------------------------------------------------------------


def _codes_field(model, *, help_text: str):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=model.objects.current(),
        many=True,
        required=False,
        help_text=help_text,
    )


class PerimeterInputMixin(serializers.Serializer):
    """INS-CLE-PERIMETER: a CLE's perimeter, by codes; the communes are derived from it."""

    arrondissements = _codes_field(Arrondissement, help_text="codes d'arrondissements")
    epcis = _codes_field(Epci, help_text="SIREN des EPCI à fiscalité propre")
    epts = _codes_field(Ept, help_text="codes des EPT du Grand Paris")
    communes = _codes_field(Commune, help_text="codes INSEE de communes ajoutées une à une")
    employment_areas = serializers.PrimaryKeyRelatedField(
        queryset=EmploymentArea.objects.all(),
        many=True,
        required=False,
        help_text="identifiants des bassins d'emploi",
    )
    municipal_arrondissements = _codes_field(
        MunicipalArrondissement,
        help_text="codes INSEE d'arrondissements municipaux (Paris, Lyon, Marseille)",
    )


class CommitteeCreateSerializer(PerimeterInputMixin):
    level = serializers.ChoiceField(choices=Level.choices)
    name = serializers.CharField(max_length=255)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.current(), help_text="code région"
    )
    departements = _codes_field(
        Departement,
        help_text="codes des départements (CDE ; CLE : déduits du périmètre s'ils sont omis)",
    )
    special_authority = serializers.ChoiceField(
        choices=SpecialAuthority.choices, required=False, default=""
    )
    crefop_mode = serializers.ChoiceField(
        choices=CrefopMode.choices, required=False, allow_blank=True, default=""
    )
    arrete_reference = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        level = attrs["level"]
        perimeter = [attrs.get(name) for name in PERIMETER_FIELDS]
        if level != Level.LOCAL and any(perimeter):
            raise ValidationError(
                {"communes": ["Seul un comité local a un périmètre de communes."]}
            )
        if level == Level.DEPARTMENTAL and not attrs.get("departements"):
            raise ValidationError({"departements": ["Indiquez le ou les départements du comité."]})
        if level == Level.LOCAL and not attrs.get("departements") and not any(perimeter):
            raise ValidationError(
                {"departements": ["Indiquez le département du comité local ou son périmètre."]}
            )
        return attrs


class CommitteeUpdateSerializer(PerimeterInputMixin):
    """PATCH: only the fields sent change; the perimeter parts not sent are kept."""

    name = serializers.CharField(max_length=255, required=False)
    arrete_reference = serializers.CharField(max_length=255, required=False, allow_blank=True)
    crefop_mode = serializers.ChoiceField(
        choices=CrefopMode.choices, required=False, allow_blank=True
    )
    special_authority = serializers.ChoiceField(choices=SpecialAuthority.choices, required=False)
    max_members_override = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Nombre maximal de membres fixé par arrêté",
    )
    max_members_basis = serializers.CharField(max_length=255, required=False, allow_blank=True)


class InstallSerializer(serializers.Serializer):
    installed_on = serializers.DateField()
    arrete_reference = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class DissolveSerializer(serializers.Serializer):
    dissolved_on = serializers.DateField()


# --- Querysets and filters ----------------------------------------------------------------------


def _detail_queryset(queryset):
    """Everything the detail shows, in a fixed number of queries whatever the sizes."""
    person_fields = ("person",)
    return queryset.select_related("region").prefetch_related(
        "departements",
        "perimeter_arrondissements",
        "perimeter_epcis",
        "perimeter_epts",
        "perimeter_communes",
        "perimeter_employment_areas",
        "perimeter_municipal_arrondissements",
        "former_instances",
        Prefetch(
            "copresidencies",
            queryset=CoPresidency.objects.active().select_related("person", "delegate"),
            to_attr="active_copresidencies",
        ),
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related(*person_fields),
            to_attr="active_members",
        ),
        Prefetch(
            "commissions",
            queryset=Commission.objects.prefetch_related(
                Prefetch("members", queryset=CommissionMember.objects.select_related("person"))
            ),
        ),
    )


def _choice_filter(params, name: str, choices, label: str) -> dict:
    value = params.get(name)
    if value is None:
        return {}
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationError({name: [f"{label} inconnu « {value} » : {allowed}."]})
    return {name: value}


def _code_filter(params, name: str, model, lookup: str, message: str) -> dict:
    code = params.get(name)
    if code is None:
        return {}
    code = code.strip()
    if not code or not model.objects.filter(code=code).exists():
        raise ValidationError({name: [message.format(code)]})
    return {lookup: code}


# --- Views ---------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Comités visibles",
        description="Les comités que vous pouvez voir (DOMAIN §4), paginés.",
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values, description="niveau"),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=Committee.Status.values, description="statut"
            ),
            OpenApiParameter("region", OpenApiTypes.STR, description="code région"),
            OpenApiParameter("departement", OpenApiTypes.STR, description="code département"),
            OpenApiParameter("q", OpenApiTypes.STR, description="partie du nom"),
        ],
        responses={200: CommitteeSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(
        summary="Comité",
        description="Co-présidents, membres en fonction, commissions, instances antérieures, "
        "périmètre, problèmes d'installation.",
        responses={200: CommitteeDetailSerializer, 404: ERRORS[404]},
    ),
)
class CommitteeViewSet(RulesOfProcedureActions, viewsets.GenericViewSet):
    """Committees: list, detail, create, update, install, dissolve, rules of procedure."""

    serializer_class = CommitteeSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return Committee.objects.visible_to(self.request.user)

    def get_committee(self) -> Committee:
        return get_or_404(self.get_queryset(), COMMITTEE_NOT_FOUND, pk=self.kwargs["pk"])

    def get_manageable_committee(self) -> Committee:
        """404 outside the user's scope, 403 when they may not manage it (DOMAIN §4)."""
        committee = self.get_committee()
        if not can_manage_committee(self.request.user, committee):
            raise PermissionDenied()
        return committee

    def detail_response(
        self, committee: Committee, status_code=status.HTTP_200_OK, *, reload: bool = True
    ):
        if reload:
            committee = _detail_queryset(Committee.objects.all()).get(pk=committee.pk)
        context = {
            **self.get_serializer_context(),
            "show_contacts": can_manage_committee(self.request.user, committee),
        }
        return Response(CommitteeDetailSerializer(committee, context=context).data, status_code)

    def list(self, request):
        def data() -> dict:
            params = request.query_params
            filters = {
                **_choice_filter(params, "level", Level, "Niveau"),
                **_choice_filter(params, "status", Committee.Status, "Statut"),
                **_code_filter(
                    params, "region", Region, "region", "Aucune région n'a le code « {} »."
                ),
            }
            queryset = self.get_queryset().filter(**filters)
            departement = _code_filter(
                params,
                "departement",
                Departement,
                "departements__code",
                "Aucun département n'a le code « {} ».",
            )
            if departement:
                queryset = queryset.filter(
                    pk__in=Committee.objects.filter(**departement).values("pk")
                )
            query = params.get("q", "").strip()
            if len(query) > MAX_QUERY_LENGTH:
                raise ValidationError(
                    {"q": [f"La recherche dépasse {MAX_QUERY_LENGTH} caractères."]}
                )
            if query:
                queryset = queryset.filter(name__icontains=query)
            queryset = queryset.prefetch_related("departements").order_by(
                "region_id", "level", "name", "pk"
            )
            page = self.paginate_queryset(queryset)
            response = self.get_paginated_response(CommitteeSerializer(page, many=True).data)
            return json.loads(JSONRenderer().render(response.data))  # plain data, for the cache

        return Response(cached_data(request, "api-committee-list", data))

    def retrieve(self, request, pk=None):
        committee = get_or_404(_detail_queryset(self.get_queryset()), COMMITTEE_NOT_FOUND, pk=pk)
        return self.detail_response(committee, reload=False)

    @extend_schema(
        summary="Créer un comité",
        description="En préparation ; réservé à qui peut le créer (admin, DREETS de la région "
        "pour le CRE, DDETS du département pour le CDE et les CLE). Un CLE peut recevoir "
        "son périmètre d'emblée.",
        request=CommitteeCreateSerializer,
        responses={201: CommitteeDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request):
        serializer = CommitteeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        perimeter = {name: data.pop(name, []) for name in PERIMETER_FIELDS}
        departements = data.pop("departements", [])
        if data["level"] == Level.LOCAL and not departements:
            whole = {k: v for k, v in perimeter.items() if k != "municipal_arrondissements"}
            codes = committee_services.resolve_perimeter(**whole) + [
                a.commune_id for a in perimeter.get("municipal_arrondissements", [])
            ]
            departements = list(Departement.objects.filter(communes__code__in=codes).distinct())
        if not can_create_committee(
            request.user, level=data["level"], region=data["region"], departements=departements
        ):
            raise PermissionDenied()
        with rule_errors():
            committee = committee_services.create_committee(departements=departements, **data)
            if any(perimeter.values()):
                committee_services.set_perimeter(committee=committee, **perimeter)
        return self.detail_response(committee, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier un comité",
        description="Nom, arrêté, articulation avec le CREFOP, maximum de membres, périmètre "
        "d'un CLE. Réservé au secrétariat.",
        request=CommitteeUpdateSerializer,
        responses={200: CommitteeDetailSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        committee = self.get_manageable_committee()
        serializer = CommitteeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        perimeter = {name: data.pop(name) for name in PERIMETER_FIELDS if name in data}
        with rule_errors():
            if data:
                committee_services.update_committee(committee=committee, **data)
            if perimeter:
                for name in PERIMETER_FIELDS:
                    perimeter.setdefault(name, list(getattr(committee, f"perimeter_{name}").all()))
                committee_services.set_perimeter(committee=committee, **perimeter)
        return self.detail_response(committee)

    @extend_schema(
        summary="Installer un comité",
        description="Refusé, avec la liste des problèmes, tant qu'une règle manque "
        "(co-présidence, catégories permanentes, périmètre, avis écrits…).",
        request=InstallSerializer,
        responses={200: CommitteeDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="install", url_name="install")
    def install(self, request, pk=None):
        committee = self.get_manageable_committee()
        serializer = InstallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            committee = committee_services.install_committee(
                committee=committee, **serializer.validated_data
            )
        return self.detail_response(committee)

    @extend_schema(
        summary="Dissoudre un comité",
        request=DissolveSerializer,
        responses={200: CommitteeDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="dissolve", url_name="dissolve")
    def dissolve(self, request, pk=None):
        committee = self.get_manageable_committee()
        serializer = DissolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            committee = committee_services.dissolve_committee(
                committee=committee, **serializer.validated_data
            )
        return self.detail_response(committee)
