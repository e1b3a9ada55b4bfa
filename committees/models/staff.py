"""Staff assignments: which State service agent works for which territory (DOMAIN §4)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from territories.models import Departement, Region


class StaffAssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or date.today()
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))


class StaffAssignment(models.Model):
    """A DREETS agent works for a region, a DDETS agent for a département."""

    class Service(models.TextChoices):
        DREETS = "dreets", "DREETS (région)"
        DDETS = "ddets", "DDETS (département)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    service = models.CharField("service", max_length=6, choices=Service.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="staff_assignments"
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
    )
    started_on = models.DateField("début")
    ended_on = models.DateField("fin", null=True, blank=True)

    objects = StaffAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "affectation d'agent"
        verbose_name_plural = "affectations d'agents"
        constraints = [
            models.CheckConstraint(
                name="staff_assignment_territory_matches_service",
                condition=(
                    models.Q(service="dreets", region__isnull=False, departement__isnull=True)
                    | models.Q(service="ddets", departement__isnull=False, region__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_service_display()} — {self.territory}"

    @property
    def territory(self):
        return self.region if self.service == self.Service.DREETS else self.departement

    def clean(self):
        if self.service == self.Service.DREETS and (not self.region_id or self.departement_id):
            raise ValidationError("Un agent de DREETS est affecté à une région, et à elle seule.")
        if self.service == self.Service.DDETS and (not self.departement_id or self.region_id):
            raise ValidationError("Un agent de DDETS est affecté à un département, et à lui seul.")
