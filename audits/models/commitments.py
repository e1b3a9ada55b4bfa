"""INS-COMMITMENTS: the network members' commitments a committee monitors."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from audits.models.bodies import NetworkBody
from committees.models import Committee


class CommitmentArea(models.TextChoices):
    # INS-COMMITMENTS
    ORIENTATION_CRITERIA = "orientation_criteria", "Critères communs d'orientation"
    SERVICE_BASE = "service_base", "Socle commun de services"
    REFERENTIALS = "referentials", "Référentiels communs"
    INDICATORS = "indicators", "Indicateurs communs"
    INTEROPERABILITY = "interoperability", "Interopérabilité des systèmes d'information"
    USERS_EVALUATION = "users_evaluation", "Participation des usagers à l'évaluation"


class Commitment(models.Model):
    class Status(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Non évalué"
        MET = "met", "Respecté"
        PARTIAL = "partial", "Partiellement respecté"
        FAILURE = "failure", "Manquement constaté"

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="network_commitments"
    )
    body = models.ForeignKey(
        NetworkBody, on_delete=models.PROTECT, related_name="commitments", verbose_name="membre"
    )
    area = models.CharField("engagement", max_length=25, choices=CommitmentArea.choices)
    status = models.CharField(
        "statut", max_length=15, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    notes = models.TextField("observations", blank=True)
    assessed_on = models.DateField("évalué le", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "engagement d'un membre du réseau"
        verbose_name_plural = "engagements des membres du réseau"
        ordering = ["body__name", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "body", "area"], name="one_commitment_per_member_and_area"
            )
        ]

    def __str__(self):
        return f"{self.body} — {self.get_area_display()}"

    @property
    def is_failure(self) -> bool:
        return self.status == self.Status.FAILURE
