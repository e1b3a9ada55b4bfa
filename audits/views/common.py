"""Shared pieces of the audit screens: scoped lookups (404 outside the user's scope), the 403
gate, downloads and breadcrumbs."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from audits.models import Audit, ReportObligation
from audits.workflow import State
from committees.models import Committee
from committees.permissions import can_view_committee
from committees.selectors import visible_committee


def get_committee(request, pk: int) -> Committee:
    return visible_committee(request.user, pk, related=("parent", "region"))


def get_audit(request, pk: int) -> Audit:
    """INS-AUDIT confidentiality: an audit the user may not see does not exist for them."""
    return get_object_or_404(
        Audit.objects.visible_to(request.user).select_related(
            "committee",
            "requesting_committee",
            "audited_body",
            "decision__meeting",
            "decision__agenda_item",
            "agenda_item__meeting",
        ),
        pk=pk,
    )


def get_obligation(request, pk: int) -> ReportObligation:
    return get_object_or_404(
        ReportObligation.objects.visible_to(request.user).select_related(
            "body", "committee", "body__departement"
        ),
        pk=pk,
    )


def download(field_file):
    if not field_file:
        raise Http404
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1]
    )


def crumbs(
    *items,
    committee: Committee | None = None,
    audit: Audit | None = None,
    committee_link: bool = True,
) -> list:
    result = [("Audits et comptes rendus", reverse("audits:index"))]
    if audit is not None:
        committee = committee or audit.committee
    if committee is not None:
        url = reverse("audits:committee", args=[committee.pk]) if committee_link else None
        result.append((f"Audits — {committee.name}", url))
    if audit is not None:
        result.append((f"Audit n° {audit.pk}", audit.get_absolute_url() if items else None))
    return [*result, *items]


def refuse_state(request, audit, label: str):
    """The workflow does not allow the action from the file's state: say so, change nothing."""
    messages.error(
        request, f"{label} n'est pas possible dans l'état « {State(audit.state).label} »."
    )
    return redirect(audit)


def audit_crumbs(request, audit, label):
    return crumbs(
        (label, None),
        audit=audit,
        committee_link=can_view_committee(request.user, audit.committee),
    )
