"""Composition of a committee in the API: ``/api/v1/committees/<id>/members/…`` and
``/api/v1/committees/<id>/copresidents/…`` (DEC-CATEGORIES, DEC-VOTERS, DEC-VOTES,
DEC-MANDATE, DEC-MAX, DEC-COPRESIDENCY)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from committees.api.base import (
    COMMITTEE_ID,
    ERRORS,
    CommitteeChildViewSet,
    CommitteeScopedField,
    nested_schema,
)
from committees.api.people import PersonInputSerializer, PersonSerializer, person_from_input
from committees.models import Category, CoPresidency, Membership
from committees.services import composition as composition_services
from cte_portal.core.api import rule_errors

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
            "renews",
            "represented_region",
            "represented_departement",
            "represented_epci",
            "represented_ept",
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


# --- Write serializers --------------------------------------------------------------------------


class MembershipCreateSerializer(serializers.Serializer):
    person = PersonInputSerializer()
    organisation = serializers.CharField(max_length=255)
    category = serializers.ChoiceField(choices=Category.choices, help_text="Catégorie de membre")
    is_permanent = serializers.BooleanField(required=False, default=True)
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, required=False, default=Membership.Role.TITULAR
    )
    substitute_for = CommitteeScopedField(
        Membership, required=False, allow_null=True, default=None, help_text="id du titulaire"
    )
    votes = serializers.IntegerField(
        min_value=0,
        max_value=99,
        required=False,
        allow_null=True,
        default=None,
        help_text="Nombre de voix ; omis : une voix si la catégorie vote (article R. 5311-37 du code du travail), sinon aucune",
    )
    mandate_start = serializers.DateField()
    mandate_end = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="omis : trois ans (article R. 5311-36 du code du travail)",
    )
    appointment_arrete = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    replaces = CommitteeScopedField(
        Membership,
        required=False,
        allow_null=True,
        default=None,
        help_text="id du membre dont le siège est vacant : reste du mandat (article R. 5311-36 du code du travail)",
    )


class MembershipUpdateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=255, required=False)
    votes = serializers.IntegerField(min_value=0, max_value=99, required=False, allow_null=True)
    mandate_end = serializers.DateField(required=False, allow_null=True)
    appointment_arrete = serializers.CharField(max_length=255, required=False, allow_blank=True)


class EndMembershipSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=255)


class CoPresidencyCreateSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=CoPresidency.Side.choices,
        help_text="Côté de la co-présidence : État ou collectivités",
    )
    person = PersonInputSerializer()
    office = serializers.CharField(max_length=255)
    authority = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    delegate = PersonInputSerializer(required=False, allow_null=True, default=None)
    votes = serializers.IntegerField(min_value=0, max_value=99, required=False, default=1)
    started_on = serializers.DateField()


class CoPresidencyUpdateSerializer(serializers.Serializer):
    delegate = PersonInputSerializer(allow_null=True, help_text="null : plus de délégataire")


class EndCoPresidencySerializer(serializers.Serializer):
    ended_on = serializers.DateField()


# --- Views ---------------------------------------------------------------------------------------


@nested_schema(
    "Membres",
    MembershipSerializer,
    MembershipCreateSerializer,
    MembershipUpdateSerializer,
)
class MembershipViewSet(CommitteeChildViewSet):
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
            person = person_from_input(data.pop("person"))
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
        "(article R. 5311-36 du code du travail).",
        parameters=[COMMITTEE_ID],
        request=EndMembershipSerializer,
        responses={200: MembershipSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request, committee_pk=None, pk=None):
        self.check_manage()
        membership = self.get_object()
        data = self.write_input(EndMembershipSerializer)
        with rule_errors():
            membership = composition_services.end_membership(membership=membership, **data)
        return self.read(membership)


@nested_schema(
    "Co-présidents",
    CoPresidencySerializer,
    CoPresidencyCreateSerializer,
    CoPresidencyUpdateSerializer,
)
class CoPresidencyViewSet(CommitteeChildViewSet):
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
            person = person_from_input(data.pop("person"))
            delegate = person_from_input(data.pop("delegate"))
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
                copresidency=copresidency, delegate=person_from_input(data["delegate"])
            )
        return self.read(copresidency)

    @extend_schema(
        summary="Co-présidents (fin)",
        parameters=[COMMITTEE_ID],
        request=EndCoPresidencySerializer,
        responses={200: CoPresidencySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request, committee_pk=None, pk=None):
        self.check_manage()
        copresidency = self.get_object()
        data = self.write_input(EndCoPresidencySerializer)
        with rule_errors():
            copresidency = composition_services.end_copresidency(copresidency=copresidency, **data)
        return self.read(copresidency)
