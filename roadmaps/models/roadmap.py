"""A committee's roadmap: axes, action sheets, the role of each actor, good practices, the
co-presidents' decisions, frozen published versions, CAR presentations and PDF exports
(INS-ROADMAP, INS-ROADMAP-SHAPE, INS-ACTION-SHEET, INS-CAR, INS-GOOD-PRACTICES, INS-USERS)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from committees.models import Committee, CoPresidency, Membership

PERSONAL_DATA_HELP = "Publié en données ouvertes : n'y mentionnez aucune personne nommément."


class RoadmapQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A roadmap is visible to whoever sees its committee (``committees.permissions``)."""
        return self.filter(committee__in=Committee.objects.visible_to(user))

    def published(self):
        return self.filter(published_version__gt=0)


class Roadmap(models.Model):
    """INS-ROADMAP: the one current roadmap of a committee, continuously updated.

    Lifecycle: draft → submitted → approved → published; an edit of a published roadmap
    opens a revision (back to draft) while the published versions stay frozen.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SUBMITTED = "submitted", "Soumise aux co-présidents"
        APPROVED = "approved", "Approuvée"
        PUBLISHED = "published", "Publiée"

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="roadmap")
    title = models.CharField("titre", max_length=255)
    summary = models.TextField(
        "synthèse du diagnostic territorial", blank=True, help_text=PERSONAL_DATA_HELP
    )
    orientations = models.TextField(
        "prise en compte des orientations",
        blank=True,
        help_text=(
            "Comment la feuille de route décline les orientations nationales et celles des "
            "comités régional et départemental."
        ),
    )
    users_participation = models.TextField(
        "participation des usagers",
        blank=True,
        help_text=("Comment les usagers prennent part à la définition et au suivi des actions."),
    )
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Each submission, and each edit after a decision, opens a new round: only the decisions
    # of the current round count.
    approval_round = models.PositiveIntegerField("tour d'approbation", default=0)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    approved_at = models.DateTimeField("approuvée le", null=True, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_version = models.PositiveIntegerField("dernière version publiée", default=0)
    content_updated_at = models.DateTimeField("contenu modifié le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoadmapQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "feuille de route"
        verbose_name_plural = "feuilles de route"
        ordering = ["committee__region_id", "committee__level", "committee__name"]

    def __str__(self):
        return f"{self.title} — {self.committee}"

    def get_absolute_url(self):
        return reverse("roadmaps:detail", args=[self.pk])

    @property
    def is_revision(self) -> bool:
        """A published roadmap being edited again (a new version in preparation)."""
        return self.published_version > 0 and self.status != self.Status.PUBLISHED


class Axis(models.Model):
    """INS-ROADMAP-SHAPE: a priority of the territory — diagnostic, stakes, objectives."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="axes")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    title = models.CharField("intitulé", max_length=255)
    diagnostic = models.TextField("diagnostic", help_text=PERSONAL_DATA_HELP)
    stakes = models.TextField("enjeux")
    objectives = models.TextField("objectifs")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ActionSheet(models.Model):
    """INS-ACTION-SHEET: a territorial problem, the objective all actors set, the public /
    territory / sector aimed at, the role of each actor, indicators and expected results."""

    class Status(models.TextChoices):
        TO_LAUNCH = "to_launch", "À lancer"
        IN_PROGRESS = "in_progress", "En cours"
        DONE = "done", "Réalisée"
        ABANDONED = "abandoned", "Abandonnée"

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="sheets")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    title = models.CharField("intitulé", max_length=255)
    problem = models.TextField("problème territorial", help_text=PERSONAL_DATA_HELP)
    objective = models.TextField("objectif partagé par les acteurs")
    target_public = models.CharField("public visé", max_length=255, blank=True)
    target_territory = models.CharField("territoire visé", max_length=255, blank=True)
    sector = models.CharField("filière ou secteur visé", max_length=255, blank=True)
    expected_results = models.TextField("résultats attendus")
    users_participation = models.TextField(
        "participation des usagers",
        blank=True,
        help_text="Comment les usagers participent à cette action.",
    )
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)
    status = models.CharField(
        "état d'avancement", max_length=12, choices=Status.choices, default=Status.TO_LAUNCH
    )
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:sheet", args=[self.pk])

    @property
    def has_targets(self) -> bool:
        return bool(self.target_public or self.target_territory or self.sector)


class ActorRole(models.Model):
    """INS-ACTION-SHEET: what one actor — a network member or another organisation — commits
    to in an action. Organisations only: never a person (INS-OPEN-DATA)."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="actors")
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="membre du comité",
    )
    organisation = models.CharField("organisme", max_length=255)
    commitment = models.TextField("engagement")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rôle d'un acteur"
        verbose_name_plural = "rôles des acteurs"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.organisation


class GoodPractice(models.Model):
    """INS-GOOD-PRACTICES: an action with a proven impact, its costs and what scaling it up
    needs, shown in the catalogue to everyone signed in."""

    sheet = models.OneToOneField(
        ActionSheet, on_delete=models.CASCADE, related_name="good_practice"
    )
    impact = models.TextField("impact constaté")
    financial_cost = models.TextField("coût financier")
    human_cost = models.TextField("coût humain")
    organisational_cost = models.TextField("coût organisationnel")
    scale_up_needs = models.TextField("conditions d'essaimage")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField("reconnue le", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "bonne pratique"
        verbose_name_plural = "bonnes pratiques"
        ordering = ["-marked_at"]

    def __str__(self):
        return f"Bonne pratique : {self.sheet}"


class Approval(models.Model):
    """A co-president's decision on a submitted roadmap, in one approval round."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approuvée"
        CHANGES_REQUESTED = "changes_requested", "Modifications demandées"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveIntegerField("tour")
    copresidency = models.ForeignKey(CoPresidency, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("décision", max_length=20, choices=Decision.choices)
    comment = models.TextField("commentaire", blank=True)
    decided_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "décision d'un co-président"
        verbose_name_plural = "décisions des co-présidents"
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["roadmap", "round"])]

    def __str__(self):
        return f"{self.get_decision_display()} — {self.copresidency.office}"


class RoadmapVersion(models.Model):
    """A published version, frozen: its content is a snapshot taken at publication and never
    changes afterwards (later edits open the next version)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    snapshot = models.JSONField("contenu publié")
    published_at = models.DateTimeField("publiée le")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "version publiée"
        verbose_name_plural = "versions publiées"
        ordering = ["roadmap", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="unique_roadmap_version")
        ]

    def __str__(self):
        return f"Version {self.number} — {self.roadmap}"

    def save(self, *args, **kwargs):
        # A published version is a record of what the co-presidents approved: never rewritten.
        if self.pk is not None:
            raise ValueError("Une version publiée est figée : elle ne peut pas être modifiée.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("roadmaps:version", args=[self.roadmap_id, self.number])


class CarPresentation(models.Model):
    """INS-CAR: a departmental or regional roadmap presented in the comité de l'administration
    régionale, with its date and outcome."""

    class Outcome(models.TextChoices):
        NOTED = "noted", "Présentée pour information"
        ENDORSED = "endorsed", "Accueil favorable"
        ENDORSED_WITH_REMARKS = "endorsed_with_remarks", "Accueil favorable avec observations"
        TO_REVISE = "to_revise", "À retravailler"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="car_presentations")
    version = models.ForeignKey(
        RoadmapVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="car_presentations",
        verbose_name="version présentée",
    )
    presented_on = models.DateField("date de présentation en CAR")
    outcome = models.CharField("suite donnée", max_length=25, choices=Outcome.choices)
    remarks = models.TextField("observations", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "présentation en CAR"
        verbose_name_plural = "présentations en CAR"
        ordering = ["-presented_on", "-pk"]

    def __str__(self):
        return f"CAR du {self.presented_on:%d/%m/%Y} — {self.roadmap}"


class RoadmapExport(models.Model):
    """A PDF of the roadmap (or of one of its versions), rendered by a Celery task."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="exports")
    version = models.ForeignKey(
        RoadmapVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField("état", max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("progression (%)", default=0)
    file = models.FileField("fichier", upload_to="roadmaps/exports/%Y/%m/", blank=True)
    error = models.TextField("erreur", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "export PDF"
        verbose_name_plural = "exports PDF"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Export PDF n° {self.pk} — {self.roadmap}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
