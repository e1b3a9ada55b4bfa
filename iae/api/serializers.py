"""Serializers of the IAE commission's API (DEC-IAE). Inputs check the shape; the rules are
the services'."""

from rest_framework import serializers

from iae.models import IaeOpinion, IaeRequest, RequestKind, SiaeType


class OpinionSerializer(serializers.ModelSerializer):
    verdict_label = serializers.CharField(source="get_verdict_display", read_only=True)
    meeting_title = serializers.SerializerMethodField()

    class Meta:
        model = IaeOpinion
        fields = [
            "verdict",
            "verdict_label",
            "method",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "meeting",
            "meeting_title",
            "given_on",
            "reasons",
            "reservations",
            "fte_proposed",
            "amount_proposed",
            "notice_sent_on",
            "notice_recipient",
            "notice_recipient_label",
        ]
        read_only_fields = fields

    def get_meeting_title(self, opinion) -> str:
        return opinion.meeting.title if opinion.meeting_id else ""


class IaeRequestSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    opinion = serializers.SerializerMethodField()

    class Meta:
        model = IaeRequest
        fields = [
            "id",
            "committee",
            "kind",
            "kind_label",
            "structure_name",
            "siret",
            "siae_type",
            "subject",
            "fte_requested",
            "amount_requested",
            "period_start",
            "period_end",
            "received_on",
            "status",
            "status_label",
            "withdrawn_reason",
            "opinion",
        ]
        read_only_fields = fields

    def get_opinion(self, item) -> dict | None:
        opinion = item.current_opinion
        return OpinionSerializer(opinion).data if opinion is not None else None


class IaeRequestInputSerializer(serializers.Serializer):
    committee = serializers.IntegerField(help_text="Le comité départemental saisi.")
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    structure_name = serializers.CharField(max_length=255)
    siret = serializers.CharField(max_length=20)
    siae_type = serializers.ChoiceField(choices=SiaeType.choices)
    subject = serializers.CharField(required=False, allow_blank=True, default="")
    fte_requested = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True, default=None
    )
    amount_requested = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    received_on = serializers.DateField()


class OpinionInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=IaeOpinion.Verdict.choices)
    method = serializers.ChoiceField(choices=IaeOpinion.Method.choices)
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    votes_for = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    votes_against = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0
    )
    votes_abstain = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0
    )
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    reservations = serializers.CharField(required=False, allow_blank=True, default="")
    fte_proposed = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True, default=None
    )
    amount_proposed = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )


class NoticeInputSerializer(serializers.Serializer):
    sent_on = serializers.DateField()
    recipient = serializers.ChoiceField(choices=IaeOpinion.Recipient.choices)
    recipient_label = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
