"""The roadmaps' part of a person's inbox (``cte_portal.core.inbox``) and of the main menu.

- Co-presidents (or their delegates): the roadmaps submitted on which they have not decided
  in the current round (INS-ROADMAP, DEC-COPRESIDENCY).
- Secretariat: the roadmaps a co-president asked to change, and those approved by every
  co-president that wait to be published.

One query per kind, whatever the number of committees.
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from committees.models import CoPresidency
from committees.permissions import COPRESIDE, MANAGE, committee_ids_held
from cte_portal.core.inbox import InboxItem
from cte_portal.core.permissions import is_signed_in
from roadmaps.models import Approval, Roadmap


def _to_approve(user, copresided: set[int]) -> list[InboxItem]:
    decided = Approval.objects.filter(
        roadmap=OuterRef("pk"),
        round=OuterRef("approval_round"),
        copresidency__in=CoPresidency.objects.active().filter(Q(person=user) | Q(delegate=user)),
    )
    roadmaps = (
        Roadmap.objects.filter(committee_id__in=copresided, status=Roadmap.Status.SUBMITTED)
        .exclude(Exists(decided))
        .select_related("committee")
    )
    return [
        InboxItem(
            section="approve",
            kind="roadmap_approval",
            kind_label="Feuilles de route à approuver",
            title=roadmap.title,
            url=reverse("roadmaps:detail", args=[roadmap.pk]),
            committee=roadmap.committee.name,
            detail=(
                f"Soumise le {roadmap.submitted_at:%d/%m/%Y}"
                if roadmap.submitted_at
                else "Soumise aux co-présidents"
            ),
            due_on=roadmap.submitted_at.date() if roadmap.submitted_at else None,
        )
        for roadmap in roadmaps
    ]


def _secretariat(managed: set[int]) -> list[InboxItem]:
    changes = Approval.objects.filter(
        roadmap=OuterRef("pk"),
        round=OuterRef("approval_round"),
        decision=Approval.Decision.CHANGES_REQUESTED,
    )
    roadmaps = (
        Roadmap.objects.filter(committee_id__in=managed)
        .annotate(changes_requested=Exists(changes))
        .filter(
            Q(status=Roadmap.Status.APPROVED)
            | Q(status=Roadmap.Status.SUBMITTED, changes_requested=True)
        )
        .select_related("committee")
    )
    items = []
    for roadmap in roadmaps:
        if roadmap.status == Roadmap.Status.APPROVED:
            kind, label, detail = (
                "roadmap_publication",
                "Feuilles de route à publier",
                "Approuvée par les co-présidents : elle peut être publiée",
            )
        else:
            kind, label, detail = (
                "roadmap_changes",
                "Feuilles de route à reprendre",
                "Un co-président demande des modifications",
            )
        items.append(
            InboxItem(
                section="secretariat",
                kind=kind,
                kind_label=label,
                title=roadmap.title,
                url=reverse("roadmaps:detail", args=[roadmap.pk]),
                committee=roadmap.committee.name,
                detail=detail,
            )
        )
    return items


def inbox_items(user) -> list[InboxItem]:
    items = []
    copresided = committee_ids_held(user, COPRESIDE)
    if copresided:
        items += _to_approve(user, copresided)
    managed = committee_ids_held(user, MANAGE)
    if managed:
        items += _secretariat(managed)
    return items


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    if not is_signed_in(user):
        return []
    return [(50, "Feuilles de route", reverse("roadmaps:list"))]
