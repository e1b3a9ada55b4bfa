"""INS-ESCALATION: the local roadmap is the starting point of subjects that need support,
coordination, consistency or means at the departmental, regional or national level.

A CLE raises to its CDE, a CDE to its CRE, a CRE to the national level. The upper committee
answers each subject: accepted into its roadmap (with the action sheet that answers it),
redirected, or declined with a reason; the raising committee sees the answer.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from committees.models import Committee, Level
from cte_portal.core.errors import RuleError
from roadmaps.models import ActionSheet, EscalatedSubject

PARENT_LEVEL = {Level.LOCAL: Level.DEPARTMENTAL, Level.DEPARTMENTAL: Level.REGIONAL}


def recipient_of(committee: Committee) -> Committee | None:
    """The committee a subject rises to: the parent one level above (``None`` for a CRE,
    whose subjects go to the national level). Refuses when the parent is missing."""
    if committee.level == Level.REGIONAL:
        return None
    parent = committee.parent
    expected = PARENT_LEVEL[committee.level]
    if parent is None or parent.level != expected or parent.status == Committee.Status.DISSOLVED:
        label = "départemental" if expected == Level.DEPARTMENTAL else "régional"
        raise RuleError(
            f"Ce comité n'est rattaché à aucun comité {label} en activité : rattachez-le avant "
            "de lui remonter un sujet."
        )
    return parent


@transaction.atomic
def raise_subject(
    *,
    committee: Committee,
    user,
    title: str,
    need_kind: str,
    need: str,
    reason: str,
    related_sheets: Iterable[ActionSheet] = (),
) -> EscalatedSubject:
    """The secretariat raises a subject — from action sheets of its roadmap or a free-standing
    need — to the level above: what is needed and why."""
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous.")
    recipient = recipient_of(committee)
    if need_kind not in EscalatedSubject.Need.values:
        raise RuleError("Précisez la nature du besoin.", field="need_kind")
    for value, field, label in (
        (title, "title", "l'objet"),
        (need, "need", "ce qui est attendu"),
        (reason, "reason", "pourquoi"),
    ):
        if not (value or "").strip():
            raise RuleError(f"Renseignez {label}.", field=field)
    sheets = list(related_sheets)
    if any(s.axis.roadmap.committee_id != committee.pk for s in sheets):
        raise RuleError(
            "Les fiches liées doivent appartenir à la feuille de route de ce comité.",
            field="related_sheets",
        )
    subject = EscalatedSubject.objects.create(
        from_committee=committee,
        to_committee=recipient,
        to_national=recipient is None,
        title=title.strip(),
        need_kind=need_kind,
        need=need.strip(),
        reason=reason.strip(),
        raised_by=user,
    )
    subject.related_sheets.set(sheets)
    return subject


@transaction.atomic
def answer_subject(
    *,
    subject: EscalatedSubject,
    user,
    status: str,
    answer: str = "",
    answering_sheet: ActionSheet | None = None,
    redirected_to: Committee | None = None,
) -> EscalatedSubject:
    """The upper committee answers once: accepted (with the sheet of its roadmap that answers
    it — or, at the national level, an answer in words), redirected (to whom, why), or declined
    (with a reason)."""
    subject = EscalatedSubject.objects.select_for_update().get(pk=subject.pk)
    if subject.status != EscalatedSubject.Status.PENDING:
        raise RuleError("Ce sujet a déjà reçu une réponse.")
    answer = (answer or "").strip()
    Status = EscalatedSubject.Status
    if status == Status.ACCEPTED:
        if subject.to_committee_id:
            if answering_sheet is None:
                raise RuleError(
                    "Indiquez la fiche action de votre feuille de route qui répond à ce sujet.",
                    field="answering_sheet",
                )
            if answering_sheet.axis.roadmap.committee_id != subject.to_committee_id:
                raise RuleError(
                    "La fiche qui répond doit appartenir à la feuille de route du comité qui "
                    "reçoit le sujet.",
                    field="answering_sheet",
                )
        elif not answer:
            raise RuleError("Dites comment ce sujet est pris en compte.", field="answer")
        redirected_to = None
    elif status == Status.REDIRECTED:
        if not answer:
            raise RuleError("Dites vers qui le sujet est réorienté, et pourquoi.", field="answer")
        answering_sheet = None
    elif status == Status.DECLINED:
        if not answer:
            raise RuleError(
                "Donnez le motif pour lequel le sujet n'est pas retenu.", field="answer"
            )
        answering_sheet = redirected_to = None
    else:
        raise RuleError("Choisissez une réponse.", field="status")
    subject.status = status
    subject.answer = answer
    subject.answering_sheet = answering_sheet
    subject.redirected_to = redirected_to
    subject.answered_by = user
    subject.answered_at = timezone.now()
    subject.save()
    return subject
