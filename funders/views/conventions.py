"""Conventions followed by a committee (INS-CDE-MISSIONS, INS-CRE-MISSIONS): record, edit,
parties and amounts, commitments and their indicators, documents."""

from django.contrib import messages
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import confirm_page, form_page, require
from funders import permissions as perms
from funders.formatting import euros
from funders.forms import CommitmentForm, ConventionForm, DocumentForm, PartyForm
from funders.models import ConventionCommitment, ConventionDocument, ConventionParty
from funders.services import conventions as services
from funders.views.common import crumbs, get_committee, get_convention


def convention_add(request, committee_id: int):
    committee = get_committee(request, committee_id)
    require(perms.can_manage_conventions(request.user, committee))
    form = ConventionForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            convention = services.create_convention(committee=committee, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La convention est enregistrée.")
            return redirect(convention)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title="Suivre une convention",
        submit="Enregistrer la convention",
        cancel_url=reverse("funders:committee", args=[committee.pk]),
        breadcrumb=crumbs(("Nouvelle convention", None), committee=committee),
    )


def convention_edit(request, pk: int):
    convention = get_convention(request, pk)
    committee = convention.committee
    require(perms.can_manage_conventions(request.user, committee))
    form = ConventionForm(request.POST or None, instance=convention, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_convention(convention=convention, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La convention est enregistrée.")
            return redirect(convention)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title=f"Modifier « {convention.title} »",
        submit="Enregistrer",
        cancel_url=convention.get_absolute_url(),
        breadcrumb=crumbs(("Modifier une convention", None), committee=committee),
    )


def convention_detail(request, pk: int):
    convention = get_convention(request, pk)
    committee = convention.committee
    can_manage = perms.can_manage_conventions(request.user, committee)
    parties = ConventionParty.objects.filter(convention=convention).select_related("funder")
    return render(
        request,
        "funders/convention_detail.html",
        {
            "title": convention.title,
            "convention": convention,
            "committee": committee,
            "parties": parties,
            "total": parties.aggregate(total=Sum("amount"))["total"],
            "commitments": ConventionCommitment.objects.filter(
                convention=convention
            ).select_related("result_indicator", "roadmap_indicator"),
            "documents": ConventionDocument.objects.filter(convention=convention),
            "renewal_due": convention.renewal_due(timezone.localdate()),
            "can_manage": can_manage,
            "party_form": PartyForm(committee=committee) if can_manage else None,
            "commitment_form": CommitmentForm(committee=committee) if can_manage else None,
            "document_form": DocumentForm() if can_manage else None,
            "breadcrumb": crumbs((convention.title, None), committee=committee),
        },
    )


def _back(convention, anchor: str):
    return redirect(f"{convention.get_absolute_url()}#{anchor}")


def _errors(request, form_or_exc) -> None:
    if isinstance(form_or_exc, RuleError):
        for message in form_or_exc.messages:
            messages.error(request, message)
        return
    for field, errors in form_or_exc.errors.items():
        label = form_or_exc.fields[field].label if field in form_or_exc.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)


@require_POST
def party_add(request, pk: int):
    convention = get_convention(request, pk)
    require(perms.can_manage_conventions(request.user, convention.committee))
    form = PartyForm(request.POST, committee=convention.committee)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.add_party(convention=convention, **form.cleaned_data)
        except RuleError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "La partie est ajoutée.")
    return _back(convention, "parties")


def _remove_crumbs(convention, label: str):
    return crumbs(
        (convention.title, convention.get_absolute_url()),
        (label, None),
        committee=convention.committee,
    )


def party_remove(request, pk: int, party_pk: int):
    convention = get_convention(request, pk)
    require(perms.can_manage_conventions(request.user, convention.committee))
    party = convention.parties.filter(pk=party_pk).first()
    if party is None:
        raise Http404
    if request.method != "POST":
        details = []
        if party.amount is not None:
            details.append(
                f"Son montant engagé ({euros(party.amount)}) ne compte plus dans le total "
                "de la convention."
            )
        return confirm_page(
            request,
            title="Retirer une partie",
            question=f"Retirer la partie « {party.name} » de la convention « {convention.title} » ?",
            details=details,
            submit="Retirer la partie",
            cancel_url=f"{convention.get_absolute_url()}#parties",
            breadcrumb=_remove_crumbs(convention, "Retirer une partie"),
            base="funders/base.html",
        )
    services.remove_party(party=party)
    messages.success(request, "La partie est retirée.")
    return _back(convention, "parties")


@require_POST
def commitment_add(request, pk: int):
    convention = get_convention(request, pk)
    require(perms.can_manage_conventions(request.user, convention.committee))
    form = CommitmentForm(request.POST, committee=convention.committee)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.add_commitment(convention=convention, **form.cleaned_data)
        except RuleError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "L'engagement est ajouté.")
    return _back(convention, "engagements")


def commitment_remove(request, pk: int, commitment_pk: int):
    convention = get_convention(request, pk)
    require(perms.can_manage_conventions(request.user, convention.committee))
    commitment = (
        convention.commitments.filter(pk=commitment_pk)
        .select_related("result_indicator", "roadmap_indicator")
        .first()
    )
    if commitment is None:
        raise Http404
    if request.method != "POST":
        details = []
        if commitment.result_indicator or commitment.roadmap_indicator:
            details.append(
                f"L'indicateur « {commitment.indicator_name} » n'est plus suivi dans cette "
                "convention ; il reste en place dans les feuilles de route."
            )
        elif commitment.indicator_label:
            details.append(
                f"Son indicateur « {commitment.indicator_label} » et sa cible sont retirés "
                "avec lui."
            )
        return confirm_page(
            request,
            title="Retirer un engagement",
            question=(
                f"Retirer l'engagement « {Truncator(commitment.text).chars(80)} » "
                f"de la convention « {convention.title} » ?"
            ),
            details=details,
            submit="Retirer l'engagement",
            cancel_url=f"{convention.get_absolute_url()}#engagements",
            breadcrumb=_remove_crumbs(convention, "Retirer un engagement"),
            base="funders/base.html",
        )
    services.remove_commitment(commitment=commitment)
    messages.success(request, "L'engagement est retiré.")
    return _back(convention, "engagements")


@require_POST
def document_add(request, pk: int):
    convention = get_convention(request, pk)
    require(perms.can_manage_conventions(request.user, convention.committee))
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            services.add_document(convention=convention, user=request.user, **form.cleaned_data)
        except RuleError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Le document est déposé.")
    return _back(convention, "documents")


def document(request, pk: int, document_pk: int):
    convention = get_convention(request, pk)
    item = convention.documents.filter(pk=document_pk).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )
