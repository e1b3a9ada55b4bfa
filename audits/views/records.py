"""The documents and the recommendations of an audit file (INS-AUDIT): uploads, downloads
(only for the file's readers) and the follow-up of each recommendation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from audits import permissions as perms
from audits import workflow
from audits.forms import DocumentForm, RecommendationForm, RecommendationUpdateForm
from audits.models import AuditDocument, NetworkBody, Recommendation
from audits.services import audits as services
from audits.services import conduct
from audits.views.common import audit_crumbs, download, get_audit, refuse_state
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require

State = workflow.State


# --- Documents ------------------------------------------------------------------------------------


def document_add(request, pk: int):
    audit = get_audit(request, pk)
    require(perms.can_add_audit_document(request.user, audit))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_audit_document(audit=audit, user=request.user, **form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le document est ajouté au dossier.")
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Ajouter un document — audit n° {audit.pk}",
        submit="Ajouter le document",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Ajouter un document"),
        multipart=True,
    )


def document(request, pk: int, document_pk: int):
    audit = get_audit(request, pk)
    return download(get_object_or_404(AuditDocument, pk=document_pk, audit=audit).file)


def agreement_document(request, pk: int):
    audit = get_audit(request, pk)
    agreement = getattr(audit, "agreement", None) if audit.requires_agreement else None
    if agreement is None:
        raise Http404
    return download(agreement.document)


def report_document(request, pk: int):
    return download(get_audit(request, pk).report_document)


# --- Recommendations ------------------------------------------------------------------------------


def _bodies_for(audit):
    return NetworkBody.objects.active().for_committee(audit.committee)


def recommendation_add(request, pk: int):
    audit = get_audit(request, pk)
    require(perms.can_run_audit(request.user, audit))
    if not workflow.action_allowed(audit.state, "add_recommendation"):
        return refuse_state(request, audit, "L'ajout d'une recommandation")
    form = RecommendationForm(
        request.POST or None,
        bodies=_bodies_for(audit),
        initial={"responsible_body": audit.audited_body_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            conduct.add_recommendation(audit=audit, user=request.user, **form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La recommandation est ajoutée.")
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Ajouter une recommandation — audit n° {audit.pk}",
        submit="Ajouter la recommandation",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Ajouter une recommandation"),
    )


def _recommendation(request, pk: int) -> Recommendation:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("responsible_body"), pk=pk
    )
    # The recommendation exists for the user only if its audit does (INS-AUDIT).
    recommendation.audit = get_audit(request, recommendation.audit_id)
    return recommendation


def recommendation_edit(request, pk: int):
    recommendation = _recommendation(request, pk)
    audit = recommendation.audit
    require(perms.can_update_recommendation(request.user, recommendation))
    if not workflow.action_allowed(audit.state, "update_recommendation"):
        return refuse_state(request, audit, "Le suivi d'une recommandation")
    form = RecommendationUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": recommendation.status,
            "evidence": recommendation.evidence,
            "done_on": recommendation.done_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            conduct.update_recommendation(
                recommendation=recommendation, user=request.user, **form.cleaned_data
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le suivi de la recommandation est enregistré.")
            return redirect(audit)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title="Suivre une recommandation",
        submit="Enregistrer",
        cancel_url=audit.get_absolute_url(),
        breadcrumb=audit_crumbs(request, audit, "Suivi d'une recommandation"),
        intro=f"« {recommendation.text} » — responsable : {recommendation.responsible_label}, "
        f"échéance : {recommendation.due_on:%d/%m/%Y}.",
        multipart=True,
    )


def evidence_document(request, pk: int):
    return download(_recommendation(request, pk).evidence_document)
