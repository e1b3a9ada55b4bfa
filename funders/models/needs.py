"""Needs raised at a local funding conference and answered by the departmental conference
(INS-FUNDERS: « conférence de financement » fed by the counsellors, the concrete needs of
people's pathways and the difficulties of access to the resources)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from funders.models.conference import FundersConference
from funders.models.offer import FundingLine
from funders.models.vocabulary import Public


class FundingNeed(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente de réponse"
        FUNDED = "funded", "Financé par une ligne"
        REDIRECTED = "redirected", "Réorienté"
        UNMET = "unmet", "Non couvert"

    conference = models.ForeignKey(
        FundersConference, on_delete=models.CASCADE, related_name="needs"
    )
    pathway_need = models.TextField(
        "besoin de parcours",
        help_text="Le besoin concret, sans nommer de personne accompagnée.",
    )
    public = models.CharField("public", max_length=20, choices=Public.choices)
    public_detail = models.CharField("précision sur le public", max_length=255, blank=True)
    territory = models.CharField("territoire", max_length=255)
    people_count = models.PositiveIntegerField("nombre de personnes concernées")
    access_difficulty = models.TextField("difficulté d'accès à la ressource")
    raised_by = models.CharField(
        "remonté par",
        max_length=255,
        help_text="La structure des conseillers qui font remonter le besoin.",
    )
    status = models.CharField(
        "réponse", max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # The answer of the departmental conference.
    answered_in = models.ForeignKey(
        FundersConference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_needs",
        verbose_name="conférence départementale qui a répondu",
    )
    funding_line = models.ForeignKey(
        FundingLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name="ligne de financement mobilisée",
    )
    redirected_to = models.CharField("réorienté vers", max_length=255, blank=True)
    unmet_reason = models.TextField("motif de la non-couverture", blank=True)
    answer_comment = models.TextField("commentaire de la réponse", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "besoin remonté"
        verbose_name_plural = "besoins remontés"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.pathway_need[:80]

    @property
    def public_label(self) -> str:
        if self.public == Public.OTHER and self.public_detail:
            return self.public_detail
        label = self.get_public_display()
        return f"{label} — {self.public_detail}" if self.public_detail else label

    @property
    def is_answered(self) -> bool:
        return self.status != self.Status.PENDING
