"""REST API of funders' conferences, funding lines and conventions, under the same rules as
the screens: lists scoped to the user, 404 outside the scope, 403 for a forbidden action, the
services' refusals as 400 with their French messages."""

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from committees.models import Committee
from cte_portal.core.api import int_query_param, rule_errors
from funders import permissions as perms
from funders.api.serializers import (
    ConventionSerializer,
    FundersConferenceSerializer,
    FundingLineSerializer,
    FundingLineUpdateSerializer,
)
from funders.models import (
    CoFinancing,
    Convention,
    ConventionCommitment,
    ConventionParty,
    FundersConference,
    FundingLine,
)
from funders.services import offer as services
from funders.services.offer import LineValues
from territories.models import Commune, Epci


def _sum(field: str):
    """A per-conference sum as a subquery (no join multiplying the rows)."""
    return Subquery(
        FundingLine.objects.filter(conference=OuterRef("pk"))
        .values("conference")
        .annotate(total=Sum(field))
        .values("total")
    )


@extend_schema(
    parameters=[
        OpenApiParameter("committee", int, description="Comité"),
        OpenApiParameter("year", int, description="Année"),
    ]
)
class FundersConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Funders' conferences the user sees (INS-FUNDERS), with the totals of their offer."""

    serializer_class = FundersConferenceSerializer

    def get_queryset(self):
        queryset = (
            FundersConference.objects.visible_to(self.request.user)
            .select_related("committee", "meeting")
            .prefetch_related("funders")
            .annotate(
                line_count=Count("lines", distinct=True),
                amount_committed=_sum("amount_committed"),
                amount_available=_sum("amount_available"),
            )
            .order_by("-date", "-pk")
        )
        committee = int_query_param(self.request, "committee")
        if committee is not None:
            queryset = queryset.filter(committee_id=committee)
        year = int_query_param(self.request, "year")
        if year is not None:
            queryset = queryset.filter(year=year)
        return queryset


def _visible_lines(request):
    return FundingLine.objects.filter(
        conference__in=FundersConference.objects.visible_to(request.user).values("pk")
    )


@extend_schema(
    parameters=[
        OpenApiParameter("conference", int, description="Conférence"),
        OpenApiParameter("funder", int, description="Financeur"),
    ]
)
class FundingLineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Funding lines of the conferences the user sees; the secretariat adds, edits and
    removes them (the same rules as the screens)."""

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return FundingLineUpdateSerializer
        return FundingLineSerializer

    def get_queryset(self):
        queryset = (
            _visible_lines(self.request)
            .select_related("funder", "conference")
            .prefetch_related(
                Prefetch("cofinancings", queryset=CoFinancing.objects.order_by("-share")),
                "epcis",
                "communes",
            )
            .order_by("conference_id", "funder__name", "pk")
        )
        conference = int_query_param(self.request, "conference")
        if conference is not None:
            queryset = queryset.filter(conference_id=conference)
        funder = int_query_param(self.request, "funder")
        if funder is not None:
            queryset = queryset.filter(funder_id=funder)
        return queryset

    def _values(self, data: dict, current: LineValues | None = None) -> LineValues:
        def get(name, default=None):
            if name in data:
                return data[name]
            return getattr(current, name) if current is not None else default

        epcis = current.epcis if current else []
        communes = current.communes if current else []
        if "epci_codes" in data:
            found = Epci.objects.in_bulk(data["epci_codes"])
            missing = set(data["epci_codes"]) - set(found)
            if missing:
                raise ValidationError(
                    {"epci_codes": [f"EPCI inconnu : {', '.join(sorted(missing))}"]}
                )
            epcis = list(found.values())
        if "commune_codes" in data:
            found = Commune.objects.in_bulk(data["commune_codes"])
            missing = set(data["commune_codes"]) - set(found)
            if missing:
                raise ValidationError(
                    {"commune_codes": [f"Commune inconnue : {', '.join(sorted(missing))}"]}
                )
            communes = list(found.values())
        cofinancings = (
            [
                {"partner_name": c["partner_name"], "share": c["share"], "partner": None}
                for c in data["cofinancings"]
            ]
            if "cofinancings" in data
            else (current.cofinancings if current else [])
        )
        return LineValues(
            funder=get("funder"),
            scheme=get("scheme", ""),
            scheme_kind=get("scheme_kind", ""),
            public=get("public", ""),
            public_detail=get("public_detail", ""),
            covers_whole_perimeter=get("covers_whole_perimeter", True),
            epcis=epcis,
            communes=communes,
            starts_on=get("starts_on"),
            ends_on=get("ends_on"),
            amount_committed=get("amount_committed"),
            amount_available=get("amount_available"),
            places=get("places"),
            people=get("people"),
            is_cofinanced=get("is_cofinanced", False),
            own_share=get("own_share"),
            cofinancings=cofinancings,
            intervention_criteria=get("intervention_criteria", ""),
            allocation_doctrine=get("allocation_doctrine", ""),
            conditions_of_use=get("conditions_of_use", ""),
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conference = serializer.validated_data["conference"]
        if not FundersConference.objects.visible_to(request.user).filter(pk=conference.pk).exists():
            raise NotFound("Conférence introuvable.")
        if not perms.can_manage_conference(request.user, conference):
            raise PermissionDenied(
                "Seul le secrétariat du comité modifie l'offre de sa conférence."
            )
        with rule_errors():
            line = services.add_line(
                conference=conference, values=self._values(serializer.validated_data)
            )
        line = self.get_queryset().get(pk=line.pk)
        return Response(FundingLineSerializer(line).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        line = self.get_object()
        if not perms.can_manage_conference(request.user, line.conference):
            raise PermissionDenied(
                "Seul le secrétariat du comité modifie l'offre de sa conférence."
            )
        serializer = self.get_serializer(
            line, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with rule_errors():
            services.update_line(
                line=line,
                values=self._values(serializer.validated_data, services.values_from_line(line)),
            )
        return Response(FundingLineSerializer(self.get_queryset().get(pk=line.pk)).data)

    def destroy(self, request, *args, **kwargs):
        line = self.get_object()
        if not perms.can_manage_conference(request.user, line.conference):
            raise PermissionDenied(
                "Seul le secrétariat du comité modifie l'offre de sa conférence."
            )
        with rule_errors():
            services.delete_line(line=line)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[OpenApiParameter("committee", int, description="Comité")])
class ConventionViewSet(viewsets.ReadOnlyModelViewSet):
    """Conventions followed by the committees the user sees (INS-CDE-MISSIONS,
    INS-CRE-MISSIONS), with parties, amounts and commitments."""

    serializer_class = ConventionSerializer

    def get_queryset(self):
        queryset = (
            Convention.objects.filter(committee__in=Committee.objects.visible_to(self.request.user))
            .prefetch_related(
                Prefetch("parties", queryset=ConventionParty.objects.order_by("pk")),
                Prefetch(
                    "commitments",
                    queryset=ConventionCommitment.objects.select_related(
                        "result_indicator", "roadmap_indicator"
                    ),
                ),
            )
            .annotate(
                total_amount=Subquery(
                    ConventionParty.objects.filter(convention=OuterRef("pk"))
                    .values("convention")
                    .annotate(total=Sum("amount"))
                    .values("total")
                )
            )
            .order_by("ends_on", "pk")
        )
        committee = int_query_param(self.request, "committee")
        if committee is not None:
            queryset = queryset.filter(committee_id=committee)
        return queryset
