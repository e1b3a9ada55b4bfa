"""Committee screens of the State services (DDETS / DREETS): list, creation, perimeter,
committee page, installation, dissolution, former instances, written opinions, history and
dashboard. Composition screens live in ``committees.views.composition``, commissions in
``committees.views.commissions``, rules of procedure and CREFOP rotation in
``committees.views.procedure``.

Every view reads through ``Committee.objects.visible_to(user)`` (404 outside the user's scope)
and asks the ``can_*`` predicates for actions (403 when forbidden); writes go through one
service each, whose ``RuleError`` is shown on the form with nothing saved.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from committees.cache import cached_warning_counts
from committees.forms.committees import (
    CommitteeCreateForm,
    CommitteeEditForm,
    CommitteeFilterForm,
    DissolveForm,
    FormerInstanceForm,
    InstallForm,
    PerimeterForm,
    WrittenOpinionForm,
    creation_scope,
)
from committees.models import Committee, FormerInstance, Level, WrittenOpinion
from committees.permissions import (
    MANAGE,
    can_copreside,
    can_create_committee,
    can_manage_committee,
    can_view_committee_history,
    committee_ids_with,
)
from committees.selectors import (
    committee_history,
    committee_warnings,
    dashboard,
    departements_of,
    former_instances_and_opinions,
    level_rank,
    managed_committees,
    perimeter_parts,
    perimeter_preview,
    territory_populations,
    visible_committee,
    warning_counts,
)
from committees.services.committees import (
    add_written_opinion,
    create_committee,
    dissolve_committee,
    install_committee,
    installation_problems,
    is_interdepartmental,
    set_perimeter,
    update_committee,
)
from committees.services.former_instances import add_former_instance, remove_former_instance
from committees.views.common import save_form
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.page_cache import cached_body
from cte_portal.core.shortcuts import confirm_page, form_page

COMMITTEES_PER_PAGE = 50
HISTORY_ON_PAGE = 10
HISTORY_PER_PAGE = 50


def _list_url():
    return reverse("committees:list")


def _crumbs(*items):
    return [("Comités de mon territoire", _list_url()), *items]


def _committee_crumbs(committee, *items):
    if not items:
        return _crumbs((committee.name, None))
    return _crumbs((committee.name, committee.get_absolute_url()), *items)


def _managed(request, pk: int) -> Committee:
    """The committee the user runs the secretariat of: 404 if invisible, 403 if not theirs."""
    committee = visible_committee(request.user, pk, related=("region", "parent"))
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied("Vous n'assurez pas le secrétariat de ce comité.")
    return committee


def _form_page(request, form, *, committee: Committee | None = None, **page):
    """A page of one form (``committee_form.html``), about ``committee`` if given."""
    extra = {"committee": committee} if committee else None
    return form_page(
        request, form=form, template="committees/committee_form.html", extra=extra, **page
    )


# --- List -----------------------------------------------------------------------------------------


def committee_list(request):
    def body_context() -> dict:
        visible = Committee.objects.visible_to(request.user)
        form = CommitteeFilterForm(request.GET or None, departements=departements_of(visible))
        committees = (
            form.filter(visible)
            .select_related("region")
            .prefetch_related("departements")
            .order_by("region_id", level_rank(), "name")
        )
        page = Paginator(committees, COMMITTEES_PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        counts = cached_warning_counts(rows)
        populations = territory_populations(rows)
        query = request.GET.copy()
        query.pop("page", None)
        levels, _regions, _departements = creation_scope(request.user)
        return {
            "form": form,
            "page": page,
            "rows": [
                {
                    "committee": c,
                    "warnings": counts.get(c.pk, 0),
                    "population": populations.get(c.pk, 0),
                }
                for c in rows
            ],
            "page_query": f"{query.urlencode()}&" if query else "",
            "can_create": bool(levels),
        }

    return render(
        request,
        "committees/committee_list.html",
        {
            "title": "Comités de mon territoire",
            "body": cached_body(
                request, "committee-list", "committees/committee_list_body.html", body_context
            ),
            "breadcrumb": [("Comités de mon territoire", None)],
        },
    )


# --- Creation and edition -------------------------------------------------------------------------


def committee_create(request):
    levels, _regions, _departements = creation_scope(request.user)
    if not levels:
        raise PermissionDenied("Seuls les services de l'État créent les comités.")
    form = CommitteeCreateForm(request.POST or None, user=request.user)

    def create(data):
        if not can_create_committee(
            request.user,
            level=data["level"],
            region=data["region"],
            departements=data["departements"],
        ):
            raise PermissionDenied("Vous ne pouvez pas créer ce comité sur ce territoire.")
        return create_committee(
            level=data["level"],
            name=data["name"],
            region=data["region"],
            departements=data["departements"],
            special_authority=data["special_authority"],
            crefop_mode=data["crefop_mode"],
            arrete_reference=data["arrete_reference"],
            outre_mer_single=data.get("outre_mer_single", False),
        )

    committee = save_form(request, form, create)
    if committee:
        messages.success(request, f"Le comité « {committee.name} » est créé, en préparation.")
        return redirect(committee)
    return _form_page(
        request,
        form,
        title="Créer un comité",
        submit="Créer le comité",
        cancel_url=_list_url(),
        breadcrumb=_crumbs(("Créer un comité", None)),
    )


def committee_edit(request, pk: int):
    committee = _managed(request, pk)
    form = CommitteeEditForm(request.POST or None, committee=committee)
    if save_form(request, form, lambda data: update_committee(committee=committee, **data)):
        messages.success(request, "Le comité est modifié.")
        return redirect(committee)
    return _form_page(
        request,
        form,
        committee=committee,
        title=f"Modifier {committee.name}",
        submit="Enregistrer",
        cancel_url=committee.get_absolute_url(),
        breadcrumb=_committee_crumbs(committee, ("Modifier", None)),
    )


# --- Perimeter of a CLE (INS-CLE-PERIMETER) -------------------------------------------------------


def committee_perimeter(request, pk: int):
    """Pick arrondissements, EPCI, EPT and communes; preview (GET) then save (POST)."""
    committee = _managed(request, pk)
    if committee.level != Level.LOCAL:
        raise Http404("Seul un comité local a un périmètre de communes.")
    preview = None
    if request.method == "POST":
        form = PerimeterForm(request.POST, committee=committee, user=request.user)
        if form.is_valid():
            selection = form.selection()
            try:
                set_perimeter(committee=committee, **selection)
            except RuleError as error:
                add_rule_error(form, error)
                preview = perimeter_preview(committee, selection)
            else:
                population = f"{committee.population:,}".replace(",", "\u202f")
                messages.success(
                    request,
                    f"Le périmètre est enregistré : {committee.commune_count} communes, "
                    f"{population} habitants.",
                )
                return redirect(committee)
    elif "apercu" in request.GET:
        form = PerimeterForm(request.GET, committee=committee, user=request.user)
        if form.is_valid():
            preview = perimeter_preview(committee, form.selection())
    else:
        form = PerimeterForm(
            initial=PerimeterForm.initial_for(committee), committee=committee, user=request.user
        )
    return render(
        request,
        "committees/committee_perimeter.html",
        {
            "title": f"Périmètre de {committee.name}",
            "committee": committee,
            "form": form,
            "has_epts": "epts" in form.fields,
            "has_municipal": "municipal_arrondissements" in form.fields,
            "preview": preview,
            "breadcrumb": _committee_crumbs(committee, ("Périmètre", None)),
        },
    )


# --- Committee page -------------------------------------------------------------------------------


def committee_detail(request, pk: int):
    committee = visible_committee(request.user, pk, related=("region", "parent"))

    def body_context() -> dict:
        # One query for the départements, read again by the population and the sections.
        prefetch_related_objects([committee], "departements")
        user = request.user
        can_read_history = can_view_committee_history(user, committee)
        history = committee_history(committee) if can_read_history else []
        former_instances, written_opinions = former_instances_and_opinions(committee)
        return {
            "committee": committee,
            "can_manage": can_manage_committee(user, committee),
            "can_copreside": can_copreside(user, committee),
            "departements": list(committee.departements.all()),
            "perimeter": perimeter_parts(committee) if committee.level == Level.LOCAL else None,
            "population": territory_populations([committee])[committee.pk],
            "review_due_on": committee.perimeter_review_due_on,
            "review_is_due": committee.perimeter_review_is_due(),
            "warnings": committee_warnings(committee),
            "former_instances": former_instances,
            "written_opinions": written_opinions,
            "needs_opinions": is_interdepartmental(committee)
            or committee.crefop_mode == "merged"
            or bool(committee.special_authority),
            "can_read_history": can_read_history,
            "history": history[:HISTORY_ON_PAGE],
            "history_count": len(history),
        }

    body = cached_body(request, "committee", "committees/committee_detail_body.html", body_context)
    return render(
        request,
        "committees/committee_detail.html",
        {
            "title": committee.name,
            "committee": committee,
            "body": body,
            "breadcrumb": _committee_crumbs(committee),
        },
    )


def committee_history_page(request, pk: int):
    committee = visible_committee(request.user, pk, related=("region", "parent"))
    if not can_view_committee_history(request.user, committee):
        raise PermissionDenied("L'historique est réservé au secrétariat et aux co-présidents.")
    page = Paginator(committee_history(committee), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "committees/committee_history.html",
        {
            "title": f"Historique de {committee.name}",
            "committee": committee,
            "page": page,
            "page_query": "",
            "breadcrumb": _committee_crumbs(committee, ("Historique", None)),
        },
    )


# --- Installation and dissolution -----------------------------------------------------------------


def committee_install(request, pk: int):
    committee = _managed(request, pk)
    form = InstallForm(
        request.POST or None,
        initial={"installed_on": date.today(), "arrete_reference": committee.arrete_reference},
    )
    if save_form(request, form, lambda data: install_committee(committee=committee, **data)):
        messages.success(request, f"Le comité « {committee.name} » est installé.")
        return redirect(committee)
    return render(
        request,
        "committees/committee_install.html",
        {
            "title": f"Installer {committee.name}",
            "committee": committee,
            "form": form,
            "problems": installation_problems(committee)
            if committee.status == Committee.Status.DRAFT
            else [],
            "breadcrumb": _committee_crumbs(committee, ("Installer", None)),
        },
    )


def committee_dissolve(request, pk: int):
    committee = _managed(request, pk)
    form = DissolveForm(request.POST or None, initial={"dissolved_on": date.today()})
    if save_form(request, form, lambda data: dissolve_committee(committee=committee, **data)):
        messages.success(request, f"Le comité « {committee.name} » est dissous.")
        return redirect(committee)
    return render(
        request,
        "committees/committee_dissolve.html",
        {
            "title": f"Dissoudre {committee.name}",
            "committee": committee,
            "form": form,
            "breadcrumb": _committee_crumbs(committee, ("Dissoudre", None)),
        },
    )


# --- Former instances (INS-REPLACES) --------------------------------------------------------------


def former_instance_add(request, pk: int):
    committee = _managed(request, pk)
    form = FormerInstanceForm(request.POST or None)
    instance = save_form(
        request, form, lambda data: add_former_instance(committee=committee, **data)
    )
    if instance:
        messages.success(request, f"« {instance.name} » est ajoutée aux instances antérieures.")
        return redirect(f"{committee.get_absolute_url()}#instances-anterieures")
    return _form_page(
        request,
        form,
        committee=committee,
        title="Ajouter une instance antérieure",
        intro=(
            "Les comités remplacent les SPER, SPED, SPEL et les autres comités de pilotage "
            "sur les mêmes compétences, et peuvent intégrer ceux des collectivités."
        ),
        submit="Ajouter",
        cancel_url=committee.get_absolute_url(),
        breadcrumb=_committee_crumbs(committee, ("Ajouter une instance antérieure", None)),
    )


def former_instance_remove(request, pk: int, instance_pk: int):
    committee = _managed(request, pk)
    instance = get_object_or_404(FormerInstance, pk=instance_pk, committee=committee)
    back = f"{committee.get_absolute_url()}#instances-anterieures"
    if request.method != "POST":
        return confirm_page(
            request,
            title="Retirer une instance antérieure",
            question=(
                f"Retirer « {instance.name} » des instances antérieures de {committee.name} ?"
            ),
            details=[
                f"{instance.get_kind_display()} — {instance.get_outcome_display()}.",
                "Le comité n'est plus présenté comme l'ayant remplacée ou intégrée ; "
                "le retrait reste inscrit dans l'historique du comité.",
            ],
            submit="Retirer l'instance",
            cancel_url=back,
            breadcrumb=_committee_crumbs(committee, ("Retirer une instance antérieure", None)),
        )
    try:
        remove_former_instance(former_instance=instance)
    except RuleError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"« {instance.name} » est retirée des instances antérieures.")
    return redirect(back)


# --- Written opinions (INS-WRITTEN-OPINIONS) ------------------------------------------------------


def written_opinion_add(request, pk: int):
    committee = _managed(request, pk)
    form = WrittenOpinionForm(request.POST or None, request.FILES or None, committee=committee)
    opinion = save_form(
        request, form, lambda data: add_written_opinion(committee=committee, **data)
    )
    if opinion:
        messages.success(request, f"L'avis de {opinion.authority} est enregistré.")
        return redirect(f"{committee.get_absolute_url()}#avis-ecrits")
    return _form_page(
        request,
        form,
        committee=committee,
        title="Déposer un avis écrit",
        multipart=True,
        intro=(
            "Un CLE dont le périmètre dépasse les limites d'un département, ou un CRE "
            "fusionné avec le CREFOP, n'est installé qu'avec l'avis écrit des collectivités "
            "concernées. Le comité départemental de la Métropole de Lyon, de la Collectivité "
            "européenne d'Alsace ou de la Collectivité de Corse l'est après l'avis du président "
            "de la collectivité sur sa composition (article R. 5311-28 du code du travail)."
        ),
        submit="Déposer l'avis",
        cancel_url=committee.get_absolute_url(),
        breadcrumb=_committee_crumbs(committee, ("Déposer un avis écrit", None)),
    )


def written_opinion_document(request, pk: int, opinion_pk: int):
    """Serve the document to those who may see the committee, never from a public URL."""
    committee = visible_committee(request.user, pk, related=("region", "parent"))
    opinion = get_object_or_404(WrittenOpinion, pk=opinion_pk, committee=committee)
    try:
        handle = opinion.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Document introuvable.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=opinion.document.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Dashboard of the State services --------------------------------------------------------------


def committee_dashboard(request):
    committees = managed_committees(request.user, committee_ids_with(request.user, MANAGE))
    context = dashboard(committees)
    counts = warning_counts(context["committees"])
    return render(
        request,
        "committees/dashboard.html",
        {
            "title": "Mon tableau de bord",
            **context,
            "rows": [
                {"committee": c, "warnings": counts.get(c.pk, 0)} for c in context["committees"]
            ],
            "breadcrumb": [("Mon tableau de bord", None)],
        },
    )
