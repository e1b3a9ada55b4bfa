"""Background export jobs of the regional map.

A long export (regional map, dashboards…) is never built inside a request: a view creates an
``ExportJob``, a Celery task builds the file and reports its progress, and the page ends in a
download link served by a permission-checked view (never from ``MEDIA_URL``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cte_portal.core.permissions import is_admin, is_signed_in


class ExportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jobs a user may follow and download: their own; every job for admins."""
        if not is_signed_in(user):
            return self.none()
        if is_admin(user):
            return self
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_MAP = "regional_map", "Cartographie des comités"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Classeur Excel (XLSX)"
        CSV = "csv", "Tableaux CSV (archive ZIP)"
        PDF = "pdf", "Document PDF"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

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
    status = models.CharField(
        "statut", max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    file = models.FileField("fichier", upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_format_display()}) — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
