"""Requests submitted to the inclusion & IAE commission of a CDE, and its opinions (DEC-IAE).

DEC-IAE (articles R. 5311-26, R. 5132-27 and R. 5132-47 of the code du travail): each CDE has
a « commission de l'inclusion et de l'insertion par l'activité économique ». The préfet
consults it before concluding the conventions of the SIAE (conventionnement: ACI, AI, EI,
ETTI, EITI), and the grants of the fonds de développement de l'inclusion (FDI) are attributed
after its opinion (INS-CDE-MISSIONS). One ``IaeRequest`` is one file: the structure (SIRET),
its type, the amounts, the period; one ``IaeOpinion`` is the commission's opinion on it, given
in a meeting of the commission (by a vote or by consensus), then the notice sent to the
préfet (DDETS) who decides.

The commission's composition, chair and voting rules are [OPEN] (rules of procedure,
arrêté): the opinion records the counts the commission gives; nothing here weighs votes.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from committees.models import Commission, CommissionMember, Committee
from committees.permissions import COPRESIDE, MANAGE, committee_ids_with
from cte_portal.core.permissions import is_admin, is_signed_in
from meetings.models import Meeting


class SiaeType(models.TextChoices):
    ACI = "aci", "Atelier et chantier d'insertion (ACI)"
    AI = "ai", "Association intermédiaire (AI)"
    EI = "ei", "Entreprise d'insertion (EI)"
    ETTI = "etti", "Entreprise de travail temporaire d'insertion (ETTI)"
    EITI = "eiti", "Entreprise d'insertion par le travail indépendant (EITI)"


class RequestKind(models.TextChoices):
    CONVENTION = "convention", "Conventionnement"
    FDI = "fdi", "Fonds de développement de l'inclusion (FDI)"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Reçue, en attente de l'avis"
    OPINION_GIVEN = "opinion_given", "Avis rendu, à transmettre"
    NOTICE_SENT = "notice_sent", "Avis transmis au préfet"
    WITHDRAWN = "withdrawn", "Retirée"


# DSFR badge of each status (screens only).
STATUS_BADGES = {
    RequestStatus.RECEIVED: "new",
    RequestStatus.OPINION_GIVEN: "warning",
    RequestStatus.NOTICE_SENT: "success",
    RequestStatus.WITHDRAWN: "info",
}


def iae_committee_ids(user) -> set[int]:
    """The CDEs whose IAE files ``user`` reads (see ``iae.permissions``), in two queries."""
    if not is_signed_in(user):
        return set()
    ids = committee_ids_with(user, MANAGE) | committee_ids_with(user, COPRESIDE)
    ids |= set(
        CommissionMember.objects.filter(
            person=user, commission__kind=Commission.Kind.IAE
        ).values_list("commission__committee_id", flat=True)
    )
    return ids


class IaeRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """DEC-IAE: the files of the CDEs whose secretariat, co-presidency or IAE commission
        ``user`` belongs to; admins all."""
        if is_admin(user):
            return self
        return self.filter(committee_id__in=iae_committee_ids(user))


class IaeRequest(models.Model):
    """One request on which the IAE commission gives its opinion (DEC-IAE)."""

    Kind = RequestKind
    Status = RequestStatus

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="iae_requests", verbose_name="CDE"
    )
    kind = models.CharField("nature de la demande", max_length=12, choices=RequestKind.choices)
    structure_name = models.CharField("structure", max_length=255)
    siret = models.CharField("SIRET", max_length=14)
    siae_type = models.CharField("type de SIAE", max_length=5, choices=SiaeType.choices)
    subject = models.TextField("objet de la demande", blank=True)
    # Conventionnement: the aided posts (ETP) asked; FDI: the grant asked.
    fte_requested = models.DecimalField(
        "postes demandés (ETP)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    amount_requested = models.DecimalField(
        "montant demandé (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    received_on = models.DateField("reçue le")
    status = models.CharField(
        "statut",
        max_length=15,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
        db_index=True,
    )
    withdrawn_reason = models.CharField("motif du retrait", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IaeRequestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "demande soumise à la commission IAE"
        verbose_name_plural = "demandes soumises à la commission IAE"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["committee", "status", "received_on"])]
        constraints = [
            models.CheckConstraint(
                name="iae_request_period_in_order",
                condition=Q(period_end__gte=models.F("period_start")),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.structure_name}"

    def get_absolute_url(self):
        return reverse("iae:detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def current_opinion(self):
        """The commission's opinion, or None (the reverse one-to-one raises when missing)."""
        try:
            return self.opinion
        except ObjectDoesNotExist:
            return None

    @property
    def siret_display(self) -> str:
        return f"{self.siret[:3]} {self.siret[3:6]} {self.siret[6:9]} {self.siret[9:]}"


class IaeOpinion(models.Model):
    """DEC-IAE: the commission's opinion on one request, and the notice sent to the préfet."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", "Favorable"
        UNFAVOURABLE = "unfavourable", "Défavorable"
        RESERVED = "reserved", "Favorable avec réserves"

    class Method(models.TextChoices):
        VOTE = "vote", "Vote"
        CONSENSUS = "consensus", "Consensus"

    class Recipient(models.TextChoices):
        PREFET = "prefet", "Préfet de département"
        DDETS = "ddets", "DDETS (par délégation du préfet)"

    request = models.OneToOneField(IaeRequest, on_delete=models.CASCADE, related_name="opinion")
    verdict = models.CharField("avis", max_length=12, choices=Verdict.choices)
    method = models.CharField("mode d'adoption", max_length=10, choices=Method.choices)
    votes_for = models.PositiveSmallIntegerField("voix pour", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("voix contre", null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField("abstentions", null=True, blank=True)
    # The commission's meeting where the opinion was given, when it is in the portal; the date
    # is kept in every case (a meeting held before the portal).
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="iae_opinions",
        verbose_name="réunion de la commission",
    )
    given_on = models.DateField("avis rendu le")
    reasons = models.TextField("motivation", blank=True)
    reservations = models.TextField("réserves", blank=True)
    amount_proposed = models.DecimalField(
        "montant proposé (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    fte_proposed = models.DecimalField(
        "postes proposés (ETP)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The notice: the opinion sent to the préfet (or the DDETS acting for them), who decides.
    notice_sent_on = models.DateField("avis transmis le", null=True, blank=True)
    notice_recipient = models.CharField(
        "destinataire", max_length=6, choices=Recipient.choices, blank=True
    )
    notice_recipient_label = models.CharField("service destinataire", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avis de la commission IAE"
        verbose_name_plural = "avis de la commission IAE"
        constraints = [
            models.CheckConstraint(
                name="iae_opinion_vote_has_counts",
                condition=Q(method="consensus")
                | Q(
                    votes_for__isnull=False,
                    votes_against__isnull=False,
                    votes_abstain__isnull=False,
                ),
            )
        ]

    def __str__(self):
        return f"Avis {self.get_verdict_display().lower()} du {self.given_on:%d/%m/%Y}"

    @property
    def notice_sent(self) -> bool:
        return self.notice_sent_on is not None

    @property
    def vote_summary(self) -> str:
        if self.method == self.Method.CONSENSUS:
            return "Par consensus"
        return (
            f"Vote : {self.votes_for} pour, {self.votes_against} contre, "
            f"{self.votes_abstain} abstention(s)"
        )


class IaeExport(models.Model):
    """What one export of a CDE's list asked for (DEC-IAE): the list's filters at the time of
    the request, which the background job (``iae.file_jobs``) reads back. Codes and ids only;
    the rows are read again when the file is built, with the requester's scope."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="+", verbose_name="CDE"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="demandé par",
    )
    status = models.CharField("statut", max_length=15, choices=RequestStatus.choices, blank=True)
    kind = models.CharField("nature", max_length=12, choices=RequestKind.choices, blank=True)
    year = models.PositiveSmallIntegerField("année de réception", null=True, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "export des avis de la commission IAE"
        verbose_name_plural = "exports des avis de la commission IAE"

    def __str__(self):
        return f"Export n° {self.pk} — {self.committee}"
