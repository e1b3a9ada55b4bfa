"""Committees (CRE, CDE, CLE), their territory, written opinions and former instances."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user
from simple_history.models import HistoricalRecords

from committees.models.rules import LEVEL_SHORT, CrefopMode, Level, SpecialAuthority
from cte_portal.core.conf import cte_setting
from cte_portal.core.permissions import is_admin, is_signed_in
from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    EmploymentArea,
    Epci,
    Ept,
    MunicipalArrondissement,
    Region,
)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class CommitteeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Committees ``user`` may see (DOMAIN §4): those on which the facts gave them the
        derived ``view_committee`` permission (see ``committees.permissions``); admins all."""
        if is_admin(user):
            return self
        if not is_signed_in(user):
            return self.none()
        return get_objects_for_user(
            user, "committees.view_committee", klass=self, accept_global_perms=False
        )

    def active(self):
        return self.exclude(status=Committee.Status.DISSOLVED)

    def installed(self):
        return self.filter(status=Committee.Status.INSTALLED)


class Committee(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "En préparation"
        INSTALLED = "installed", "Installé"
        DISSOLVED = "dissolved", "Dissous"

    Level = Level

    level = models.CharField("niveau", max_length=12, choices=Level.choices)
    name = models.CharField("nom", max_length=255)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    installed_on = models.DateField("date d'installation", null=True, blank=True)
    dissolved_on = models.DateField("date de dissolution", null=True, blank=True)
    arrete_reference = models.CharField(
        "référence de l'arrêté préfectoral",
        max_length=255,
        blank=True,
        help_text="Par exemple « Arrêté préfectoral n° 69-2024-07-01-001 du 1er juillet 2024 ».",
    )
    # Territory. ``region`` is set for every level (the region the committee belongs to).
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="committees")
    departements = models.ManyToManyField(
        Departement, related_name="committees", blank=True, verbose_name="départements"
    )
    special_authority = models.CharField(
        "collectivité exerçant les compétences départementales",
        max_length=20,
        choices=SpecialAuthority.choices,
        blank=True,
        default="",
    )
    crefop_mode = models.CharField(
        "articulation avec le CREFOP", max_length=10, choices=CrefopMode.choices, blank=True
    )
    # DEC-OUTRE-MER: a departmental-level committee that is also the region's committee (one
    # single committee for the regional and departmental levels of a DROM).
    outre_mer_single = models.BooleanField(
        "comité unique régional et départemental (outre-mer)", default=False
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="comité de niveau supérieur",
    )
    # CLE perimeter (INS-CLE-PERIMETER): what the préfet picked, and the resulting communes.
    perimeter_arrondissements = models.ManyToManyField(
        Arrondissement, blank=True, related_name="+", verbose_name="arrondissements"
    )
    perimeter_epcis = models.ManyToManyField(
        Epci, blank=True, related_name="+", verbose_name="EPCI"
    )
    perimeter_epts = models.ManyToManyField(Ept, blank=True, related_name="+", verbose_name="EPT")
    perimeter_communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name="communes ajoutées une à une"
    )
    # DEC-CLE-PERIMETER: bassins d'emploi, and Paris, Lyon, Marseille split by arrondissement.
    perimeter_employment_areas = models.ManyToManyField(
        EmploymentArea, blank=True, related_name="+", verbose_name="bassins d'emploi"
    )
    perimeter_municipal_arrondissements = models.ManyToManyField(
        MunicipalArrondissement,
        blank=True,
        related_name="+",
        verbose_name="arrondissements municipaux",
    )
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="local_committees", verbose_name="communes couvertes"
    )
    # The arrondissements municipaux covered when a city is only partly in the CLE (its
    # commune is then in ``communes`` too); empty when every commune is covered whole.
    municipal_arrondissements = models.ManyToManyField(
        MunicipalArrondissement,
        blank=True,
        related_name="local_committees",
        verbose_name="arrondissements municipaux couverts",
    )
    # The perimeter as picked, in words: a field of the committee itself, so that its history
    # (django-simple-history, which does not follow many-to-many fields) shows every change.
    perimeter_description = models.TextField("périmètre", blank=True)
    # The date of the latest recorded ``PerimeterReview`` (kept here by the service, so that
    # lists compute the next due date without a query per committee).
    perimeter_reviewed_on = models.DateField("dernier réexamen du périmètre", null=True, blank=True)
    population = models.PositiveIntegerField("population couverte", default=0)
    commune_count = models.PositiveIntegerField("nombre de communes", default=0)
    # DEC-MAX is [SEC]: the decree's default applies unless the arrêté fixed another value.
    max_members_override = models.PositiveSmallIntegerField(
        "nombre maximal de membres fixé par arrêté", null=True, blank=True
    )
    max_members_basis = models.CharField("fondement de ce maximum", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitteeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "comité"
        verbose_name_plural = "comités"
        ordering = ["region_id", "level", "name"]
        permissions = [
            ("manage_committee", "Assurer le secrétariat du comité"),
            ("copreside_committee", "Co-présider le comité"),
        ]
        indexes = [models.Index(fields=["level", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:detail", args=[self.pk])

    @property
    def short_level(self) -> str:
        return LEVEL_SHORT[self.level]

    @property
    def is_installed(self) -> bool:
        return self.status == self.Status.INSTALLED

    @property
    def perimeter_review_due_on(self) -> date | None:
        """INS-CLE-PERIMETER / DEC-CLE-PERIMETER: the perimeter is reviewed three years after
        installation, then three years after each recorded review."""
        if self.level != Level.LOCAL or not self.installed_on:
            return None
        start = max(self.perimeter_reviewed_on or self.installed_on, self.installed_on)
        return add_years(start, cte_setting("PERIMETER_REVIEW_YEARS"))

    def perimeter_review_is_due(self, today: date | None = None) -> bool:
        due = self.perimeter_review_due_on
        return bool(due and due <= (today or date.today()))


class WrittenOpinion(models.Model):
    """INS-WRITTEN-OPINIONS: a local authority's written opinion, uploaded and dated."""

    class Subject(models.TextChoices):
        INTERDEPARTMENTAL_CLE = "interdepartmental_cle", "CLE interdépartemental"
        CREFOP_MERGER = "crefop_merger", "Fusion du CREFOP et du CRE"
        SPECIAL_CDE = (
            "special_cde",
            "Composition du comité départemental (avis du président de la collectivité)",
        )

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="written_opinions"
    )
    subject = models.CharField("objet", max_length=25, choices=Subject.choices)
    authority = models.CharField("collectivité", max_length=255)
    given_on = models.DateField("date de l'avis")
    document = models.FileField("document", upload_to="written_opinions/%Y/")
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département concerné",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avis écrit"
        verbose_name_plural = "avis écrits"
        ordering = ["given_on"]

    def __str__(self):
        return f"Avis de {self.authority} du {self.given_on:%d/%m/%Y}"


class FormerInstance(models.Model):
    """INS-REPLACES: an instance the committee replaced (removed) or integrated."""

    class Kind(models.TextChoices):
        SPER = "sper", "SPER (service public de l'emploi régional)"
        SPED = "sped", "SPED (service public de l'emploi départemental)"
        SPEL = "spel", "SPEL (service public de l'emploi local)"
        STEERING = "steering", "Autre comité de pilotage"
        LOCAL_AUTHORITY_BODY = "local_authority_body", "Instance d'une collectivité"

    class Outcome(models.TextChoices):
        REMOVED = "removed", "Supprimée (remplacée par le comité)"
        INTEGRATED = "integrated", "Intégrée au comité"

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="former_instances"
    )
    kind = models.CharField("nature", max_length=25, choices=Kind.choices)
    name = models.CharField("nom", max_length=255)
    outcome = models.CharField("sort", max_length=10, choices=Outcome.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "instance antérieure"
        verbose_name_plural = "instances antérieures"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class PerimeterReview(models.Model):
    """INS-CLE-PERIMETER / DEC-CLE-PERIMETER: a periodic review of a CLE's perimeter, decided
    by the préfet de département; recording one moves the next due date."""

    class Outcome(models.TextChoices):
        KEPT = "kept", "Périmètre maintenu"
        CHANGED = "changed", "Périmètre modifié"
        TO_CHANGE = "to_change", "Modification à engager"

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="perimeter_reviews"
    )
    reviewed_on = models.DateField("date du réexamen")
    outcome = models.CharField("conclusion", max_length=10, choices=Outcome.choices)
    notes = models.TextField("observations", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "réexamen du périmètre"
        verbose_name_plural = "réexamens du périmètre"
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"Réexamen du {self.reviewed_on:%d/%m/%Y}"
