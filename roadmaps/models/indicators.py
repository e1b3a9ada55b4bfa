"""Indicators followed by the committees and their values over time (INS-INDICATORS)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from committees.models import Committee
from cte_portal.core.models import FileImport
from roadmaps.models.catalogue import Direction, ResultIndicator, Typology, TypologyCategory
from roadmaps.models.roadmap import ActionSheet


class RoadmapIndicator(models.Model):
    """INS-INDICATORS: an indicator specific to an action sheet, with its baseline, target,
    due date and unit."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("nom", max_length=255)
    unit = models.CharField("unité", max_length=60)
    baseline = models.DecimalField(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField("cible", max_digits=14, decimal_places=2, null=True, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)
    direction = models.CharField(
        "sens de l'amélioration",
        max_length=10,
        choices=Direction.choices,
        default=Direction.INCREASE,
    )
    breakdowns = models.ManyToManyField(
        Typology, blank=True, related_name="+", verbose_name="ventilations possibles"
    )
    # Set when a version containing it is published: its values become open data then.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur spécifique"
        verbose_name_plural = "indicateurs spécifiques"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class IndicatorTarget(models.Model):
    """The target a committee sets itself for a common result indicator on its perimeter."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="indicator_targets"
    )
    indicator = models.ForeignKey(ResultIndicator, on_delete=models.CASCADE, related_name="+")
    target = models.DecimalField("cible", max_digits=14, decimal_places=2)
    due_on = models.DateField("échéance", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cible d'un indicateur commun"
        verbose_name_plural = "cibles des indicateurs communs"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "indicator"], name="unique_indicator_target"
            )
        ]

    def __str__(self):
        return f"{self.indicator} — {self.committee} : {self.target}"


class IndicatorImport(FileImport):
    """A CSV/XLSX file of values: checked line by line, imported only once valid, recorded
    with who and when (INS-INDICATORS)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="indicator_imports"
    )

    class Meta:
        verbose_name = "import de valeurs"
        verbose_name_plural = "imports de valeurs"
        ordering = ["-uploaded_at"]


class IndicatorValue(models.Model):
    """One value of an indicator for a committee's perimeter on a date, in total (no
    category) or for one category of a typology (INS-INDICATORS)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="indicator_values"
    )
    result_indicator = models.ForeignKey(
        ResultIndicator, on_delete=models.CASCADE, null=True, blank=True, related_name="values"
    )
    roadmap_indicator = models.ForeignKey(
        RoadmapIndicator, on_delete=models.CASCADE, null=True, blank=True, related_name="values"
    )
    period = models.DateField("date de la mesure")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    category = models.ForeignKey(
        TypologyCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="catégorie",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    source_import = models.ForeignKey(
        IndicatorImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="values"
    )
    history = HistoricalRecords(excluded_fields=["entered_at"])

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        ordering = ["period", "pk"]
        indexes = [
            models.Index(fields=["committee", "result_indicator", "period"]),
            models.Index(fields=["roadmap_indicator", "period"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="indicator_value_has_one_indicator",
                condition=(
                    Q(result_indicator__isnull=False, roadmap_indicator__isnull=True)
                    | Q(result_indicator__isnull=True, roadmap_indicator__isnull=False)
                ),
            ),
            # One value per indicator, committee, date and category; the total has no category
            # (partial indexes, since NULLs are distinct in a plain unique index).
            models.UniqueConstraint(
                fields=["committee", "result_indicator", "period", "category"],
                condition=Q(result_indicator__isnull=False, category__isnull=False),
                name="unique_result_value_by_category",
            ),
            models.UniqueConstraint(
                fields=["committee", "result_indicator", "period"],
                condition=Q(result_indicator__isnull=False, category__isnull=True),
                name="unique_result_value_total",
            ),
            models.UniqueConstraint(
                fields=["roadmap_indicator", "period", "category"],
                condition=Q(roadmap_indicator__isnull=False, category__isnull=False),
                name="unique_roadmap_value_by_category",
            ),
            models.UniqueConstraint(
                fields=["roadmap_indicator", "period"],
                condition=Q(roadmap_indicator__isnull=False, category__isnull=True),
                name="unique_roadmap_value_total",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} au {self.period:%d/%m/%Y} : {self.value}"

    @property
    def indicator(self):
        return self.result_indicator or self.roadmap_indicator
