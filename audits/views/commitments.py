"""Screens of the network members' commitments a committee monitors (INS-COMMITMENTS); a
failure becomes an audit request, or a referral to the CDE, in one step (INS-AUDIT)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audits import permissions as perms
from audits.forms import CommitmentForm
from audits.models import Commitment, CommitmentArea, NetworkBody
from audits.services import commitments as services
from audits.views.common import crumbs, get_committee
from committees.models import Committee, Level
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require


def commitments(request, committee_pk: int):
    """A table: the members of the network (rows) × the commitments (columns)."""
    committee = get_committee(request, committee_pk)
    user = request.user
    require(perms.can_view_commitments(user, committee))
    records = {
        (c.body_id, c.area): c
        for c in Commitment.objects.filter(committee=committee).select_related("body")
    }
    followed = {body_id for body_id, _ in records}
    bodies = NetworkBody.objects.filter(pk__in=followed) | (
        NetworkBody.objects.active().for_committee(committee)
    )
    can_request = perms.can_request_audit(user, committee) or perms.can_refer_audit(user, committee)
    rows = []
    for body in bodies.distinct().order_by("kind", "name"):
        cells = []
        for area in CommitmentArea:
            record = records.get((body.pk, area.value))
            cells.append(
                {
                    "area": area,
                    "record": record,
                    "can_request_audit": bool(
                        record and record.is_failure and body.is_auditable and can_request
                    ),
                }
            )
        rows.append({"body": body, "cells": cells})
    return render(
        request,
        "audits/commitments.html",
        {
            "title": f"Engagements des membres du réseau — {committee.name}",
            "committee": committee,
            "committee_url": committee.get_absolute_url(),
            "areas": list(CommitmentArea),
            "rows": rows,
            "can_manage": perms.can_manage_commitments(user, committee),
            "breadcrumb": crumbs(("Engagements des membres du réseau", None), committee=committee)
            if committee.level in (Level.DEPARTMENTAL, Level.LOCAL)
            else [("Engagements des membres du réseau", None)],
        },
    )


def commitment_form(request, committee_pk: int):
    committee = get_committee(request, committee_pk)
    require(perms.can_manage_commitments(request.user, committee))
    bodies = NetworkBody.objects.active().for_committee(committee)
    initial = {}
    body_id, area = request.GET.get("organisme"), request.GET.get("engagement")
    if body_id and body_id.isdigit() and area in CommitmentArea.values:
        initial = {"body": int(body_id), "area": area}
        existing = Commitment.objects.filter(
            committee=committee, body_id=body_id, area=area
        ).first()
        if existing:
            initial.update(
                status=existing.status, notes=existing.notes, assessed_on=existing.assessed_on
            )
    form = CommitmentForm(request.POST or None, bodies=bodies, initial=initial)
    back = reverse("audits:commitments", args=[committee.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.record_commitment(committee=committee, user=request.user, **form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'engagement est enregistré.")
            return redirect(back)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Suivre un engagement — {committee.name}",
        submit="Enregistrer",
        cancel_url=back,
        breadcrumb=[
            ("Engagements des membres du réseau", back),
            ("Suivre un engagement", None),
        ],
        intro=(
            "Les comités suivent les engagements des membres du réseau : critères communs "
            "d'orientation, socle commun de services, référentiels, indicateurs communs, "
            "interopérabilité des systèmes d'information, usagers dans l'évaluation."
        ),
    )


@require_POST
def commitment_audit(request, pk: int):
    """INS-COMMITMENTS → INS-AUDIT: the failure becomes a request (CDE) or a referral (CLE)."""
    commitment = get_object_or_404(
        Commitment.objects.filter(
            committee__in=Committee.objects.visible_to(request.user)
        ).select_related("committee", "committee__parent", "body"),
        pk=pk,
    )
    require(perms.can_request_audit_from_commitment(request.user, commitment))
    try:
        audit = services.request_audit_from_failure(commitment=commitment, user=request.user)
    except RuleError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("audits:commitments", commitment.committee_id)
    messages.success(
        request,
        "La saisine du comité départemental est transmise."
        if audit.is_referral
        else "La demande d'audit est déposée.",
    )
    return redirect(audit)
