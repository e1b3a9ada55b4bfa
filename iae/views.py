"""Screens of the IAE commission's opinions (DEC-IAE): a CDE's list with its filters and
exports, a file, and the secretariat's writes (request, opinion, notice, withdrawal). Each view
gates with ``iae.permissions``, validates a form, calls one service, redirects."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from committees.models import Committee, Level
from committees.selectors import visible_committee
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require
from iae import exports, services
from iae import permissions as perms
from iae.forms import NoticeForm, OpinionForm, RequestForm, WithdrawForm
from iae.models import IaeOpinion, IaeRequest, RequestKind, RequestStatus
from iae.selectors import committee_requests, read_filters
from meetings.permissions import can_view_meeting

PER_PAGE = 25
LIST_LABEL = exports.LIST_LABEL


def _committee(request, pk: int) -> Committee:
    """The CDE (404 outside the user's scope), whose IAE files the user reads (403)."""
    committee = visible_committee(request.user, pk)
    if committee.level != Level.DEPARTMENTAL:
        raise Http404("Seuls les comités départementaux ont une commission inclusion et IAE.")
    require(perms.can_view_iae(request.user, committee))
    return committee


def _file(request, pk: int) -> IaeRequest:
    """A file the user may read; a 404 otherwise, whether it exists or not."""
    return get_object_or_404(
        IaeRequest.objects.visible_to(request.user).select_related(
            "committee", "opinion", "opinion__meeting__committee"
        ),
        pk=pk,
    )


def _crumbs(committee: Committee, *items) -> list:
    return [
        (committee.name, committee.get_absolute_url()),
        (LIST_LABEL, reverse("iae:committee", args=[committee.pk]) if items else None),
        *items,
    ]


def _file_crumbs(iae_request: IaeRequest, label: str | None = None) -> list:
    items = [(f"Dossier n° {iae_request.pk}", iae_request.get_absolute_url() if label else None)]
    if label:
        items.append((label, None))
    return _crumbs(iae_request.committee, *items)


def committee_requests_page(request, committee_pk: int):
    """DEC-IAE: a CDE's requests and the commission's opinions, filtered and paginated."""
    committee = _committee(request, committee_pk)
    filters = read_filters(request.GET)
    page = Paginator(committee_requests(request.user, committee, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "iae/committee.html",
        {
            "title": f"{LIST_LABEL} — {committee.name}",
            "committee": committee,
            "page": page,
            "filters": filters,
            "query": filters.query,
            "statuses": RequestStatus.choices,
            "kinds": RequestKind.choices,
            "can_manage": perms.can_manage_iae(request.user, committee),
            "breadcrumb": _crumbs(committee),
        },
    )


@require_POST
def export(request, committee_pk: int, extension: str):
    """Queue the export of the list as filtered and go to its progress page: a task builds
    the file (``iae.exports``)."""
    committee = _committee(request, committee_pk)
    job = exports.request_export(
        user=request.user, committee=committee, filters=read_filters(request.GET), fmt=extension
    )
    return redirect("file_job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def create(request, committee_pk: int):
    committee = _committee(request, committee_pk)
    require(perms.can_manage_iae(request.user, committee))
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            iae_request = services.create_request(
                committee=committee, user=request.user, data=form.to_data()
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La demande est enregistrée.")
            return redirect(iae_request)
    list_url = reverse("iae:committee", args=[committee.pk])
    return form_page(
        request,
        form=form,
        title="Enregistrer une demande soumise à la commission",
        submit="Enregistrer la demande",
        cancel_url=list_url,
        breadcrumb=_crumbs(committee, ("Nouvelle demande", None)),
        intro=(
            "La commission inclusion et IAE donne son avis avant que le préfet conclue les "
            "conventions des structures de l'insertion par l'activité économique et attribue "
            "les aides du fonds de développement de l'inclusion (articles R. 5132-27 et "
            "R. 5132-47 du code du travail)."
        ),
    )


def detail(request, pk: int):
    iae_request = _file(request, pk)
    committee = iae_request.committee
    opinion = iae_request.current_opinion
    manages = perms.can_edit_request(request.user, iae_request)
    status = iae_request.status
    return render(
        request,
        "iae/detail.html",
        {
            "title": f"Dossier n° {iae_request.pk} — {iae_request.structure_name}",
            "item": iae_request,
            "opinion": opinion,
            "meeting_visible": bool(opinion and opinion.meeting_id)
            and can_view_meeting(request.user, opinion.meeting),
            "warnings": services.opinion_warnings(opinion) if manages else [],
            "can_edit": manages and status == RequestStatus.RECEIVED,
            "can_record_opinion": manages
            and status in (RequestStatus.RECEIVED, RequestStatus.OPINION_GIVEN),
            "can_send_notice": manages and status == RequestStatus.OPINION_GIVEN,
            "can_withdraw": manages
            and status in (RequestStatus.RECEIVED, RequestStatus.OPINION_GIVEN),
            "is_withdrawn": status == RequestStatus.WITHDRAWN,
            "breadcrumb": _crumbs(committee, (f"Dossier n° {iae_request.pk}", None)),
        },
    )


def _managed_file(request, pk: int) -> IaeRequest:
    iae_request = _file(request, pk)
    require(perms.can_edit_request(request.user, iae_request))
    return iae_request


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    iae_request = _managed_file(request, pk)
    initial = {
        name: getattr(iae_request, name)
        for name in RequestForm.base_fields
        if hasattr(iae_request, name)
    }
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_request(iae_request=iae_request, user=request.user, data=form.to_data())
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La demande est mise à jour.")
            return redirect(iae_request)
    return form_page(
        request,
        form=form,
        title=f"Modifier la demande n° {iae_request.pk}",
        submit="Enregistrer",
        cancel_url=iae_request.get_absolute_url(),
        breadcrumb=_file_crumbs(iae_request, "Modifier"),
    )


@require_http_methods(["GET", "POST"])
def opinion(request, pk: int):
    """DEC-IAE: the commission's opinion, voted or by consensus, in one of its meetings."""
    iae_request = _managed_file(request, pk)
    current = iae_request.current_opinion
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in OpinionForm.base_fields
            if hasattr(current, name)
        }
    form = OpinionForm(
        request.POST or None,
        initial=initial,
        meetings=services.commission_meetings(iae_request.committee),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_opinion(iae_request=iae_request, user=request.user, data=form.to_data())
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'avis de la commission est enregistré.")
            return redirect(iae_request)
    return form_page(
        request,
        form=form,
        title=f"Avis de la commission — dossier n° {iae_request.pk}",
        submit="Enregistrer l'avis",
        cancel_url=iae_request.get_absolute_url(),
        breadcrumb=_file_crumbs(iae_request, "Avis de la commission"),
        intro=(
            "Choisissez la réunion de la commission inclusion et IAE où l'avis a été rendu, ou "
            "indiquez sa date si elle n'est pas enregistrée dans le portail. L'avis peut être "
            "corrigé tant qu'il n'a pas été transmis au préfet."
        ),
    )


@require_http_methods(["GET", "POST"])
def notice(request, pk: int):
    """DEC-IAE: the opinion sent to the préfet (or the DDETS acting for them)."""
    iae_request = _managed_file(request, pk)
    form = NoticeForm(
        request.POST or None,
        initial={
            "recipient": IaeOpinion.Recipient.PREFET,
            "sent_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_notice(iae_request=iae_request, user=request.user, **form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La transmission de l'avis au préfet est enregistrée.")
            return redirect(iae_request)
    return form_page(
        request,
        form=form,
        title=f"Transmettre l'avis — dossier n° {iae_request.pk}",
        submit="Enregistrer la transmission",
        cancel_url=iae_request.get_absolute_url(),
        breadcrumb=_file_crumbs(iae_request, "Transmission de l'avis"),
        intro="Une fois transmis, l'avis de la commission ne peut plus être modifié.",
    )


@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    iae_request = _managed_file(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_request(
                iae_request=iae_request, user=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La demande est retirée.")
            return redirect(iae_request)
    return form_page(
        request,
        form=form,
        title=f"Retirer la demande n° {iae_request.pk}",
        submit="Retirer la demande",
        cancel_url=iae_request.get_absolute_url(),
        breadcrumb=_file_crumbs(iae_request, "Retrait"),
    )
