"""What the reminders sent (INS-AUDIT recommendations, INS-REPORTING late reports).

A reminder is recorded *before* it is sent, and the unique constraints make a second record
for the same recommendation (or obligation) and period impossible: a beat task delivered
twice, or two workers racing, create it once. Sending claims the row with a conditional
update, so that only one worker sends it; a claim left by a dead worker expires.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from audits.models.audits import Recommendation
from audits.models.reporting import ReportObligation


class Reminder(models.Model):
    class Kind(models.TextChoices):
        RECOMMENDATION_OVERDUE = "recommendation_overdue", "Recommandation en retard"
        REPORT_LATE = "report_late", "Compte rendu en retard"

    kind = models.CharField(max_length=25, choices=Kind.choices)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    obligation = models.ForeignKey(
        ReportObligation, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # The reminder period ("2025-03" for a recommendation, the report period's first day).
    period = models.CharField("période", max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveSmallIntegerField("destinataires", default=0)
    skipped = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "relance"
        verbose_name_plural = "relances"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "period"],
                condition=Q(kind="recommendation_overdue"),
                name="one_recommendation_reminder_per_period",
            ),
            models.UniqueConstraint(
                fields=["obligation", "period"],
                condition=Q(kind="report_late"),
                name="one_report_reminder_per_period",
            ),
            models.CheckConstraint(
                name="reminder_names_its_subject",
                condition=Q(
                    kind="recommendation_overdue",
                    recommendation__isnull=False,
                    obligation__isnull=True,
                )
                | Q(kind="report_late", obligation__isnull=False, recommendation__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.period}"
