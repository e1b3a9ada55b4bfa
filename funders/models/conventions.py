"""Conventions a committee follows (INS-CDE-MISSIONS: State–Département conventions —
contractualisation insertion-emploi, Pacte des solidarités, CAOM; INS-CRE-MISSIONS:
State–Region conventions), their parties and amounts, commitments with their indicators,
documents, and the renewal that falls due."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from committees.models import Committee
from funders.models.conference import Funder
from funders.models.offer import AMOUNT
from funders.models.vocabulary import ConventionKind

# A convention ending within this many days is flagged for renewal.
RENEWAL_NOTICE_DAYS = 90


class Convention(models.Model):
    Kind = ConventionKind

    class Status(models.TextChoices):
        PREPARATION = "preparation", "En préparation"
        SIGNED = "signed", "Signée, en cours"
        ENDED = "ended", "Échue"
        RENEWED = "renewed", "Renouvelée"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="conventions")
    kind = models.CharField("type", max_length=25, choices=ConventionKind.choices)
    title = models.CharField("intitulé", max_length=255)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    status = models.CharField(
        "état", max_length=12, choices=Status.choices, default=Status.PREPARATION
    )
    signed_on = models.DateField("signée le", null=True, blank=True)
    notes = models.TextField("observations", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="convention_ends_after_it_starts",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message="La convention doit finir le jour où elle commence ou après.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funders:convention", args=[self.pk])

    def renewal_due(self, today: date | None = None) -> bool:
        """A signed convention ending within ``RENEWAL_NOTICE_DAYS`` days is to renew."""
        today = today or date.today()
        return self.status == self.Status.SIGNED and today <= self.ends_on <= today + timedelta(
            days=RENEWAL_NOTICE_DAYS
        )


class ConventionParty(models.Model):
    """A party to a convention and the amount it commits."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parties")
    funder = models.ForeignKey(
        Funder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="financeur du répertoire",
    )
    name = models.CharField("partie", max_length=255)
    amount = models.DecimalField(
        "montant engagé (€)",
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
        **AMOUNT,
    )

    class Meta:
        verbose_name = "partie"
        verbose_name_plural = "parties"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ConventionCommitment(models.Model):
    """A commitment of the convention and the indicator that follows it — one of the
    roadmaps' indicators (common result indicator or action-sheet indicator) when it exists,
    or a label of its own."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField("engagement")
    result_indicator = models.ForeignKey(
        "roadmaps.ResultIndicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="indicateur commun",
    )
    roadmap_indicator = models.ForeignKey(
        "roadmaps.RoadmapIndicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="indicateur de la feuille de route",
    )
    indicator_label = models.CharField("autre indicateur", max_length=255, blank=True)
    target = models.DecimalField("cible", max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "engagement"
        verbose_name_plural = "engagements"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def indicator_name(self) -> str:
        indicator = self.result_indicator or self.roadmap_indicator
        return indicator.name if indicator else self.indicator_label


class ConventionDocument(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("titre", max_length=255)
    file = models.FileField("fichier", upload_to="funders/conventions/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document de la convention"
        verbose_name_plural = "documents des conventions"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title
