"""What the apps' models share: the shape of a file import checked before it is applied."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cte_portal.core.permissions import is_admin, is_signed_in


class FileImport(models.Model):
    """An uploaded XLSX/CSV file: checked line by line, applied only once the whole file is
    valid (nothing a user entered is half imported), recorded with who and when. The concrete
    import adds what it imports into (a committee, a conference)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Vérifié, en attente de confirmation"
        INVALID = "invalid", "Refusé (erreurs)"
        IMPORTED = "imported", "Importé"

    filename = models.CharField("fichier", max_length=255)
    status = models.CharField("état", max_length=10, choices=Status.choices)
    rows = models.JSONField("lignes valides", default=list)
    errors = models.JSONField("erreurs", default=list)
    row_count = models.PositiveIntegerField("lignes", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class PendingTask(models.Model):
    """A Celery task waiting to reach the broker: the transactional outbox of
    ``cte_portal.tasking.enqueue_on_commit``.

    The row is written in the same transaction as the action that wants the task, so the task
    is never lost when Redis is down: after the commit the portal tries to send it at once
    (the row is deleted once the broker has it); otherwise the row waits here and the sweep
    (``cte_portal.deliver_pending_tasks``, every minute, or ``manage.py
    deliver_pending_tasks``) sends it again once the broker is back. Arguments are ids and
    codes, never personal data."""

    name = models.CharField("tâche", max_length=200)
    args = models.JSONField("arguments", default=list, blank=True)
    kwargs = models.JSONField("arguments nommés", default=dict, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField("tentatives d'envoi", default=0)
    last_attempt_at = models.DateTimeField("dernière tentative", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "tâche en attente d'envoi"
        verbose_name_plural = "tâches en attente d'envoi"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name} ({self.attempts} tentative(s))"


class BackgroundFile(models.Model):
    """A file built by a Celery task rather than inside a request, and its progress: the
    shape shared by the portal's export jobs (``FileJob``, the regional map's ``ExportJob``).
    The concrete job adds who asked for it and what it exports."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    status = models.CharField(
        "statut", max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    file = models.FileField("fichier", upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class BackgroundFileQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jobs a user may follow: their own; every job for admins. The views check
        again that the user still reads what the file is made of."""
        if not is_signed_in(user):
            return self.none()
        if is_admin(user):
            return self
        return self.filter(requested_by=user)


class FileJob(BackgroundFile):
    """A file (PDF, XLSX) built by a Celery task rather than inside the request: the request
    records the job and redirects to its progress page (``cte_portal.core.file_jobs``).
    ``kind`` names a builder registered by an app; ``target_id`` the object it exports."""

    kind = models.CharField("nature", max_length=60)
    target_id = models.PositiveBigIntegerField("objet exporté")
    format = models.CharField("format", max_length=5)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="file_jobs",
        verbose_name="demandé par",
    )

    objects = BackgroundFileQuerySet.as_manager()

    class Meta:
        verbose_name = "fichier à établir"
        verbose_name_plural = "fichiers à établir"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self):
        return f"{self.kind} n° {self.target_id} ({self.format}) — {self.created_at:%d/%m/%Y %H:%M}"
