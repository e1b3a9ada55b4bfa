"""REST API of audits and of the reports owed to the committees, under the same rules as the
screens: lists scoped to the user (an audit file the user may not see is a 404, INS-AUDIT),
403 for a forbidden action, the services' refusals as 400 with their French messages."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from audits import permissions as perms
from audits.api.serializers import (
    AgreementSerializer,
    AuditDetailSerializer,
    AuditRequestSerializer,
    AuditSerializer,
    CloseSerializer,
    ObligationSerializer,
    RefusalSerializer,
    ReportDeliverySerializer,
    ReportSerializer,
    ReportSubmitSerializer,
    StartSerializer,
    VoteSerializer,
)
from audits.models import Audit, AuditEvent, NetworkBody, Recommendation, Report, ReportObligation
from audits.services import audits as services
from audits.services import conduct
from audits.services import reporting as reporting_services
from audits.workflow import State
from committees.models import Committee, Level
from cte_portal.core.api import int_query_param, rule_errors
from cte_portal.core.parsers import JSONParser
from meetings.models import Decision

PARSERS = [JSONParser, MultiPartParser, FormParser]  # JSONParser: deep bodies → French 400


def _run(call):
    """Run one service call: atomically, a refused rule a French 400 (``rule_errors``)."""
    with rule_errors():
        return call()


@extend_schema(
    parameters=[
        OpenApiParameter("committee", int, description="Comité (CDE saisi ou CLE à l'origine)"),
        OpenApiParameter("state", str, description="État du dossier"),
    ]
)
class AuditViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Audit files the user may see (INS-AUDIT confidentiality); requests and referrals;
    the steps of the workflow, gated like the screens."""

    parser_classes = PARSERS

    def get_queryset(self):
        queryset = Audit.objects.visible_to(self.request.user).select_related(
            "committee", "requesting_committee", "audited_body"
        )
        if self.action == "retrieve":
            queryset = queryset.select_related("decision__meeting", "agreement").prefetch_related(
                Prefetch(
                    "recommendations",
                    queryset=Recommendation.objects.select_related("responsible_body"),
                ),
                Prefetch("events", queryset=AuditEvent.objects.order_by("at", "pk")),
            )
        committee = int_query_param(self.request, "committee")
        if committee is not None:
            queryset = queryset.filter(committee_id=committee) | queryset.filter(
                requesting_committee_id=committee
            )
        state = self.request.query_params.get("state")
        if state:
            if state not in State.values:
                raise ValidationError({"state": ["État inconnu."]})
            queryset = queryset.filter(state=state)
        return queryset.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return AuditRequestSerializer
        return AuditDetailSerializer if self.action == "retrieve" else AuditSerializer

    @extend_schema(request=AuditRequestSerializer, responses={201: AuditDetailSerializer})
    def create(self, request, *args, **kwargs):
        """INS-AUDIT: a CDE's request, or a CLE's referral to its CDE."""
        serializer = AuditRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        committee = (
            Committee.objects.visible_to(user)
            .filter(pk=data["committee"])
            .select_related("parent")
            .first()
        )
        if committee is None:
            raise ValidationError({"committee": ["Comité introuvable."]})
        if committee.level == Level.DEPARTMENTAL:
            allowed, service, cde = (
                perms.can_request_audit(user, committee),
                services.request_audit,
                committee,
            )
        elif committee.level == Level.LOCAL:
            allowed, service, cde = (
                perms.can_refer_audit(user, committee),
                services.refer_audit,
                committee.parent,
            )
        else:
            raise ValidationError({"committee": ["Seuls un CDE ou un CLE demandent un audit."]})
        if not allowed:
            raise PermissionDenied("Vous ne pouvez pas déposer de demande d'audit pour ce comité.")
        body = (
            NetworkBody.objects.for_committee(cde).filter(pk=data["audited_body"]).first()
            if cde
            else None
        )
        if body is None:
            raise ValidationError({"audited_body": ["Organisme introuvable sur ce territoire."]})
        audit = _run(
            lambda: service(
                committee=committee,
                user=user,
                audited_body=body,
                scope_missions=data["scope_missions"],
                scope_quality=data["scope_quality"],
                facts=data["facts"],
            )
        )
        return Response(
            AuditDetailSerializer(self.get_queryset().get(pk=audit.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _respond(self, audit):
        return Response(AuditDetailSerializer(self.get_queryset().get(pk=audit.pk)).data)

    def _gate(self, name: str | None = None) -> Audit:
        """The file (404 outside the user's scope), then the step's predicate (403); without
        a step, ``can_run_audit`` (the vote, the agreement)."""
        audit = self.get_object()
        user = self.request.user
        allowed = (
            perms.can_apply_transition(user, audit, name)
            if name
            else perms.can_run_audit(user, audit)
        )
        if not allowed:
            raise PermissionDenied("Seul le secrétariat du comité départemental conduit l'audit.")
        return audit

    @extend_schema(request=VoteSerializer, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """INS-CONSENSUS / DEC-MAJORITY: link the CDE's vote (a decision by vote)."""
        audit = self._gate()
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = (
            Decision.objects.filter(
                pk=serializer.validated_data["decision"], meeting__committee_id=audit.committee_id
            )
            .select_related("meeting", "agenda_item")
            .first()
        )
        if decision is None:
            raise ValidationError({"decision": ["Décision introuvable pour ce comité."]})
        return self._respond(
            _run(lambda: services.record_vote(audit=audit, decision=decision, user=request.user))
        )

    @extend_schema(request=AgreementSerializer, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        """INS-AUDIT: the delegating authority's agreement (multipart, with its document)."""
        audit = self._gate()
        serializer = AgreementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(
            lambda: services.record_agreement(
                audit=audit, user=request.user, **serializer.validated_data
            )
        )
        return self._respond(audit)

    @extend_schema(request=RefusalSerializer, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def refusal(self, request, pk=None):
        """INS-AUDIT: the delegating authority refuses its agreement (with its reason)."""
        audit = self._gate()
        serializer = RefusalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _run(
            lambda: services.record_refusal(
                audit=audit, user=request.user, **serializer.validated_data
            )
        )
        return self._respond(audit)

    @extend_schema(request=None, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """INS-AUDIT: after a refusal, new modalities go to the delegating authority."""
        audit = self._gate("resubmit_to_authority")
        return self._respond(
            _run(lambda: conduct.fire(audit=audit, name="resubmit_to_authority", user=request.user))
        )

    @extend_schema(request=StartSerializer, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        audit = self._gate("start")
        serializer = StartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(
            _run(
                lambda: conduct.start_audit(
                    audit=audit, user=request.user, **serializer.validated_data
                )
            )
        )

    @extend_schema(request=ReportDeliverySerializer, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        audit = self._gate("deliver_report")
        serializer = ReportDeliverySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(
            _run(
                lambda: conduct.deliver_report(
                    audit=audit, user=request.user, **serializer.validated_data
                )
            )
        )

    @extend_schema(request=None, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        audit = self._gate("follow_up")
        return self._respond(_run(lambda: conduct.begin_follow_up(audit=audit, user=request.user)))

    @extend_schema(request=CloseSerializer, responses=AuditDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        audit = self._gate("close")
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(
            _run(
                lambda: conduct.close_audit(
                    audit=audit, user=request.user, **serializer.validated_data
                )
            )
        )


@extend_schema(parameters=[OpenApiParameter("committee", int, description="Comité destinataire")])
class ReportObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """INS-REPORTING: what each committee is owed, with what was received and what is late."""

    serializer_class = ObligationSerializer

    def get_queryset(self):
        queryset = (
            ReportObligation.objects.visible_to(self.request.user)
            .select_related("body", "committee")
            .prefetch_related(Prefetch("reports", queryset=Report.objects.order_by("period_start")))
        )
        committee = int_query_param(self.request, "committee")
        if committee is not None:
            queryset = queryset.filter(committee_id=committee)
        return queryset.order_by("pk")


@extend_schema(
    parameters=[
        OpenApiParameter("obligation", int, description="Compte rendu dû"),
        OpenApiParameter("committee", int, description="Comité destinataire"),
    ]
)
class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """INS-REPORTING: the reports received (with their key figures); the body's users upload
    (multipart: ``document``, ``figures`` as JSON text)."""

    parser_classes = PARSERS

    def get_queryset(self):
        obligations = ReportObligation.objects.visible_to(self.request.user).values("pk")
        queryset = (
            Report.objects.filter(obligation__in=obligations)
            .select_related("obligation")
            .prefetch_related("figures")
        )
        obligation = int_query_param(self.request, "obligation")
        if obligation is not None:
            queryset = queryset.filter(obligation_id=obligation)
        committee = int_query_param(self.request, "committee")
        if committee is not None:
            queryset = queryset.filter(obligation__committee_id=committee)
        return queryset.order_by("-period_start", "pk")

    def get_serializer_class(self):
        return ReportSubmitSerializer if self.action == "create" else ReportSerializer

    @extend_schema(request=ReportSubmitSerializer, responses={201: ReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        obligation = (
            ReportObligation.objects.visible_to(request.user)
            .filter(pk=data["obligation"])
            .select_related("body")
            .first()
        )
        if obligation is None:
            raise ValidationError({"obligation": ["Compte rendu dû introuvable."]})
        if not perms.can_submit_report(request.user, obligation):
            raise PermissionDenied(
                "Seuls les utilisateurs de l'organisme déposent ses comptes rendus."
            )
        report = _run(
            lambda: reporting_services.submit_report(
                obligation=obligation,
                user=request.user,
                period_start=data["period_start"],
                document=data["document"],
                figures=data["figures"],
                comment=data["comment"],
            )
        )
        return Response(
            ReportSerializer(self.get_queryset().get(pk=report.pk)).data,
            status=status.HTTP_201_CREATED,
        )
