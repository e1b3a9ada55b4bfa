"""Serializers of the audits API. They shape data; the rules live in the services."""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audits.models import (
    Audit,
    AuditEvent,
    AuthorityRefusal,
    NetworkBody,
    Recommendation,
    Report,
    ReportObligation,
)
from audits.selectors import summarize
from cte_portal.core.uploads import DOCUMENT_EXTENSIONS, UploadValidator


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = NetworkBody
        fields = ["id", "name", "kind", "departement", "delegating_authority"]


class AuditSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    requesting_committee_name = serializers.CharField(
        source="requesting_committee.name", read_only=True, default=None
    )
    audited_body = BodySerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "committee",
            "committee_name",
            "origin",
            "requesting_committee",
            "requesting_committee_name",
            "audited_body",
            "state",
            "state_label",
            "requires_agreement",
            "created_at",
            "report_delivered_on",
            "closed_on",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    responsible = serializers.CharField(source="responsible_label", read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "text",
            "responsible_body",
            "responsible",
            "due_on",
            "status",
            "evidence",
            "done_on",
        ]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["name", "label", "from_state", "to_state", "at", "note"]


class AuditDetailSerializer(AuditSerializer):
    vote = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    refusals = serializers.SerializerMethodField()
    recommendations = RecommendationSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(AuditSerializer.Meta):
        fields = [
            *AuditSerializer.Meta.fields,
            "scope_missions",
            "scope_quality",
            "facts",
            "vote",
            "agreement",
            "refusals",
            "auditor",
            "started_on",
            "planned_end_on",
            "report_summary",
            "closing_note",
            "recommendations",
            "events",
        ]

    def get_vote(self, audit) -> dict | None:
        """INS-CONSENSUS / DEC-MAJORITY: the meeting's decision that settled the request."""
        decision = audit.decision
        if decision is None:
            return None
        return {
            "meeting": decision.meeting_id,
            "meeting_title": decision.meeting.title,
            "meeting_date": decision.meeting.date,
            "decision": decision.pk,
            "method": decision.method,
            "outcome": decision.outcome,
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "votes_abstain": decision.votes_abstain,
            "quorum_counted": decision.quorum_counted,
            "quorum_total": decision.quorum_total,
            "result_note": decision.result_note,
        }

    def get_agreement(self, audit) -> dict | None:
        agreement = getattr(audit, "agreement", None) if audit.requires_agreement else None
        if agreement is None:
            return None
        return {
            "authority": agreement.authority,
            "principle_agreed": agreement.principle_agreed,
            "modalities_agreed": agreement.modalities_agreed,
            "modalities": agreement.modalities,
            "given_on": agreement.given_on,
        }

    def get_refusals(self, audit) -> list[dict]:
        """INS-AUDIT: the delegating authority's refusals, oldest first."""
        if not audit.requires_agreement:
            return []
        return [
            {
                "authority": refusal.authority,
                "scope": refusal.scope,
                "reason": refusal.reason,
                "refused_on": refusal.refused_on,
            }
            for refusal in audit.refusals.all()
        ]


class AuditRequestSerializer(serializers.Serializer):
    committee = serializers.IntegerField(
        help_text="Le CDE qui demande l'audit, ou le CLE qui saisit son CDE."
    )
    audited_body = serializers.IntegerField()
    scope_missions = serializers.CharField()
    scope_quality = serializers.CharField(required=False, allow_blank=True, default="")
    facts = serializers.CharField()


class VoteSerializer(serializers.Serializer):
    decision = serializers.IntegerField(help_text="La décision votée en réunion du CDE.")


class StartSerializer(serializers.Serializer):
    auditor = serializers.CharField()
    started_on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True, default=None)


class AgreementSerializer(serializers.Serializer):
    authority = serializers.CharField()
    principle_agreed = serializers.BooleanField()
    modalities_agreed = serializers.BooleanField()
    modalities = serializers.CharField(required=False, allow_blank=True, default="")
    given_on = serializers.DateField()
    document = serializers.FileField(validators=[UploadValidator(DOCUMENT_EXTENSIONS)])


class RefusalSerializer(serializers.Serializer):
    authority = serializers.CharField()
    scope = serializers.ChoiceField(choices=AuthorityRefusal.Scope.choices)
    reason = serializers.CharField()
    refused_on = serializers.DateField()
    document = serializers.FileField(
        validators=[UploadValidator(DOCUMENT_EXTENSIONS)], required=False, default=None
    )


class ReportDeliverySerializer(serializers.Serializer):
    document = serializers.FileField(validators=[UploadValidator(DOCUMENT_EXTENSIONS)])
    delivered_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Reports (INS-REPORTING) ----------------------------------------------------------------------


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "number"}, "example": {"controls": 120}}
)
class FiguresField(serializers.Field):
    """Key figures as an object ``{code: value}``, or as its JSON text (multipart)."""

    default_error_messages = {"invalid": "Un objet JSON {indicateur: valeur} est attendu."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):
                self.fail("invalid")
        if not isinstance(data, dict) or len(data) > 200:
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class ObligationSerializer(serializers.ModelSerializer):
    body = BodySerializer(read_only=True)
    recipient = serializers.CharField(source="recipient_label", read_only=True)
    figures = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = ReportObligation
        fields = [
            "id",
            "report_type",
            "body",
            "committee",
            "recipient",
            "frequency",
            "starts_on",
            "grace_days",
            "is_active",
            "figures",
            "status",
        ]

    def get_figures(self, obligation) -> list[dict]:
        return [{"code": f.code, "label": f.label} for f in obligation.figures]

    def get_status(self, obligation) -> dict:
        """INS-REPORTING: reports received, periods late, the next due date."""
        summary = summarize(obligation)
        return {
            "received": summary.received,
            "late": summary.late,
            "next_due_on": summary.next_due.due_on if summary.next_due else None,
        }


class ReportSerializer(serializers.ModelSerializer):
    figures = serializers.SerializerMethodField()
    report_type = serializers.CharField(source="obligation.report_type", read_only=True)
    body = serializers.IntegerField(source="obligation.body_id", read_only=True)
    committee = serializers.IntegerField(
        source="obligation.committee_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "obligation",
            "report_type",
            "body",
            "committee",
            "period_start",
            "period_end",
            "comment",
            "submitted_at",
            "figures",
        ]

    def get_figures(self, report) -> dict:
        return {f.code: str(f.value) for f in report.figures.all()}


class ReportSubmitSerializer(serializers.Serializer):
    obligation = serializers.IntegerField()
    period_start = serializers.DateField()
    document = serializers.FileField(validators=[UploadValidator(DOCUMENT_EXTENSIONS)])
    figures = FiguresField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
