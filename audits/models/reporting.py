"""INS-REPORTING: the reports network members owe to the committees.

- Results of the control of job seekers' commitments: France Travail, the conseil
  départemental and the Missions locales report to every level (CRE, CDE, CLE and national).
- Orientations pronounced with the application of the criteria: France Travail, the conseil
  départemental, the Missions locales and Cap emploi report to the CDE and the national level.

``REPORT_RULES`` says, for each type, who owes it, to which levels, and which key figures it
carries; a ``ReportObligation`` says that one body owes one type to one committee (or to the
national committee) at a given frequency; a ``Report`` is what the body uploaded for one
period, with its figures as structured values (``ReportFigure``).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.models.bodies import BodyKind, NetworkBody, body_ids_of
from committees.models import Committee, Level
from cte_portal.core.permissions import is_admin, is_signed_in

NATIONAL = "national"  # the comité national pour l'emploi: no Committee row (DOMAIN §1)


class ReportType(models.TextChoices):
    COMMITMENT_CONTROLS = (
        "commitment_controls",
        "Résultats du contrôle du respect des engagements des demandeurs d'emploi",
    )
    ORIENTATIONS = "orientations", "Orientations prononcées en application des critères"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Mensuelle"
    QUARTERLY = "quarterly", "Trimestrielle"
    HALF_YEARLY = "half_yearly", "Semestrielle"
    YEARLY = "yearly", "Annuelle"


FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


@dataclass(frozen=True)
class Figure:
    code: str
    label: str


@dataclass(frozen=True)
class ReportRule:
    owed_by: frozenset
    levels: frozenset  # Level values, and NATIONAL
    figures: tuple
    default_frequency: str


REPORT_RULES = {
    ReportType.COMMITMENT_CONTROLS: ReportRule(
        owed_by=frozenset(
            {BodyKind.FRANCE_TRAVAIL, BodyKind.CONSEIL_DEPARTEMENTAL, BodyKind.MISSION_LOCALE}
        ),
        levels=frozenset({Level.REGIONAL, Level.DEPARTMENTAL, Level.LOCAL, NATIONAL}),
        figures=(
            Figure("controls", "Contrôles réalisés"),
            Figure("failures", "Manquements constatés"),
            Figure("sanctions", "Sanctions prononcées (suspensions, suppressions)"),
            Figure("remobilised", "Personnes remobilisées après le contrôle"),
        ),
        default_frequency=Frequency.QUARTERLY,
    ),
    ReportType.ORIENTATIONS: ReportRule(
        owed_by=frozenset(
            {
                BodyKind.FRANCE_TRAVAIL,
                BodyKind.CONSEIL_DEPARTEMENTAL,
                BodyKind.MISSION_LOCALE,
                BodyKind.CAP_EMPLOI,
            }
        ),
        levels=frozenset({Level.DEPARTMENTAL, NATIONAL}),
        figures=(
            Figure("orientations", "Orientations prononcées"),
            Figure("to_france_travail", "dont vers France Travail"),
            Figure("to_missions_locales", "dont vers une Mission locale"),
            Figure("to_cap_emploi", "dont vers Cap emploi"),
            Figure("to_departement", "dont vers le conseil départemental (parcours social)"),
        ),
        default_frequency=Frequency.QUARTERLY,
    ),
}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due_on: date

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.end.month == 12:
            return str(self.start.year)
        if self.start.month == self.end.month:
            return f"{self.start:%m/%Y}"
        return f"{self.start:%m/%Y} – {self.end:%m/%Y}"


class ReportObligationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Obligations to the committees ``user`` sees, and those of the bodies they act for;
        national ones to admins and to the bodies' users (INS-REPORTING)."""
        if is_admin(user):
            return self
        if not is_signed_in(user):
            return self.none()
        committees = Committee.objects.visible_to(user).values("pk")
        return self.filter(Q(committee__in=committees) | Q(body_id__in=body_ids_of(user)))

    def active(self):
        return self.filter(is_active=True)


class ReportObligation(models.Model):
    """One body owes one type of report to one committee (national: no committee)."""

    report_type = models.CharField("compte rendu", max_length=25, choices=ReportType.choices)
    body = models.ForeignKey(
        NetworkBody,
        on_delete=models.PROTECT,
        related_name="report_obligations",
        verbose_name="organisme qui le doit",
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_obligations",
        verbose_name="comité destinataire",
        help_text="Vide : le comité national pour l'emploi.",
    )
    frequency = models.CharField(
        "fréquence", max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    starts_on = models.DateField("début de la première période")
    grace_days = models.PositiveSmallIntegerField(
        "délai de remise (jours après la fin de la période)", default=30
    )
    is_active = models.BooleanField("en vigueur", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportObligationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "compte rendu dû"
        verbose_name_plural = "comptes rendus dus"
        ordering = ["report_type", "body__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "body", "committee"], name="one_obligation_per_committee"
            ),
            models.UniqueConstraint(
                fields=["report_type", "body"],
                condition=Q(committee__isnull=True),
                name="one_national_obligation",
            ),
        ]

    def __str__(self):
        return f"{self.get_report_type_display()} — {self.body} → {self.recipient_label}"

    def get_absolute_url(self):
        return reverse("audits:obligation", args=[self.pk])

    @property
    def recipient_label(self) -> str:
        return self.committee.name if self.committee_id else "Comité national pour l'emploi"

    @property
    def rule(self) -> ReportRule:
        return REPORT_RULES[self.report_type]

    @property
    def figures(self) -> tuple:
        return self.rule.figures

    def period_at(self, start: date) -> Period:
        end = add_months(start, FREQUENCY_MONTHS[self.frequency]) - timedelta(days=1)
        return Period(start=start, end=end, due_on=end + timedelta(days=self.grace_days))

    def periods(self, until: date | None = None) -> list[Period]:
        """The periods that have begun by ``until`` (today by default), oldest first."""
        until = until or timezone.localdate()
        result, index = [], 0
        step = FREQUENCY_MONTHS[self.frequency]
        while True:
            start = add_months(self.starts_on, index * step)
            if start > until:
                return result
            result.append(self.period_at(start))
            index += 1


class Report(models.Model):
    obligation = models.ForeignKey(
        ReportObligation, on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    document = models.FileField("document", upload_to="audits/reports_received/%Y/")
    comment = models.TextField("commentaire", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "compte rendu reçu"
        verbose_name_plural = "comptes rendus reçus"
        ordering = ["-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "period_start"], name="one_report_per_period"
            )
        ]

    def __str__(self):
        return f"{self.obligation} — {self.period_start:%m/%Y}"


class ReportFigure(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    code = models.CharField("indicateur", max_length=40)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="one_value_per_figure")
        ]

    def __str__(self):
        return f"{self.code} = {self.value}"
