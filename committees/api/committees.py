"""REST API of the committees: ``/api/v1/committees/…`` (issue 3, « Screens and API »).

Reads are scoped to the user: every lookup starts from ``Committee.objects.visible_to(user)``,
so a committee outside the user's scope is a 404 and they do not learn it exists. Writes are
gated by the predicates of ``committees.permissions`` — a forbidden action on a visible
committee is a 403, decided before the payload is even read — then call one service. A
``RuleError`` (a rule of the decree or the instruction) becomes a 400 whose
``errors`` name the field at fault, in French; every write runs in one transaction, so nothing
is saved when it fails.

Personal data (decision): members and co-presidents appear by name, organisation and role.
Their e-mail address is shown only to the committee's secretariat (``can_manage_committee``:
the DDETS / DREETS agents of its territory and admins), who appoint and convene them; for
everyone else ``email`` is ``null``. Phone numbers are never exposed by the API. An e-mail is
accepted on writes, to find the person's account or invite them (``invite_person``).
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from committees.models import (
    RULES_HEADINGS,
    Category,
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    CrefopMode,
    FormerInstance,
    Level,
    Membership,
    RulesOfProcedure,
    SpecialAuthority,
)
from committees.permissions import can_copreside, can_create_committee, can_manage_committee
from committees.services import committees as committee_services
from committees.services import composition as composition_services
from cte_portal.core.errors import RuleError
from territories.models import Arrondissement, Commune, Departement, Epci, Ept, Region

MAX_QUERY_LENGTH = 100
PERIMETER_FIELDS = ("arrondissements", "epcis", "epts", "communes")


@contextmanager
def rule_errors():
    """Run the writes of one request atomically; a broken rule is a 400 and nothing is saved."""
    try:
        with transaction.atomic():
            yield
    except RuleError as error:
        key = error.field or api_settings.NON_FIELD_ERRORS_KEY
        raise ValidationError({key: error.messages}) from error


# --- People -------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """A person as the API shows them: no phone; the e-mail only to the secretariat."""

    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    email = serializers.SerializerMethodField(
        help_text="Visible du seul secrétariat du comité (DDETS, DREETS, administrateurs) ; "
        "null pour les autres."
    )

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, person):
        return person.email if self.context.get("show_contacts") else None


class PersonInputSerializer(serializers.Serializer):
    """Who is appointed: their account is found by e-mail, or created and invited."""

    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    organisation = serializers.CharField(max_length=255, required=False, default="")
    job_title = serializers.CharField(max_length=255, required=False, default="")


def _get_or_404(queryset, message: str, **lookup):
    """Like ``get_object_or_404``, with a French message that never says whether the row
    exists outside the user's scope."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise NotFound(message)
    return obj


COMMITTEE_NOT_FOUND = "Comité introuvable."


def _person(data: dict | None):
    if data is None:
        return None
    return composition_services.invite_person(**data)


# --- Read serializers ---------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "organisation",
            "category",
            "category_label",
            "is_permanent",
            "role",
            "role_label",
            "substitute_for",
            "has_vote",
            "votes",
            "mandate_start",
            "mandate_end",
            "appointment_arrete",
            "replaces",
            "ended_on",
            "end_reason",
        ]
        read_only_fields = fields


class CoPresidencySerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    delegate = PersonSerializer(read_only=True, allow_null=True)
    side_label = serializers.CharField(source="get_side_display", read_only=True)

    class Meta:
        model = CoPresidency
        fields = [
            "id",
            "side",
            "side_label",
            "person",
            "office",
            "authority",
            "delegate",
            "votes",
            "started_on",
            "ended_on",
        ]
        read_only_fields = fields


class CommissionMemberSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)

    class Meta:
        model = CommissionMember
        fields = ["id", "person", "organisation", "is_chair"]
        read_only_fields = fields


class CommissionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    members = CommissionMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Commission
        fields = ["id", "kind", "kind_label", "name", "mission", "is_mandatory", "members"]
        read_only_fields = fields


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


class RulesSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    adopted_on = serializers.DateField(allow_null=True)


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
    max_members = serializers.SerializerMethodField(help_text="DEC-MAX")
    missing_categories = serializers.SerializerMethodField(help_text="INS-COMPOSITION")
    installation_problems = serializers.SerializerMethodField(
        help_text="Ce qui empêche l'installation (comité en préparation seulement)."
    )
    vote_balance = serializers.SerializerMethodField()
    rules_of_procedure = serializers.SerializerMethodField(
        help_text="Dernière version adoptée (INS-RULES) ; null : règlement intérieur non adopté."
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
        min_value=1, required=False, allow_null=True, help_text="DEC-MAX fixé par arrêté"
    )
    max_members_basis = serializers.CharField(max_length=255, required=False, allow_blank=True)


class InstallSerializer(serializers.Serializer):
    installed_on = serializers.DateField()
    arrete_reference = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class DissolveSerializer(serializers.Serializer):
    dissolved_on = serializers.DateField()


@extend_schema_field(OpenApiTypes.INT)
class _CommitteeScopedField(serializers.PrimaryKeyRelatedField):
    """An id among the rows of the committee in the URL (``context["committee"]``)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.filter(committee=self.context["committee"])


class MembershipCreateSerializer(serializers.Serializer):
    person = PersonInputSerializer()
    organisation = serializers.CharField(max_length=255)
    category = serializers.ChoiceField(choices=Category.choices, help_text="DEC-CATEGORIES")
    is_permanent = serializers.BooleanField(required=False, default=True)
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, required=False, default=Membership.Role.TITULAR
    )
    substitute_for = _CommitteeScopedField(
        Membership, required=False, allow_null=True, default=None, help_text="id du titulaire"
    )
    votes = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="DEC-VOTES ; omis : une voix si la catégorie vote (DEC-VOTERS), sinon aucune",
    )
    mandate_start = serializers.DateField()
    mandate_end = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="omis : trois ans (DEC-MANDATE)"
    )
    appointment_arrete = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    replaces = _CommitteeScopedField(
        Membership,
        required=False,
        allow_null=True,
        default=None,
        help_text="id du membre dont le siège est vacant : reste du mandat (DEC-MANDATE)",
    )


class MembershipUpdateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=255, required=False)
    votes = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    mandate_end = serializers.DateField(required=False, allow_null=True)
    appointment_arrete = serializers.CharField(max_length=255, required=False, allow_blank=True)


class EndMembershipSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=255)


class CoPresidencyCreateSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=CoPresidency.Side.choices, help_text="DEC-COPRESIDENCY")
    person = PersonInputSerializer()
    office = serializers.CharField(max_length=255)
    authority = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    delegate = PersonInputSerializer(required=False, allow_null=True, default=None)
    votes = serializers.IntegerField(min_value=0, required=False, default=1)
    started_on = serializers.DateField()


class CoPresidencyUpdateSerializer(serializers.Serializer):
    delegate = PersonInputSerializer(allow_null=True, help_text="null : plus de délégataire")


class EndCoPresidencySerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class CommissionCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(
        choices=Commission.Kind.choices, required=False, default=Commission.Kind.COMMISSION
    )
    mission = serializers.CharField(required=False, allow_blank=True, default="")


class CommissionMemberCreateSerializer(serializers.Serializer):
    person = PersonInputSerializer()
    organisation = serializers.CharField(max_length=255)
    is_chair = serializers.BooleanField(required=False, default=False)


class AdoptRulesSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()


# --- Querysets ----------------------------------------------------------------------------------


def _detail_queryset(queryset):
    """Everything the detail shows, in a fixed number of queries whatever the sizes."""
    person_fields = ("person",)
    return queryset.select_related("region").prefetch_related(
        "departements",
        "perimeter_arrondissements",
        "perimeter_epcis",
        "perimeter_epts",
        "perimeter_communes",
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


# --- Committees ---------------------------------------------------------------------------------

COMMITTEE_ID = OpenApiParameter(
    "committee_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="id du comité"
)
_ERRORS = {
    400: OpenApiResponse(description="Données invalides ou règle refusée (messages en français)."),
    403: OpenApiResponse(description="Action non permise sur ce comité."),
    404: OpenApiResponse(description="Comité introuvable ou hors de votre périmètre."),
}


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
        responses={200: CommitteeSerializer(many=True), 400: _ERRORS[400]},
    ),
    retrieve=extend_schema(
        summary="Comité",
        description="Co-présidents, membres en fonction, commissions, instances antérieures, "
        "périmètre, problèmes d'installation.",
        responses={200: CommitteeDetailSerializer, 404: _ERRORS[404]},
    ),
)
class CommitteeViewSet(viewsets.GenericViewSet):
    """Committees: list, detail, create, update, install, dissolve, rules of procedure."""

    serializer_class = CommitteeSerializer

    def get_queryset(self):
        return Committee.objects.visible_to(self.request.user)

    def get_committee(self) -> Committee:
        return _get_or_404(self.get_queryset(), COMMITTEE_NOT_FOUND, pk=self.kwargs["pk"])

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
        params = request.query_params
        filters = {
            **_choice_filter(params, "level", Level, "Niveau"),
            **_choice_filter(params, "status", Committee.Status, "Statut"),
            **_code_filter(params, "region", Region, "region", "Aucune région n'a le code « {} »."),
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
            queryset = queryset.filter(pk__in=Committee.objects.filter(**departement).values("pk"))
        query = params.get("q", "").strip()
        if len(query) > MAX_QUERY_LENGTH:
            raise ValidationError({"q": [f"La recherche dépasse {MAX_QUERY_LENGTH} caractères."]})
        if query:
            queryset = queryset.filter(name__icontains=query)
        queryset = queryset.prefetch_related("departements").order_by(
            "region_id", "level", "name", "pk"
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CommitteeSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        committee = _get_or_404(_detail_queryset(self.get_queryset()), COMMITTEE_NOT_FOUND, pk=pk)
        return self.detail_response(committee, reload=False)

    @extend_schema(
        summary="Créer un comité",
        description="En préparation ; réservé à qui peut le créer (admin, DREETS de la région "
        "pour le CRE, DDETS du département pour le CDE et les CLE). Un CLE peut recevoir "
        "son périmètre d'emblée.",
        request=CommitteeCreateSerializer,
        responses={201: CommitteeDetailSerializer, 400: _ERRORS[400], 403: _ERRORS[403]},
    )
    def create(self, request):
        serializer = CommitteeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        perimeter = {name: data.pop(name, []) for name in PERIMETER_FIELDS}
        departements = data.pop("departements", [])
        if data["level"] == Level.LOCAL and not departements:
            codes = committee_services.resolve_perimeter(**perimeter)
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
        responses={200: CommitteeDetailSerializer, **_ERRORS},
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
        responses={200: CommitteeDetailSerializer, **_ERRORS},
    )
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
        responses={200: CommitteeDetailSerializer, **_ERRORS},
    )
    def dissolve(self, request, pk=None):
        committee = self.get_manageable_committee()
        serializer = DissolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            committee = committee_services.dissolve_committee(
                committee=committee, **serializer.validated_data
            )
        return self.detail_response(committee)

    @extend_schema(
        summary="Règlement intérieur (version courante)",
        description="INS-RULES : la dernière version, adoptée ou en projet ; 404 s'il n'y en a "
        "aucune.",
        responses={200: RulesOfProcedureSerializer, 404: _ERRORS[404]},
    )
    def rules(self, request, pk=None):
        committee = self.get_committee()
        rules = composition_services.current_rules(committee)
        if rules is None:
            raise NotFound("Aucun règlement intérieur n'a encore été rédigé pour ce comité.")
        return Response(RulesOfProcedureSerializer(rules).data)

    @extend_schema(
        summary="Rédiger le règlement intérieur",
        description="Modifie le projet en cours, ou ouvre une nouvelle version si la dernière "
        "est adoptée. Refusé pour un CRE (règlement du CREFOP, INS-RULES).",
        request=RulesOfProcedureSerializer,
        responses={200: RulesOfProcedureSerializer, **_ERRORS},
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
        "rédigées (INS-RULES).",
        request=AdoptRulesSerializer,
        responses={200: RulesOfProcedureSerializer, **_ERRORS},
    )
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


# --- Nested: members, co-presidents, commissions ------------------------------------------------


class _CommitteeChildViewSet(viewsets.GenericViewSet):
    """Rows of the committee in the URL: readable by whoever sees it, written by its
    secretariat. The committee is resolved first (404), then the right (403), then the data."""

    lookup_value_regex = r"\d+"

    def get_committee(self) -> Committee:
        if not hasattr(self, "_committee"):
            self._committee = _get_or_404(
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
        return _get_or_404(self.get_queryset(), self.not_found, pk=self.kwargs["pk"])

    def read(self, instance, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(instance).data, status=status_code)

    def list(self, request, committee_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def write_input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _nested_schema(noun: str, read, create, update=None):
    views = {
        "list": extend_schema(
            summary=f"{noun} (liste)", parameters=[COMMITTEE_ID], responses={200: read(many=True)}
        ),
        "create": extend_schema(
            summary=f"{noun} (ajout)",
            parameters=[COMMITTEE_ID],
            request=create,
            responses={201: read, **_ERRORS},
        ),
    }
    if update is not None:
        views["partial_update"] = extend_schema(
            summary=f"{noun} (modification)",
            parameters=[COMMITTEE_ID],
            request=update,
            responses={200: read, **_ERRORS},
        )
    return extend_schema_view(**views)


@_nested_schema(
    "Membres",
    MembershipSerializer,
    MembershipCreateSerializer,
    MembershipUpdateSerializer,
)
class MembershipViewSet(_CommitteeChildViewSet):
    """Members in office (DEC-CATEGORIES, DEC-VOTERS, DEC-VOTES, DEC-MANDATE, DEC-MAX)."""

    serializer_class = MembershipSerializer
    not_found = "Membre introuvable dans ce comité."

    def get_queryset(self):
        return (
            Membership.objects.active()
            .filter(committee=self.get_committee())
            .select_related("person")
            .order_by("category", "organisation", "pk")
        )

    def create(self, request, committee_pk=None):
        committee = self.check_manage()
        data = self.write_input(MembershipCreateSerializer)
        with rule_errors():
            person = _person(data.pop("person"))
            membership = composition_services.add_member(committee=committee, person=person, **data)
        return self.read(membership, status.HTTP_201_CREATED)

    def partial_update(self, request, committee_pk=None, pk=None):
        self.check_manage()
        membership = self.get_object()
        data = self.write_input(MembershipUpdateSerializer)
        current = {
            "organisation": membership.organisation,
            "votes": membership.votes if membership.has_vote else None,
            "mandate_end": membership.mandate_end,
            "appointment_arrete": membership.appointment_arrete,
        }
        with rule_errors():
            membership = composition_services.update_member(
                membership=membership, **{**current, **data}
            )
        return self.read(membership)

    @extend_schema(
        summary="Membres (fin de mandat)",
        description="Le siège devient vacant ; il se pourvoit pour le reste du mandat "
        "(DEC-MANDATE).",
        parameters=[COMMITTEE_ID],
        request=EndMembershipSerializer,
        responses={200: MembershipSerializer, **_ERRORS},
    )
    def end(self, request, committee_pk=None, pk=None):
        self.check_manage()
        membership = self.get_object()
        data = self.write_input(EndMembershipSerializer)
        with rule_errors():
            membership = composition_services.end_membership(membership=membership, **data)
        return self.read(membership)


@_nested_schema(
    "Co-présidents",
    CoPresidencySerializer,
    CoPresidencyCreateSerializer,
    CoPresidencyUpdateSerializer,
)
class CoPresidencyViewSet(_CommitteeChildViewSet):
    """Co-presidents in office and their delegates (DEC-COPRESIDENCY)."""

    serializer_class = CoPresidencySerializer
    not_found = "Co-présidence introuvable dans ce comité."

    def get_queryset(self):
        return (
            CoPresidency.objects.active()
            .filter(committee=self.get_committee())
            .select_related("person", "delegate")
            .order_by("side", "started_on", "pk")
        )

    def create(self, request, committee_pk=None):
        committee = self.check_manage()
        data = self.write_input(CoPresidencyCreateSerializer)
        with rule_errors():
            person = _person(data.pop("person"))
            delegate = _person(data.pop("delegate"))
            copresidency = composition_services.add_copresident(
                committee=committee, person=person, delegate=delegate, **data
            )
        return self.read(copresidency, status.HTTP_201_CREATED)

    def partial_update(self, request, committee_pk=None, pk=None):
        self.check_manage()
        copresidency = self.get_object()
        data = self.write_input(CoPresidencyUpdateSerializer)
        with rule_errors():
            copresidency = composition_services.set_delegate(
                copresidency=copresidency, delegate=_person(data["delegate"])
            )
        return self.read(copresidency)

    @extend_schema(
        summary="Co-présidents (fin)",
        parameters=[COMMITTEE_ID],
        request=EndCoPresidencySerializer,
        responses={200: CoPresidencySerializer, **_ERRORS},
    )
    def end(self, request, committee_pk=None, pk=None):
        self.check_manage()
        copresidency = self.get_object()
        data = self.write_input(EndCoPresidencySerializer)
        with rule_errors():
            copresidency = composition_services.end_copresidency(copresidency=copresidency, **data)
        return self.read(copresidency)


@extend_schema_view(
    list=extend_schema(
        summary="Commissions (liste)",
        parameters=[COMMITTEE_ID],
        responses={200: CommissionSerializer(many=True)},
    ),
    create=extend_schema(
        summary="Commissions (ajout)",
        parameters=[COMMITTEE_ID],
        request=CommissionCreateSerializer,
        responses={201: CommissionSerializer, **_ERRORS},
    ),
    destroy=extend_schema(
        summary="Commissions (suppression)",
        description="La commission inclusion et IAE d'un CDE ne peut être supprimée "
        "(INS-CDE-COMMISSIONS, DEC-IAE).",
        parameters=[COMMITTEE_ID],
        responses={204: None, **_ERRORS},
    ),
)
class CommissionViewSet(_CommitteeChildViewSet):
    """Commissions and working groups (INS-CDE-COMMISSIONS, DEC-IAE)."""

    serializer_class = CommissionSerializer
    not_found = "Commission introuvable dans ce comité."

    def get_queryset(self):
        return (
            Commission.objects.filter(committee=self.get_committee())
            .prefetch_related(
                Prefetch("members", queryset=CommissionMember.objects.select_related("person"))
            )
            .order_by("-is_mandatory", "name", "pk")
        )

    def create(self, request, committee_pk=None):
        committee = self.check_manage()
        data = self.write_input(CommissionCreateSerializer)
        with rule_errors():
            commission = composition_services.add_commission(committee=committee, **data)
        return self.read(self.get_queryset().get(pk=commission.pk), status.HTTP_201_CREATED)

    def destroy(self, request, committee_pk=None, pk=None):
        self.check_manage()
        commission = self.get_object()
        with rule_errors():
            composition_services.delete_commission(commission=commission)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Commissions (ajout d'un membre)",
        parameters=[COMMITTEE_ID],
        request=CommissionMemberCreateSerializer,
        responses={201: CommissionMemberSerializer, **_ERRORS},
    )
    def add_member(self, request, committee_pk=None, pk=None):
        self.check_manage()
        commission = self.get_object()
        data = self.write_input(CommissionMemberCreateSerializer)
        with rule_errors():
            person = _person(data.pop("person"))
            member = composition_services.add_commission_member(
                commission=commission, person=person, **data
            )
        context = self.get_serializer_context()
        return Response(
            CommissionMemberSerializer(member, context=context).data,
            status=status.HTTP_201_CREATED,
        )
