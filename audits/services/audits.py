"""Writes on audit requests and audits (INS-AUDIT, INS-CONSENSUS, DEC-MAJORITY, DEC-AUDIT).

Each function checks the rule, writes in a transaction and records the step in the file's
history (``AuditEvent``). States move only through ``audits.workflow`` (``common.apply_step``). Callers
check the ``audits.permissions`` predicates first; a refused rule raises ``RuleError``
(a ``RuleError``) with French messages, and nothing is saved.

The vote is the meetings engine's: the request is put on the agenda of a CDE meeting as an
audit request (always voted, INS-CONSENSUS), the meeting records the weighted vote with its
quorum (DEC-QUORUM, DEC-MAJORITY, ``meetings.services.decisions.record_decision``), and
``record_vote`` links that decision to the request — nothing here counts votes.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audits import workflow
from audits.models import Audit, AuditDocument, AuthorityAgreement, Commitment, NetworkBody
from audits.services.common import apply_step, lock, log_event, today
from committees.models import Committee, Level
from cte_portal.core.errors import RuleError
from meetings.models import Decision, Meeting
from meetings.services.agenda import add_agenda_item


def _check_texts(*, scope_missions: str, facts: str) -> None:
    if not scope_missions.strip():
        raise RuleError(
            "Indiquez les missions sur lesquelles porte l'audit.", field="scope_missions"
        )
    if not facts.strip():
        raise RuleError("Décrivez les faits constatés.", field="facts")


def _check_body(cde: Committee, body: NetworkBody) -> None:
    """INS-AUDIT: France Travail, a Mission locale, a Cap emploi or a body delegated by a
    local authority, of the CDE's territory (or national)."""
    if not body.is_auditable:
        raise RuleError(
            f"{body.get_kind_display()} : un comité départemental fait auditer France Travail, "
            "les Missions locales, Cap emploi et les organismes délégataires d'une collectivité.",
            field="audited_body",
        )
    if not body.is_active:
        raise RuleError("Cet organisme n'est plus actif.", field="audited_body")
    if (
        body.departement_id is not None
        and not cde.departements.filter(pk=body.departement_id).exists()
    ):
        raise RuleError(
            "Cet organisme n'est pas du territoire du comité départemental.", field="audited_body"
        )


def _check_cde(cde: Committee | None) -> Committee:
    if cde is None or cde.level != Level.DEPARTMENTAL:
        raise RuleError("Seul un comité départemental fait réaliser des audits.")
    if cde.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité départemental est dissous.")
    return cde


def _create(
    *,
    cde: Committee,
    origin: str,
    requesting_committee: Committee | None,
    user,
    audited_body: NetworkBody,
    scope_missions: str,
    scope_quality: str,
    facts: str,
    documents,
    source_commitment: Commitment | None,
) -> Audit:
    _check_cde(cde)
    _check_body(cde, audited_body)
    _check_texts(scope_missions=scope_missions, facts=facts)
    audit = Audit.objects.create(
        committee=cde,
        origin=origin,
        requesting_committee=requesting_committee,
        audited_body=audited_body,
        scope_missions=scope_missions.strip(),
        scope_quality=scope_quality.strip(),
        facts=facts.strip(),
        requires_agreement=audited_body.requires_agreement,  # INS-AUDIT
        source_commitment=source_commitment,
        created_by=user,
    )
    for title, file in documents:
        AuditDocument.objects.create(
            audit=audit, title=title.strip() or file.name, file=file, uploaded_by=user
        )
    if origin == Audit.Origin.REFERRAL:
        label = f"Saisine du comité départemental par « {requesting_committee.name} »"
    else:
        label = "Demande d'audit déposée au comité départemental"
    log_event(audit, name="request", label=label, user=user)
    return audit


@transaction.atomic
def request_audit(
    *,
    committee: Committee,
    user,
    audited_body: NetworkBody,
    scope_missions: str,
    facts: str,
    scope_quality: str = "",
    documents=(),
    source_commitment: Commitment | None = None,
) -> Audit:
    """INS-AUDIT: a CDE's secretariat or co-president asks the CDE to have a network member
    audited (the audited body, the missions and the quality of service examined, the facts
    observed, documents). ``documents``: (title, file) pairs."""
    return _create(
        cde=committee,
        origin=Audit.Origin.COMMITTEE,
        requesting_committee=None,
        user=user,
        audited_body=audited_body,
        scope_missions=scope_missions,
        scope_quality=scope_quality,
        facts=facts,
        documents=documents,
        source_commitment=source_commitment,
    )


@transaction.atomic
def refer_audit(
    *,
    committee: Committee,
    user,
    audited_body: NetworkBody,
    scope_missions: str,
    facts: str,
    scope_quality: str = "",
    documents=(),
    source_commitment: Commitment | None = None,
) -> Audit:
    """INS-AUDIT: a CLE that finds failures refers an audit request, with the facts it
    observed, to its CDE (``committee.parent``); the CDE finds it in its inbox and the CLE
    follows its fate."""
    if committee.level != Level.LOCAL:
        raise RuleError("Seul un comité local saisit son comité départemental.")
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité local est dissous.")
    parent = committee.parent
    if parent is None or parent.level != Level.DEPARTMENTAL:
        raise RuleError(
            "Ce comité local n'est rattaché à aucun comité départemental : il ne peut le saisir."
        )
    return _create(
        cde=parent,
        origin=Audit.Origin.REFERRAL,
        requesting_committee=committee,
        user=user,
        audited_body=audited_body,
        scope_missions=scope_missions,
        scope_quality=scope_quality,
        facts=facts,
        documents=documents,
        source_commitment=source_commitment,
    )


@transaction.atomic
def add_audit_document(*, audit: Audit, user, title: str, file) -> AuditDocument:
    audit = lock(audit)
    workflow.check_action(audit, "add_document", "L'ajout d'un document")
    if not title.strip():
        raise RuleError("Indiquez le titre du document.", field="title")
    document = AuditDocument.objects.create(
        audit=audit, title=title.strip(), file=file, uploaded_by=user
    )
    log_event(audit, name="add_document", label=f"Document ajouté : {document.title}", user=user)
    return document


# --- The vote (INS-AUDIT, INS-CONSENSUS, DEC-MAJORITY) -----------------------------------------


def schedulable_meetings(audit: Audit):
    """The CDE's meetings whose agenda can still take the request: not cancelled, not begun."""
    now = timezone.localtime()
    return (
        Meeting.objects.filter(committee_id=audit.committee_id)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(date__gte=now.date())
        .order_by("date", "start_time")
    )


@transaction.atomic
def schedule_vote(*, audit: Audit, meeting: Meeting, user):
    """Put the request on the agenda of a CDE meeting, as an audit request: the meetings
    engine will only accept a vote on it (INS-CONSENSUS). A new version of the agenda then
    goes to the co-presidents' validation (DEC-JOINT), as for any agenda change."""
    audit = lock(audit)
    workflow.check_action(audit, "schedule_vote", "L'inscription à l'ordre du jour")
    if meeting.committee_id != audit.committee_id:
        raise RuleError(
            "La demande est inscrite à une réunion du comité départemental saisi.", field="meeting"
        )
    current = audit.agenda_item
    if current is not None and not current.meeting.is_cancelled:
        raise RuleError(
            f"La demande est déjà inscrite à l'ordre du jour de « {current.meeting} ».",
            field="meeting",
        )
    origin = f" (saisine de « {audit.requesting_committee.name} »)" if audit.is_referral else ""
    item = add_agenda_item(
        meeting=meeting,
        title=f"Demande d'audit : {audit.audited_body.name}"[:255],
        description=f"Demande n° {audit.pk}{origin}. Missions examinées : {audit.scope_missions}",
        presenter="Secrétariat du comité",
        is_audit_request=True,
    )
    audit.agenda_item = item
    audit.save(update_fields=["agenda_item", "updated_at"])
    log_event(
        audit,
        name="schedule_vote",
        label=f"Inscrite à l'ordre du jour de « {meeting} » pour un vote",
        user=user,
    )
    return item


def eligible_decisions(audit: Audit):
    """The votes that can settle the request: decisions by vote on the audit-request item
    where the request was put, at a meeting of the CDE, not linked to another request."""
    if audit.agenda_item_id is None:
        return Decision.objects.none()
    return (
        Decision.objects.filter(
            agenda_item_id=audit.agenda_item_id,
            meeting__committee_id=audit.committee_id,
            method=Decision.Method.VOTE,
            agenda_item__is_audit_request=True,
            audit__isnull=True,
        )
        .select_related("meeting", "agenda_item")
        .order_by("-meeting__date", "-recorded_at")
    )


@transaction.atomic
def record_vote(*, audit: Audit, decision: Decision, user) -> Audit:
    """INS-AUDIT / INS-CONSENSUS / DEC-MAJORITY: the CDE's vote settles the request. Link the
    meeting's decision (by vote, on an audit-request item of the CDE); adopted → accepted (then
    awaiting the delegating authority's agreement where required), not adopted → rejected and
    closed with the vote."""
    audit = lock(audit)
    if decision is None:
        raise RuleError(workflow.GUARDS["vote_recorded"](audit), field="decision")
    if Audit.objects.filter(decision_id=decision.pk).exclude(pk=audit.pk).exists():
        raise RuleError("Ce vote a déjà tranché une autre demande d'audit.", field="decision")
    audit.decision = decision
    audit.voted_at = timezone.now()
    adopted = decision.outcome == Decision.Outcome.ADOPTED
    meeting = decision.meeting
    note = (
        f"{meeting.title} du {meeting.date:%d/%m/%Y} — pour {decision.votes_for}, contre "
        f"{decision.votes_against}, abstentions {decision.votes_abstain}. {decision.result_note}"
    )
    apply_step(audit, "accept" if adopted else "reject", user=user, note=note)
    if adopted and audit.requires_agreement:
        apply_step(audit, "await_agreement", user=user)
    return audit


# --- The delegating authority's agreement (INS-AUDIT) ------------------------------------------


@transaction.atomic
def record_agreement(
    *,
    audit: Audit,
    user,
    authority: str,
    principle_agreed: bool,
    modalities_agreed: bool,
    given_on: date,
    document,
    modalities: str = "",
) -> AuthorityAgreement:
    """INS-AUDIT: the local authority that delegated the mission agrees on the principle of
    the audit and on its modalities; the agreement is dated and documented."""
    audit = lock(audit)
    if not audit.requires_agreement:
        raise RuleError(
            "Cet organisme n'est pas délégataire d'une collectivité : aucun accord n'est requis."
        )
    workflow.check_action(audit, "record_agreement", "L'enregistrement de l'accord")
    problems = []
    if not authority.strip():
        problems.append("Indiquez la collectivité qui donne son accord.")
    if not principle_agreed:
        problems.append("L'accord doit porter sur le principe de l'audit.")
    if not modalities_agreed:
        problems.append("L'accord doit porter sur les modalités de l'audit.")
    if given_on is None:
        problems.append("Indiquez la date de l'accord.")
    elif given_on > today():
        problems.append("La date de l'accord ne peut être future.")
    if not document:
        problems.append("Joignez le document qui porte l'accord.")
    if problems:
        raise RuleError(problems)
    agreement, _ = AuthorityAgreement.objects.update_or_create(
        audit=audit,
        defaults={
            "authority": authority.strip(),
            "principle_agreed": True,
            "modalities_agreed": True,
            "modalities": modalities.strip(),
            "given_on": given_on,
            "document": document,
            "recorded_by": user,
            "recorded_at": timezone.now(),
        },
    )
    log_event(
        audit,
        name="record_agreement",
        label=f"Accord de {agreement.authority} du {given_on:%d/%m/%Y} enregistré",
        user=user,
    )
    return agreement
