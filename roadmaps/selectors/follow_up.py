"""INS-FOLLOW-UP: the préfets (DDETS) follow the deployment of local roadmaps and the DREETS
support them — every CLE of the territory with the state of its roadmap, so nobody has to
ask."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from committees.models import Committee, Level, StaffAssignment
from roadmaps.models import EscalatedSubject

NO_ROADMAP = "none"
STATE_LABELS = {
    NO_ROADMAP: "Aucune feuille de route",
    "draft": "Brouillon",
    "submitted": "Soumise aux co-présidents",
    "approved": "Approuvée",
    "published": "Publiée",
}


@dataclass
class FollowUpRow:
    committee: Committee
    state: str
    state_label: str
    published_version: int
    last_update: datetime | None
    axis_count: int
    sheet_count: int
    pending_subjects: int


def follow_up_committees(user, *, region: str = "", departement: str = ""):
    """The CLEs the user follows: those of their staff assignments' territories (all of them
    for admins, narrowed by ``region`` / ``departement``)."""
    committees = Committee.objects.visible_to(user).filter(level=Level.LOCAL).active()
    if not user.is_superuser:
        assignments = StaffAssignment.objects.active().filter(user=user)
        scope = Q(pk__in=[])
        for service, region_id, departement_id in assignments.values_list(
            "service", "region_id", "departement_id"
        ):
            if service == StaffAssignment.Service.DREETS:
                scope |= Q(region_id=region_id)
            else:
                scope |= Q(departements=departement_id)
        committees = committees.filter(scope)
    if region:
        committees = committees.filter(region_id=region)
    if departement:
        committees = committees.filter(departements=departement)
    return committees.distinct()


def follow_up_rows(user, *, region: str = "", departement: str = "") -> list[FollowUpRow]:
    """One row per CLE in a fixed number of queries."""
    committees = (
        follow_up_committees(user, region=region, departement=departement)
        .select_related("roadmap", "region")
        .prefetch_related("departements")
        .annotate(
            axis_count=Count("roadmap__axes", distinct=True),
            sheet_count=Count("roadmap__axes__sheets", distinct=True),
        )
        .order_by("region_id", "name")
    )
    committees = list(committees)
    pending = dict(
        EscalatedSubject.objects.filter(
            from_committee__in=[c.pk for c in committees], status=EscalatedSubject.Status.PENDING
        )
        .values_list("from_committee_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    for committee in committees:
        roadmap = getattr(committee, "roadmap", None)
        state = roadmap.status if roadmap else NO_ROADMAP
        rows.append(
            FollowUpRow(
                committee=committee,
                state=state,
                state_label=STATE_LABELS[state]
                + (" (révision)" if roadmap and roadmap.is_revision else ""),
                published_version=roadmap.published_version if roadmap else 0,
                last_update=roadmap.updated_at if roadmap else None,
                axis_count=committee.axis_count,
                sheet_count=committee.sheet_count,
                pending_subjects=pending.get(committee.pk, 0),
            )
        )
    return rows


def state_counts(rows: list[FollowUpRow]) -> list[tuple[str, int]]:
    counts = dict.fromkeys(STATE_LABELS, 0)
    for row in rows:
        counts[row.state] += 1
    return [(STATE_LABELS[k], v) for k, v in counts.items()]
