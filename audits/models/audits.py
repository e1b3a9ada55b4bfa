"""Audit requests and audits (INS-AUDIT, INS-CONSENSUS, DEC-AUDIT).

One ``Audit`` is the whole file, from the request (by the CDE, or referred by a CLE) through
the CDE's vote, the delegating authority's agreement, the audit itself and its report, to the
follow-up of its recommendations. Its ``state`` moves only along ``audits.workflow``.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.models.bodies import NetworkBody, body_ids_of
from audits.workflow import BADGES, State
from committees.models import Committee
from committees.permissions import COPRESIDE, MANAGE, committee_ids_with
from cte_portal.core.permissions import is_admin, is_signed_in
from meetings.models import AgendaItem, Decision


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The audit files ``user`` may see (INS-AUDIT confidentiality, see
        ``audits.permissions``): the CDE's secretariat and co-presidents, the referring CLE's
        co-presidents for their referral, the audited body's users once the report is
        delivered; admins all."""
        if is_admin(user):
            return self
        if not is_signed_in(user):
            return self.none()
        copresided = committee_ids_with(user, COPRESIDE)
        cde_side = committee_ids_with(user, MANAGE) | copresided
        return self.filter(
            Q(committee_id__in=cde_side)
            | Q(origin=Audit.Origin.REFERRAL, requesting_committee_id__in=copresided)
            | Q(audited_body_id__in=body_ids_of(user), report_delivered_on__isnull=False)
        )

    def referrals_to(self, committee):
        """INS-AUDIT: the CDE's inbox — the requests its CLEs referred to it."""
        return self.filter(committee=committee, origin=Audit.Origin.REFERRAL)


class Audit(models.Model):
    class Origin(models.TextChoices):
        COMMITTEE = "committee", "Demande du comité départemental"
        REFERRAL = "referral", "Saisine par un comité local"

    State = State

    # The departmental committee that votes on the request and orders the audit.
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="audits", verbose_name="CDE"
    )
    origin = models.CharField("origine", max_length=10, choices=Origin.choices)
    # The CLE that referred the request (origin referral).
    requesting_committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_referrals",
        verbose_name="comité local à l'origine de la saisine",
    )
    audited_body = models.ForeignKey(
        NetworkBody, on_delete=models.PROTECT, related_name="audits", verbose_name="organisme"
    )
    scope_missions = models.TextField("missions examinées")
    scope_quality = models.TextField("qualité de service examinée", blank=True)
    facts = models.TextField("faits constatés")
    state = models.CharField(
        "état", max_length=20, choices=State.choices, default=State.REQUESTED, db_index=True
    )
    # INS-AUDIT: set at the request from the body's nature (delegated by a local authority).
    requires_agreement = models.BooleanField(
        "accord de la collectivité délégante requis", default=False
    )
    source_commitment = models.ForeignKey(
        "audits.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audits",
        verbose_name="manquement à l'origine de la demande",
    )
    # The vote (INS-CONSENSUS, DEC-MAJORITY): the agenda item where the request was put, and
    # the meeting's decision that settled it. Deleting that decision is refused
    # (``audits.signals``): the vote stays on the file.
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="point de l'ordre du jour",
    )
    decision = models.OneToOneField(
        Decision,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="audit",
        verbose_name="décision du comité",
    )
    voted_at = models.DateTimeField("vote enregistré le", null=True, blank=True)
    # The audit itself.
    auditor = models.CharField("auditeur", max_length=255, blank=True)
    started_on = models.DateField("début de l'audit", null=True, blank=True)
    planned_end_on = models.DateField("fin prévue", null=True, blank=True)
    # The report. Once it is delivered, the audited body's users see their audit.
    report_document = models.FileField(
        "rapport d'audit", upload_to="audits/reports/%Y/", blank=True
    )
    report_summary = models.TextField("synthèse du rapport", blank=True)
    report_delivered_on = models.DateField("rapport remis le", null=True, blank=True)
    closed_on = models.DateField("clôturé le", null=True, blank=True)
    closing_note = models.TextField("note de clôture", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "audit"
        verbose_name_plural = "audits"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["committee", "state"]),
            models.Index(fields=["requesting_committee", "origin"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="audit_referral_names_its_cle",
                condition=models.Q(origin="committee")
                | models.Q(origin="referral", requesting_committee__isnull=False),
            )
        ]

    def __str__(self):
        return f"Audit n° {self.pk} — {self.audited_body}"

    def get_absolute_url(self):
        return reverse("audits:detail", args=[self.pk])

    @property
    def is_referral(self) -> bool:
        return self.origin == self.Origin.REFERRAL

    @property
    def badge(self) -> str:
        return BADGES[self.state]

    @property
    def meeting(self):
        return self.decision.meeting if self.decision_id else None

    @property
    def report_delivered(self) -> bool:
        return self.report_delivered_on is not None


class AuditDocument(models.Model):
    """A document of the file: the facts observed, exchanges, working papers."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("titre", max_length=255)
    file = models.FileField("fichier", upload_to="audits/documents/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "document d'audit"
        verbose_name_plural = "documents d'audit"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class AuthorityAgreement(models.Model):
    """INS-AUDIT: the delegating local authority agrees on the principle and the modalities."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="agreement")
    authority = models.CharField("collectivité", max_length=255)
    principle_agreed = models.BooleanField("accord sur le principe", default=False)
    modalities_agreed = models.BooleanField("accord sur les modalités", default=False)
    modalities = models.TextField("modalités convenues", blank=True)
    given_on = models.DateField("date de l'accord")
    document = models.FileField("document", upload_to="audits/agreements/%Y/")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "accord de la collectivité délégante"
        verbose_name_plural = "accords des collectivités délégantes"

    def __str__(self):
        return f"Accord de {self.authority} du {self.given_on:%d/%m/%Y}"

    @property
    def is_complete(self) -> bool:
        return bool(
            self.principle_agreed and self.modalities_agreed and self.given_on and self.document
        )


class AuthorityRefusal(models.Model):
    """INS-AUDIT: the delegating local authority refuses its agreement (on the principle or on
    the modalities), with its reason. The audit cannot start; a file may carry several refusals
    when new modalities were submitted in between."""

    class Scope(models.TextChoices):
        PRINCIPLE = "principle", "Sur le principe de l'audit"
        MODALITIES = "modalities", "Sur les modalités proposées"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="refusals")
    authority = models.CharField("collectivité", max_length=255)
    scope = models.CharField("portée du refus", max_length=12, choices=Scope.choices)
    reason = models.TextField("motif du refus")
    refused_on = models.DateField("date du refus")
    document = models.FileField("document", upload_to="audits/refusals/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "refus de la collectivité délégante"
        verbose_name_plural = "refus des collectivités délégantes"
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Refus de {self.authority} du {self.refused_on:%d/%m/%Y}"


class AuditEvent(models.Model):
    """One step of the file, for its history (the CLE follows the fate of its referral)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    name = models.CharField("étape", max_length=40)
    label = models.CharField("libellé", max_length=255)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField("précision", max_length=500, blank=True)

    class Meta:
        verbose_name = "étape d'audit"
        verbose_name_plural = "étapes d'audit"
        ordering = ["at", "pk"]

    def __str__(self):
        return self.label


class Recommendation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "À engager"
        IN_PROGRESS = "in_progress", "En cours"
        DONE = "done", "Mise en œuvre"
        DROPPED = "dropped", "Abandonnée"

    SETTLED = (Status.DONE, Status.DROPPED)

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField("recommandation")
    responsible_body = models.ForeignKey(
        NetworkBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisme responsable",
    )
    responsible_name = models.CharField(
        "autre responsable",
        max_length=255,
        blank=True,
        help_text="Si le responsable n'est pas un organisme du réseau (service, comité…).",
    )
    due_on = models.DateField("échéance")
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField("preuve ou justification", blank=True)
    evidence_document = models.FileField(
        "pièce justificative", upload_to="audits/evidence/%Y/", blank=True
    )
    done_on = models.DateField("mise en œuvre le", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "recommandation"
        verbose_name_plural = "recommandations"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.text[:80]

    @property
    def responsible_label(self) -> str:
        return self.responsible_body.name if self.responsible_body_id else self.responsible_name

    @property
    def is_settled(self) -> bool:
        return self.status in self.SETTLED

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_settled and self.due_on < (today or timezone.localdate())
