"""INS-COMMITMENTS: a committee records each network member's commitments; a failure noted
there becomes an audit request (CDE) or a referral to the CDE (CLE) in one step (INS-AUDIT)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audits.models import Audit, Commitment, CommitmentArea, NetworkBody
from audits.services import audits as audit_services
from committees.models import Committee, Level
from cte_portal.core.errors import RuleError


@transaction.atomic
def record_commitment(
    *,
    committee: Committee,
    user,
    body: NetworkBody,
    area: str,
    status: str,
    notes: str = "",
    assessed_on: date | None = None,
) -> Commitment:
    """Record (or update) how a member keeps one commitment; a failure needs observations."""
    if area not in CommitmentArea.values:
        raise RuleError("Engagement inconnu.", field="area")
    if status not in Commitment.Status.values:
        raise RuleError("Statut inconnu.", field="status")
    if (
        body.departement_id is not None
        and not committee.departements.filter(pk=body.departement_id).exists()
    ):
        raise RuleError("Cet organisme n'est pas du territoire du comité.", field="body")
    notes = (notes or "").strip()
    if status == Commitment.Status.FAILURE and not notes:
        raise RuleError(
            "Décrivez le manquement constaté : il pourra fonder une demande d'audit.",
            field="notes",
        )
    if assessed_on and assessed_on > timezone.localdate():
        raise RuleError("La date d'évaluation ne peut être future.", field="assessed_on")
    commitment, _ = Commitment.objects.update_or_create(
        committee=committee,
        body=body,
        area=area,
        defaults={
            "status": status,
            "notes": notes,
            "assessed_on": assessed_on or timezone.localdate(),
            "updated_by": user,
        },
    )
    return commitment


@transaction.atomic
def request_audit_from_failure(*, commitment: Commitment, user, scope_missions: str = "") -> Audit:
    """INS-COMMITMENTS → INS-AUDIT: a failure becomes, in one step, the CDE's request (or the
    CLE's referral to its CDE), its observations as the facts."""
    if not commitment.is_failure:
        raise RuleError("Seul un manquement constaté peut fonder une demande d'audit.")
    if commitment.audits.exclude(state__in=("rejected", "closed")).exists():
        raise RuleError("Une demande d'audit est déjà en cours pour ce manquement.")
    committee = commitment.committee
    fields = {
        "committee": committee,
        "user": user,
        "audited_body": commitment.body,
        "scope_missions": scope_missions.strip() or commitment.get_area_display(),
        "facts": (
            f"Manquement constaté sur l'engagement « {commitment.get_area_display()} »"
            f"{f' le {commitment.assessed_on:%d/%m/%Y}' if commitment.assessed_on else ''} : "
            f"{commitment.notes}"
        ),
        "source_commitment": commitment,
    }
    if committee.level == Level.DEPARTMENTAL:
        return audit_services.request_audit(**fields)
    if committee.level == Level.LOCAL:
        return audit_services.refer_audit(**fields)
    raise RuleError("Seuls un CDE ou un CLE demandent un audit.")
