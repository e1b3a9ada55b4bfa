"""Screens of the network bodies and the users who act for them (who upload the body's
reports, INS-REPORTING, and see its audit after the report, INS-AUDIT)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audits import permissions as perms
from audits.forms import BodyForm, BodyUserForm, departement_choices
from audits.models import NetworkBody
from audits.services import bodies as services
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import confirm_page, form_page, require
from cte_portal.users.models import User


def _crumbs(*items):
    return [
        ("Audits et comptes rendus", reverse("audits:index")),
        ("Organismes du réseau", reverse("audits:bodies") if items else None),
        *items,
    ]


def _visible(request):
    return perms.visible_bodies(request.user, NetworkBody.objects.all())


def bodies(request):
    queryset = (
        _visible(request)
        .select_related("departement")
        .annotate(user_count=Count("users", distinct=True))
        .order_by("departement_id", "kind", "name")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/bodies.html",
        {
            "title": "Organismes du réseau pour l'emploi",
            "page": page,
            "can_create": perms.can_create_body(request.user),
            "breadcrumb": _crumbs(),
        },
    )


def body_create(request):
    require(perms.can_create_body(request.user))
    form = BodyForm(
        request.POST or None,
        departements=departement_choices(request.user),
        national_allowed=perms.is_admin(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            body = services.create_network_body(**form.cleaned_data)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'organisme est enregistré.")
            return redirect("audits:body", body.pk)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title="Nouvel organisme du réseau",
        submit="Enregistrer",
        cancel_url=reverse("audits:bodies"),
        breadcrumb=_crumbs(("Nouvel organisme", None)),
    )


def body_detail(request, pk: int):
    body = get_object_or_404(_visible(request).select_related("departement"), pk=pk)
    can_manage = perms.can_manage_body(request.user, body)
    form = BodyUserForm(request.POST or None)
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            try:
                services.add_body_user(body=body, user=form.user)
            except RuleError as error:
                add_rule_error(form, error)
            else:
                messages.success(request, f"{form.user} agit désormais pour {body.name}.")
                return redirect("audits:body", body.pk)
    return render(
        request,
        "audits/body_detail.html",
        {
            "title": body.name,
            "body": body,
            "users": list(body.users.order_by("last_name", "first_name")) if can_manage else [],
            "can_manage": can_manage,
            "form": form,
            "breadcrumb": _crumbs((body.name, None)),
        },
    )


def body_user_remove(request, pk: int, user_pk: int):
    body = get_object_or_404(_visible(request), pk=pk)
    require(perms.can_manage_body(request.user, body))
    user = get_object_or_404(User, pk=user_pk, network_bodies=body)
    if request.method != "POST":
        return confirm_page(
            request,
            title="Retirer une personne de l'organisme",
            question=f"{user.get_full_name()} n'agira plus pour {body.name} : confirmer ?",
            details=["Cette personne ne verra plus les audits et comptes rendus de l'organisme."],
            submit="Retirer la personne",
            cancel_url=reverse("audits:body", args=[body.pk]),
            breadcrumb=_crumbs(
                (body.name, reverse("audits:body", args=[body.pk])), ("Retirer", None)
            ),
            base="audits/base.html",
        )
    services.remove_body_user(body=body, user=user)
    messages.success(request, f"{user} n'agit plus pour {body.name}.")
    return redirect("audits:body", body.pk)
