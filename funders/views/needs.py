"""Local funding conferences (INS-FUNDERS): needs raised by the counsellors, answered by the
departmental conference; the local committee reads the answers on its conference's page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import Truncator

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import confirm_page, form_page, require
from funders import permissions as perms
from funders.forms import AnswerForm, NeedForm
from funders.services import needs as services
from funders.views.common import crumbs, get_conference, get_need


def need_add(request, pk: int):
    conference = get_conference(request, pk)
    require(perms.can_raise_need(request.user, conference))
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_need(conference=conference, user=request.user, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, "Le besoin est enregistré : la conférence départementale y répondra."
            )
            return redirect(f"{conference.get_absolute_url()}#besoins")
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title="Faire remonter un besoin",
        submit="Enregistrer le besoin",
        cancel_url=conference.get_absolute_url(),
        breadcrumb=crumbs(("Nouveau besoin", None), conference=conference),
        intro=(
            "Les besoins concrets des parcours identifiés par les conseillers, et les "
            "difficultés d'accès aux ressources. Ne nommez aucune personne."
        ),
    )


def need_edit(request, pk: int):
    need = get_need(request, pk)
    conference = need.conference
    require(perms.can_raise_need(request.user, conference))
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need(need=need, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "Le besoin est enregistré.")
            return redirect(f"{conference.get_absolute_url()}#besoins")
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title="Modifier un besoin",
        submit="Enregistrer",
        cancel_url=conference.get_absolute_url(),
        breadcrumb=crumbs(("Modifier un besoin", None), conference=conference),
    )


def need_delete(request, pk: int):
    need = get_need(request, pk)
    conference = need.conference
    require(perms.can_raise_need(request.user, conference))
    if request.method != "POST":
        return confirm_page(
            request,
            title="Retirer un besoin",
            question=f"Retirer le besoin « {Truncator(need.pathway_need).chars(80)} » ?",
            details=[
                f"{need.public_label}, {need.territory}, {need.people_count} personne(s) ; "
                f"remonté par {need.raised_by}.",
                "La conférence départementale ne le verra plus et n'y répondra pas.",
            ],
            submit="Retirer le besoin",
            cancel_url=f"{conference.get_absolute_url()}#besoins",
            breadcrumb=crumbs(("Retirer un besoin", None), conference=conference),
            base="funders/base.html",
        )
    try:
        services.delete_need(need=need)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Le besoin est retiré.")
    return redirect(f"{conference.get_absolute_url()}#besoins")


def need_answer(request, pk: int, need_pk: int):
    """The departmental conference ``pk`` answers the local need ``need_pk``."""
    conference = get_conference(request, pk)
    need = get_need(request, need_pk)
    if need.conference.committee.parent_id != conference.committee_id:
        raise Http404
    require(perms.can_answer_needs(request.user, conference))
    initial = {
        "status": need.status if need.is_answered else "",
        "funding_line": need.funding_line_id,
        "redirected_to": need.redirected_to,
        "unmet_reason": need.unmet_reason,
        "answer_comment": need.answer_comment,
    }
    form = AnswerForm(request.POST or None, conference=conference, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_need(
                need=need, conference=conference, user=request.user, **form.cleaned_data
            )
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La réponse est enregistrée : le comité local la voit.")
            return redirect(f"{conference.get_absolute_url()}#besoins-locaux")
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title=f"Répondre au besoin de « {need.conference.committee.name} »",
        submit="Enregistrer la réponse",
        cancel_url=conference.get_absolute_url(),
        breadcrumb=crumbs(("Répondre à un besoin", None), conference=conference),
        intro=(
            f"{need.pathway_need} — {need.public_label}, {need.territory}, "
            f"{need.people_count} personne(s). Difficulté d'accès : {need.access_difficulty}"
        ),
    )
