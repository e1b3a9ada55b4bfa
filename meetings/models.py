"""Meetings of a committee and everything they produce.

A meeting is prepared by the secretariat, validated by every co-president before anything goes
out (DEC-JOINT), convened with an iCalendar invitation, answered by the people invited
(DEC-PROXY), attended (DEC-QUORUM, DEC-REMOTE), decides by consensus or by a weighted vote
(INS-CONSENSUS, DEC-MAJORITY, DEC-VOTES), and ends in minutes approved by the co-presidents and
rendered as a PDF. Every e-mail goes through ``Notification``, the outbox that makes each
sending happen once.
"""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committees.models.committee import Committee
from committees.models.composition import Commission, CoPresidency, Membership
from committees.permissions import COPRESIDE, MANAGE, VIEW, committee_ids_with
from cte_portal.core.permissions import is_admin, is_signed_in

PARIS = ZoneInfo("Europe/Paris")


def _new_ics_uid() -> str:
    return f"reunion-{uuid.uuid4()}@cte-portal"


# A meeting members may see: convened (DEC-JOINT), or entered after the fact and recorded as
# held (it was convened outside the portal).
PUBLISHED = Q(convened_at__isnull=False) | Q(entered_after_the_fact=True, status="convened")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings ``user`` may see. The secretariat and the co-presidents see every meeting
        of their committees, drafts included; members and invited people see a meeting once it
        has been convened (DEC-JOINT: nothing goes out before every co-president validated)."""
        if is_admin(user):
            return self
        if not is_signed_in(user):
            return self.none()
        preparing = committee_ids_with(user, MANAGE) | committee_ids_with(user, COPRESIDE)
        viewing = committee_ids_with(user, VIEW)
        return self.filter(
            Q(committee_id__in=preparing)
            | (PUBLISHED & (Q(committee_id__in=viewing) | Q(invitations__person=user)))
        ).distinct()

    def not_cancelled(self):
        return self.exclude(status=Meeting.Status.CANCELLED)

    def convened(self):
        return self.filter(status=Meeting.Status.CONVENED)

    def in_year(self, year: int):
        return self.filter(date__year=year)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "Séance plénière"
        STRATEGIC = "strategic", "Instance stratégique"
        TECHNICAL = "technical", "Instance technique"
        COMMISSION = "commission", "Commission ou groupe de travail"
        FUNDERS = "funders_conference", "Conférence des financeurs"

    class Status(models.TextChoices):
        DRAFT = "draft", "En préparation"
        PENDING_VALIDATION = "pending_validation", "En attente de validation des co-présidents"
        CONVENED = "convened", "Convoquée"
        CANCELLED = "cancelled", "Annulée"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="commission ou groupe de travail",
    )
    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField("intitulé", max_length=255)
    date = models.DateField("date")
    start_time = models.TimeField("heure de début")
    end_time = models.TimeField("heure de fin")
    place = models.CharField("lieu", max_length=255, blank=True)
    visio_url = models.URLField("lien de visioconférence", blank=True)
    # INS-MEETINGS: the yearly plenary of a CRE or CDE with all the presidents of its CLEs.
    with_local_copresidents = models.BooleanField(
        "avec les co-présidents des comités locaux", default=False
    )
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.DRAFT)
    # A meeting already held (committees exist since July 2024, INS-DATES) entered afterwards:
    # nothing is sent for it, every other rule of the meeting applies.
    entered_after_the_fact = models.BooleanField(
        "saisie a posteriori",
        default=False,
        help_text=(
            "Pour une réunion déjà tenue : aucune convocation n'est envoyée ; l'ordre du jour, "
            "les présences, les décisions et le compte rendu se saisissent comme pour toute "
            "réunion."
        ),
    )
    # DEC-JOINT: each change to what the convocation says opens a new version, which every
    # co-president validates again.
    version = models.PositiveIntegerField("version de la convocation", default=1)
    # RFC 5545: the UID never changes; SEQUENCE grows with each update sent.
    ics_uid = models.CharField(max_length=120, unique=True, default=_new_ics_uid, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    submitted_at = models.DateTimeField("soumise aux co-présidents le", null=True, blank=True)
    convened_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancellation_reason = models.CharField("motif de l'annulation", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["committee", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_after_it_starts",
                condition=models.Q(end_time__gt=models.F("start_time")),
                violation_error_message="La réunion doit finir après son heure de début.",
            )
        ]

    def __str__(self):
        return f"{self.title} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=PARIS)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, tzinfo=PARIS)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_convened(self) -> bool:
        return self.status == self.Status.CONVENED

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def is_past(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def is_published(self) -> bool:
        """Members see it: convened, or entered after the fact and recorded as held."""
        return self.convened_at is not None or (self.entered_after_the_fact and self.is_convened)

    @property
    def status_label(self) -> str:
        if self.entered_after_the_fact:
            return "Tenue (saisie a posteriori)" if self.is_convened else "Saisie a posteriori"
        return self.get_status_display()

    @property
    def was_held(self) -> bool:
        """INS-MEETINGS counts a meeting that was convened and whose date has passed."""
        return self.is_convened and self.is_past


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField("ordre", default=1)
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("présentation", blank=True)
    presenter = models.CharField("présenté par", max_length=255, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=15)
    decision_expected = models.BooleanField("une décision est attendue", default=False)
    # INS-CONSENSUS: consensus is the default; an audit request is always voted.
    decision_by_vote = models.BooleanField("la décision est prise par un vote", default=False)
    is_audit_request = models.BooleanField("demande d'audit", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.title}"


class AgendaDocument(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("titre", max_length=255)
    file = models.FileField("fichier", upload_to="meetings/documents/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document de séance"
        verbose_name_plural = "documents de séance"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """A person convened to a meeting: their answer, then their attendance."""

    class Role(models.TextChoices):
        COPRESIDENT = "copresident", "Co-président"
        MEMBER = "member", "Membre"
        EXPERT = "expert", "Expert invité"
        LOCAL_COPRESIDENT = "local_copresident", "Co-président d'un comité local"

    class Answer(models.TextChoices):
        PENDING = "", "Pas encore de réponse"
        PRESENT = "present", "Présent"
        REMOTE = "remote", "Présent à distance"
        ABSENT = "absent", "Absent"
        SUBSTITUTE = "substitute", "Représenté par mon suppléant"
        PROXY = "proxy", "Pouvoir donné à un autre membre"
        # DEC-COPRESIDENCY: a co-president sends their representative.
        DELEGATE = "delegate", "Remplacé par mon représentant"

    class Attendance(models.TextChoices):
        UNKNOWN = "", "Non renseignée"
        PRESENT = "present", "Présent"
        REMOTE = "remote", "À distance"
        REPRESENTED = "represented", "Représenté"
        # DEC-COPRESIDENCY: « le préfet ou son représentant » — a co-president's delegate sits
        # and votes in their place.
        DELEGATE = "delegate", "Remplacé par son représentant"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excusé"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_invitations"
    )
    role = models.CharField("qualité", max_length=20, choices=Role.choices)
    organisation = models.CharField("organisme", max_length=255, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    copresidency = models.ForeignKey(
        CoPresidency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name="invité pour le point",
    )
    # DEC-VOTERS / DEC-VOTES, as they stood when the meeting was convened (0: no vote).
    votes = models.PositiveSmallIntegerField("nombre de voix", default=0)
    side = models.CharField("côté", max_length=20, blank=True)
    # DEC-MAJORITY: the State co-president's vote breaks a tie.
    is_state_copresident = models.BooleanField(default=False)
    answer = models.CharField(
        "réponse", max_length=12, choices=Answer.choices, default=Answer.PENDING, blank=True
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answer_comment = models.CharField("commentaire", max_length=500, blank=True)
    substitute = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="suppléant qui siège",
    )
    proxy_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name="pouvoir donné à",
    )
    attendance = models.CharField(
        "présence", max_length=12, choices=Attendance.choices, default="", blank=True
    )
    delegate_name = models.CharField(
        "représentant qui siège (nom et qualité)", max_length=255, blank=True
    )
    left_at = models.DateTimeField("a quitté la séance à", null=True, blank=True)
    convocation_sent_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    last_sent_sequence = models.IntegerField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["role", "organisation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_invitation_per_person")
        ]

    def __str__(self):
        return f"{self.person} — {self.meeting}"

    @property
    def has_vote(self) -> bool:
        return self.votes > 0


class Validation(models.Model):
    """DEC-JOINT: one co-presidency validated one version of the agenda and convocation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="validations")
    copresidency = models.ForeignKey(CoPresidency, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "validation de la convocation"
        verbose_name_plural = "validations de la convocation"
        ordering = ["validated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "copresidency", "version"], name="one_validation_per_version"
            )
        ]

    def __str__(self):
        return f"Validation v{self.version} — {self.meeting}"


class Decision(models.Model):
    class Method(models.TextChoices):
        CONSENSUS = "consensus", "Consensus"
        VOTE = "vote", "Vote"

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", "Adoptée"
        REJECTED = "rejected", "Non adoptée"
        # DEC-QUORUM: a consensus found without quorum is recorded, never as adopted.
        NO_QUORUM = "no_quorum", "Sans quorum"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    method = models.CharField("mode de décision", max_length=10, choices=Method.choices)
    text = models.TextField("texte de la décision")
    objections = models.TextField("objections ou réserves exprimées", blank=True)
    outcome = models.CharField("résultat", max_length=10, choices=Outcome.choices)
    # DEC-MAJORITY: weighted totals; abstentions are not votes cast.
    votes_for = models.PositiveIntegerField("voix pour", default=0)
    votes_against = models.PositiveIntegerField("voix contre", default=0)
    votes_abstain = models.PositiveIntegerField("abstentions", default=0)
    casting_vote_used = models.BooleanField("voix prépondérante de l'État", default=False)
    result_note = models.CharField("explication du résultat", max_length=255, blank=True)
    # DEC-QUORUM when the decision was taken.
    quorum_counted = models.PositiveSmallIntegerField(default=0)
    quorum_total = models.PositiveSmallIntegerField(default=0)
    quorum_reached = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The attendance changed after this vote was recorded: its ballots and quorum are to be
    # checked by the secretariat (shown on the meeting's page until they are).
    ballots_to_check_since = models.DateTimeField("votes à vérifier depuis", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["agenda_item__position", "recorded_at"]
        constraints = [
            # One decision per agenda item: the minutes cannot hold two that contradict.
            models.UniqueConstraint(fields=["agenda_item"], name="one_decision_per_agenda_item")
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against

    @property
    def quorum_required(self) -> int:
        """DEC-QUORUM: at least half of the members with a deliberative vote, at this vote."""
        return (self.quorum_total + 1) // 2


class ChangeRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class ChangeRequest(models.Model):
    """A co-president refuses the agenda and convocation, or the minutes, as submitted, and
    says what to change (DEC-JOINT: nothing goes out, nothing is approved, without each
    co-presidency). Open until the document changes or that co-presidency approves it."""

    class Subject(models.TextChoices):
        AGENDA = "agenda", "Ordre du jour et convocation"
        MINUTES = "minutes", "Compte rendu"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_requests")
    subject = models.CharField("objet", max_length=10, choices=Subject.choices)
    # The version of the agenda (``Meeting.version``) or of the minutes (``Minutes.version``).
    version = models.PositiveIntegerField("version")
    copresidency = models.ForeignKey(CoPresidency, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField("modifications demandées")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("demandées le", default=timezone.now)
    resolved_at = models.DateTimeField("traitées le", null=True, blank=True)

    objects = ChangeRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande de modifications"
        verbose_name_plural = "demandes de modifications"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["meeting", "subject", "resolved_at"])]

    def __str__(self):
        return f"{self.get_subject_display()} — {self.meeting}"


class Ballot(models.Model):
    """One voting member's choice, weighted by their votes (DEC-VOTES)."""

    class Choice(models.TextChoices):
        FOR = "for", "Pour"
        AGAINST = "against", "Contre"
        ABSTAIN = "abstain", "Abstention"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField("vote", max_length=8, choices=Choice.choices)
    weight = models.PositiveSmallIntegerField("voix")
    # How the member took part (DEC-PROXY, DEC-REMOTE), as it stood during the vote.
    participation = models.CharField("participation", max_length=160, blank=True)

    class Meta:
        verbose_name = "vote"
        verbose_name_plural = "votes"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "invitation"], name="one_ballot_per_member")
        ]

    def __str__(self):
        return f"{self.get_choice_display()} ({self.weight})"


class FollowUpAction(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField("action", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        verbose_name="responsable",
    )
    due_on = models.DateField("échéance")
    done_on = models.DateField("réalisée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "action de suivi"
        verbose_name_plural = "actions de suivi"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description


class Minutes(models.Model):
    """The minutes of a meeting: drafted, approved by every co-president, then a PDF."""

    class PdfStatus(models.TextChoices):
        NONE = "", "Pas encore demandé"
        PENDING = "pending", "En attente de génération"
        RENDERING = "rendering", "Génération en cours"
        READY = "ready", "Prêt"
        FAILED = "failed", "Échec de la génération"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField("compte rendu des échanges")
    # An edit after an approval opens a new version: approvals of older versions no longer count.
    version = models.PositiveIntegerField("version", default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField("approuvé le", null=True, blank=True)
    pdf = models.FileField("PDF", upload_to="meetings/minutes/%Y/", blank=True)
    pdf_status = models.CharField(
        max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True
    )
    pdf_version = models.PositiveIntegerField(null=True, blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    pdf_error = models.CharField(max_length=255, blank=True)
    pdf_claimed_at = models.DateTimeField(null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "pdf_status",
            "pdf_attempts",
            "pdf_error",
            "pdf_claimed_at",
            "pdf_rendered_at",
        ]
    )

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self):
        return f"Compte rendu — {self.meeting}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class MinutesApproval(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    copresidency = models.ForeignKey(CoPresidency, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)
    # A meeting entered after the fact: the approval given then, outside the portal, recorded
    # by the secretariat (``approved_by`` is the co-president who gave it).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "approbation du compte rendu"
        verbose_name_plural = "approbations du compte rendu"
        ordering = ["approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "copresidency", "version"], name="one_approval_per_version"
            )
        ]

    def __str__(self):
        return f"Approbation v{self.version} — {self.minutes}"


class Notification(models.Model):
    """The outbox: one row per e-mail that must go out once.

    The unique constraint makes a second attempt to *create* the same notification (a beat
    task delivered twice) a no-op; the conditional update on ``claimed_at`` makes a second
    attempt to *send* it (a send task delivered twice) a no-op; a claim that a dead worker
    never completed expires and is taken again by the sweeper.
    """

    class Kind(models.TextChoices):
        CONVOCATION = "convocation", "Convocation"
        UPDATE = "update", "Mise à jour de la convocation"
        CANCELLATION = "cancellation", "Annulation"
        VALIDATION_REQUEST = "validation_request", "Demande de validation"
        VALIDATION_REMINDER = "validation_reminder", "Relance de validation"
        ANSWER_REMINDER = "answer_reminder", "Relance de réponse"
        MINUTES_DRAFT_REMINDER = "minutes_draft_reminder", "Relance de rédaction du compte rendu"
        MINUTES_APPROVAL_REQUEST = "minutes_approval_request", "Demande d'approbation"
        MINUTES_APPROVAL_REMINDER = "minutes_approval_reminder", "Relance d'approbation"
        MINUTES = "minutes", "Envoi du compte rendu"
        PDF_FAILED = "pdf_failed", "Échec de la génération du PDF"
        CHANGES_REQUESTED = "changes_requested", "Demande de modifications"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What makes two notifications the same one: the sequence, the version, the reminder delay.
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "meeting", "recipient", "key"], name="notification_sent_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class CalendarFeed(models.Model):
    """A personal iCalendar feed behind a secret URL; only the key's SHA-256 is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "flux de calendrier"
        verbose_name_plural = "flux de calendrier"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Flux {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
