"""INS-ESCALATION: subjects a committee raises to the level above (CLE → CDE → CRE →
national) and the answer it receives."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from committees.models import Committee
from roadmaps.models.roadmap import PERSONAL_DATA_HELP, ActionSheet


class EscalatedSubject(models.Model):
    class Need(models.TextChoices):
        SUPPORT = "support", "Appui"
        COORDINATION = "coordination", "Coordination"
        CONSISTENCY = "consistency", "Mise en cohérence"
        MEANS = "means", "Moyens"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente de réponse"
        ACCEPTED = "accepted", "Retenu dans la feuille de route"
        REDIRECTED = "redirected", "Réorienté"
        DECLINED = "declined", "Non retenu"

    from_committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="raised_subjects"
    )
    # ``None`` with ``to_national`` set: a CRE raises the subject to the national level.
    to_committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_subjects",
    )
    to_national = models.BooleanField("remonté au niveau national", default=False)
    title = models.CharField("objet", max_length=255)
    need_kind = models.CharField("nature du besoin", max_length=15, choices=Need.choices)
    need = models.TextField("ce qui est attendu", help_text=PERSONAL_DATA_HELP)
    reason = models.TextField("pourquoi")
    related_sheets = models.ManyToManyField(
        ActionSheet, blank=True, related_name="escalations", verbose_name="fiches action liées"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("remonté le", auto_now_add=True)
    status = models.CharField(
        "réponse", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer = models.TextField("réponse apportée", blank=True)
    answering_sheet = models.ForeignKey(
        ActionSheet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_subjects",
        verbose_name="fiche action qui y répond",
    )
    redirected_to = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réorienté vers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sujet remonté"
        verbose_name_plural = "sujets remontés"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="escalation_has_one_recipient",
                condition=(
                    models.Q(to_committee__isnull=False, to_national=False)
                    | models.Q(to_committee__isnull=True, to_national=True)
                ),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:subject", args=[self.pk])

    @property
    def recipient_label(self) -> str:
        return str(self.to_committee) if self.to_committee_id else "Niveau national (DGEFP)"

    @property
    def is_answered(self) -> bool:
        return self.status != self.Status.PENDING
