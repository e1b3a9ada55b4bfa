"""Bodies of the employment network that are audited, report to the committees, or commit.

A ``NetworkBody`` is an organisation (France Travail's territorial direction, a Mission
locale, a Cap emploi, a conseil départemental, a body delegated by a local authority) with
the users who act for it. "The audited body's users" of INS-AUDIT are the users linked here:
they see their own audit once its report is delivered; "the reporting body's users" of
INS-REPORTING upload its reports. Admins and the State services of its territory link them
(``audits.services.bodies``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cte_portal.core.permissions import is_signed_in
from territories.models import Departement


class BodyKind(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    CONSEIL_DEPARTEMENTAL = "conseil_departemental", "Conseil départemental"
    DELEGATED = "delegated", "Organisme délégataire d'une collectivité"


# INS-AUDIT: a CDE may audit France Travail, Missions locales, Cap emploi and bodies
# delegated by local authorities — not a conseil départemental itself.
AUDITABLE_KINDS = frozenset(
    {BodyKind.FRANCE_TRAVAIL, BodyKind.MISSION_LOCALE, BodyKind.CAP_EMPLOI, BodyKind.DELEGATED}
)
# INS-AUDIT: the audit of a delegated body needs the delegating authority's agreement.
AGREEMENT_KINDS = frozenset({BodyKind.DELEGATED})


def body_ids_of(user) -> set[int]:
    """The network bodies ``user`` acts for (one query)."""
    if not is_signed_in(user):
        return set()
    return set(user.network_bodies.values_list("pk", flat=True))


class NetworkBodyQuerySet(models.QuerySet):
    def for_committee(self, committee):
        """The bodies of the committee's départements, and the national ones."""
        return self.filter(
            Q(departement__in=committee.departements.all()) | Q(departement__isnull=True)
        )

    def auditable(self):
        return self.filter(kind__in=AUDITABLE_KINDS)

    def active(self):
        return self.filter(is_active=True)


class NetworkBody(models.Model):
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("nature", max_length=25, choices=BodyKind.choices)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
        help_text="Vide pour un organisme national.",
    )
    delegating_authority = models.CharField(
        "collectivité délégante",
        max_length=255,
        blank=True,
        help_text="Pour un organisme délégataire : la collectivité qui lui a délégué la mission.",
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="network_bodies",
        verbose_name="utilisateurs agissant pour l'organisme",
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkBodyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisme du réseau pour l'emploi"
        verbose_name_plural = "organismes du réseau pour l'emploi"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "departement"], name="unique_network_body"),
            models.CheckConstraint(
                name="delegated_body_names_its_authority",
                condition=~Q(kind="delegated") | ~Q(delegating_authority=""),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_auditable(self) -> bool:
        return self.kind in AUDITABLE_KINDS

    @property
    def requires_agreement(self) -> bool:
        return self.kind in AGREEMENT_KINDS
