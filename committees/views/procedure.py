"""How a committee works: its rules of procedure (INS-RULES) — drafting, adoption, versions,
PDF — and the rotation of the départements in the CREFOP (INS-CRE-CREFOP). Scope, rights and
page shape: ``committees.views.common``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from committees.file_jobs import RULES_PDF
from committees.forms.composition import AdoptRulesForm, RotationForm, RulesForm
from committees.models import Committee, Level, RulesOfProcedure
from committees.permissions import can_manage_committee
from committees.selectors import rotation_departements, rules_versions_of, saved_rotation
from committees.services import composition as services
from committees.views.common import (
    crumbs,
    form_data,
    form_view,
    in_scope,
    managed_committee,
    run_form,
    visible_committee,
)
from cte_portal.core.file_jobs import request_file_job

# --- Rules of procedure (INS-RULES) -------------------------------------------------------------


def _rules_url(committee: Committee) -> str:
    return reverse("committees:rules", args=[committee.pk])


def _rules_crumbs(committee: Committee, *items) -> list:
    return crumbs(committee, ("Règlement intérieur", _rules_url(committee)), *items)


@require_http_methods(["GET", "POST"])
def rules(request, pk: int):
    """The current version of the rules of procedure: the draft form for the secretariat."""
    committee = visible_committee(request, pk)
    can_manage = can_manage_committee(request.user, committee)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    current = services.current_rules(committee)
    draft = current if current and not current.is_adopted else None
    form = (
        RulesForm(form_data(request), rules=current, level=committee.level) if can_manage else None
    )
    if form is not None and run_form(
        request,
        form,
        lambda data: services.save_rules_draft(committee=committee, **data),
        "Le projet de règlement a été enregistré.",
    ):
        return redirect(_rules_url(committee))
    return render(
        request,
        "committees/composition/rules.html",
        {
            "title": f"Règlement intérieur — {committee.name}",
            "committee": committee,
            "has_rules": committee.level != Level.REGIONAL,
            "can_manage": can_manage,
            "form": form,
            "current": current,
            "draft": draft,
            "adopted": services.adopted_rules(committee),
            "breadcrumb": crumbs(committee, ("Règlement intérieur", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def rules_adopt(request, pk: int):
    committee = managed_committee(request, pk)
    current = services.current_rules(committee)
    if current is None or current.is_adopted:
        messages.info(request, "Aucun projet de règlement intérieur n'est en attente d'adoption.")
        return redirect(_rules_url(committee))
    return form_view(
        request,
        committee,
        AdoptRulesForm(form_data(request)),
        lambda data: services.adopt_rules(rules=current, adopted_on=data["adopted_on"]),
        success=f"La version {current.version} du règlement a été adoptée.",
        next_url=reverse("committees:rules_version", args=[current.pk]),
        title="Adopter le règlement intérieur",
        heading=f"Adopter la version {current.version} du règlement intérieur",
        submit="Adopter",
        intro=(
            "Indiquez la date à laquelle le comité a adopté ce règlement. Toutes les "
            "rubriques obligatoires doivent être rédigées."
        ),
        template="committees/composition/rules_adopt.html",
        cancel_url=_rules_url(committee),
        breadcrumb=_rules_crumbs(committee, ("Adoption", None)),
        rules=current,
    )


def rules_versions(request, pk: int):
    committee = visible_committee(request, pk)
    return render(
        request,
        "committees/composition/rules_versions.html",
        {
            "title": f"Versions du règlement intérieur — {committee.name}",
            "committee": committee,
            "versions": rules_versions_of(committee),
            "breadcrumb": _rules_crumbs(committee, ("Versions", None)),
        },
    )


def _rules_version(request, rules_pk: int) -> RulesOfProcedure:
    return in_scope(request, RulesOfProcedure.objects.select_related("committee__region"), rules_pk)


def rules_version(request, rules_pk: int):
    version = _rules_version(request, rules_pk)
    committee = version.committee
    latest = services.current_rules(committee)
    return render(
        request,
        "committees/composition/rules_version.html",
        {
            "title": f"Règlement intérieur, version {version.version} — {committee.name}",
            "committee": committee,
            "rules": version,
            "sections": version.sections(),
            "can_adopt": (
                not version.is_adopted
                and latest == version
                and can_manage_committee(request.user, committee)
            ),
            "breadcrumb": _rules_crumbs(committee, (f"Version {version.version}", None)),
        },
    )


@require_POST
def rules_pdf(request, rules_pk: int):
    """Queue the PDF of one version and go to its progress page: a task builds the file."""
    version = _rules_version(request, rules_pk)
    job = request_file_job(user=request.user, kind=RULES_PDF, target=version, fmt="pdf")
    return redirect("file_job", pk=job.pk)


# --- CREFOP rotation (INS-CRE-CREFOP) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rotation(request, pk: int):
    committee = visible_committee(request, pk)
    if committee.level != Level.REGIONAL:
        raise Http404("La rotation des départements concerne le comité régional.")
    can_manage = can_manage_committee(request.user, committee)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    required = services.rotation_required(committee)
    saved = saved_rotation(committee)
    proposed = not saved or "proposer" in request.GET
    plan = services.propose_rotation(committee) if proposed else saved
    form = RotationForm(
        form_data(request), departements=rotation_departements(committee), plan=plan
    )
    if run_form(
        request,
        form,
        lambda data: services.set_rotation(committee=committee, plan=form.plan()),
        "La rotation des départements a été enregistrée.",
    ):
        return redirect(reverse("committees:rotation", args=[committee.pk]))
    problems = [] if form.is_bound else services.rotation_problems(committee, plan)
    return render(
        request,
        "committees/composition/rotation.html",
        {
            "title": f"Rotation des départements — {committee.name}",
            "committee": committee,
            "required": required,
            "can_manage": can_manage,
            "form": form,
            "rows": form.rows(),
            "years": (1, 2, 3),
            "proposed": proposed and not form.is_bound,
            "saved": bool(saved),
            "problems": problems,
            "breadcrumb": crumbs(committee, ("Rotation des départements", None)),
        },
    )
