"""Background export jobs of the regional map.

A long export (regional map, dashboards…) is never built inside a request: a view creates an
``ExportJob``, a Celery task builds the file and reports its progress, and the page ends in a
download link served by a permission-checked view (never from ``MEDIA_URL``).
"""

from django.conf import settings
from django.db import models

from cte_portal.core.models import BackgroundFile, BackgroundFileQuerySet


class ExportJob(BackgroundFile):
    class Kind(models.TextChoices):
        REGIONAL_MAP = "regional_map", "Cartographie des comités"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Classeur Excel (XLSX)"
        CSV = "csv", "Tableaux CSV (archive ZIP)"
        PDF = "pdf", "Document PDF"

    kind = models.CharField("nature", max_length=30, choices=Kind.choices)
    format = models.CharField("format", max_length=5, choices=Format.choices)
    # The territory exported: a region, one département of it, or neither (national roll-up).
    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région",
    )
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name="demandé par",
    )

    objects = BackgroundFileQuerySet.as_manager()

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_format_display()}) — {self.created_at:%d/%m/%Y %H:%M}"
