from rest_framework import serializers

from committees.models import Level
from funders.models import (
    CoFinancing,
    Convention,
    ConventionCommitment,
    ConventionParty,
    Funder,
    FundersConference,
    FundingLine,
    Public,
    SchemeKind,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class FunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funder
        fields = ["id", "name", "kind"]


class FundersConferenceSerializer(serializers.ModelSerializer):
    # The committee's level (the same enum as the committees' API): departmental or local.
    level = serializers.ChoiceField(choices=Level.choices, read_only=True)
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    date = serializers.DateField(source="effective_date", read_only=True)
    funders = FunderSerializer(many=True, read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    amount_committed = serializers.DecimalField(read_only=True, **AMOUNT)
    amount_available = serializers.DecimalField(read_only=True, **AMOUNT)

    class Meta:
        model = FundersConference
        fields = [
            "id",
            "committee",
            "committee_name",
            "level",
            "title",
            "year",
            "date",
            "meeting",
            "funders",
            "line_count",
            "amount_committed",
            "amount_available",
        ]


class CoFinancingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoFinancing
        fields = ["partner_name", "share"]


class FundingLineSerializer(serializers.ModelSerializer):
    """A funding line. Amounts are exact decimal strings (« 12500.50 »)."""

    conference = serializers.PrimaryKeyRelatedField(queryset=FundersConference.objects.all())
    funder = serializers.PrimaryKeyRelatedField(queryset=Funder.objects.all())
    funder_name = serializers.CharField(source="funder.name", read_only=True)
    scheme_kind = serializers.ChoiceField(choices=SchemeKind.choices)
    public = serializers.ChoiceField(choices=Public.choices)
    epcis = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    communes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    epci_codes = serializers.ListField(
        child=serializers.CharField(max_length=10), write_only=True, required=False
    )
    commune_codes = serializers.ListField(
        child=serializers.CharField(max_length=10), write_only=True, required=False
    )
    cofinancings = CoFinancingSerializer(many=True, required=False)

    class Meta:
        model = FundingLine
        fields = [
            "id",
            "conference",
            "funder",
            "funder_name",
            "scheme",
            "scheme_kind",
            "public",
            "public_detail",
            "covers_whole_perimeter",
            "epcis",
            "communes",
            "epci_codes",
            "commune_codes",
            "starts_on",
            "ends_on",
            "amount_committed",
            "amount_available",
            "places",
            "people",
            "is_cofinanced",
            "own_share",
            "cofinancings",
            "intervention_criteria",
            "allocation_doctrine",
            "conditions_of_use",
        ]


class FundingLineUpdateSerializer(FundingLineSerializer):
    conference = serializers.PrimaryKeyRelatedField(read_only=True)


class ConventionPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = ConventionParty
        fields = ["name", "funder", "amount"]


class ConventionCommitmentSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator_name", read_only=True)

    class Meta:
        model = ConventionCommitment
        fields = ["text", "result_indicator", "roadmap_indicator", "indicator", "target"]


class ConventionSerializer(serializers.ModelSerializer):
    parties = ConventionPartySerializer(many=True, read_only=True)
    commitments = ConventionCommitmentSerializer(many=True, read_only=True)
    total_amount = serializers.DecimalField(read_only=True, allow_null=True, **AMOUNT)
    renewal_due = serializers.SerializerMethodField()

    class Meta:
        model = Convention
        fields = [
            "id",
            "committee",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "status",
            "signed_on",
            "total_amount",
            "renewal_due",
            "parties",
            "commitments",
        ]

    def get_renewal_due(self, convention) -> bool:
        return convention.renewal_due()
