"""The lifecycle of an audit, as data, in one place (INS-AUDIT, DEC-AUDIT).

requested → voted (accepted / rejected) → agreement pending (where required) → in progress
→ report delivered → recommendations followed → closed.

The delegating authority may refuse (INS-AUDIT): agreement pending → refused by the authority.
The audit cannot start; the file stays open so that the secretariat either submits new
modalities to the authority (back to agreement pending) or closes the file without an audit.

DEC-AUDIT is [OPEN]: a later decree may add steps. A step is added here — a ``State``, the
``Transition`` rows that lead to and from it, and the guards they need — and nowhere else:
the services apply transitions by name through ``check`` and ``target_of``, the permissions
map each transition's ``actor`` to a predicate, and the screens list ``available`` ones.

- INS-CONSENSUS / INS-AUDIT / DEC-MAJORITY: a request is accepted or rejected only by a vote
  of the departmental committee, recorded by the meetings engine (weighted vote, quorum) and
  linked here; never by consensus. A rejected request is closed with the vote.
- INS-AUDIT: a body delegated by a local authority is audited only once that authority has
  agreed on the principle and on the modalities (date, document): the audit cannot start
  before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from cte_portal.core.errors import RuleError
from meetings.models import Decision


class State(models.TextChoices):
    REQUESTED = "requested", "Demandée, en attente du vote du CDE"
    ACCEPTED = "accepted", "Acceptée par le vote du CDE"
    REJECTED = "rejected", "Rejetée par le vote du CDE (close)"
    AGREEMENT_PENDING = "agreement_pending", "En attente de l'accord de la collectivité"
    AUTHORITY_REFUSED = "authority_refused", "Accord refusé par la collectivité délégante"
    IN_PROGRESS = "in_progress", "Audit en cours"
    REPORT_DELIVERED = "report_delivered", "Rapport remis"
    FOLLOW_UP = "follow_up", "Suivi des recommandations"
    CLOSED = "closed", "Clôturé"


# States in which nothing happens any more.
FINAL_STATES = frozenset({State.REJECTED, State.CLOSED})

# DSFR badge of each state (screens only).
BADGES = {
    State.REQUESTED: "new",
    State.ACCEPTED: "info",
    State.REJECTED: "error",
    State.AGREEMENT_PENDING: "warning",
    State.AUTHORITY_REFUSED: "error",
    State.IN_PROGRESS: "info",
    State.REPORT_DELIVERED: "success",
    State.FOLLOW_UP: "success",
    State.CLOSED: "success",
}

# The order in which the steps are shown on an audit's page (the rejected and refused branches
# apart).
STEPS = (
    State.REQUESTED,
    State.ACCEPTED,
    State.AGREEMENT_PENDING,
    State.IN_PROGRESS,
    State.REPORT_DELIVERED,
    State.FOLLOW_UP,
    State.CLOSED,
)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    label: str  # the French label of the button or of the event in the history
    actor: str  # who fires it; ``audits.permissions.ACTOR_PREDICATES`` maps it
    guards: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    # False: applied by a service as the consequence of another step, never by a button.
    manual: bool = True


def _t(name, sources, target, label, *, actor="cde_secretariat", guards=(), rules=(), manual=True):
    return Transition(name, frozenset(sources), target, label, actor, tuple(guards), rules, manual)


S = State
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "accept",
            [S.REQUESTED],
            S.ACCEPTED,
            "Demande acceptée par le vote du comité",
            guards=("vote_recorded", "vote_adopted"),
            rules=("INS-AUDIT", "INS-CONSENSUS", "DEC-MAJORITY"),
            manual=False,
        ),
        _t(
            "reject",
            [S.REQUESTED],
            S.REJECTED,
            "Demande rejetée par le vote du comité",
            guards=("vote_recorded", "vote_not_adopted"),
            rules=("INS-AUDIT", "INS-CONSENSUS", "DEC-MAJORITY"),
            manual=False,
        ),
        _t(
            "await_agreement",
            [S.ACCEPTED],
            S.AGREEMENT_PENDING,
            "Accord de la collectivité délégante attendu",
            guards=("agreement_required",),
            rules=("INS-AUDIT",),
            manual=False,
        ),
        # INS-AUDIT: without the delegating authority's agreement the audit never starts.
        _t(
            "refuse_agreement",
            [S.AGREEMENT_PENDING],
            S.AUTHORITY_REFUSED,
            "Refus de la collectivité délégante enregistré",
            guards=("refusal_recorded",),
            rules=("INS-AUDIT",),
            manual=False,
        ),
        # INS-AUDIT: what the refusal unlocks — new modalities put to the authority, whose
        # agreement is then asked again (the refusal stays on the file)…
        _t(
            "resubmit_to_authority",
            [S.AUTHORITY_REFUSED],
            S.AGREEMENT_PENDING,
            "Soumettre de nouvelles modalités à la collectivité",
            guards=("agreement_required",),
            rules=("INS-AUDIT",),
        ),
        _t(
            "start",
            [S.ACCEPTED, S.AGREEMENT_PENDING],
            S.IN_PROGRESS,
            "Démarrer l'audit",
            guards=("agreement_recorded_if_required", "auditor_and_dates"),
            rules=("INS-AUDIT",),
        ),
        _t(
            "deliver_report",
            [S.IN_PROGRESS],
            S.REPORT_DELIVERED,
            "Enregistrer la remise du rapport",
            guards=("report_attached",),
            rules=("INS-AUDIT",),
        ),
        _t(
            "follow_up",
            [S.REPORT_DELIVERED],
            S.FOLLOW_UP,
            "Passer au suivi des recommandations",
            guards=("has_recommendations",),
            rules=("INS-AUDIT",),
        ),
        # … or the file closed without an audit (from the refused state: no recommendation).
        _t(
            "close",
            [S.REPORT_DELIVERED, S.FOLLOW_UP, S.AUTHORITY_REFUSED],
            S.CLOSED,
            "Clôturer l'audit",
            guards=("recommendations_settled",),
            rules=("INS-AUDIT",),
        ),
    )
}

# Changes to the file that keep its state, and the states that allow them.
OPEN_STATES = frozenset(State) - FINAL_STATES
ACTIONS: dict[str, frozenset] = {
    "schedule_vote": frozenset({S.REQUESTED}),
    "record_agreement": frozenset({S.AGREEMENT_PENDING}),
    "record_refusal": frozenset({S.AGREEMENT_PENDING}),
    "add_document": OPEN_STATES,
    "add_recommendation": frozenset({S.REPORT_DELIVERED, S.FOLLOW_UP}),
    "update_recommendation": frozenset({S.REPORT_DELIVERED, S.FOLLOW_UP}),
}


# --- Guards: each returns the French reasons the step is refused (empty: allowed) ------------


def _agreement(audit):
    try:
        return audit.agreement
    except ObjectDoesNotExist:
        return None


def _vote_recorded(audit) -> list[str]:
    decision = audit.decision
    if decision is None:
        return [
            "Le vote du comité départemental n'est pas enregistré : une demande d'audit n'est "
            "acceptée ou rejetée que par un vote."
        ]
    problems = []
    if decision.method != Decision.Method.VOTE:
        problems.append(
            "Cette décision a été prise par consensus : une demande d'audit est toujours votée."
        )
    if decision.meeting.committee_id != audit.committee_id:
        problems.append("Cette décision n'a pas été prise par le comité départemental saisi.")
    if not decision.agenda_item.is_audit_request:
        problems.append(
            "Cette décision ne porte pas sur un point de l'ordre du jour « demande d'audit »."
        )
    if audit.agenda_item_id is None:
        problems.append(
            "La demande n'a pas été inscrite à l'ordre du jour d'une réunion du comité : "
            "inscrivez-la, le comité vote, puis enregistrez le vote."
        )
    elif decision.agenda_item_id != audit.agenda_item_id:
        problems.append(
            "Cette décision porte sur un autre point que celui où la demande a été inscrite."
        )
    return problems


def _vote_adopted(audit) -> list[str]:
    if audit.decision is not None and audit.decision.outcome != Decision.Outcome.ADOPTED:
        return [
            "Le comité n'a pas adopté la demande d'audit (article R. 5311-41 du code du travail)."
        ]
    return []


def _vote_not_adopted(audit) -> list[str]:
    if audit.decision is not None and audit.decision.outcome == Decision.Outcome.ADOPTED:
        return ["Le comité a adopté la demande d'audit (article R. 5311-41 du code du travail)."]
    return []


def _agreement_required(audit) -> list[str]:
    if not audit.requires_agreement:
        return [
            "Cet organisme n'est pas délégataire d'une collectivité : aucun accord n'est requis."
        ]
    return []


def _refusal_recorded(audit) -> list[str]:
    refusal = audit.refusals.order_by("-recorded_at", "-pk").first()
    if refusal is None or not refusal.reason.strip():
        return ["Le refus de la collectivité délégante et son motif ne sont pas enregistrés."]
    return []


def _agreement_recorded_if_required(audit) -> list[str]:
    if not audit.requires_agreement:
        return []
    agreement = _agreement(audit)
    authority = audit.audited_body.delegating_authority or "la collectivité délégante"
    if agreement is None or not agreement.is_complete:
        return [
            f"L'audit d'un organisme délégataire ne peut démarrer avant que l'accord de "
            f"{authority} sur le principe et sur les modalités soit enregistré, daté et "
            "documenté."
        ]
    if audit.started_on and audit.started_on < agreement.given_on:
        return [
            f"L'audit ne peut démarrer avant l'accord de {authority} "
            f"(donné le {agreement.given_on:%d/%m/%Y})."
        ]
    return []


def _auditor_and_dates(audit) -> list[str]:
    problems = []
    if not (audit.auditor or "").strip():
        problems.append("Indiquez l'auditeur (personne ou organisme chargé de l'audit).")
    if audit.started_on is None:
        problems.append("Indiquez la date de début de l'audit.")
    elif audit.planned_end_on and audit.planned_end_on < audit.started_on:
        problems.append("La fin prévue ne peut précéder le début de l'audit.")
    decision = audit.decision
    if audit.started_on and decision is not None and audit.started_on < decision.meeting.date:
        problems.append("L'audit ne peut démarrer avant le vote du comité qui l'a décidé.")
    return problems


def _report_attached(audit) -> list[str]:
    problems = []
    if not audit.report_document:
        problems.append("Joignez le rapport d'audit.")
    if audit.report_delivered_on is None:
        problems.append("Indiquez la date de remise du rapport.")
    elif audit.started_on and audit.report_delivered_on < audit.started_on:
        problems.append("Le rapport ne peut être remis avant le début de l'audit.")
    return problems


def _has_recommendations(audit) -> list[str]:
    if not audit.recommendations.exists():
        return ["Ajoutez au moins une recommandation avant d'en suivre la mise en œuvre."]
    return []


def _recommendations_settled(audit) -> list[str]:
    # The related manager names the model: ``audits.models`` imports this module.
    settled = audit.recommendations.model.SETTLED
    open_count = audit.recommendations.exclude(status__in=settled).count()
    if open_count:
        return [
            f"{open_count} recommandation(s) ne sont ni mises en œuvre ni abandonnées : "
            "l'audit ne peut être clôturé."
        ]
    return []


GUARDS: dict[str, Callable] = {
    "vote_recorded": _vote_recorded,
    "vote_adopted": _vote_adopted,
    "vote_not_adopted": _vote_not_adopted,
    "agreement_required": _agreement_required,
    "refusal_recorded": _refusal_recorded,
    "agreement_recorded_if_required": _agreement_recorded_if_required,
    "auditor_and_dates": _auditor_and_dates,
    "report_attached": _report_attached,
    "has_recommendations": _has_recommendations,
    "recommendations_settled": _recommendations_settled,
}


# --- Reading the data -------------------------------------------------------------------------


def transition(name: str) -> Transition:
    return TRANSITIONS[name]


def is_allowed(state: str, name: str) -> bool:
    """Whether the workflow has a step ``name`` out of ``state`` (guards not checked)."""
    t = TRANSITIONS.get(name)
    return t is not None and state in t.sources


def problems(audit, name: str) -> list[str]:
    """Why ``name`` cannot be applied to ``audit`` now (empty: it can)."""
    t = TRANSITIONS[name]
    if audit.state not in t.sources:
        return [
            f"Étape impossible : « {t.label} » ne peut suivre l'état "
            f"« {State(audit.state).label} »."
        ]
    found = []
    for guard in t.guards:
        found.extend(GUARDS[guard](audit))
    return found


def check(audit, name: str) -> Transition:
    """Raise ``RuleError`` with every reason ``name`` is refused; return the step."""
    found = problems(audit, name)
    if found:
        raise RuleError(found)
    return TRANSITIONS[name]


def available(state: str) -> list[Transition]:
    """The steps a user may fire from ``state`` (guards are checked when fired)."""
    return [t for t in TRANSITIONS.values() if t.manual and state in t.sources]


def action_allowed(state: str, action: str) -> bool:
    return state in ACTIONS[action]


def check_action(audit, action: str, label: str) -> None:
    if not action_allowed(audit.state, action):
        raise RuleError(f"{label} n'est pas possible dans l'état « {State(audit.state).label} ».")
