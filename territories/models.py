"""The territorial reference (Code officiel géographique), loaded by ``import_territories``.

INSEE / SIREN codes are the natural primary keys (``2A``, ``976``, ``69123``…). A row that a
newer edition no longer lists is kept, marked ``is_current=False``, so that committees whose
perimeter names it keep their history.
"""

from django.db import models


class Zone(models.TextChoices):
    METRO = "metro", "France métropolitaine"
    DROM = "drom", "Départements et régions d'outre-mer"
    COM = "com", "Collectivités d'outre-mer"


class TerritoryQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Territory(models.Model):
    code = models.CharField("code", max_length=10, primary_key=True)
    name = models.CharField("nom", max_length=200)
    is_current = models.BooleanField("en vigueur", default=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Region(Territory):
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)

    class Meta(Territory.Meta):
        verbose_name = "région"
        verbose_name_plural = "régions"


class Departement(Territory):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)

    class Meta(Territory.Meta):
        verbose_name = "département"
        verbose_name_plural = "départements"


class Arrondissement(Territory):
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="arrondissements"
    )

    class Meta(Territory.Meta):
        verbose_name = "arrondissement"
        verbose_name_plural = "arrondissements"


class Epci(Territory):
    """EPCI à fiscalité propre (CC, CA, CU, métropoles; ``MET69`` is the Métropole de Lyon)."""

    class Kind(models.TextChoices):
        CC = "CC", "Communauté de communes"
        CA = "CA", "Communauté d'agglomération"
        CU = "CU", "Communauté urbaine"
        METRO = "METRO", "Métropole"
        MET69 = "MET69", "Métropole de Lyon"

    kind = models.CharField("nature", max_length=5, choices=Kind.choices)

    class Meta(Territory.Meta):
        verbose_name = "EPCI à fiscalité propre"
        verbose_name_plural = "EPCI à fiscalité propre"


class Ept(Territory):
    """Établissement public territorial of the Métropole du Grand Paris."""

    class Meta(Territory.Meta):
        verbose_name = "établissement public territorial"
        verbose_name_plural = "établissements publics territoriaux"


class Commune(Territory):
    population = models.PositiveIntegerField("population", default=0)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    arrondissement = models.ForeignKey(
        Arrondissement, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    ept = models.ForeignKey(
        Ept, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )

    class Meta(Territory.Meta):
        verbose_name = "commune"
        verbose_name_plural = "communes"
        indexes = [models.Index(fields=["name"])]


class MunicipalArrondissement(Territory):
    """An arrondissement municipal of Paris, Lyon or Marseille (COG ``arrondissement-municipal``):
    a CLE of these cities may take some of them only (DEC-CLE-PERIMETER)."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="municipal_arrondissements"
    )
    population = models.PositiveIntegerField("population", default=0)

    class Meta(Territory.Meta):
        verbose_name = "arrondissement municipal"
        verbose_name_plural = "arrondissements municipaux"


class EmploymentArea(models.Model):
    """A bassin d'emploi (DEC-CLE-PERIMETER: perimeters are often « a bassin d'emploi »).

    No registry package ships the Insee zonage en zones d'emploi 2020, so a bassin is a named
    set of communes that a State agent defines (it may follow the Insee zone of the same name),
    then picks as one piece of a CLE's perimeter.
    """

    name = models.CharField("nom", max_length=200)
    insee_code = models.CharField(
        "code de la zone d'emploi Insee",
        max_length=10,
        blank=True,
        help_text="Facultatif : le code de la zone d'emploi 2020 de l'Insee qu'il reprend.",
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="employment_areas",
        verbose_name="département de rattachement",
    )
    communes = models.ManyToManyField(Commune, related_name="employment_areas")
    description = models.TextField("description", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bassin d'emploi"
        verbose_name_plural = "bassins d'emploi"
        ordering = ["departement_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "name"], name="employment_area_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class TerritorialEdition(models.Model):
    """Which edition of the reference is loaded: every export names it."""

    label = models.CharField("édition", max_length=100)
    source = models.CharField("source", max_length=255)
    checksum = models.CharField("empreinte SHA-256", max_length=64)
    imported_at = models.DateTimeField("importée le", auto_now=True)

    class Meta:
        verbose_name = "édition du référentiel territorial"
        verbose_name_plural = "éditions du référentiel territorial"
        get_latest_by = "imported_at"

    def __str__(self):
        return self.label
