"""Writes on a roadmap's content: the roadmap, its axes, action sheets, actors, specific
indicators and good practices (INS-ROADMAP, INS-ROADMAP-SHAPE, INS-ACTION-SHEET,
INS-GOOD-PRACTICES, INS-USERS).

Every write that changes what the co-presidents approve calls ``content_changed``: after a
decision the approvals reset, and after publication the roadmap goes back to draft for its
next version (INS-ROADMAP). The follow-up of execution (status and progress of a sheet) and
the recognition of a good practice are not part of the approved content and do not reset.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from committees.models import Committee, Membership
from cte_portal.core.conf import cte_setting
from cte_portal.core.errors import RuleError
from roadmaps.models import (
    ActionSheet,
    ActorRole,
    Approval,
    Axis,
    GoodPractice,
    Roadmap,
    RoadmapIndicator,
)

ROADMAP_FIELDS = ("title", "summary", "orientations", "users_participation")
AXIS_FIELDS = ("title", "diagnostic", "stakes", "objectives", "position")
SHEET_FIELDS = (
    "title",
    "problem",
    "objective",
    "target_public",
    "target_territory",
    "sector",
    "expected_results",
    "users_participation",
    "starts_on",
    "ends_on",
    "status",
    "progress",
    "position",
)
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "due_on", "direction")
GOOD_PRACTICE_FIELDS = (
    "impact",
    "financial_cost",
    "human_cost",
    "organisational_cost",
    "scale_up_needs",
)


def lock_roadmap(roadmap: Roadmap) -> Roadmap:
    """Reload the roadmap row under a lock: its state and approval round change together."""
    return Roadmap.objects.select_for_update().select_related("committee").get(pk=roadmap.pk)


def content_changed(roadmap: Roadmap) -> Roadmap:
    """INS-ROADMAP: any edit after an approval resets the approvals; an edit of a published
    roadmap opens its next version (back to draft); the published versions stay frozen."""
    roadmap = lock_roadmap(roadmap)
    roadmap.content_updated_at = timezone.now()
    fields = ["content_updated_at", "updated_at"]
    if roadmap.status == Roadmap.Status.PUBLISHED:
        roadmap.status = Roadmap.Status.DRAFT
        roadmap.approved_at = None
        fields += ["status", "approved_at"]
    elif roadmap.status in (Roadmap.Status.SUBMITTED, Roadmap.Status.APPROVED):
        if Approval.objects.filter(roadmap=roadmap, round=roadmap.approval_round).exists():
            roadmap.approval_round += 1
        roadmap.status = Roadmap.Status.SUBMITTED
        roadmap.approved_at = None
        fields += ["approval_round", "status", "approved_at"]
    roadmap.save(update_fields=fields)
    return roadmap


def _clean_text(value) -> str:
    return (value or "").strip()


def _require(values: dict, labels: dict[str, str]) -> None:
    missing = [label for field, label in labels.items() if not _clean_text(values.get(field))]
    if missing:
        raise RuleError([f"Renseignez : {label}." for label in missing])


# --- Roadmap ----------------------------------------------------------------------------------


@transaction.atomic
def create_roadmap(
    *,
    committee: Committee,
    user,
    title: str,
    summary: str = "",
    orientations: str = "",
    users_participation: str = "",
) -> Roadmap:
    """INS-ROADMAP: one current roadmap per committee, started in draft by its secretariat."""
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : il ne peut plus adopter de feuille de route.")
    if Roadmap.objects.filter(committee=committee).exists():
        raise RuleError("Ce comité a déjà une feuille de route : elle se met à jour en continu.")
    if not _clean_text(title):
        raise RuleError("Donnez un titre à la feuille de route.", field="title")
    return Roadmap.objects.create(
        committee=committee,
        title=title.strip(),
        summary=_clean_text(summary),
        orientations=_clean_text(orientations),
        users_participation=_clean_text(users_participation),
        created_by=user,
    )


@transaction.atomic
def update_roadmap(*, roadmap: Roadmap, **fields) -> Roadmap:
    unknown = set(fields) - set(ROADMAP_FIELDS)
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    if "title" in fields and not _clean_text(fields["title"]):
        raise RuleError("Donnez un titre à la feuille de route.", field="title")
    roadmap = content_changed(roadmap)
    for key, value in fields.items():
        setattr(roadmap, key, _clean_text(value))
    roadmap.save(update_fields=[*fields, "updated_at"])
    return roadmap


def axis_limit_warning(roadmap: Roadmap, *, count: int | None = None) -> str | None:
    """INS-ROADMAP-SHAPE: "a limited number of axes" — a warning beyond the setting, never a
    refusal."""
    count = roadmap.axes.count() if count is None else count
    limit = int(cte_setting("ROADMAP_MAX_AXES"))
    if count > limit:
        return (
            f"Cette feuille de route compte {count} axes : au-delà de {limit}, elle risque de "
            "perdre en lisibilité (un nombre limité d'axes)."
        )
    return None


# --- Axes -------------------------------------------------------------------------------------

_AXIS_REQUIRED = {
    "title": "l'intitulé de l'axe",
    "diagnostic": "le diagnostic",
    "stakes": "les enjeux",
    "objectives": "les objectifs",
}


@transaction.atomic
def add_axis(
    *,
    roadmap: Roadmap,
    title: str,
    diagnostic: str,
    stakes: str,
    objectives: str,
    position: int | None = None,
) -> Axis:
    """INS-ROADMAP-SHAPE: each axis states its diagnostic, stakes and objectives."""
    values = {"title": title, "diagnostic": diagnostic, "stakes": stakes, "objectives": objectives}
    _require(values, _AXIS_REQUIRED)
    roadmap = content_changed(roadmap)
    if position is None:
        position = roadmap.axes.count() + 1
    return Axis.objects.create(
        roadmap=roadmap, position=position, **{k: v.strip() for k, v in values.items()}
    )


@transaction.atomic
def update_axis(*, axis: Axis, **fields) -> Axis:
    unknown = set(fields) - set(AXIS_FIELDS)
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    values = {f: fields.get(f, getattr(axis, f)) for f in _AXIS_REQUIRED}
    _require(values, _AXIS_REQUIRED)
    content_changed(axis.roadmap)
    for key, value in fields.items():
        setattr(axis, key, value.strip() if isinstance(value, str) else value)
    axis.save()
    return axis


@transaction.atomic
def delete_axis(*, axis: Axis) -> None:
    if axis.sheets.exists():
        raise RuleError(
            "Cet axe contient des fiches action : supprimez-les ou déplacez-les avant de "
            "supprimer l'axe."
        )
    content_changed(axis.roadmap)
    axis.delete()


# --- Action sheets (INS-ACTION-SHEET) ---------------------------------------------------------

_SHEET_REQUIRED = {
    "title": "l'intitulé de la fiche",
    "problem": "le problème territorial",
    "objective": "l'objectif que se fixent les acteurs",
    "expected_results": "les résultats attendus",
}


def _check_sheet(values: dict) -> dict:
    """INS-ACTION-SHEET: a problem, a shared objective, expected results; coherent dates and
    progress. INS-ROADMAP-SHAPE: roadmaps « pourront » have sheets per public and/or territory
    or sector: naming them is optional, never required."""
    _require(values, _SHEET_REQUIRED)
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleError("La fin de l'action ne peut précéder son début.", field="ends_on")
    values = _normalise_progress(values)
    for key, value in list(values.items()):
        if isinstance(value, str):
            values[key] = value.strip()
    return values


def _normalise_progress(values: dict) -> dict:
    progress = int(values.get("progress") or 0)
    if not 0 <= progress <= 100:
        raise RuleError("L'avancement est un pourcentage, de 0 à 100.", field="progress")
    status = values.get("status") or ActionSheet.Status.TO_LAUNCH
    if status == ActionSheet.Status.DONE:
        progress = 100  # a completed action is complete
    elif status == ActionSheet.Status.TO_LAUNCH and progress:
        raise RuleError(
            "Une action « à lancer » n'a pas encore avancé : passez-la « en cours ».",
            field="status",
        )
    return {**values, "status": status, "progress": progress}


@transaction.atomic
def add_action_sheet(
    *,
    axis: Axis,
    title: str,
    problem: str,
    objective: str,
    expected_results: str,
    target_public: str = "",
    target_territory: str = "",
    sector: str = "",
    users_participation: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    status: str = ActionSheet.Status.TO_LAUNCH,
    progress: int = 0,
    position: int | None = None,
) -> ActionSheet:
    values = _check_sheet(
        {
            "title": title,
            "problem": problem,
            "objective": objective,
            "expected_results": expected_results,
            "target_public": target_public,
            "target_territory": target_territory,
            "sector": sector,
            "users_participation": users_participation,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "status": status,
            "progress": progress,
        }
    )
    content_changed(axis.roadmap)
    if position is None:
        position = axis.sheets.count() + 1
    return ActionSheet.objects.create(axis=axis, position=position, **values)


@transaction.atomic
def update_action_sheet(*, sheet: ActionSheet, **fields) -> ActionSheet:
    unknown = set(fields) - set(SHEET_FIELDS) - {"axis"}
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    new_axis = fields.pop("axis", None)
    if new_axis is not None and new_axis.roadmap_id != sheet.axis.roadmap_id:
        raise RuleError("Une fiche ne peut changer que d'axe dans sa feuille de route.")
    values = {f: fields.get(f, getattr(sheet, f)) for f in SHEET_FIELDS}
    values = _check_sheet(values)
    content_changed(sheet.axis.roadmap)
    for key in fields:
        setattr(sheet, key, values[key])
    sheet.status, sheet.progress = values["status"], values["progress"]
    if new_axis is not None:
        sheet.axis = new_axis
    sheet.save()
    return sheet


@transaction.atomic
def update_sheet_progress(*, sheet: ActionSheet, status: str, progress: int) -> ActionSheet:
    """The follow-up of an action (its status and progress) is updated as it goes; it is not
    part of the approved content and does not reset the approvals."""
    values = _normalise_progress({"status": status, "progress": progress})
    sheet.status, sheet.progress = values["status"], values["progress"]
    sheet.save(update_fields=["status", "progress", "updated_at"])
    return sheet


@transaction.atomic
def delete_action_sheet(*, sheet: ActionSheet) -> None:
    if sheet.indicators.filter(values__isnull=False).exists():
        raise RuleError(
            "Des valeurs ont été saisies pour les indicateurs de cette fiche : marquez-la "
            "« abandonnée » plutôt que de la supprimer."
        )
    content_changed(sheet.axis.roadmap)
    sheet.delete()


# --- Actors (INS-ACTION-SHEET) ----------------------------------------------------------------


@transaction.atomic
def add_actor(
    *,
    sheet: ActionSheet,
    commitment: str,
    organisation: str = "",
    membership: Membership | None = None,
) -> ActorRole:
    """The role of one actor in the action: a member of the committee's network, or another
    organisation, and what it commits to. Organisations only, never a person."""
    committee_id = sheet.axis.roadmap.committee_id
    if membership is not None:
        if membership.committee_id != committee_id or membership.ended_on is not None:
            raise RuleError("Choisissez un membre en fonction de ce comité.", field="membership")
        organisation = organisation.strip() or membership.organisation
    if not _clean_text(organisation):
        raise RuleError(
            "Indiquez l'organisme, ou choisissez un membre du comité.", field="organisation"
        )
    if not _clean_text(commitment):
        raise RuleError("Indiquez à quoi cet acteur s'engage.", field="commitment")
    content_changed(sheet.axis.roadmap)
    return ActorRole.objects.create(
        sheet=sheet,
        membership=membership,
        organisation=organisation.strip(),
        commitment=commitment.strip(),
        position=sheet.actors.count() + 1,
    )


@transaction.atomic
def remove_actor(*, actor: ActorRole) -> None:
    content_changed(actor.sheet.axis.roadmap)
    actor.delete()


# --- Specific indicators (INS-INDICATORS) -----------------------------------------------------


def _check_indicator(values: dict) -> None:
    if not _clean_text(values.get("name")):
        raise RuleError("Nommez l'indicateur.", field="name")
    if not _clean_text(values.get("unit")):
        raise RuleError("Précisez l'unité de l'indicateur.", field="unit")
    if values.get("target") is None:
        raise RuleError("Fixez une cible à l'indicateur.", field="target")


@transaction.atomic
def add_roadmap_indicator(
    *,
    sheet: ActionSheet,
    name: str,
    unit: str,
    target: Decimal | None,
    baseline: Decimal | None = None,
    due_on: date | None = None,
    direction: str = "increase",
    breakdowns=(),
) -> RoadmapIndicator:
    """INS-INDICATORS: an indicator specific to the action, with baseline, target, due date
    and unit."""
    values = {
        "name": name,
        "unit": unit,
        "target": target,
        "baseline": baseline,
        "due_on": due_on,
        "direction": direction,
    }
    _check_indicator(values)
    content_changed(sheet.axis.roadmap)
    indicator = RoadmapIndicator.objects.create(
        sheet=sheet, **{k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    )
    indicator.breakdowns.set(breakdowns)
    return indicator


@transaction.atomic
def update_roadmap_indicator(
    *, indicator: RoadmapIndicator, breakdowns=None, **fields
) -> RoadmapIndicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    _check_indicator({f: fields.get(f, getattr(indicator, f)) for f in INDICATOR_FIELDS})
    content_changed(indicator.sheet.axis.roadmap)
    for key, value in fields.items():
        setattr(indicator, key, value.strip() if isinstance(value, str) else value)
    indicator.save()
    if breakdowns is not None:
        indicator.breakdowns.set(breakdowns)
    return indicator


@transaction.atomic
def delete_roadmap_indicator(*, indicator: RoadmapIndicator) -> None:
    if indicator.values.exists():
        raise RuleError(
            "Des valeurs ont été saisies pour cet indicateur : il ne peut plus être supprimé."
        )
    content_changed(indicator.sheet.axis.roadmap)
    indicator.delete()


# --- Good practices (INS-GOOD-PRACTICES) ------------------------------------------------------

_GOOD_PRACTICE_REQUIRED = {
    "impact": "l'impact constaté",
    "financial_cost": "le coût financier",
    "human_cost": "le coût humain",
    "organisational_cost": "le coût organisationnel",
    "scale_up_needs": "les conditions d'essaimage",
}


@transaction.atomic
def mark_good_practice(*, sheet: ActionSheet, user, **fields) -> GoodPractice:
    """INS-GOOD-PRACTICES: a good practice has a proven impact (an action under way or done),
    its financial, human and organisational costs, and what scaling it up needs."""
    unknown = set(fields) - set(GOOD_PRACTICE_FIELDS)
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    if sheet.status not in (ActionSheet.Status.IN_PROGRESS, ActionSheet.Status.DONE):
        raise RuleError(
            "Seule une action en cours ou réalisée peut démontrer un impact : une bonne "
            "pratique a fait ses preuves."
        )
    _require(fields, _GOOD_PRACTICE_REQUIRED)
    values = {k: v.strip() for k, v in fields.items()}
    practice = GoodPractice.objects.filter(sheet=sheet).first()
    if practice is None:
        return GoodPractice.objects.create(sheet=sheet, marked_by=user, **values)
    for key, value in values.items():
        setattr(practice, key, value)
    practice.save()
    return practice


@transaction.atomic
def unmark_good_practice(*, sheet: ActionSheet) -> None:
    GoodPractice.objects.filter(sheet=sheet).delete()
