"""Composition screens of a committee: the composition page, co-presidents (DEC-COPRESIDENCY)
and members (DEC-CATEGORIES, DEC-VOTERS, DEC-VOTES, DEC-MANDATE). Commissions live in
``committees.views.commissions``, the rules of procedure and the CREFOP rotation in
``committees.views.procedure``; the scope, rights and page shape they share in
``committees.views.common``.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from committees.forms.composition import (
    CoPresidentForm,
    DelegateForm,
    EndForm,
    EndMembershipForm,
    MemberEditForm,
    MemberForm,
    PersonForm,
    RenewalForm,
    SubstituteForm,
    VacancyForm,
)
from committees.models import VOTING_CATEGORIES, CoPresidency, Membership
from committees.selectors import is_in_office
from committees.services import composition as services
from committees.views.common import (
    form_data,
    form_view,
    in_scope,
    invite,
    managed_committee,
    require_manage,
    visible_committee,
)
from cte_portal.core.page_cache import cached_body

# --- Composition page ---------------------------------------------------------------------------


def composition(request, pk: int):
    committee = visible_committee(request, pk)
    body = cached_body(
        request,
        "composition",
        "committees/composition/composition_body.html",
        lambda: {"committee": committee, "committee_page_url": committee.get_absolute_url()},
    )
    return render(
        request,
        "committees/composition/composition.html",
        {
            "title": f"Composition — {committee.name}",
            "body": body,
            "breadcrumb": [
                (committee.name, committee.get_absolute_url()),
                ("Composition", None),
            ],
        },
    )


# --- Co-presidencies (DEC-COPRESIDENCY) -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def copresident_add(request, pk: int):
    committee = managed_committee(request, pk)
    form = CoPresidentForm(form_data(request), committee=committee)

    def action(data):
        services.add_copresident(
            committee=committee,
            side=data["side"],
            person=invite(form, data["organisation"]),
            office=data["office"],
            authority=data["authority"],
            votes=data["votes"],
            started_on=data["started_on"],
            represented=data["represented"],
        )

    return form_view(
        request,
        committee,
        form,
        action,
        success="La co-présidence a été enregistrée.",
        title="Ajouter un co-président ou une co-présidente",
        submit="Enregistrer la co-présidence",
        intro=(
            "Choisissez une personne qui a déjà un compte par son adresse électronique, ou "
            "invitez-la : elle recevra un courriel pour choisir son mot de passe."
        ),
    )


def _copresidency(request, copresidency_pk: int) -> CoPresidency:
    copresidency = in_scope(
        request,
        CoPresidency.objects.active().select_related("committee__region", "person", "delegate"),
        copresidency_pk,
    )
    require_manage(request, copresidency.committee)
    return copresidency


@require_http_methods(["GET", "POST"])
def copresident_delegate(request, copresidency_pk: int):
    copresidency = _copresidency(request, copresidency_pk)
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
    form = DelegateForm(form_data(request), initial=initial)

    def action(data):
        person = invite(form, data["organisation"]) if data["email"] else None
        services.set_delegate(copresidency=copresidency, delegate=person)

    return form_view(
        request,
        copresidency.committee,
        form,
        action,
        success="La délégation a été enregistrée.",
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
    return form_view(
        request,
        copresidency.committee,
        EndForm(form_data(request)),
        lambda data: services.end_copresidency(
            copresidency=copresidency, ended_on=data["ended_on"]
        ),
        success="La co-présidence a pris fin.",
        title=f"Mettre fin à la co-présidence de {copresidency.person.get_full_name()}",
        submit="Mettre fin à la co-présidence",
        intro=(
            "Un comité ne peut être installé sans ses deux côtés de co-présidence "
            " : pensez à désigner la personne qui prend la suite."
        ),
        danger=True,
    )


# --- Members ---------------------------------------------------------------------------------


def _appoint(committee, form, data: dict, **fixed) -> Membership:
    """``add_member`` with the person the form names, the appointment it asks for (every field
    of the form besides the person's) and what the view fixes (category, role, seat)."""
    appointment = {name: data[name] for name in form.fields if name not in PersonForm.base_fields}
    return services.add_member(
        committee=committee,
        person=invite(form, data["organisation"]),
        **appointment,
        **fixed,
    )


@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    committee = managed_committee(request, pk)
    form = MemberForm(form_data(request), committee=committee)
    return form_view(
        request,
        committee,
        form,
        lambda data: _appoint(committee, form, data),
        success="Le membre a été ajouté.",
        title="Ajouter un membre",
        submit="Ajouter le membre",
        template="committees/composition/member_form.html",
        voting_categories=sorted(VOTING_CATEGORIES),
    )


def _membership(request, membership_pk: int) -> Membership:
    membership = in_scope(
        request,
        Membership.objects.select_related("committee__region", "person"),
        membership_pk,
    )
    require_manage(request, membership.committee)
    return membership


def _active_membership(request, membership_pk: int) -> Membership:
    membership = _membership(request, membership_pk)
    if not is_in_office(membership):
        raise Http404("Ce mandat a pris fin.")
    return membership


@require_http_methods(["GET", "POST"])
def member_edit(request, membership_pk: int):
    membership = _active_membership(request, membership_pk)
    return form_view(
        request,
        membership.committee,
        MemberEditForm(form_data(request), membership=membership),
        lambda data: services.update_member(
            membership=membership,
            organisation=data["organisation"],
            votes=data["votes"],
            mandate_end=data["mandate_end"],
            appointment_arrete=data["appointment_arrete"],
            represented=data["represented"],
        ),
        success="Le membre a été modifié.",
        title=f"Modifier {membership.person.get_full_name()}",
        submit="Enregistrer",
        intro=f"{membership.get_category_display()} — {membership.get_role_display()}.",
    )


@require_http_methods(["GET", "POST"])
def member_add_substitute(request, membership_pk: int):
    titular = _active_membership(request, membership_pk)
    committee = titular.committee
    form = SubstituteForm(form_data(request), titular=titular)
    return form_view(
        request,
        committee,
        form,
        lambda data: _appoint(
            committee,
            form,
            data,
            category=titular.category,
            role=Membership.Role.SUBSTITUTE,
            substitute_for=titular,
        ),
        success="Le suppléant ou la suppléante a été ajouté(e).",
        title=f"Ajouter un suppléant à {titular.person.get_full_name()}",
        submit="Ajouter le suppléant",
        intro=(
            f"Le suppléant siège dans la catégorie « {titular.get_category_display()} » "
            "avec les voix de son titulaire, en son absence (article R. 5311-36 du code du travail). "
            "Son mandat prend fin avec celui "
            "du titulaire"
            + (f", le {titular.mandate_end:%d/%m/%Y}." if titular.mandate_end else ".")
        ),
    )


@require_http_methods(["GET", "POST"])
def member_replace(request, membership_pk: int):
    """Fill a vacancy: a new appointment for the remainder of the mandate (DEC-MANDATE)."""
    replaced = _membership(request, membership_pk)
    committee = replaced.committee
    form = VacancyForm(form_data(request), replaced=replaced)
    end = f" jusqu'au {replaced.mandate_end:%d/%m/%Y}" if replaced.mandate_end else ""
    return form_view(
        request,
        committee,
        form,
        lambda data: _appoint(
            committee,
            form,
            data,
            category=replaced.category,
            is_permanent=replaced.is_permanent,
            replaces=replaced,
        ),
        success="Le siège a été pourvu.",
        title=f"Pourvoir le siège de {replaced.person.get_full_name()}",
        submit="Pourvoir le siège",
        intro=(
            f"Catégorie « {replaced.get_category_display()} ». La nouvelle nomination vaut pour "
            f"la durée du mandat restant à courir{end} (article R. 5311-36 du code du travail)."
        ),
    )


@require_http_methods(["GET", "POST"])
def member_end(request, membership_pk: int):
    membership = _active_membership(request, membership_pk)
    intro = "Le siège devient vacant : il pourra être pourvu pour la durée du mandat restant."
    if membership.role == Membership.Role.TITULAR:
        intro += " Les suppléants du membre cessent leurs fonctions à la même date."
    return form_view(
        request,
        membership.committee,
        EndMembershipForm(form_data(request)),
        lambda data: services.end_membership(
            membership=membership, ended_on=data["ended_on"], reason=data["reason"]
        ),
        success="Le mandat a pris fin.",
        title=f"Mettre fin au mandat de {membership.person.get_full_name()}",
        submit="Mettre fin au mandat",
        intro=intro,
        danger=True,
    )


# --- Renewal of the mandates (DEC-MANDATE) ------------------------------------------------------


@require_http_methods(["GET", "POST"])
def renewal(request, pk: int):
    """Renew the mandates of a committee before the end of the term (the 2027 renewal): the
    list of seats to renew, all checked, one arrêté, one start date."""
    committee = managed_committee(request, pk)
    seats = services.seats_to_renew(committee)
    form = RenewalForm(form_data(request), seats=seats, renewed_on=services.renewal_date(seats))
    return form_view(
        request,
        committee,
        form,
        lambda data: services.renew_committee(
            committee=committee,
            seats=data["seats"],
            renewed_on=data["renewed_on"],
            appointment_arrete=data["appointment_arrete"],
        ),
        success="Les mandats ont été renouvelés.",
        title="Renouveler les mandats",
        submit="Renouveler les mandats cochés",
        intro=(
            "Les membres nommés siègent pour un mandat de trois ans, renouvelable (article "
            "R. 5311-36 du code du travail). Chaque siège coché est renouvelé pour trois ans "
            "avec la même personne, le même organisme, la même catégorie et les mêmes voix."
            if seats
            else "Aucun mandat en cours n'arrive à échéance : il n'y a rien à renouveler."
        ),
    )
