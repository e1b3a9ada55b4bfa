"""Co-presidencies, members and commissions of a committee."""

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from committees.models.committee import Committee
from committees.models.rules import CATEGORY_SIDE, VOTING_CATEGORIES, Category, Side
from territories.models import Departement, Epci, Ept, Region


class RepresentedBody(models.Model):
    """The collectivité a seat represents (a region, a département, an EPCI or an EPT), so
    that « every département sits » (DEC-CATEGORIES) and « every EPCI of the perimeter sits »
    can be checked. A network body is named by the seat's organisation."""

    represented_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région représentée",
    )
    represented_departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département représenté",
    )
    represented_epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="EPCI représenté",
    )
    represented_ept = models.ForeignKey(
        Ept,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="EPT représenté",
    )

    class Meta:
        abstract = True

    @property
    def represented(self):
        """The body represented, if any (one of the four links)."""
        return (
            self.represented_epci
            or self.represented_ept
            or self.represented_departement
            or self.represented_region
        )


class ActiveQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        on = on or date.today()
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))


def membership_in_office(on: date) -> models.Q:
    """The condition of ``MembershipQuerySet.active`` as a ``Q`` (to combine in one query):
    a mandate that starts later is not in office yet (a renewal prepared in advance)."""
    return (
        (models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))
        & models.Q(mandate_start__lte=on)
        & (models.Q(mandate_end__isnull=True) | models.Q(mandate_end__gte=on))
    )


class MembershipQuerySet(ActiveQuerySet):
    def active(self, on: date | None = None):
        """In office on ``on``: neither ended early nor past the end of the mandate
        (DEC-MANDATE: an expired mandate no longer counts for votes, DEC-MAX or access)."""
        return self.filter(membership_in_office(on or date.today()))


class CoPresidency(RepresentedBody):
    """DEC-COPRESIDENCY: the State side (préfet) and the local-authority side."""

    class Side(models.TextChoices):
        STATE = "state", "État"
        LOCAL_AUTHORITY = "local_authority", "Collectivités territoriales"

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="copresidencies"
    )
    side = models.CharField("côté", max_length=16, choices=Side.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="copresidencies"
    )
    office = models.CharField(
        "qualité",
        max_length=255,
        help_text="Par exemple « Préfète du Rhône » ou « Président de la CC ».",
    )
    authority = models.CharField(
        "collectivité représentée",
        max_length=255,
        blank=True,
        help_text="Pour le côté des collectivités : la collectivité ou le groupement.",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_copresidencies",
        verbose_name="délégataire",
    )
    votes = models.PositiveSmallIntegerField("nombre de voix", default=1)
    started_on = models.DateField("début")
    ended_on = models.DateField("fin", null=True, blank=True)

    objects = ActiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "co-présidence"
        verbose_name_plural = "co-présidences"
        ordering = ["side", "started_on"]

    def __str__(self):
        return f"{self.office} — {self.committee}"

    @property
    def balance_side(self) -> str:
        return Side.STATE if self.side == self.Side.STATE else Side.LOCAL_AUTHORITIES


class Membership(RepresentedBody):
    """A seat in a committee (DEC-CATEGORIES, DEC-VOTERS, DEC-VOTES, DEC-MANDATE)."""

    class Role(models.TextChoices):
        TITULAR = "titular", "Titulaire"
        SUBSTITUTE = "substitute", "Suppléant"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.CharField("organisme", max_length=255)
    category = models.CharField("catégorie", max_length=20, choices=Category.choices)
    is_permanent = models.BooleanField("membre permanent", default=True)
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.TITULAR)
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name="suppléant de",
    )
    # DEC-VOTERS: set from the category by the services, never by the user.
    has_vote = models.BooleanField("voix délibérative", default=False, editable=False)
    votes = models.PositiveSmallIntegerField("nombre de voix", default=0)
    mandate_start = models.DateField("début du mandat")
    mandate_end = models.DateField("fin du mandat", null=True, blank=True)
    appointment_arrete = models.CharField("arrêté de désignation", max_length=255, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="remplace",
    )
    # DEC-MANDATE: the seat this one renews for a new three-year mandate (committee renewal).
    renews = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name="renouvelle",
    )
    ended_on = models.DateField("fin anticipée", null=True, blank=True)
    end_reason = models.CharField("motif de fin", max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["category", "organisation"]
        indexes = [models.Index(fields=["committee", "category"])]

    def __str__(self):
        return f"{self.person} ({self.organisation})"

    @property
    def balance_side(self) -> str:
        return CATEGORY_SIDE.get(self.category, Side.NETWORK)

    @staticmethod
    def category_votes(category: str) -> bool:
        return category in VOTING_CATEGORIES

    def mandate_ends_within(self, days: int, today: date | None = None) -> bool:
        today = today or date.today()
        return bool(
            self.mandate_end
            and today <= self.mandate_end <= date.fromordinal(today.toordinal() + days)
        )


class Commission(models.Model):
    """A commission or working group (INS-CDE-COMMISSIONS, DEC-IAE)."""

    class Kind(models.TextChoices):
        IAE = "iae", "Commission inclusion et insertion par l'activité économique"
        COMMISSION = "commission", "Commission"
        WORKING_GROUP = "working_group", "Groupe de travail"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="commissions")
    kind = models.CharField("nature", max_length=15, choices=Kind.choices, default=Kind.COMMISSION)
    name = models.CharField("nom", max_length=255)
    mission = models.TextField("mission", blank=True)
    is_mandatory = models.BooleanField("obligatoire", default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "commission"
        verbose_name_plural = "commissions"
        ordering = ["-is_mandatory", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee"],
                condition=models.Q(kind="iae"),
                name="one_iae_commission_per_committee",
            )
        ]

    def __str__(self):
        return self.name


class CommissionMember(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats"
    )
    organisation = models.CharField("organisme", max_length=255)
    is_chair = models.BooleanField("préside la commission", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre de commission"
        verbose_name_plural = "membres de commission"
        ordering = ["-is_chair", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "person"], name="unique_commission_member"
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.commission}"
