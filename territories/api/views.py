"""Read-only API of the territorial reference: regions → départements → communes.

Lists show the rows in force (``is_current``), filtered by parent code; a detail answers for
any code the portal has known, retired ones included, so that old references still resolve.
An unknown parent code in a filter is a 400 with a French message, not an empty page.
"""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from territories.models import Arrondissement, Commune, Departement, Epci, Ept, Region
from territories.selectors import search_communes

MAX_QUERY_LENGTH = 100


# --- Serializers: parents are given by code ---------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "zone", "is_current"]


class DepartementSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True, help_text="code région")

    class Meta:
        model = Departement
        fields = ["code", "name", "region", "zone", "is_current"]


class ArrondissementSerializer(serializers.ModelSerializer):
    departement = serializers.CharField(
        source="departement_id", read_only=True, help_text="code département"
    )

    class Meta:
        model = Arrondissement
        fields = ["code", "name", "departement", "is_current"]


class EpciSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Epci
        fields = ["code", "name", "kind", "kind_label", "is_current"]


class EptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ept
        fields = ["code", "name", "is_current"]


class CommuneSerializer(serializers.ModelSerializer):
    departement = serializers.CharField(source="departement_id", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    arrondissement = serializers.CharField(
        source="arrondissement_id", read_only=True, allow_null=True
    )
    epci = serializers.CharField(source="epci_id", read_only=True, allow_null=True)
    ept = serializers.CharField(source="ept_id", read_only=True, allow_null=True)

    class Meta:
        model = Commune
        fields = [
            "code",
            "name",
            "population",
            "departement",
            "region",
            "arrondissement",
            "epci",
            "ept",
            "is_current",
        ]


# --- Filters ------------------------------------------------------------------------------------

# query parameter → (parent model, lookup on the listed model, French "no such code" message)
_PARENTS = {
    "region": (Region, "region", "Aucune région n'a le code « {} »."),
    "departement": (Departement, "departement", "Aucun département n'a le code « {} »."),
    "arrondissement": (
        Arrondissement,
        "arrondissement",
        "Aucun arrondissement n'a le code « {} ».",
    ),
    "epci": (Epci, "epci", "Aucun EPCI n'a le code « {} »."),
    "ept": (Ept, "ept", "Aucun EPT n'a le code « {} »."),
}


def _parent_parameter(name: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        description=f"code {name} : seuls ses enfants en vigueur sont listés (400 si inconnu)",
    )


def filter_by_parents(queryset, params, names: list[str], lookups: dict[str, str] | None = None):
    """Apply ``?parent=code`` filters; unknown or empty codes are a 400 naming the parameter."""
    errors = {}
    for name in names:
        if name not in params:
            continue
        model, lookup, message = _PARENTS[name]
        code = params[name].strip()
        if not code:
            errors[name] = ["Ce paramètre ne peut pas être vide."]
        elif not model.objects.filter(code=code).exists():
            errors[name] = [message.format(code)]
        else:
            queryset = queryset.filter(**{(lookups or {}).get(name, lookup): code})
    if errors:
        raise ValidationError(errors)
    return queryset


class _TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    model: type[models.Model]
    parent_filters: list[str] = []
    parent_lookups: dict[str, str] = {}

    def get_queryset(self):
        queryset = self.model.objects.all()
        if self.action != "list":
            return queryset
        queryset = filter_by_parents(
            queryset.filter(is_current=True),
            self.request.query_params,
            self.parent_filters,
            self.parent_lookups,
        )
        return self.filter_list(queryset)

    def filter_list(self, queryset):
        return queryset


def _list_schema(*parameters: OpenApiParameter, description: str):
    return extend_schema_view(
        list=extend_schema(
            parameters=list(parameters), description=description, tags=["territoires"]
        ),
        retrieve=extend_schema(
            description="Détail par code (y compris un code retiré).", tags=["territoires"]
        ),
    )


@_list_schema(description="Régions en vigueur.")
class RegionViewSet(_TerritoryViewSet):
    model = Region
    serializer_class = RegionSerializer


@_list_schema(_parent_parameter("region"), description="Départements en vigueur.")
class DepartementViewSet(_TerritoryViewSet):
    model = Departement
    serializer_class = DepartementSerializer
    parent_filters = ["region"]


@_list_schema(_parent_parameter("departement"), description="Arrondissements en vigueur.")
class ArrondissementViewSet(_TerritoryViewSet):
    model = Arrondissement
    serializer_class = ArrondissementSerializer
    parent_filters = ["departement"]


@_list_schema(
    _parent_parameter("departement"),
    description="EPCI à fiscalité propre en vigueur ; `departement` garde ceux qui y ont une commune.",
)
class EpciViewSet(_TerritoryViewSet):
    model = Epci
    serializer_class = EpciSerializer
    parent_filters = ["departement"]
    # An EPCI has no département of its own: it is in those of its communes.
    parent_lookups = {"departement": "communes__departement"}

    def filter_list(self, queryset):
        if "departement" in self.request.query_params:
            queryset = queryset.filter(communes__is_current=True).distinct()
        return queryset


@_list_schema(description="Établissements publics territoriaux du Grand Paris en vigueur.")
class EptViewSet(_TerritoryViewSet):
    model = Ept
    serializer_class = EptSerializer


@_list_schema(
    *(
        _parent_parameter(name)
        for name in ("region", "departement", "arrondissement", "epci", "ept")
    ),
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="début du code INSEE (69123, 2A004…) ou partie du nom de la commune",
    ),
    description="Communes en vigueur, par ordre de code INSEE.",
)
class CommuneViewSet(_TerritoryViewSet):
    model = Commune
    serializer_class = CommuneSerializer
    parent_filters = ["region", "departement", "arrondissement", "epci", "ept"]

    def filter_list(self, queryset):
        query = self.request.query_params.get("q", "").strip()
        if len(query) > MAX_QUERY_LENGTH:
            raise ValidationError({"q": [f"La recherche dépasse {MAX_QUERY_LENGTH} caractères."]})
        return search_communes(queryset, query) if query else queryset
