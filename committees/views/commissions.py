"""Commissions and working groups of a committee (INS-CDE-COMMISSIONS, DEC-IAE): list, detail,
creation, deletion, members. Scope, rights and page shape: ``committees.views.common``."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from committees.forms.composition import CommissionForm, CommissionMemberForm, ConfirmForm
from committees.models import Commission, CommissionMember, Committee
from committees.permissions import can_manage_committee
from committees.selectors import commission_members, commissions_with_members
from committees.services import composition as services
from committees.views.common import (
    crumbs,
    form_data,
    form_view,
    in_scope,
    invite,
    managed_committee,
    require_manage,
    visible_committee,
)

LIST_CRUMB = "Commissions et groupes de travail"


def _list_url(committee: Committee) -> str:
    return reverse("committees:commission_list", args=[committee.pk])


def _detail_url(commission: Commission) -> str:
    return reverse("committees:commission_detail", args=[commission.pk])


def _commission(request, commission_pk: int, *, manage: bool) -> Commission:
    commission = in_scope(
        request, Commission.objects.select_related("committee__region"), commission_pk
    )
    if manage:
        require_manage(request, commission.committee)
    return commission


def commission_list(request, pk: int):
    committee = visible_committee(request, pk)
    return render(
        request,
        "committees/composition/commission_list.html",
        {
            "title": f"{LIST_CRUMB} — {committee.name}",
            "committee": committee,
            "commissions": commissions_with_members(committee),
            "can_manage": can_manage_committee(request.user, committee),
            "breadcrumb": crumbs(committee, (LIST_CRUMB, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def commission_add(request, pk: int):
    committee = managed_committee(request, pk)
    return form_view(
        request,
        committee,
        CommissionForm(form_data(request)),
        lambda data: services.add_commission(
            committee=committee, name=data["name"], kind=data["kind"], mission=data["mission"]
        ),
        success="La commission a été créée.",
        next_url=_list_url(committee),
        title="Ajouter une commission ou un groupe de travail",
        submit="Créer",
        cancel_url=_list_url(committee),
    )


def commission_detail(request, commission_pk: int):
    commission = _commission(request, commission_pk, manage=False)
    committee = commission.committee
    return render(
        request,
        "committees/composition/commission_detail.html",
        {
            "title": f"{commission.name} — {committee.name}",
            "committee": committee,
            "commission": commission,
            "members": commission_members(commission),
            "can_manage": can_manage_committee(request.user, committee),
            "breadcrumb": crumbs(
                committee, (LIST_CRUMB, _list_url(committee)), (commission.name, None)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def commission_delete(request, commission_pk: int):
    commission = _commission(request, commission_pk, manage=True)
    committee = commission.committee
    return form_view(
        request,
        committee,
        ConfirmForm(form_data(request)),
        lambda data: services.delete_commission(commission=commission),
        success=f"« {commission.name} » a été supprimée.",
        next_url=_list_url(committee),
        title=f"Supprimer « {commission.name} »",
        submit="Supprimer",
        intro="La commission et la liste de ses membres seront supprimées.",
        cancel_url=_detail_url(commission),
        danger=True,
    )


@require_http_methods(["GET", "POST"])
def commission_member_add(request, commission_pk: int):
    commission = _commission(request, commission_pk, manage=True)
    form = CommissionMemberForm(form_data(request))
    return form_view(
        request,
        commission.committee,
        form,
        lambda data: services.add_commission_member(
            commission=commission,
            person=invite(form, data["organisation"]),
            organisation=data["organisation"],
            is_chair=data["is_chair"],
        ),
        success="Le membre a été ajouté à la commission.",
        next_url=_detail_url(commission),
        title=f"Ajouter un membre à « {commission.name} »",
        submit="Ajouter",
        cancel_url=_detail_url(commission),
    )


@require_http_methods(["GET", "POST"])
def commission_member_remove(request, member_pk: int):
    member = in_scope(
        request,
        CommissionMember.objects.select_related("commission__committee__region", "person"),
        member_pk,
        committee_path="commission__committee",
    )
    commission = member.commission
    require_manage(request, commission.committee)
    return form_view(
        request,
        commission.committee,
        ConfirmForm(form_data(request)),
        lambda data: services.remove_commission_member(member=member),
        success="Le membre a été retiré de la commission.",
        next_url=_detail_url(commission),
        title=f"Retirer {member.person.get_full_name()} de « {commission.name} »",
        submit="Retirer",
        cancel_url=_detail_url(commission),
        danger=True,
    )
