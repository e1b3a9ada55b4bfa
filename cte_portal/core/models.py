"""What the apps' models share: the shape of a file import checked before it is applied."""

from django.conf import settings
from django.db import models


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
