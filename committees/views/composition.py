"""Composition screens of a committee: co-presidents, members, commissions, rules of procedure
and the CREFOP rotation.

Every view reads the committee through ``Committee.objects.visible_to(user)`` (outside the
user's scope: 404) and every change needs ``can_manage_committee`` (the secretariat: DDETS for
a CDE or a CLE, DREETS for the CRE, admins; otherwise 403). Views validate a form, call the
service and show its refusals (``RuleError``) on the form: nothing is saved then.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from committees.forms.composition import (
    AdoptRulesForm,
    CommissionForm,
    CommissionMemberForm,
    ConfirmForm,
    CoPresidentForm,
    DelegateForm,
    EndForm,
    EndMembershipForm,
    MemberEditForm,
    MemberForm,
    RotationForm,
    RulesForm,
    SubstituteForm,
    VacancyForm,
    add_rule_error,
)
from committees.models import (
    VOTING_CATEGORIES,
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    Level,
    Membership,
    RulesOfProcedure,
)
from committees.permissions import can_manage_committee
from committees.services import composition as services
from cte_portal.core.errors import RuleError
from cte_portal.core.pdf import render_pdf

FORM_TEMPLATE = "committees/composition/form.html"


# --- Scope and permissions ----------------------------------------------------------------------


def _visible(user):
    return Committee.objects.visible_to(user)


def _committee(request, pk: int) -> Committee:
    """A committee the user may see; 404 otherwise (its existence is not disclosed)."""
    return get_object_or_404(_visible(request.user).select_related("region"), pk=pk)


def _require_manage(request, committee: Committee) -> None:
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied("Seul le secrétariat du comité peut modifier sa composition.")


def _managed_committee(request, pk: int) -> Committee:
    committee = _committee(request, pk)
    _require_manage(request, committee)
    return committee


def _in_scope(request, queryset, pk: int, committee_path: str = "committee"):
    """An object of a committee the user may see (404 otherwise)."""
    return get_object_or_404(
        queryset.filter(**{f"{committee_path}__in": _visible(request.user)}), pk=pk
    )


def committee_url(committee: Committee) -> str:
    return committee.get_absolute_url()


def composition_url(committee: Committee) -> str:
    return reverse("committees:composition", args=[committee.pk])


def _crumbs(committee: Committee, *items) -> list:
    return [
        (committee.name, committee_url(committee)),
        ("Composition", composition_url(committee)),
        *items,
    ]


# --- Helpers --------------------------------------------------------------------------------


def _run(request, form, action: Callable[[], object], success: str) -> bool:
    """Validate ``form`` and run ``action`` in one transaction; a refusal of the services
    lands on the form and rolls everything back (an invitation e-mail included)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        with transaction.atomic():
            action()
    except RuleError as error:
        add_rule_error(form, error)
        return False
    messages.success(request, success)
    return True


def _form_page(
    request,
    committee: Committee,
    form,
    *,
    title: str,
    submit: str,
    intro: str = "",
    template: str = FORM_TEMPLATE,
    cancel_url: str | None = None,
    danger: bool = False,
    **extra,
):
    return render(
        request,
        template,
        {
            "title": f"{title} — {committee.name}",
            "heading": title,
            "committee": committee,
            "form": form,
            "submit_label": submit,
            "intro": intro,
            "cancel_url": cancel_url or composition_url(committee),
            "danger": danger,
            "breadcrumb": _crumbs(committee, (title, None)),
            **extra,
        },
    )


def _data(request):
    """Bind forms on POST, even an empty one (the confirmation forms have no field)."""
    return request.POST if request.method == "POST" else None


def _invite(form, organisation: str = ""):
    return services.invite_person(**form.person_data(organisation))


# --- Composition page ---------------------------------------------------------------------------


def composition(request, pk: int):
    committee = _committee(request, pk)
    return render(
        request,
        "committees/composition/composition.html",
        {
            "title": f"Composition — {committee.name}",
            "committee": committee,
            "committee_page_url": committee_url(committee),
            "breadcrumb": [
                (committee.name, committee_url(committee)),
                ("Composition", None),
            ],
        },
    )


# --- Co-presidencies (DEC-COPRESIDENCY) -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def copresident_add(request, pk: int):
    committee = _managed_committee(request, pk)
    form = CoPresidentForm(_data(request))

    def action():
        data = form.cleaned_data
        person = _invite(form, data["organisation"])
        services.add_copresident(
            committee=committee,
            side=data["side"],
            person=person,
            office=data["office"],
            authority=data["authority"],
            votes=data["votes"],
            started_on=data["started_on"],
        )

    if _run(request, form, action, "La co-présidence a été enregistrée."):
        return redirect(composition_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title="Ajouter un co-président ou une co-présidente",
        submit="Enregistrer la co-présidence",
        intro=(
            "Choisissez une personne qui a déjà un compte par son adresse électronique, ou "
            "invitez-la : elle recevra un courriel pour choisir son mot de passe."
        ),
    )


def _copresidency(request, copresidency_pk: int) -> CoPresidency:
    copresidency = _in_scope(
        request,
        CoPresidency.objects.active().select_related("committee__region", "person", "delegate"),
        copresidency_pk,
    )
    _require_manage(request, copresidency.committee)
    return copresidency


@require_http_methods(["GET", "POST"])
def copresident_delegate(request, copresidency_pk: int):
    copresidency = _copresidency(request, copresidency_pk)
    committee = copresidency.committee
    delegate = copresidency.delegate
    initial = (
        {
            "email": delegate.email,
            "first_name": delegate.first_name,
            "last_name": delegate.last_name,
        }
        if delegate
        else {}
    )
    form = DelegateForm(_data(request), initial=initial)

    def action():
        data = form.cleaned_data
        person = _invite(form, data["organisation"]) if data["email"] else None
        services.set_delegate(copresidency=copresidency, delegate=person)

    if _run(request, form, action, "La délégation a été enregistrée."):
        return redirect(composition_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title=f"Délégataire de {copresidency.person.get_full_name()}",
        submit="Enregistrer la délégation",
        intro=(
            f"{copresidency.office} peut désigner une personne qui agit en son nom "
            "(convocations, ordres du jour, validation des comptes rendus)."
        ),
    )


@require_http_methods(["GET", "POST"])
def copresident_end(request, copresidency_pk: int):
    copresidency = _copresidency(request, copresidency_pk)
    committee = copresidency.committee
    form = EndForm(_data(request))

    def action():
        services.end_copresidency(copresidency=copresidency, ended_on=form.cleaned_data["ended_on"])

    if _run(request, form, action, "La co-présidence a pris fin."):
        return redirect(composition_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title=f"Mettre fin à la co-présidence de {copresidency.person.get_full_name()}",
        submit="Mettre fin à la co-présidence",
        intro=(
            "Un comité ne peut être installé sans ses deux côtés de co-présidence "
            "(DEC-COPRESIDENCY) : pensez à désigner la personne qui prend la suite."
        ),
        danger=True,
    )


# --- Members ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    committee = _managed_committee(request, pk)
    form = MemberForm(_data(request))

    def action():
        data = form.cleaned_data
        services.add_member(
            committee=committee,
            person=_invite(form, data["organisation"]),
            organisation=data["organisation"],
            category=data["category"],
            is_permanent=data["is_permanent"],
            votes=data["votes"],
            mandate_start=data["mandate_start"],
            mandate_end=data["mandate_end"],
            appointment_arrete=data["appointment_arrete"],
        )

    if _run(request, form, action, "Le membre a été ajouté."):
        return redirect(composition_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title="Ajouter un membre",
        submit="Ajouter le membre",
        template="committees/composition/member_form.html",
        voting_categories=sorted(VOTING_CATEGORIES),
    )


def _membership(request, membership_pk: int) -> Membership:
    membership = _in_scope(
        request,
        Membership.objects.select_related("committee__region", "person"),
        membership_pk,
    )
    _require_manage(request, membership.committee)
    return membership


def _active_membership(request, membership_pk: int) -> Membership:
    membership = _membership(request, membership_pk)
    if not Membership.objects.active().filter(pk=membership.pk).exists():
        raise Http404("Ce mandat a pris fin.")
    return membership


@require_http_methods(["GET", "POST"])
def member_edit(request, membership_pk: int):
    membership = _active_membership(request, membership_pk)
    committee = membership.committee
    form = MemberEditForm(_data(request), membership=membership)

    def action():
        data = form.cleaned_data
        services.update_member(
            membership=membership,
            organisation=data["organisation"],
            votes=data["votes"],
            mandate_end=data["mandate_end"],
            appointment_arrete=data["appointment_arrete"],
        )

    if _run(request, form, action, "Le membre a été modifié."):
        return redirect(composition_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title=f"Modifier {membership.person.get_full_name()}",
        submit="Enregistrer",
        intro=f"{membership.get_category_display()} — {membership.get_role_display()}.",
    )


@require_http_methods(["GET", "POST"])
def member_add_substitute(request, membership_pk: int):
    titular = _active_membership(request, membership_pk)
    committee = titular.committee
    form = SubstituteForm(_data(request), titular=titular)

    def action():
        data = form.cleaned_data
        services.add_member(
            committee=committee,
            person=_invite(form, data["organisation"]),
            organisation=data["organisation"],
            category=titular.category,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=titular,
            mandate_start=data["mandate_start"],
            mandate_end=data["mandate_end"],
            appointment_arrete=data["appointment_arrete"],
        )

    if _run(request, form, action, "Le suppléant ou la suppléante a été ajouté(e)."):
        return redirect(composition_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title=f"Ajouter un suppléant à {titular.person.get_full_name()}",
        submit="Ajouter le suppléant",
        intro=(
            f"Le suppléant siège dans la catégorie « {titular.get_category_display()} » "
            "avec les voix de son titulaire, en son absence (DEC-MANDATE)."
        ),
    )


@require_http_methods(["GET", "POST"])
def member_replace(request, membership_pk: int):
    """Fill a vacancy: a new appointment for the remainder of the mandate (DEC-MANDATE)."""
    replaced = _membership(request, membership_pk)
    committee = replaced.committee
    form = VacancyForm(_data(request), replaced=replaced)

    def action():
        data = form.cleaned_data
        services.add_member(
            committee=committee,
            person=_invite(form, data["organisation"]),
            organisation=data["organisation"],
            category=replaced.category,
            is_permanent=replaced.is_permanent,
            votes=data["votes"],
            mandate_start=data["mandate_start"],
            appointment_arrete=data["appointment_arrete"],
            replaces=replaced,
        )

    if _run(request, form, action, "Le siège a été pourvu."):
        return redirect(composition_url(committee))
    end = f" jusqu'au {replaced.mandate_end:%d/%m/%Y}" if replaced.mandate_end else ""
    return _form_page(
        request,
        committee,
        form,
        title=f"Pourvoir le siège de {replaced.person.get_full_name()}",
        submit="Pourvoir le siège",
        intro=(
            f"Catégorie « {replaced.get_category_display()} ». La nouvelle nomination vaut pour "
            f"la durée du mandat restant à courir{end} (DEC-MANDATE)."
        ),
    )


@require_http_methods(["GET", "POST"])
def member_end(request, membership_pk: int):
    membership = _active_membership(request, membership_pk)
    committee = membership.committee
    form = EndMembershipForm(_data(request))

    def action():
        services.end_membership(
            membership=membership,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
        )

    if _run(request, form, action, "Le mandat a pris fin."):
        return redirect(composition_url(committee))
    intro = "Le siège devient vacant : il pourra être pourvu pour la durée du mandat restant."
    if membership.role == Membership.Role.TITULAR:
        intro += " Les suppléants du membre cessent leurs fonctions à la même date."
    return _form_page(
        request,
        committee,
        form,
        title=f"Mettre fin au mandat de {membership.person.get_full_name()}",
        submit="Mettre fin au mandat",
        intro=intro,
        danger=True,
    )


# --- Commissions (INS-CDE-COMMISSIONS, DEC-IAE) -------------------------------------------------


def commission_list(request, pk: int):
    committee = _committee(request, pk)
    commissions = committee.commissions.prefetch_related("members__person")
    return render(
        request,
        "committees/composition/commission_list.html",
        {
            "title": f"Commissions et groupes de travail — {committee.name}",
            "committee": committee,
            "commissions": commissions,
            "can_manage": can_manage_committee(request.user, committee),
            "breadcrumb": _crumbs(committee, ("Commissions et groupes de travail", None)),
        },
    )


def _commission_list_url(committee: Committee) -> str:
    return reverse("committees:commission_list", args=[committee.pk])


@require_http_methods(["GET", "POST"])
def commission_add(request, pk: int):
    committee = _managed_committee(request, pk)
    form = CommissionForm(_data(request))

    def action():
        data = form.cleaned_data
        services.add_commission(
            committee=committee, name=data["name"], kind=data["kind"], mission=data["mission"]
        )

    if _run(request, form, action, "La commission a été créée."):
        return redirect(_commission_list_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title="Ajouter une commission ou un groupe de travail",
        submit="Créer",
        cancel_url=_commission_list_url(committee),
    )


def _commission(request, commission_pk: int, *, manage: bool) -> Commission:
    commission = _in_scope(
        request, Commission.objects.select_related("committee__region"), commission_pk
    )
    if manage:
        _require_manage(request, commission.committee)
    return commission


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
            "members": commission.members.select_related("person"),
            "can_manage": can_manage_committee(request.user, committee),
            "breadcrumb": _crumbs(
                committee,
                ("Commissions et groupes de travail", _commission_list_url(committee)),
                (commission.name, None),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def commission_delete(request, commission_pk: int):
    commission = _commission(request, commission_pk, manage=True)
    committee = commission.committee
    form = ConfirmForm(_data(request))

    def action():
        services.delete_commission(commission=commission)

    if _run(request, form, action, f"« {commission.name} » a été supprimée."):
        return redirect(_commission_list_url(committee))
    return _form_page(
        request,
        committee,
        form,
        title=f"Supprimer « {commission.name} »",
        submit="Supprimer",
        intro="La commission et la liste de ses membres seront supprimées.",
        cancel_url=reverse("committees:commission_detail", args=[commission.pk]),
        danger=True,
    )


@require_http_methods(["GET", "POST"])
def commission_member_add(request, commission_pk: int):
    commission = _commission(request, commission_pk, manage=True)
    committee = commission.committee
    form = CommissionMemberForm(_data(request))
    detail_url = reverse("committees:commission_detail", args=[commission.pk])

    def action():
        data = form.cleaned_data
        services.add_commission_member(
            commission=commission,
            person=_invite(form, data["organisation"]),
            organisation=data["organisation"],
            is_chair=data["is_chair"],
        )

    if _run(request, form, action, "Le membre a été ajouté à la commission."):
        return redirect(detail_url)
    return _form_page(
        request,
        committee,
        form,
        title=f"Ajouter un membre à « {commission.name} »",
        submit="Ajouter",
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def commission_member_remove(request, member_pk: int):
    member = _in_scope(
        request,
        CommissionMember.objects.select_related("commission__committee__region", "person"),
        member_pk,
        committee_path="commission__committee",
    )
    commission = member.commission
    _require_manage(request, commission.committee)
    form = ConfirmForm(_data(request))
    detail_url = reverse("committees:commission_detail", args=[commission.pk])

    def action():
        services.remove_commission_member(member=member)

    if _run(request, form, action, "Le membre a été retiré de la commission."):
        return redirect(detail_url)
    return _form_page(
        request,
        commission.committee,
        form,
        title=f"Retirer {member.person.get_full_name()} de « {commission.name} »",
        submit="Retirer",
        cancel_url=detail_url,
        danger=True,
    )


# --- Rules of procedure (INS-RULES) -------------------------------------------------------------


def _rules_url(committee: Committee) -> str:
    return reverse("committees:rules", args=[committee.pk])


def _rules_crumbs(committee: Committee, *items) -> list:
    return _crumbs(committee, ("Règlement intérieur", _rules_url(committee)), *items)


@require_http_methods(["GET", "POST"])
def rules(request, pk: int):
    """The current version of the rules of procedure: the draft form for the secretariat."""
    committee = _committee(request, pk)
    can_manage = can_manage_committee(request.user, committee)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    current = services.current_rules(committee)
    draft = current if current and not current.is_adopted else None
    form = RulesForm(_data(request), rules=current) if can_manage else None

    def action():
        services.save_rules_draft(committee=committee, **form.cleaned_data)

    if form is not None and _run(request, form, action, "Le projet de règlement a été enregistré."):
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
            "breadcrumb": _crumbs(committee, ("Règlement intérieur", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def rules_adopt(request, pk: int):
    committee = _managed_committee(request, pk)
    current = services.current_rules(committee)
    if current is None or current.is_adopted:
        messages.info(request, "Aucun projet de règlement intérieur n'est en attente d'adoption.")
        return redirect(_rules_url(committee))
    form = AdoptRulesForm(_data(request))

    def action():
        services.adopt_rules(rules=current, adopted_on=form.cleaned_data["adopted_on"])

    if _run(request, form, action, f"La version {current.version} du règlement a été adoptée."):
        return redirect(reverse("committees:rules_version", args=[current.pk]))
    return render(
        request,
        "committees/composition/rules_adopt.html",
        {
            "title": f"Adopter le règlement intérieur — {committee.name}",
            "heading": f"Adopter la version {current.version} du règlement intérieur",
            "committee": committee,
            "rules": current,
            "form": form,
            "submit_label": "Adopter",
            "intro": (
                "Indiquez la date à laquelle le comité a adopté ce règlement. Toutes les "
                "rubriques obligatoires doivent être rédigées (INS-RULES)."
            ),
            "cancel_url": _rules_url(committee),
            "danger": False,
            "breadcrumb": _rules_crumbs(committee, ("Adoption", None)),
        },
    )


def rules_versions(request, pk: int):
    committee = _committee(request, pk)
    return render(
        request,
        "committees/composition/rules_versions.html",
        {
            "title": f"Versions du règlement intérieur — {committee.name}",
            "committee": committee,
            "versions": committee.rules_versions.order_by("-version"),
            "breadcrumb": _rules_crumbs(committee, ("Versions", None)),
        },
    )


def _rules_version(request, rules_pk: int) -> RulesOfProcedure:
    return _in_scope(
        request, RulesOfProcedure.objects.select_related("committee__region"), rules_pk
    )


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


def rules_pdf(request, rules_pk: int):
    """PDF of one version (WeasyPrint renders it in a fraction of a second: no task)."""
    version = _rules_version(request, rules_pk)
    committee = version.committee
    state = (
        f"adopté le {version.adopted_on:%d/%m/%Y}" if version.is_adopted else "projet non adopté"
    )
    pdf = render_pdf(
        "committees/pdf/rules_of_procedure.html",
        {
            "running_title": committee.name,
            "running_subtitle": f"Règlement intérieur — version {version.version} ({state})",
            "committee": committee,
            "rules": version,
            "sections": version.sections(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"reglement-interieur-{slugify(committee.name)}-v{version.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- CREFOP rotation (INS-CRE-CREFOP) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rotation(request, pk: int):
    committee = _committee(request, pk)
    if committee.level != Level.REGIONAL:
        raise Http404("La rotation des départements concerne le comité régional.")
    can_manage = can_manage_committee(request.user, committee)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    required = services.rotation_required(committee)
    departements = committee.region.departements.current().order_by("code")
    saved: dict[int, list[str]] = {}
    for year, code in committee.rotation.values_list("year", "departement_id"):
        saved.setdefault(year, []).append(code)
    proposed = not saved or "proposer" in request.GET
    plan = services.propose_rotation(committee) if proposed else saved
    form = RotationForm(_data(request), departements=departements, plan=plan)

    def action():
        services.set_rotation(committee=committee, plan=form.plan())

    if _run(request, form, action, "La rotation des départements a été enregistrée."):
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
            "breadcrumb": _crumbs(committee, ("Rotation des départements", None)),
        },
    )
