"""Rules of procedure (INS-RULES) and the CREFOP rotation of départements (INS-CRE-CREFOP)."""

from django.db import models
from simple_history.models import HistoricalRecords

from committees.models.committee import Committee
from committees.models.rules import Level
from territories.models import Departement

# INS-RULES: the headings a departmental or local committee's rules of procedure must cover.
# (field name, heading, required)
# The inclusion & IAE commission is the CDE's (DEC-IAE): only a departmental committee's rules
# must say how it works (``heading_required``); a CLE's may, never must.
RULES_HEADINGS = (
    ("principles", "Principes de fonctionnement", True),
    ("secretariat", "Secrétariat", True),
    ("bodies", "Instances stratégiques et techniques", True),
    ("means", "Moyens matériels et humains", True),
    ("meetings", "Nombre minimal de réunions", True),
    ("commissions", "Groupes de travail et commissions", True),
    ("iae_commission", "Commission inclusion et insertion par l'activité économique", True),
    ("coordination", "Coordination", True),
    ("user_representation", "Représentation des usagers", False),
)


HEADINGS_REQUIRED_ONLY_AT = {"iae_commission": Level.DEPARTMENTAL}


def heading_required(field: str, required: bool, level: str) -> bool:
    """INS-RULES: whether the heading ``field`` must be written before adoption at ``level``."""
    only_at = HEADINGS_REQUIRED_ONLY_AT.get(field)
    return required and (only_at is None or only_at == level)


def required_headings(level: str) -> list[tuple[str, str]]:
    """(field, heading) of the headings a committee of ``level`` must write (INS-RULES)."""
    return [
        (field, heading)
        for field, heading, required in RULES_HEADINGS
        if heading_required(field, required, level)
    ]


class RulesOfProcedure(models.Model):
    """One version of a committee's rules of procedure; adopted when ``adopted_on`` is set."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="rules_versions"
    )
    version = models.PositiveSmallIntegerField("version")
    principles = models.TextField("principes de fonctionnement", blank=True)
    secretariat = models.TextField("secrétariat", blank=True)
    bodies = models.TextField("instances stratégiques et techniques", blank=True)
    means = models.TextField("moyens matériels et humains", blank=True)
    meetings = models.TextField("nombre minimal de réunions", blank=True)
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "réunions par an au minimum",
        default=3,
        help_text="Trois par an conseillées.",
    )
    commissions = models.TextField("groupes de travail et commissions", blank=True)
    iae_commission = models.TextField("commission inclusion et IAE", blank=True)
    coordination = models.TextField("coordination", blank=True)
    user_representation = models.TextField("représentation des usagers", blank=True)
    adopted_on = models.DateField("adopté le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "règlement intérieur"
        verbose_name_plural = "règlements intérieurs"
        ordering = ["committee", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "version"], name="unique_rules_version")
        ]

    def __str__(self):
        return f"Règlement intérieur v{self.version} — {self.committee}"

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None

    def sections(self):
        level = self.committee.level
        return [
            (heading, getattr(self, field), heading_required(field, required, level))
            for field, heading, required in RULES_HEADINGS
        ]


class CrefopRotation(models.Model):
    """INS-CRE-CREFOP: which départements sit in the CRE in each year of the mandate."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="rotation")
    year = models.PositiveSmallIntegerField("année du mandat")  # 1, 2 or 3
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rotation des départements"
        verbose_name_plural = "rotations des départements"
        ordering = ["year", "departement_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "departement"], name="unique_rotation_seat"
            )
        ]

    def __str__(self):
        return f"Année {self.year} — {self.departement_id}"
