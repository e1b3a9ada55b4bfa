"""What admins (DGEFP) configure for every committee: national orientations, the common list
of result indicators and the typologies their values break down by (INS-ROADMAP,
INS-INDICATORS)."""

from django.db import models
from simple_history.models import HistoricalRecords


class NationalOrientation(models.Model):
    """INS-ROADMAP: an orientation of the national committee every roadmap takes into account."""

    title = models.CharField("intitulé", max_length=255)
    text = models.TextField("texte")
    valid_from = models.DateField("en vigueur depuis", null=True, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "orientation nationale"
        verbose_name_plural = "orientations nationales"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Typology(models.Model):
    """A way to break values down (INS-INDICATORS): by typology of people or of companies."""

    class Kind(models.TextChoices):
        PEOPLE = "people", "Typologie de personnes"
        COMPANIES = "companies", "Typologie d'entreprises"

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=120)
    kind = models.CharField("nature", max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "typologie de ventilation"
        verbose_name_plural = "typologies de ventilation"
        ordering = ["position", "code"]

    def __str__(self):
        return self.label


class TypologyCategory(models.Model):
    """One category of a typology (« moins de 26 ans », « 10 à 49 salariés »…)."""

    typology = models.ForeignKey(Typology, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField("code", max_length=40)
    label = models.CharField("libellé", max_length=120)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "catégorie de typologie"
        verbose_name_plural = "catégories de typologie"
        ordering = ["typology__position", "typology_id", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["typology", "code"], name="unique_typology_category")
        ]

    def __str__(self):
        return f"{self.typology.label} — {self.label}"


class Direction(models.TextChoices):
    INCREASE = "increase", "À la hausse"
    DECREASE = "decrease", "À la baisse"


class Aggregation(models.TextChoices):
    """How values of several committees add up over a territory (INS-INDICATORS)."""

    SUM = "sum", "Somme"
    AVERAGE = "average", "Moyenne"


class ResultIndicator(models.Model):
    """INS-INDICATORS: a common result indicator of the national list, declined on every
    committee's perimeter."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("nom", max_length=255)
    definition = models.TextField("définition")
    unit = models.CharField("unité", max_length=60)
    direction = models.CharField("sens de l'amélioration", max_length=10, choices=Direction.choices)
    aggregation = models.CharField(
        "agrégation sur un territoire",
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text="Somme pour un volume (nombre de personnes), moyenne pour un taux.",
    )
    breakdowns = models.ManyToManyField(
        Typology,
        blank=True,
        related_name="result_indicators",
        verbose_name="ventilations possibles",
    )
    source = models.CharField("source", max_length=255)
    is_illustrative = models.BooleanField(
        "illustratif",
        default=False,
        help_text="Indicateur de démonstration, qui ne figure pas dans la liste nationale.",
    )
    is_active = models.BooleanField("en vigueur", default=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur de résultat commun"
        verbose_name_plural = "indicateurs de résultat communs"
        ordering = ["position", "code"]

    def __str__(self):
        return self.name
