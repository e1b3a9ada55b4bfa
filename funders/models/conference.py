"""Funders and funders' conferences (INS-FUNDERS).

A committee keeps a directory of the funders of its territory, each with a contact person who
has an account (the contact reads and comments the conferences their funder takes part in).
A conference belongs to a committee: « conférence des financeurs » at departmental level,
« conférence de financement » at local level. When it is held as a meeting of the committee,
it links to that meeting and its decisions and minutes are the meeting's (same workflow:
drafted by the secretariat, approved by every co-president, rendered as a PDF).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committees.models import Committee, Level
from cte_portal.core.permissions import is_admin, is_signed_in
from funders.models.vocabulary import FunderKind
from meetings.models import Meeting


class Funder(models.Model):
    """An organisation that funds insertion and employment on the committee's territory."""

    Kind = FunderKind

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="funders")
    kind = models.CharField("nature", max_length=20, choices=FunderKind.choices)
    name = models.CharField("nom", max_length=255)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="funder_contacts",
        verbose_name="personne de contact",
    )
    contact_phone = models.CharField("téléphone du contact", max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "financeur"
        verbose_name_plural = "financeurs"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_funder_name")
        ]

    def __str__(self):
        return self.name


class ConferenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Conferences ``user`` may see (INS-FUNDERS): those of the committees they see, and
        those a funder whose contact they are takes part in; admins all."""
        if is_admin(user):
            return self
        if not is_signed_in(user):
            return self.none()
        committees = Committee.objects.visible_to(user).values("pk")
        contact_of = self.model.objects.filter(funders__contact=user).values("pk")
        return self.filter(Q(committee__in=committees) | Q(pk__in=contact_of))

    def with_effective_date(self):
        """``effective_date``: the linked meeting's date, else the conference's own."""
        return self.annotate(effective_date=Coalesce("meeting__date", "date"))

    def held(self, today=None):
        """Conferences that took place by ``today``: a linked meeting that was convened and
        whose date has passed, or an unlinked conference whose date has passed."""
        today = today or timezone.localdate()
        return self.filter(
            Q(meeting__isnull=True, date__lte=today)
            | Q(meeting__status=Meeting.Status.CONVENED, meeting__date__lte=today)
        )


class ConferenceLevel(models.TextChoices):
    """The level of a conference is its committee's (INS-FUNDERS)."""

    REGIONAL = Level.REGIONAL.value, "Conférence régionale des financeurs"
    DEPARTMENTAL = Level.DEPARTMENTAL.value, "Conférence départementale des financeurs"
    LOCAL = Level.LOCAL.value, "Conférence locale de financement"


class FundersConference(models.Model):
    """INS-FUNDERS: a funders' conference of a committee."""

    Level = ConferenceLevel

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="funders_conferences"
    )
    level = models.CharField(
        "niveau", max_length=12, choices=ConferenceLevel.choices, editable=False
    )
    title = models.CharField("intitulé", max_length=255)
    year = models.PositiveSmallIntegerField("année")
    date = models.DateField("date")
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funders_conference",
        verbose_name="réunion du comité",
    )
    funders = models.ManyToManyField(
        Funder, blank=True, related_name="conferences", verbose_name="financeurs participants"
    )
    # Used only when the conference is not held as a meeting: a linked meeting carries its
    # own decisions and minutes.
    decisions = models.TextField("décisions", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConferenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "conférence des financeurs"
        verbose_name_plural = "conférences des financeurs"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["committee", "date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funders:conference", args=[self.pk])

    @property
    def effective_date(self):
        return self.meeting.date if self.meeting_id else self.date

    @property
    def is_local(self) -> bool:
        return self.level == Level.LOCAL

    @property
    def is_departmental(self) -> bool:
        return self.level == Level.DEPARTMENTAL


class ConferenceComment(models.Model):
    """A comment of a co-president, a funder's contact or the secretariat on a conference."""

    conference = models.ForeignKey(
        FundersConference, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("commentaire")
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "commentaire"
        verbose_name_plural = "commentaires"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:80]
