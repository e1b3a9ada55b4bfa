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
