"""Commissions and working groups of a committee in the API:
``/api/v1/committees/<id>/commissions/…`` (INS-CDE-COMMISSIONS, DEC-IAE)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from committees.api.base import COMMITTEE_ID, ERRORS, CommitteeChildViewSet
from committees.api.people import PersonInputSerializer, PersonSerializer, person_from_input
from committees.models import Commission, CommissionMember
from committees.services import composition as composition_services
from cte_portal.core.api import rule_errors

# --- Serializers --------------------------------------------------------------------------------


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


# --- Views ---------------------------------------------------------------------------------------


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
        responses={201: CommissionSerializer, **ERRORS},
    ),
    destroy=extend_schema(
        summary="Commissions (suppression)",
        description="La commission inclusion et IAE d'un CDE ne peut être supprimée "
        "(article R. 5311-26 du code du travail).",
        parameters=[COMMITTEE_ID],
        responses={204: None, **ERRORS},
    ),
)
class CommissionViewSet(CommitteeChildViewSet):
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
        responses={201: CommissionMemberSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="members", url_name="member-list")
    def add_member(self, request, committee_pk=None, pk=None):
        self.check_manage()
        commission = self.get_object()
        data = self.write_input(CommissionMemberCreateSerializer)
        with rule_errors():
            person = person_from_input(data.pop("person"))
            member = composition_services.add_commission_member(
                commission=commission, person=person, **data
            )
        context = self.get_serializer_context()
        return Response(
            CommissionMemberSerializer(member, context=context).data,
            status=status.HTTP_201_CREATED,
        )
