"""The offer map of a conference (« cartographie de l'offre », INS-FUNDERS): funding lines,
their co-financing, and the XLSX/CSV files they are imported from.

Amounts are ``Decimal`` euros with two decimals, stored as such and added as such: no float
ever touches them. Shares are percentages with two decimals.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cte_portal.core.models import FileImport
from funders.models.conference import Funder, FundersConference
from funders.models.vocabulary import Public, SchemeKind
from territories.models import Commune, Epci

AMOUNT = {"max_digits": 14, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 2}
HUNDRED = Decimal("100")


class FundingLine(models.Model):
    """What one funder puts into one scheme for one public on (part of) the territory."""

    conference = models.ForeignKey(
        FundersConference, on_delete=models.CASCADE, related_name="lines"
    )
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="lines")
    scheme = models.CharField("dispositif ou programme", max_length=255)
    scheme_kind = models.CharField("type de dispositif", max_length=20, choices=SchemeKind.choices)
    public = models.CharField("public cible", max_length=20, choices=Public.choices)
    public_detail = models.CharField("précision sur le public", max_length=255, blank=True)
    # The territory covered: the whole perimeter of the committee, or some of its EPCI and
    # communes.
    covers_whole_perimeter = models.BooleanField("tout le périmètre du comité", default=True)
    epcis = models.ManyToManyField(Epci, blank=True, related_name="+", verbose_name="EPCI")
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name="communes"
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    amount_committed = models.DecimalField(
        "montant engagé (€)", validators=[MinValueValidator(Decimal(0))], **AMOUNT
    )
    amount_available = models.DecimalField(
        "montant disponible (€)", validators=[MinValueValidator(Decimal(0))], **AMOUNT
    )
    places = models.PositiveIntegerField("volume : places", null=True, blank=True)
    people = models.PositiveIntegerField("volume : personnes", null=True, blank=True)
    is_cofinanced = models.BooleanField("cofinancé", default=False)
    own_share = models.DecimalField(
        "part du financeur (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
        **SHARE,
    )
    intervention_criteria = models.TextField("critères d'intervention", blank=True)
    allocation_doctrine = models.TextField("doctrine d'attribution", blank=True)
    conditions_of_use = models.TextField("conditions de mobilisation", blank=True)
    source_import = models.ForeignKey(
        "funders.FundingLineImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lines",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["funder__name", "scheme", "pk"]
        indexes = [models.Index(fields=["conference", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                name="funding_line_ends_after_it_starts",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="funding_line_amounts_not_negative",
                condition=models.Q(amount_committed__gte=0, amount_available__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.funder} — {self.scheme}"

    def get_absolute_url(self):
        return reverse("funders:line_edit", args=[self.pk])

    @property
    def public_label(self) -> str:
        if self.public == Public.OTHER and self.public_detail:
            return self.public_detail
        label = self.get_public_display()
        return f"{label} — {self.public_detail}" if self.public_detail else label


class CoFinancing(models.Model):
    """A co-financer of a line and its share (INS-FUNDERS: co-financing rules)."""

    line = models.ForeignKey(FundingLine, on_delete=models.CASCADE, related_name="cofinancings")
    partner = models.ForeignKey(
        Funder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="financeur du répertoire",
    )
    partner_name = models.CharField("cofinanceur", max_length=255)
    share = models.DecimalField(
        "part (%)",
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
        **SHARE,
    )

    class Meta:
        verbose_name = "cofinancement"
        verbose_name_plural = "cofinancements"
        ordering = ["-share", "partner_name"]

    def __str__(self):
        return f"{self.partner_name} ({self.share} %)"


class FundingLineImport(FileImport):
    """An XLSX/CSV file of funding lines: checked line by line, imported only once the whole
    file is valid, recorded with who and when."""

    conference = models.ForeignKey(
        FundersConference, on_delete=models.CASCADE, related_name="imports"
    )

    class Meta:
        verbose_name = "import de lignes de financement"
        verbose_name_plural = "imports de lignes de financement"
        ordering = ["-uploaded_at", "-pk"]

    def get_absolute_url(self):
        return reverse("funders:import", args=[self.pk])
