"""Reads of the IAE commission's files (DEC-IAE): the list of a CDE with its filters, and the
rows of its exports. Every read starts from ``IaeRequest.objects.visible_to(user)``."""

from dataclasses import dataclass

from django.db.models import QuerySet

from committees.models import Committee
from iae.models import IaeRequest, RequestKind, RequestStatus


@dataclass(frozen=True)
class Filters:
    status: str = ""
    kind: str = ""
    year: int | None = None

    @property
    def query(self) -> str:
        """The filters as a query string ending with "&" (pagination and export links)."""
        parts = []
        if self.status:
            parts.append(f"statut={self.status}")
        if self.kind:
            parts.append(f"nature={self.kind}")
        if self.year:
            parts.append(f"annee={self.year}")
        return "".join(f"{part}&" for part in parts)


def read_filters(params) -> Filters:
    """The list's filters from a query string; an unknown value is ignored (no filter)."""
    status = params.get("statut", "")
    kind = params.get("nature", "")
    raw_year = params.get("annee", "")
    year = (
        int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4 else None
    )
    return Filters(
        status=status if status in RequestStatus.values else "",
        kind=kind if kind in RequestKind.values else "",
        year=year,
    )


def committee_requests(user, committee: Committee, filters: Filters) -> QuerySet:
    """A CDE's files ``user`` may read, filtered, newest first, with their opinion (one
    query per page, whatever the number of files)."""
    queryset = (
        IaeRequest.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("opinion", "opinion__meeting")
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(received_on__year=filters.year)
    return queryset.order_by("-received_on", "-pk")


EXPORT_HEADERS = [
    "N° de dossier",
    "Nature",
    "Structure",
    "SIRET",
    "Type de SIAE",
    "Objet",
    "Reçue le",
    "Début de la période",
    "Fin de la période",
    "Postes demandés (ETP)",
    "Montant demandé (€)",
    "Statut",
    "Avis",
    "Mode d'adoption",
    "Voix pour",
    "Voix contre",
    "Abstentions",
    "Avis rendu le",
    "Réunion de la commission",
    "Réserves",
    "Motivation",
    "Postes proposés (ETP)",
    "Montant proposé (€)",
    "Avis transmis le",
    "Destinataire",
]


def export_rows(queryset):
    """One row per file for the CSV and XLSX exports (no personal data: structures only)."""
    for item in queryset.iterator(chunk_size=500):
        opinion = item.current_opinion
        row = [
            item.pk,
            item.get_kind_display(),
            item.structure_name,
            item.siret,
            item.get_siae_type_display(),
            item.subject,
            item.received_on,
            item.period_start,
            item.period_end,
            item.fte_requested,
            item.amount_requested,
            item.get_status_display(),
        ]
        if opinion is None:
            row.extend([""] * 13)
        else:
            recipient = opinion.get_notice_recipient_display() if opinion.notice_recipient else ""
            if opinion.notice_recipient_label:
                recipient = f"{recipient} — {opinion.notice_recipient_label}"
            row.extend(
                [
                    opinion.get_verdict_display(),
                    opinion.get_method_display(),
                    opinion.votes_for,
                    opinion.votes_against,
                    opinion.votes_abstain,
                    opinion.given_on,
                    opinion.meeting.title if opinion.meeting_id else "",
                    opinion.reservations,
                    opinion.reasons,
                    opinion.fte_proposed,
                    opinion.amount_proposed,
                    opinion.notice_sent_on,
                    recipient,
                ]
            )
        yield row
