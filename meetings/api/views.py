"""REST API of the meetings: ``/api/v1/meetings/…``.

Same rules as the screens: reads start from ``Meeting.objects.visible_to(user)`` (a meeting
outside the user's scope is a 404; drafts are seen by the secretariat and the co-presidents
only, DEC-JOINT); each action is gated by the predicate the screen uses (403), then calls one
service; a ``RuleError`` is a 400 naming the field at fault, in French, and nothing is
saved.

Nested in each meeting: the agenda items with their decisions (votes and follow-up actions),
the people convened with their answer and attendance, the live quorum (DEC-QUORUM) and the
minutes' state. Personal data: people appear by name, organisation and role; their e-mail only
to the committee's secretariat.
"""

from datetime import date

from django.db import transaction
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
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from committees.models import Commission, Committee, CoPresidency, Membership
from committees.permissions import can_manage_committee, committee_ids_with
from cte_portal.core.api import rule_errors
from meetings.models import (
    AgendaItem,
    Ballot,
    Decision,
    FollowUpAction,
    Invitation,
    Meeting,
    Minutes,
)
from meetings.permissions import (
    can_answer_convocation,
    can_approve_minutes,
    can_manage_meeting,
    can_validate_meeting,
)
from meetings.services import agenda as agenda_service
from meetings.services import answers as answer_service
from meetings.services import attendance as attendance_service
from meetings.services import convocation as convocation_service
from meetings.services import decisions as decision_service
from meetings.services import minutes as minutes_service
from meetings.services import past as past_service
from meetings.services import planning as planning_service
from meetings.services import review as review_service
from meetings.services.agenda import MAX_ITEM_MINUTES
from meetings.services.dates import meeting_date_warnings
from meetings.services.quorum import meeting_quorum

MEETING_NOT_FOUND = "Réunion introuvable."


# --- Read serializers ---------------------------------------------------------------------------


class MeetingPersonSerializer(serializers.Serializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    email = serializers.SerializerMethodField(
        help_text="Visible du seul secrétariat du comité ; null pour les autres."
    )

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, person):
        managed = self.context.get("managed_committees", set())
        meeting = self.context.get("meeting_committee_id")
        return person.email if meeting in managed else None


class InvitationSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    role = serializers.CharField(
        read_only=True, help_text=f"Une valeur parmi : {', '.join(Invitation.Role.values)}."
    )
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    answer_label = serializers.CharField(source="get_answer_display", read_only=True)
    attendance_label = serializers.CharField(source="get_attendance_display", read_only=True)
    substitute = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "person",
            "organisation",
            "role",
            "role_label",
            "votes",
            "is_state_copresident",
            "agenda_item",
            "answer",
            "answer_label",
            "answered_at",
            "proxy_to",
            "substitute",
            "attendance",
            "attendance_label",
            "delegate_name",
            "left_at",
            "convocation_sent_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MeetingPersonSerializer)
    def get_person(self, invitation):
        context = {**self.context, "meeting_committee_id": invitation.meeting.committee_id}
        return MeetingPersonSerializer(invitation.person, context=context).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_substitute(self, invitation):
        return invitation.substitute.person.get_full_name() if invitation.substitute else None


class BallotSerializer(serializers.ModelSerializer):
    choice_label = serializers.CharField(source="get_choice_display", read_only=True)

    class Meta:
        model = Ballot
        fields = ["invitation", "choice", "choice_label", "weight", "participation"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.get_full_name", read_only=True)

    class Meta:
        model = FollowUpAction
        fields = ["id", "description", "owner", "due_on", "done_on"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    ballots = BallotSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "method",
            "method_label",
            "text",
            "objections",
            "outcome",
            "outcome_label",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "casting_vote_used",
            "result_note",
            "quorum_counted",
            "quorum_total",
            "quorum_reached",
            "recorded_at",
            "ballots",
            "actions",
        ]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "title",
            "description",
            "presenter",
            "duration_minutes",
            "decision_expected",
            "decision_by_vote",
            "is_audit_request",
            "decisions",
        ]
        read_only_fields = ["id", "position", "decisions"]


class QuorumSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    counted = serializers.IntegerField()
    required = serializers.IntegerField()
    reached = serializers.BooleanField()
    text = serializers.CharField(source="describe")


class MinutesStateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    approved_at = serializers.DateTimeField(allow_null=True)
    pdf_status = serializers.CharField()
    pdf_ready = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_pdf_ready(self, minutes):
        return minutes.pdf_status == minutes.PdfStatus.READY


class MeetingSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    kind = serializers.CharField(
        read_only=True, help_text=f"Une valeur parmi : {', '.join(Meeting.Kind.values)}."
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(read_only=True)
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    invitations = InvitationSerializer(many=True, read_only=True)
    quorum = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="Avertissements sur la date (installation des comités à compter de juillet "
        "2024 en métropole, septembre 2024 en outre-mer) : ils ne bloquent rien."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "committee_name",
            "commission",
            "kind",
            "kind_label",
            "title",
            "date",
            "start_time",
            "end_time",
            "place",
            "visio_url",
            "with_local_copresidents",
            "status",
            "status_label",
            "entered_after_the_fact",
            "version",
            "convened_at",
            "cancelled_at",
            "cancellation_reason",
            "agenda_items",
            "invitations",
            "quorum",
            "minutes",
            "warnings",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, meeting):
        # INS-DATES: a warning, never a refusal.
        return meeting_date_warnings(meeting.committee, meeting.date)

    @extend_schema_field(QuorumSerializer)
    def get_quorum(self, meeting):
        return QuorumSerializer(meeting_quorum(meeting, list(meeting.invitations.all()))).data

    @extend_schema_field(MinutesStateSerializer(allow_null=True))
    def get_minutes(self, meeting):
        minutes = getattr(meeting, "prefetched_minutes", None)
        if minutes is None:
            return None
        if not minutes.is_approved and meeting.committee_id not in self.context.get(
            "preparing_committees", set()
        ):
            return None
        return MinutesStateSerializer(minutes).data


# --- Write serializers ----------------------------------------------------------------------------


class MeetingInputSerializer(serializers.Serializer):
    committee = serializers.IntegerField()
    commission = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, default=Meeting.Kind.PLENARY)
    title = serializers.CharField(max_length=255)
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    place = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    visio_url = serializers.URLField(required=False, default="", allow_blank=True)
    with_local_copresidents = serializers.BooleanField(required=False, default=False)
    entered_after_the_fact = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Réunion déjà tenue, saisie a posteriori : aucune convocation n'est envoyée.",
    )


class MinutesBodySerializer(serializers.Serializer):
    body = serializers.CharField(required=False, max_length=200_000, trim_whitespace=False)


class OutsideApprovalInputSerializer(serializers.Serializer):
    copresidency = serializers.IntegerField(help_text="id de la co-présidence qui a approuvé")
    approved_on = serializers.DateField()


class AgendaItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    presenter = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    duration_minutes = serializers.IntegerField(
        required=False, default=15, min_value=1, max_value=MAX_ITEM_MINUTES
    )
    decision_expected = serializers.BooleanField(required=False, default=False)
    decision_by_vote = serializers.BooleanField(required=False, default=False)
    is_audit_request = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[c for c in Invitation.Answer.choices if c[0]])
    proxy_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="id de l'invitation du membre qui reçoit le pouvoir",
    )
    substitute = serializers.IntegerField(
        required=False, allow_null=True, help_text="id du mandat du suppléant"
    )
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    delegate_name = serializers.CharField(
        max_length=255,
        required=False,
        default="",
        allow_blank=True,
        help_text="Réponse « delegate » (co-président) : nom et qualité du représentant.",
    )


class AttendanceEntrySerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    attendance = serializers.ChoiceField(choices=Invitation.Attendance.choices)
    substitute = serializers.IntegerField(required=False, allow_null=True)
    proxy_to = serializers.IntegerField(required=False, allow_null=True)
    left = serializers.BooleanField(required=False, default=False)
    delegate_name = serializers.CharField(
        max_length=255,
        required=False,
        default="",
        allow_blank=True,
        help_text="Pour un co-président remplacé par son représentant (présence « delegate ») : "
        "nom et qualité du représentant.",
    )


class AttendanceInputSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True)


class BallotInputSerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)


class DecisionInputSerializer(serializers.Serializer):
    agenda_item = serializers.IntegerField()
    method = serializers.ChoiceField(choices=Decision.Method.choices, required=False)
    text = serializers.CharField(max_length=5000)
    objections = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    ballots = BallotInputSerializer(many=True, required=False, default=list)
    # One decision per agenda item: true to replace the one recorded (confirmation).
    replace = serializers.BooleanField(required=False, default=False)


class ChangeRequestInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000)


# --- Views ----------------------------------------------------------------------------------------------


def _parse_date(params, name: str) -> date | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {name: [f"Date invalide : « {value} » (format AAAA-MM-JJ)."]}
        ) from None


@extend_schema_view(
    list=extend_schema(
        summary="Réunions visibles",
        parameters=[
            OpenApiParameter("committee", OpenApiTypes.INT, description="id du comité"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="à partir de cette date"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="jusqu'à cette date incluse"),
        ],
    ),
    retrieve=extend_schema(
        summary="Une réunion, avec son ordre du jour, les présences et les décisions"
    ),
    create=extend_schema(
        summary="Préparer une réunion (secrétariat)",
        request=MeetingInputSerializer,
        responses={201: MeetingSerializer},
    ),
)
class MeetingViewSet(viewsets.GenericViewSet):
    serializer_class = MeetingSerializer
    # ``/meetings/abc/``: a 404 from the router, not a ValueError in the lookup (a 500).
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("committee__region")
            .prefetch_related(
                Prefetch(
                    "agenda_items",
                    queryset=AgendaItem.objects.prefetch_related(
                        Prefetch(
                            "decisions",
                            queryset=Decision.objects.prefetch_related(
                                "ballots",
                                Prefetch(
                                    "actions",
                                    queryset=FollowUpAction.objects.select_related("owner"),
                                ),
                            ),
                        )
                    ),
                ),
                Prefetch(
                    "invitations",
                    queryset=Invitation.objects.select_related("person", "substitute__person"),
                ),
                Prefetch("minutes", queryset=Minutes.objects.all(), to_attr="prefetched_minutes"),
            )
            .order_by("-date", "-start_time", "pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        managed = committee_ids_with(user, "manage_committee")
        context["managed_committees"] = managed
        context["preparing_committees"] = managed | committee_ids_with(user, "copreside_committee")
        return context

    def _meeting(self, pk) -> Meeting:
        meeting = (
            Meeting.objects.visible_to(self.request.user)
            .select_related("committee")
            .filter(pk=pk)
            .first()
        )
        if meeting is None:
            raise NotFound(MEETING_NOT_FOUND)
        return meeting

    def _respond(self, meeting: Meeting, code=status.HTTP_200_OK) -> Response:
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(meeting).data, status=code)

    def list(self, request):
        queryset = self.get_queryset()
        params = request.query_params
        if "committee" in params:
            raw = params["committee"]
            visible = Committee.objects.visible_to(request.user)
            if not raw.isdigit() or not visible.filter(pk=int(raw)).exists():
                raise ValidationError(
                    {"committee": [f"Aucun comité accessible n'a l'identifiant « {raw} »."]}
                )
            queryset = queryset.filter(committee_id=int(raw))
        start, end = _parse_date(params, "from"), _parse_date(params, "to")
        if start and end and end < start:
            raise ValidationError({"to": ["La date de fin précède la date de début."]})
        if start:
            queryset = queryset.filter(date__gte=start)
        if end:
            queryset = queryset.filter(date__lte=end)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self._respond(self._meeting(pk))

    def create(self, request):
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        committee = (
            Committee.objects.visible_to(request.user).filter(pk=values.pop("committee")).first()
        )
        if committee is None:
            raise ValidationError({"committee": ["Comité introuvable."]})
        if not can_manage_committee(request.user, committee):
            raise PermissionDenied("Seul le secrétariat du comité prépare ses réunions.")
        commission_id = values.pop("commission", None)
        commission = None
        if commission_id:
            commission = Commission.objects.filter(pk=commission_id, committee=committee).first()
            if commission is None:
                raise ValidationError(
                    {"commission": ["Cette commission n'appartient pas à ce comité."]}
                )
        with rule_errors():
            meeting = planning_service.create_meeting(
                committee=committee, user=request.user, commission=commission, **values
            )
        return self._respond(meeting, status.HTTP_201_CREATED)

    def _managed(self, pk) -> Meeting:
        meeting = self._meeting(pk)
        if not can_manage_meeting(self.request.user, meeting):
            raise PermissionDenied("Action réservée au secrétariat du comité.")
        return meeting

    @extend_schema(
        summary="Ajouter un point à l'ordre du jour (secrétariat)",
        request=AgendaItemInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="agenda-items")
    def add_item(self, request, pk=None):
        meeting = self._managed(pk)
        data = AgendaItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with rule_errors():
            agenda_service.add_agenda_item(meeting=meeting, **data.validated_data)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enregistrer comme tenue une réunion saisie a posteriori (secrétariat)",
        request=None,
    )
    @action(detail=True, methods=["post"], url_path="record-held")
    def record_held(self, request, pk=None):
        meeting = self._managed(pk)
        with rule_errors():
            past_service.record_held_meeting(meeting=meeting, user=request.user)
        return self._respond(meeting)

    @extend_schema(
        summary="Rédiger le compte rendu à partir de la réunion, ou en donner le texte "
        "(secrétariat)",
        request=MinutesBodySerializer,
    )
    @action(detail=True, methods=["post"], url_path="minutes")
    def draft_minutes(self, request, pk=None):
        """Without ``body``: the draft built from the meeting (blanks to complete). With
        ``body``: the text of the minutes, drafted first if needed."""
        meeting = self._managed(pk)
        data = MinutesBodySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data.get("body")
        with rule_errors(), transaction.atomic():
            minutes = Minutes.objects.filter(meeting=meeting).first()
            if minutes is None or body is None:
                minutes = minutes_service.draft_minutes(meeting=meeting, user=request.user)
            if body is not None:
                minutes_service.update_minutes(minutes=minutes, user=request.user, body=body)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enregistrer l'approbation donnée à l'époque par un co-président "
        "(réunion saisie a posteriori, secrétariat)",
        request=OutsideApprovalInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="minutes/outside-approvals")
    def outside_approval(self, request, pk=None):
        meeting = self._managed(pk)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            raise NotFound("Le compte rendu n'est pas encore rédigé.")
        data = OutsideApprovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        copresidency = CoPresidency.objects.filter(
            pk=data.validated_data["copresidency"], committee=meeting.committee
        ).first()
        if copresidency is None:
            raise ValidationError(
                {"copresidency": ["Cette co-présidence n'est pas celle du comité."]}
            )
        with rule_errors():
            past_service.record_outside_approval(
                minutes=minutes,
                copresidency=copresidency,
                approved_on=data.validated_data["approved_on"],
                user=request.user,
            )
        return self._respond(meeting)

    @extend_schema(summary="Soumettre aux co-présidents (secrétariat)", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        meeting = self._managed(pk)
        with rule_errors():
            convocation_service.submit_for_validation(meeting=meeting, user=request.user)
        return self._respond(meeting)

    @extend_schema(summary="Valider l'ordre du jour et la convocation (co-président)", request=None)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        meeting = self._meeting(pk)
        if not can_validate_meeting(request.user, meeting):
            raise PermissionDenied("Seuls les co-présidents ou leurs délégataires valident.")
        with rule_errors():
            convocation_service.validate_meeting(meeting=meeting, user=request.user)
        return self._respond(meeting)

    @extend_schema(
        summary="Demander des modifications de l'ordre du jour (co-président)",
        request=ChangeRequestInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        meeting = self._meeting(pk)
        if not can_validate_meeting(request.user, meeting):
            raise PermissionDenied("Seuls les co-présidents ou leurs délégataires valident.")
        data = ChangeRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with rule_errors():
            review_service.request_agenda_changes(
                meeting=meeting, user=request.user, comment=data.validated_data["comment"]
            )
        return self._respond(meeting)

    @extend_schema(
        summary="Demander des modifications du compte rendu (co-président)",
        request=ChangeRequestInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="minutes/request-changes")
    def request_minutes_changes(self, request, pk=None):
        meeting = self._meeting(pk)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            raise NotFound("Le compte rendu n'est pas encore rédigé.")
        if not can_approve_minutes(request.user, minutes):
            raise PermissionDenied("Seuls les co-présidents ou leurs délégataires approuvent.")
        data = ChangeRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with rule_errors():
            review_service.request_minutes_changes(
                minutes=minutes, user=request.user, comment=data.validated_data["comment"]
            )
        return self._respond(meeting)

    @extend_schema(summary="Annuler la réunion", request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self._meeting(pk)
        if not (
            can_manage_meeting(request.user, meeting) or can_validate_meeting(request.user, meeting)
        ):
            raise PermissionDenied("Action réservée au secrétariat et aux co-présidents.")
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with rule_errors():
            planning_service.cancel_meeting(
                meeting=meeting, user=request.user, reason=data.validated_data["reason"]
            )
        return self._respond(meeting)

    @extend_schema(summary="Répondre à sa convocation", request=AnswerInputSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        meeting = self._meeting(pk)
        invitation = meeting.invitations.filter(person=request.user).first()
        if invitation is None or not can_answer_convocation(request.user, invitation):
            raise PermissionDenied("Seule la personne convoquée répond à sa convocation.")
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        proxy_to = substitute = None
        if values.get("proxy_to"):
            proxy_to = meeting.invitations.filter(pk=values["proxy_to"]).first()
            if proxy_to is None:
                raise ValidationError(
                    {"proxy_to": ["Ce membre n'est pas convoqué à cette réunion."]}
                )
        if values.get("substitute"):
            substitute = Membership.objects.filter(pk=values["substitute"]).first()
        with rule_errors():
            answer_service.answer_convocation(
                invitation=invitation,
                answer=values["answer"],
                proxy_to=proxy_to,
                substitute=substitute,
                comment=values["comment"],
                delegate_name=values["delegate_name"],
            )
        return self._respond(meeting)

    @extend_schema(
        summary="Enregistrer les présences (secrétariat) ; répond avec le quorum",
        request=AttendanceInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self._managed(pk)
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries = [
            attendance_service.AttendanceEntry(
                invitation_id=entry["invitation"],
                attendance=entry["attendance"],
                substitute_id=entry.get("substitute"),
                proxy_to_id=entry.get("proxy_to"),
                left=entry.get("left", False),
                delegate_name=entry.get("delegate_name", ""),
            )
            for entry in data.validated_data["entries"]
        ]
        with rule_errors():
            attendance_service.record_attendance(
                meeting=meeting, user=request.user, entries=entries
            )
        return self._respond(meeting)

    @extend_schema(
        summary="Enregistrer une décision : consensus ou vote pondéré (article R. 5311-41 du code du travail)",
        request=DecisionInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        meeting = self._managed(pk)
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = meeting.agenda_items.filter(pk=values["agenda_item"]).first()
        if item is None:
            raise ValidationError({"agenda_item": ["Ce point n'est pas à l'ordre du jour."]})
        with rule_errors():
            decision_service.record_decision(
                agenda_item=item,
                user=request.user,
                method=values.get("method"),
                text=values["text"],
                objections=values["objections"],
                ballots={b["invitation"]: b["choice"] for b in values["ballots"]},
                replace=values["replace"],
            )
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(summary="Approuver le compte rendu (co-président)", request=None)
    @action(detail=True, methods=["post"], url_path="minutes/approve")
    def approve_minutes(self, request, pk=None):
        meeting = self._meeting(pk)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            raise NotFound("Le compte rendu n'est pas encore rédigé.")
        if not can_approve_minutes(request.user, minutes):
            raise PermissionDenied("Seuls les co-présidents ou leurs délégataires approuvent.")
        with rule_errors():
            minutes_service.approve_minutes(minutes=minutes, user=request.user)
        return self._respond(meeting)
