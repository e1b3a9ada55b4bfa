"""The roadmap's lifecycle: draft → submitted → approved → published, then revisions
(INS-ROADMAP), and its presentation in CAR (INS-CAR).

When submitted, every co-president approves or asks for changes with a comment; the roadmap
is approved once every co-president in office has approved in the current round; any edit
after a decision starts a new round (``roadmaps.services.roadmaps.content_changed``). The
secretariat then publishes: the version is frozen and the roadmap becomes open data.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committees.models import Committee, CoPresidency, Level
from committees.selectors import active_copresidencies
from cte_portal.core.errors import RuleError
from roadmaps.models import Approval, CarPresentation, Roadmap, RoadmapIndicator, RoadmapVersion
from roadmaps.services.roadmaps import lock_roadmap
from roadmaps.services.versions import build_snapshot


@dataclass
class Seat:
    """A co-presidency in office and its decision in the current round (``None``: pending)."""

    copresidency: CoPresidency
    decision: Approval | None

    @property
    def approved(self) -> bool:
        return self.decision is not None and self.decision.decision == Approval.Decision.APPROVED


def decision_board(roadmap: Roadmap) -> list[Seat]:
    """Each co-president in office and their latest decision in the current round (2 queries)."""
    seats = list(active_copresidencies(roadmap.committee).select_related("person", "delegate"))
    latest: dict[int, Approval] = {}
    for approval in Approval.objects.filter(roadmap=roadmap, round=roadmap.approval_round).order_by(
        "decided_at", "pk"
    ):
        latest[approval.copresidency_id] = approval
    return [Seat(c, latest.get(c.pk)) for c in seats]


def all_approved(roadmap: Roadmap) -> bool:
    board = decision_board(roadmap)
    return bool(board) and all(seat.approved for seat in board)


def submission_problems(roadmap: Roadmap, *, axes=None, has_copresidents=None) -> list[str]:
    """What prevents submitting the roadmap to the co-presidents (INS-ROADMAP-SHAPE).
    ``axes`` (with their sheets prefetched) and ``has_copresidents`` spare the queries when
    the caller already has them."""
    problems = []
    if axes is None:
        axes = list(roadmap.axes.all().prefetch_related("sheets"))
    if not axes:
        problems.append("La feuille de route ne compte encore aucun axe.")
    for axis in axes:
        if not axis.sheets.all():
            problems.append(
                f"L'axe « {axis.title} » n'est décliné en aucune fiche action "
                "(des axes traduits en actions opérationnelles)."
            )
    if has_copresidents is None:
        has_copresidents = active_copresidencies(roadmap.committee).exists()
    if not has_copresidents:
        problems.append(
            "Le comité n'a aucun co-président en fonction : personne ne pourrait approuver la "
            "feuille de route."
        )
    if roadmap.committee.status == Committee.Status.DISSOLVED:
        problems.append("Ce comité est dissous.")
    return problems


@transaction.atomic
def submit_roadmap(*, roadmap: Roadmap, user) -> Roadmap:
    """The secretariat submits the draft to every co-president; a new approval round opens."""
    roadmap = lock_roadmap(roadmap)
    if roadmap.status != Roadmap.Status.DRAFT:
        raise RuleError(
            f"Seule une feuille de route en brouillon peut être soumise (elle est "
            f"« {roadmap.get_status_display()} »)."
        )
    problems = submission_problems(roadmap)
    if problems:
        raise RuleError(problems)
    roadmap.status = Roadmap.Status.SUBMITTED
    roadmap.approval_round += 1
    roadmap.submitted_at = timezone.now()
    roadmap.approved_at = None
    roadmap.save(
        update_fields=["status", "approval_round", "submitted_at", "approved_at", "updated_at"]
    )
    return roadmap


def _seats_of(roadmap: Roadmap, user) -> list[CoPresidency]:
    return list(active_copresidencies(roadmap.committee).filter(Q(person=user) | Q(delegate=user)))


@transaction.atomic
def approve_roadmap(*, roadmap: Roadmap, user, comment: str = "") -> Roadmap:
    """A co-president (or their delegate) approves the submitted roadmap; once every
    co-president in office has approved in this round, it is approved (INS-ROADMAP)."""
    roadmap = lock_roadmap(roadmap)
    seats = _seats_of(roadmap, user)
    if not seats:
        raise RuleError("Seuls les co-présidents du comité approuvent sa feuille de route.")
    board = {seat.copresidency.pk: seat for seat in decision_board(roadmap)}
    # An approved roadmap still waits for a co-president who took office after the others
    # approved (the co-presidency changed): that one may approve it too.
    waiting = roadmap.status == Roadmap.Status.SUBMITTED or (
        roadmap.status == Roadmap.Status.APPROVED
        and not all(board[c.pk].approved for c in seats if c.pk in board)
    )
    if not waiting:
        raise RuleError(
            f"Cette feuille de route n'attend pas votre approbation (elle est "
            f"« {roadmap.get_status_display()} »)."
        )
    for copresidency in seats:
        Approval.objects.create(
            roadmap=roadmap,
            round=roadmap.approval_round,
            copresidency=copresidency,
            decided_by=user,
            decision=Approval.Decision.APPROVED,
            comment=comment.strip(),
        )
    if all_approved(roadmap):
        roadmap.status = Roadmap.Status.APPROVED
        roadmap.approved_at = timezone.now()
        roadmap.save(update_fields=["status", "approved_at", "updated_at"])
    return roadmap


@transaction.atomic
def request_changes(*, roadmap: Roadmap, user, comment: str) -> Roadmap:
    """A co-president asks for changes, saying which in a comment; the roadmap stays with the
    co-presidents until the secretariat edits it (which opens a new round)."""
    roadmap = lock_roadmap(roadmap)
    seats = _seats_of(roadmap, user)
    if not seats:
        raise RuleError(
            "Seuls les co-présidents du comité demandent des modifications de sa feuille de route."
        )
    if roadmap.status not in (Roadmap.Status.SUBMITTED, Roadmap.Status.APPROVED):
        raise RuleError(
            f"Cette feuille de route n'est pas soumise aux co-présidents (elle est "
            f"« {roadmap.get_status_display()} »)."
        )
    if not comment.strip():
        raise RuleError("Dites quelles modifications vous demandez.", field="comment")
    for copresidency in seats:
        Approval.objects.create(
            roadmap=roadmap,
            round=roadmap.approval_round,
            copresidency=copresidency,
            decided_by=user,
            decision=Approval.Decision.CHANGES_REQUESTED,
            comment=comment.strip(),
        )
    if roadmap.status == Roadmap.Status.APPROVED:
        roadmap.status = Roadmap.Status.SUBMITTED
        roadmap.approved_at = None
        roadmap.save(update_fields=["status", "approved_at", "updated_at"])
    return roadmap


@transaction.atomic
def publish_roadmap(*, roadmap: Roadmap, user) -> RoadmapVersion:
    """The secretariat publishes an approved roadmap: its content is frozen as the next
    version, which becomes open data (INS-OPEN-DATA)."""
    roadmap = lock_roadmap(roadmap)
    if roadmap.status != Roadmap.Status.APPROVED:
        raise RuleError(
            "Seule une feuille de route approuvée par tous les co-présidents peut être publiée."
        )
    if not all_approved(roadmap):
        # The co-presidency changed since the approval: the new co-president decides too.
        raise RuleError(
            "La co-présidence a changé depuis l'approbation : chaque co-président en fonction "
            "doit approuver avant la publication."
        )
    now = timezone.now()
    version = RoadmapVersion.objects.create(
        roadmap=roadmap,
        number=roadmap.published_version + 1,
        snapshot=build_snapshot(roadmap),
        published_at=now,
        published_by=user,
    )
    roadmap.status = Roadmap.Status.PUBLISHED
    roadmap.published_version = version.number
    roadmap.published_at = now
    roadmap.save(update_fields=["status", "published_version", "published_at", "updated_at"])
    RoadmapIndicator.objects.filter(
        sheet__axis__roadmap=roadmap, first_published_at__isnull=True
    ).update(first_published_at=now)
    return version


def previous_version(version: RoadmapVersion) -> RoadmapVersion | None:
    return (
        RoadmapVersion.objects.filter(roadmap_id=version.roadmap_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def record_car_presentation(
    *,
    roadmap: Roadmap,
    user,
    presented_on: date,
    outcome: str,
    remarks: str = "",
    version: RoadmapVersion | None = None,
) -> CarPresentation:
    """INS-CAR: the préfet presents the departmental roadmap in CAR; the regional roadmap is
    shared in CAR with the préfets de département. Local roadmaps are not presented there."""
    if roadmap.committee.level not in (Level.DEPARTMENTAL, Level.REGIONAL):
        raise RuleError(
            "Seules les feuilles de route départementales et régionales sont présentées en CAR."
        )
    if presented_on > timezone.localdate():
        raise RuleError(
            "Enregistrez la présentation une fois qu'elle a eu lieu.", field="presented_on"
        )
    if version is None:
        version = roadmap.versions.order_by("-number").first()
    if version is None:
        raise RuleError(
            "Publiez d'abord la feuille de route : c'est une version approuvée qui est présentée "
            "en CAR."
        )
    if version.roadmap_id != roadmap.pk:
        raise RuleError("Cette version n'est pas celle de cette feuille de route.")
    if outcome not in CarPresentation.Outcome.values:
        raise RuleError("Indiquez la suite donnée en CAR.", field="outcome")
    return CarPresentation.objects.create(
        roadmap=roadmap,
        version=version,
        presented_on=presented_on,
        outcome=outcome,
        remarks=remarks.strip(),
        recorded_by=user,
    )
