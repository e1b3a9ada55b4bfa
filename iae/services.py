"""Writes on the IAE commission's files (DEC-IAE, INS-CDE-MISSIONS).

Each function checks the rule, writes in a transaction and keeps the history
(django-simple-history). Callers check ``iae.permissions`` first; a refused rule raises
``RuleError`` with French messages, and nothing is saved.

The life of a file: received → the commission's opinion (by a vote or by consensus, in a
meeting of the commission) → the notice sent to the préfet (or the DDETS acting for them), who
decides. A request may be withdrawn before the notice. The commission's voting rules are
[OPEN] (rules of procedure): counts that do not match the opinion give a warning
(``opinion_warnings``), never a refusal.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from committees.models import Commission, Committee, Level
from cte_portal.core.errors import RuleError
from iae.models import IaeOpinion, IaeRequest, RequestKind, RequestStatus, SiaeType
from iae.siret import check_siret
from meetings.models import Meeting

MAX_AMOUNT = Decimal("100000000")  # 100 M€: a typing error beyond
MAX_FTE = Decimal("10000")


def iae_commission(committee: Committee) -> Commission | None:
    """DEC-IAE: the CDE's inclusion & IAE commission."""
    return committee.commissions.filter(kind=Commission.Kind.IAE).first()


def _today() -> date:
    return timezone.localdate()


def _check_cde(committee: Committee) -> None:
    if committee.level != Level.DEPARTMENTAL:
        raise RuleError(
            "Seule la commission inclusion et IAE d'un comité départemental donne un avis sur "
            "les conventionnements et le fonds de développement de l'inclusion.",
            rule="DEC-IAE",
        )
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité départemental est dissous.")
    if iae_commission(committee) is None:
        raise RuleError(
            "Ce comité départemental n'a pas de commission inclusion et IAE.", rule="DEC-IAE"
        )


@dataclass(frozen=True)
class RequestData:
    kind: str
    structure_name: str
    siret: str
    siae_type: str
    period_start: date | None
    period_end: date | None
    received_on: date | None
    amount_requested: Decimal | None = None
    fte_requested: Decimal | None = None
    subject: str = ""


def _clean(data: RequestData) -> dict:
    """The checked fields of a request, or every problem at once."""
    problems: list[str] = []
    field = None
    if data.kind not in RequestKind.values:
        problems.append("Indiquez s'il s'agit d'un conventionnement ou d'une demande au FDI.")
        field = "kind"
    if data.siae_type not in SiaeType.values:
        problems.append("Indiquez le type de SIAE (ACI, AI, EI, ETTI, EITI).")
        field = field or "siae_type"
    if not data.structure_name.strip():
        problems.append("Indiquez le nom de la structure.")
        field = field or "structure_name"
    try:
        siret = check_siret(data.siret)
    except RuleError as error:
        problems.extend(error.messages)
        field = field or "siret"
        siret = ""
    if data.period_start is None or data.period_end is None:
        problems.append("Indiquez le début et la fin de la période concernée.")
        field = field or "period_start"
    elif data.period_end < data.period_start:
        problems.append("La fin de la période ne peut précéder son début.")
        field = field or "period_end"
    if data.received_on is None:
        problems.append("Indiquez la date de réception de la demande.")
        field = field or "received_on"
    elif data.received_on > _today():
        problems.append("La date de réception ne peut être future.")
        field = field or "received_on"
    for value, label, ceiling, name in (
        (data.amount_requested, "Le montant demandé", MAX_AMOUNT, "amount_requested"),
        (data.fte_requested, "Le nombre de postes demandés", MAX_FTE, "fte_requested"),
    ):
        if value is not None and not (0 <= value < ceiling):
            problems.append(f"{label} doit être positif et vraisemblable.")
            field = field or name
    # DEC-IAE: an FDI request is a grant: the commission gives its opinion on an amount.
    if data.kind == RequestKind.FDI and data.amount_requested is None:
        problems.append("Indiquez le montant demandé au fonds de développement de l'inclusion.")
        field = field or "amount_requested"
    if problems:
        raise RuleError(problems, field=field if len(problems) == 1 else None, rule="DEC-IAE")
    return {
        "kind": data.kind,
        "structure_name": data.structure_name.strip(),
        "siret": siret,
        "siae_type": data.siae_type,
        "period_start": data.period_start,
        "period_end": data.period_end,
        "received_on": data.received_on,
        "amount_requested": data.amount_requested,
        "fte_requested": data.fte_requested,
        "subject": (data.subject or "").strip(),
    }


@transaction.atomic
def create_request(*, committee: Committee, user, data: RequestData) -> IaeRequest:
    """DEC-IAE: the CDE's secretariat records a request submitted to the IAE commission: a
    conventionnement of an SIAE or a grant of the FDI, with the structure's SIRET."""
    _check_cde(committee)
    fields = _clean(data)
    return IaeRequest.objects.create(committee=committee, created_by=user, **fields)


def _lock(iae_request: IaeRequest) -> IaeRequest:
    return IaeRequest.objects.select_for_update().get(pk=iae_request.pk)


@transaction.atomic
def update_request(*, iae_request: IaeRequest, user, data: RequestData) -> IaeRequest:
    """Correct a request while the commission has not given its opinion."""
    iae_request = _lock(iae_request)
    if iae_request.status != RequestStatus.RECEIVED:
        raise RuleError(
            "La commission a rendu son avis sur cette demande : elle ne peut plus être modifiée."
        )
    for name, value in _clean(data).items():
        setattr(iae_request, name, value)
    iae_request.save()
    return iae_request


@transaction.atomic
def withdraw_request(*, iae_request: IaeRequest, user, reason: str) -> IaeRequest:
    """The structure withdraws its request (before the notice is sent)."""
    iae_request = _lock(iae_request)
    if iae_request.status in (RequestStatus.NOTICE_SENT, RequestStatus.WITHDRAWN):
        raise RuleError(
            f"Cette demande ne peut plus être retirée : {iae_request.get_status_display().lower()}."
        )
    if not (reason or "").strip():
        raise RuleError("Indiquez le motif du retrait.", field="reason")
    iae_request.status = RequestStatus.WITHDRAWN
    iae_request.withdrawn_reason = reason.strip()[:500]
    iae_request.save()
    return iae_request


# --- The commission's opinion (DEC-IAE) --------------------------------------------------------


def commission_meetings(committee: Committee):
    """The meetings of the CDE's IAE commission where an opinion can have been given: not
    cancelled, already held or under way (today at the latest)."""
    return (
        Meeting.objects.filter(committee=committee, commission__kind=Commission.Kind.IAE)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(date__lte=_today())
        .order_by("-date", "-start_time")
    )


@dataclass(frozen=True)
class OpinionData:
    verdict: str
    method: str
    given_on: date | None = None
    meeting: Meeting | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    reasons: str = ""
    reservations: str = ""
    amount_proposed: Decimal | None = None
    fte_proposed: Decimal | None = None


def _check_meeting(iae_request: IaeRequest, meeting: Meeting) -> list[str]:
    problems = []
    commission = meeting.commission
    if (
        meeting.committee_id != iae_request.committee_id
        or commission is None
        or commission.kind != Commission.Kind.IAE
    ):
        problems.append(
            "Cette réunion n'est pas une réunion de la commission inclusion et IAE de ce comité."
        )
    if meeting.status == Meeting.Status.CANCELLED:
        problems.append("Cette réunion a été annulée.")
    if meeting.date > _today():
        problems.append("Cette réunion n'a pas encore eu lieu.")
    return problems


@transaction.atomic
def record_opinion(*, iae_request: IaeRequest, user, data: OpinionData) -> IaeOpinion:
    """DEC-IAE: record the commission's opinion — favourable, unfavourable or favourable with
    reservations — given in a meeting of the commission, by a vote (for, against,
    abstentions) or by consensus. The opinion can be corrected until the notice is sent."""
    iae_request = _lock(iae_request)
    if iae_request.status == RequestStatus.WITHDRAWN:
        raise RuleError("Cette demande a été retirée : la commission n'a pas d'avis à rendre.")
    if iae_request.status == RequestStatus.NOTICE_SENT:
        raise RuleError(
            "L'avis a déjà été transmis au préfet : il ne peut plus être modifié.",
            rule="DEC-IAE",
        )
    problems: list[str] = []
    if data.verdict not in IaeOpinion.Verdict.values:
        problems.append("Indiquez l'avis de la commission.")
    if data.method not in IaeOpinion.Method.values:
        problems.append("Indiquez si l'avis a été voté ou adopté par consensus.")
    given_on = data.given_on
    if data.meeting is not None:
        problems.extend(_check_meeting(iae_request, data.meeting))
        if given_on is None:
            given_on = data.meeting.date
        elif given_on != data.meeting.date:
            problems.append(
                f"L'avis est rendu le jour de la réunion de la commission "
                f"({data.meeting.date:%d/%m/%Y})."
            )
    if given_on is None:
        problems.append("Indiquez la date de la réunion où la commission a rendu son avis.")
    elif given_on > _today():
        problems.append("La date de l'avis ne peut être future.")
    elif given_on < iae_request.received_on:
        problems.append("L'avis ne peut précéder la réception de la demande.")
    counts = (data.votes_for, data.votes_against, data.votes_abstain)
    if data.method == IaeOpinion.Method.VOTE:
        if any(count is None for count in counts):
            problems.append("Indiquez les voix pour, contre et les abstentions.")
        elif any(count < 0 for count in counts):
            problems.append("Les nombres de voix ne peuvent être négatifs.")
        elif sum(counts) == 0:
            problems.append("Aucune voix n'est indiquée : un avis voté compte au moins une voix.")
    elif data.method == IaeOpinion.Method.CONSENSUS and any(c not in (None, 0) for c in counts):
        problems.append(
            "Un avis adopté par consensus ne compte pas de voix : choisissez « Vote » pour "
            "indiquer les voix."
        )
    if data.verdict == IaeOpinion.Verdict.RESERVED and not data.reservations.strip():
        problems.append("Indiquez les réserves de la commission.")
    for value, label in (
        (data.amount_proposed, "Le montant proposé"),
        (data.fte_proposed, "Le nombre de postes proposés"),
    ):
        if value is not None and value < 0:
            problems.append(f"{label} ne peut être négatif.")
    if problems:
        raise RuleError(problems, rule="DEC-IAE")
    voted = data.method == IaeOpinion.Method.VOTE
    opinion, _ = IaeOpinion.objects.update_or_create(
        request=iae_request,
        defaults={
            "verdict": data.verdict,
            "method": data.method,
            "votes_for": data.votes_for if voted else None,
            "votes_against": data.votes_against if voted else None,
            "votes_abstain": data.votes_abstain if voted else None,
            "meeting": data.meeting,
            "given_on": given_on,
            "reasons": data.reasons.strip(),
            "reservations": data.reservations.strip()
            if data.verdict == IaeOpinion.Verdict.RESERVED
            else "",
            "amount_proposed": data.amount_proposed,
            "fte_proposed": data.fte_proposed,
            "recorded_by": user,
        },
    )
    iae_request.status = RequestStatus.OPINION_GIVEN
    iae_request.save(update_fields=["status", "updated_at"])
    return opinion


def opinion_warnings(opinion: IaeOpinion | None) -> list[str]:
    """Counts that do not match the opinion: a warning for the secretariat to check, never a
    refusal (the commission's voting rules are its own, DEC-IAE [OPEN])."""
    if opinion is None or opinion.method != IaeOpinion.Method.VOTE:
        return []
    votes_for, votes_against = opinion.votes_for or 0, opinion.votes_against or 0
    if opinion.verdict == IaeOpinion.Verdict.UNFAVOURABLE and votes_for > votes_against:
        return ["L'avis est défavorable alors que les voix pour sont majoritaires : vérifiez."]
    if opinion.verdict != IaeOpinion.Verdict.UNFAVOURABLE and votes_against > votes_for:
        return ["L'avis est favorable alors que les voix contre sont majoritaires : vérifiez."]
    return []


@transaction.atomic
def record_notice(
    *,
    iae_request: IaeRequest,
    user,
    sent_on: date | None,
    recipient: str,
    recipient_label: str = "",
) -> IaeOpinion:
    """DEC-IAE: the commission's opinion is sent to the préfet (or to the DDETS acting for
    them), who concludes the convention or attributes the grant. The opinion is then final."""
    iae_request = _lock(iae_request)
    opinion = IaeOpinion.objects.select_for_update().filter(request=iae_request).first()
    if opinion is None or iae_request.status == RequestStatus.WITHDRAWN:
        raise RuleError(
            "La commission n'a pas encore rendu d'avis sur cette demande : rien à transmettre.",
            rule="DEC-IAE",
        )
    if opinion.notice_sent:
        raise RuleError(f"L'avis a déjà été transmis le {opinion.notice_sent_on:%d/%m/%Y}.")
    problems = []
    if recipient not in IaeOpinion.Recipient.values:
        problems.append("Indiquez le destinataire de l'avis : le préfet ou la DDETS.")
    if sent_on is None:
        problems.append("Indiquez la date d'envoi de l'avis.")
    elif sent_on > _today():
        problems.append("La date d'envoi ne peut être future.")
    elif sent_on < opinion.given_on:
        problems.append("L'avis ne peut être transmis avant d'avoir été rendu.")
    if problems:
        raise RuleError(problems, rule="DEC-IAE")
    opinion.notice_sent_on = sent_on
    opinion.notice_recipient = recipient
    opinion.notice_recipient_label = (recipient_label or "").strip()[:255]
    opinion.save()
    iae_request.status = RequestStatus.NOTICE_SENT
    iae_request.save(update_fields=["status", "updated_at"])
    return opinion
