"""The lifecycle of a meeting and of its minutes' PDF, as data, in one place (DEC-JOINT).

A meeting: draft (the secretariat prepares it) → pending validation (submitted to the
co-presidents) → convened (every co-president, or their delegate, validated the current
version: the convocation goes out) ; a change to a convocation already validated, in part or
in full, opens a new version and goes back to pending validation ; a meeting not yet started
can be cancelled from any of these states.

A meeting already held, entered after the fact: draft (the secretariat enters its agenda and
the people convened) → convened (``record_held``: recorded as held, nothing sent; the
co-presidents' joint convocation happened outside the portal). From there, attendance,
decisions and minutes follow the rules of any meeting.

The PDF of approved minutes: none → pending (queued on approval, or again by the secretariat
after a failure) → rendering (claimed by one worker) → ready ; a failed attempt goes back to
pending (retried) or, after the last attempt, to failed.

A step is added here — a state, the ``Transition`` rows that lead to and from it, and the
guards they need — and nowhere else: the services apply transitions by name through
``apply`` (meetings) and ``apply_pdf`` (minutes), which refuse a step from a wrong state with
a ``RuleError`` and set the new state; ``ACTIONS`` says in which states the changes that keep
the state are allowed.

- DEC-JOINT: nothing goes out before every co-president validated the current version.
- DEC-COPRESIDENCY: a committee convenes jointly only with its two co-presidencies, State and
  local authorities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from committees.models import CoPresidency
from committees.selectors import active_copresidencies
from cte_portal.core.errors import RuleError
from meetings.models import Meeting, Minutes
from meetings.selectors import pending_validations

State = Meeting.Status
PdfState = Minutes.PdfStatus

# Who fires a step. The services gate users with the predicates of ``meetings.permissions``
# (secretariat: ``can_manage_meeting``; co-president: ``can_validate_meeting``); "system"
# steps are consequences of another step, never a button.
SECRETARIAT = "secretariat"
COPRESIDENT = "copresident"
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    label: str  # French, for screens and logs
    actors: tuple[str, ...]
    refusal: str  # the French message when the step is fired from a state it does not leave
    guards: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()


def _t(name, sources, target, label, *, actors, refusal, guards=(), rules=()):
    return Transition(
        name, frozenset(sources), target, label, tuple(actors), refusal, tuple(guards), rules
    )


S = State
OPEN_STATES = frozenset({S.DRAFT, S.PENDING_VALIDATION, S.CONVENED})
FINAL_STATES = frozenset({S.CANCELLED})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "submit",
            [S.DRAFT],
            S.PENDING_VALIDATION,
            "Soumettre l'ordre du jour aux co-présidents",
            actors=[SECRETARIAT],
            refusal="Cette réunion a déjà été soumise aux co-présidents.",
            guards=("not_after_the_fact", "has_agenda", "both_copresidencies"),
            rules=("DEC-JOINT", "DEC-COPRESIDENCY"),
        ),
        _t(
            "record_held",
            [S.DRAFT],
            S.CONVENED,
            "Enregistrer la réunion comme tenue (saisie a posteriori)",
            actors=[SECRETARIAT],
            refusal="Cette réunion est déjà enregistrée.",
            guards=("after_the_fact", "has_ended", "has_agenda", "both_copresidencies"),
            rules=("INS-DATES", "DEC-COPRESIDENCY"),
        ),
        _t(
            "convene",
            [S.PENDING_VALIDATION],
            S.CONVENED,
            "Convocation envoyée : chaque co-présidence a validé",
            actors=[SYSTEM],
            refusal="Aucune validation n'est attendue pour cette réunion.",
            guards=("every_copresidency_validated",),
            rules=("DEC-JOINT",),
        ),
        _t(
            "revise",
            [S.PENDING_VALIDATION, S.CONVENED],
            S.PENDING_VALIDATION,
            "Convocation modifiée : nouvelle version à valider",
            actors=[SYSTEM],
            refusal="Cette réunion n'a pas encore été soumise aux co-présidents.",
            guards=("current_version_validated",),
            rules=("DEC-JOINT",),
        ),
        _t(
            "cancel",
            OPEN_STATES,
            S.CANCELLED,
            "Annuler la réunion",
            actors=[SECRETARIAT, COPRESIDENT],
            refusal="Cette réunion est déjà annulée.",
            guards=("not_started",),
        ),
    )
}

# Changes that keep the meeting's state: the states that allow them, the French refusal and the
# rule behind it.
ACTIONS: dict[str, tuple[frozenset, str, str]] = {
    # The agenda, the invitations and the convocation change until the meeting.
    "edit": (
        OPEN_STATES,
        "Cette réunion est annulée : elle ne peut plus être modifiée.",
        "DEC-JOINT",
    ),
    # A co-president validates the version submitted.
    "validate": (
        frozenset({S.PENDING_VALIDATION}),
        "Aucune validation n'est attendue pour cette réunion.",
        "DEC-JOINT",
    ),
    # The people convened answer.
    "answer": (frozenset({S.CONVENED}), "Cette réunion n'attend pas de réponse.", "DEC-PROXY"),
    # Attendance and decisions are recorded (DEC-QUORUM, INS-CONSENSUS, DEC-MAJORITY).
    "record_session": (
        frozenset({S.CONVENED}),
        "Cette réunion n'a pas été convoquée.",
        "DEC-QUORUM",
    ),
    "draft_minutes": (
        frozenset({S.CONVENED}),
        "Seule une réunion convoquée a un compte rendu.",
        "INS-MEETINGS",
    ),
}


# --- Guards: each returns the French reasons the step is refused (empty: allowed) ------------


def _has_agenda(meeting: Meeting) -> list[str]:
    if not meeting.agenda_items.exists():
        return ["L'ordre du jour ne comporte aucun point."]
    return []


def _both_copresidencies(meeting: Meeting) -> list[str]:
    sides = {cp.side for cp in active_copresidencies(meeting.committee)}
    if CoPresidency.Side.STATE not in sides or CoPresidency.Side.LOCAL_AUTHORITY not in sides:
        return [
            "Le comité doit avoir ses deux co-présidences, État et collectivités, pour convoquer "
            "conjointement."
        ]
    return []


def _every_copresidency_validated(meeting: Meeting) -> list[str]:
    if pending_validations(meeting):
        return ["La convocation attend la validation de chaque co-présidence."]
    return []


def _current_version_validated(meeting: Meeting) -> list[str]:
    # While nobody has validated the submitted version yet, it simply changes.
    if (
        meeting.status == S.PENDING_VALIDATION
        and not meeting.validations.filter(version=meeting.version).exists()
    ):
        return [
            "Aucune co-présidence n'a encore validé cette version : elle change sans en "
            "ouvrir une nouvelle."
        ]
    return []


def _not_after_the_fact(meeting: Meeting) -> list[str]:
    if meeting.entered_after_the_fact:
        return [
            "Cette réunion est saisie a posteriori : elle n'est pas convoquée, enregistrez-la "
            "comme tenue."
        ]
    return []


def _after_the_fact(meeting: Meeting) -> list[str]:
    if not meeting.entered_after_the_fact:
        return [
            "Seule une réunion saisie a posteriori est enregistrée comme tenue sans convocation."
        ]
    return []


def _has_ended(meeting: Meeting) -> list[str]:
    if not meeting.is_past:
        return ["Une réunion à venir ne peut être saisie a posteriori : convoquez-la."]
    return []


def _not_started(meeting: Meeting) -> list[str]:
    # A meeting entered after the fact, still a draft, can be withdrawn (entered by mistake).
    if meeting.entered_after_the_fact and meeting.status == S.DRAFT:
        return []
    if meeting.has_started:
        return ["La réunion a commencé : elle ne peut plus être annulée."]
    return []


# Each guard with the rule it enforces (the id a refusal carries, for the code and the logs).
GUARDS: dict[str, tuple[str | None, Callable[[Meeting], list[str]]]] = {
    "has_agenda": ("DEC-JOINT", _has_agenda),
    "both_copresidencies": ("DEC-COPRESIDENCY", _both_copresidencies),
    "every_copresidency_validated": ("DEC-JOINT", _every_copresidency_validated),
    "current_version_validated": ("DEC-JOINT", _current_version_validated),
    "not_started": (None, _not_started),
    "not_after_the_fact": ("DEC-JOINT", _not_after_the_fact),
    "after_the_fact": ("INS-DATES", _after_the_fact),
    "has_ended": ("INS-DATES", _has_ended),
}


# --- The meeting's steps ----------------------------------------------------------------------


def problems(meeting: Meeting, name: str) -> list[tuple[str | None, str]]:
    """Why ``name`` cannot be applied to ``meeting`` now, as (rule id, French reason) pairs
    (empty: it can). A wrong state is reported alone; otherwise every guard's reasons, in the
    table's order."""
    t = TRANSITIONS[name]
    if meeting.status not in t.sources:
        return [(t.rules[0] if t.rules else None, t.refusal)]
    found = []
    for guard in t.guards:
        rule, reasons = GUARDS[guard]
        found.extend((rule, reason) for reason in reasons(meeting))
    return found


def apply(meeting: Meeting, name: str) -> Transition:
    """Fire the step ``name``: refused with a ``RuleError`` (every reason, the first one's rule
    id; the meeting unchanged) unless the meeting is in one of its source states and its guards
    pass; sets the new status. The caller saves the meeting, in its transaction."""
    found = problems(meeting, name)
    if found:
        raise RuleError([reason for _rule, reason in found], rule=found[0][0])
    t = TRANSITIONS[name]
    meeting.status = t.target
    return t


def apply_if_allowed(meeting: Meeting, name: str) -> bool:
    """Fire ``name`` when the meeting's state and the guards allow it; otherwise change
    nothing. For the steps that follow from another one (the last validation convenes, a
    change to a validated convocation opens a new version)."""
    if problems(meeting, name):
        return False
    meeting.status = TRANSITIONS[name].target
    return True


def available(state: str, actor: str) -> list[Transition]:
    """The steps ``actor`` may fire from ``state`` (guards are checked when fired)."""
    return [t for t in TRANSITIONS.values() if actor in t.actors and state in t.sources]


def check_action(meeting: Meeting, action: str) -> None:
    states, refusal, rule = ACTIONS[action]
    if meeting.status not in states:
        raise RuleError(refusal, rule=rule)


def check_editable(meeting: Meeting) -> None:
    """The agenda, the invitations and the convocation change until the meeting starts, and
    never once it is cancelled."""
    check_action(meeting, "edit")
    if meeting.entered_after_the_fact:
        # A meeting already held is entered while it is a draft; once recorded as held, its
        # agenda is what the meeting dealt with.
        if meeting.status != S.DRAFT:
            raise RuleError(
                "Cette réunion est enregistrée comme tenue : son ordre du jour ne change plus.",
                rule="INS-DATES",
            )
        return
    if meeting.has_started:
        raise RuleError(
            "La réunion a commencé : sa convocation et son ordre du jour ne changent plus.",
            rule="DEC-JOINT",
        )


def check_in_session(meeting: Meeting) -> None:
    """Attendance and decisions are recorded for a convened meeting, from its day on."""
    check_action(meeting, "record_session")
    if meeting.date > timezone.localdate():
        raise RuleError("La réunion n'a pas encore eu lieu.", rule="DEC-QUORUM")


# --- The minutes' PDF -------------------------------------------------------------------------

P = PdfState
NOT_READY = frozenset(PdfState) - {P.READY}

PDF_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "queue",
            [P.NONE, P.FAILED],
            P.PENDING,
            "PDF demandé",
            actors=[SYSTEM, SECRETARIAT],  # on approval; again after a failure
            refusal="Le PDF est déjà prêt ou en cours de génération.",
        ),
        # Applied as a conditional update, so that one worker only renders a version: a
        # rendering already claimed is taken again only once its claim expired.
        _t(
            "claim",
            [P.PENDING, P.RENDERING],
            P.RENDERING,
            "Génération commencée",
            actors=[SYSTEM],
            refusal="Le PDF n'attend pas de génération.",
        ),
        _t(
            "store",
            [P.RENDERING],
            P.READY,
            "PDF prêt",
            actors=[SYSTEM],
            refusal="Le PDF n'est pas en cours de génération.",
        ),
        # A late failure never undoes a PDF rendered meanwhile.
        _t(
            "postpone",
            NOT_READY,
            P.PENDING,
            "Échec, nouvelle tentative à venir",
            actors=[SYSTEM],
            refusal="Le PDF est déjà prêt.",
        ),
        _t(
            "fail",
            NOT_READY,
            P.FAILED,
            "Échec de la génération après la dernière tentative",
            actors=[SYSTEM],
            refusal="Le PDF est déjà prêt.",
        ),
    )
}


def pdf_allowed(state: str, name: str) -> bool:
    """Whether the PDF has a step ``name`` out of ``state``."""
    return state in PDF_TRANSITIONS[name].sources


def apply_pdf(minutes: Minutes, name: str) -> Transition:
    """Fire the PDF step ``name`` on ``minutes``: a wrong state is refused with a
    ``RuleError`` (the minutes unchanged); sets the new ``pdf_status``. The caller saves."""
    t = PDF_TRANSITIONS[name]
    if minutes.pdf_status not in t.sources:
        raise RuleError(t.refusal)
    minutes.pdf_status = t.target
    return t


# --- Why a form is read-only ------------------------------------------------------------------


def edit_lock(meeting: Meeting) -> str | None:
    """Why the agenda, the invitations and the convocation no longer change (None: they do).
    The screens show their forms read-only with this reason instead of failing on save."""
    try:
        check_editable(meeting)
    except RuleError as error:
        return error.messages[0]
    return None


def session_lock(meeting: Meeting) -> str | None:
    """Why attendance, decisions and actions can no longer be recorded (None: they can):
    before the meeting's day, for a meeting not convened, and once the minutes are
    approved."""
    try:
        check_in_session(meeting)
    except RuleError as error:
        return error.messages[0]
    if Minutes.objects.filter(meeting=meeting, approved_at__isnull=False).exists():
        return "Le compte rendu de cette réunion est approuvé : ce qui y figure ne change plus."
    return None


def minutes_lock(minutes: Minutes) -> str | None:
    """Why the text of the minutes no longer changes (None: it does)."""
    if minutes.is_approved:
        return "Le compte rendu est approuvé : il ne change plus."
    return None
