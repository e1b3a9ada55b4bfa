"""Axes, action sheets, actors, specific indicators and good practices of a roadmap
(INS-ROADMAP-SHAPE, INS-ACTION-SHEET, INS-INDICATORS, INS-GOOD-PRACTICES)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import confirm_page, form_page, require
from roadmaps import permissions as perms
from roadmaps.forms import (
    ActionSheetForm,
    ActorForm,
    AxisForm,
    GoodPracticeForm,
    RoadmapIndicatorForm,
    SheetProgressForm,
)
from roadmaps.models import ActorRole, EscalatedSubject, IndicatorValue, RoadmapIndicator
from roadmaps.services import roadmaps as services
from roadmaps.views.common import (
    get_actor,
    get_axis,
    get_roadmap,
    get_roadmap_indicator,
    get_sheet,
    roadmap_crumbs,
)
from roadmaps.views.roadmaps import _edit_notice


def _save(request, form, call, *, success: str, redirect_to):
    """Validate, call the service, show its refusal on the form or redirect."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_to(result))
    return None


# --- Axes ---------------------------------------------------------------------------------------


def axis_add(request, pk: int):
    roadmap = get_roadmap(request, pk)
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = AxisForm(request.POST or None)
    response = _save(
        request,
        form,
        lambda data: services.add_axis(roadmap=roadmap, **data),
        success="L'axe est ajouté.",
        redirect_to=lambda axis: _after_axis(request, axis),
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Ajouter un axe",
        submit="Ajouter l'axe",
        cancel_url=roadmap.get_absolute_url(),
        breadcrumb=roadmap_crumbs(roadmap, ("Ajouter un axe", None)),
        intro=_edit_notice(roadmap),
    )


def _after_axis(request, axis):
    warning = services.axis_limit_warning(axis.roadmap)
    if warning:
        messages.warning(request, warning)
    return axis.roadmap


def axis_edit(request, pk: int):
    axis = get_axis(request, pk)
    roadmap = axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = AxisForm(request.POST or None, instance=axis)
    response = _save(
        request,
        form,
        lambda data: services.update_axis(
            axis=axis, **{k: v for k, v in data.items() if v is not None}
        ),
        success="L'axe est enregistré.",
        redirect_to=lambda _axis: roadmap,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Modifier l'axe « {axis.title} »",
        submit="Enregistrer",
        cancel_url=roadmap.get_absolute_url(),
        breadcrumb=roadmap_crumbs(roadmap, ("Modifier un axe", None)),
        intro=_edit_notice(roadmap),
    )


def axis_delete(request, pk: int):
    axis = get_axis(request, pk)
    require(perms.can_edit_roadmap(request.user, axis.roadmap))
    if request.method != "POST":
        return confirm_page(
            request,
            title="Supprimer un axe",
            question=f"Supprimer l'axe « {axis.title} » de la feuille de route ?",
            submit="Supprimer l'axe",
            cancel_url=axis.roadmap.get_absolute_url(),
            breadcrumb=roadmap_crumbs(axis.roadmap, ("Supprimer un axe", None)),
            base="roadmaps/base.html",
        )
    try:
        services.delete_axis(axis=axis)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "L'axe est supprimé.")
    return redirect(axis.roadmap)


# --- Action sheets ------------------------------------------------------------------------------


def sheet_add(request, pk: int):
    axis = get_axis(request, pk)
    roadmap = axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = ActionSheetForm(request.POST or None)
    response = _save(
        request,
        form,
        lambda data: services.add_action_sheet(axis=axis, **data),
        success="La fiche action est ajoutée.",
        redirect_to=lambda sheet: sheet,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Nouvelle fiche action — {axis.title}",
        submit="Ajouter la fiche action",
        cancel_url=roadmap.get_absolute_url(),
        breadcrumb=roadmap_crumbs(roadmap, ("Nouvelle fiche action", None)),
        intro=_edit_notice(roadmap),
    )


def sheet_detail(request, pk: int):
    sheet = get_sheet(request, pk)
    roadmap = sheet.axis.roadmap
    user = request.user
    can_edit = perms.can_edit_roadmap(user, roadmap)
    indicators = list(
        RoadmapIndicator.objects.filter(sheet=sheet).prefetch_related("breakdowns").order_by("pk")
    )
    latest = {}
    for value in IndicatorValue.objects.filter(
        roadmap_indicator__in=indicators, category__isnull=True
    ).order_by("period"):
        latest[value.roadmap_indicator_id] = value
    return render(
        request,
        "roadmaps/sheet_detail.html",
        {
            "title": sheet.title,
            "sheet": sheet,
            "roadmap": roadmap,
            "actors": ActorRole.objects.filter(sheet=sheet).order_by("position", "pk"),
            "indicators": [(i, latest.get(i.pk)) for i in indicators],
            "good_practice": getattr(sheet, "good_practice", None),
            "escalations": EscalatedSubject.objects.filter(related_sheets=sheet).select_related(
                "to_committee"
            ),
            "answered_subjects": EscalatedSubject.objects.filter(
                answering_sheet=sheet
            ).select_related("from_committee"),
            "can_edit": can_edit,
            "can_mark": perms.can_mark_good_practice(user, sheet),
            "can_raise_subject": can_edit and perms.can_raise_subject(user, roadmap.committee),
            "progress_form": SheetProgressForm(
                initial={"status": sheet.status, "progress": sheet.progress}
            )
            if can_edit
            else None,
            "breadcrumb": roadmap_crumbs(roadmap, (sheet.title, None)),
        },
    )


def sheet_edit(request, pk: int):
    sheet = get_sheet(request, pk)
    roadmap = sheet.axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = ActionSheetForm(request.POST or None, instance=sheet, axes=roadmap.axes.all())
    response = _save(
        request,
        form,
        lambda data: services.update_action_sheet(sheet=sheet, **data),
        success="La fiche action est enregistrée.",
        redirect_to=lambda updated: updated,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Modifier la fiche « {sheet.title} »",
        submit="Enregistrer",
        cancel_url=sheet.get_absolute_url(),
        breadcrumb=roadmap_crumbs(
            roadmap, (sheet.title, sheet.get_absolute_url()), ("Modifier", None)
        ),
        intro=_edit_notice(roadmap),
    )


@require_POST
def sheet_progress(request, pk: int):
    sheet = get_sheet(request, pk)
    require(perms.can_edit_roadmap(request.user, sheet.axis.roadmap))
    form = SheetProgressForm(request.POST)
    if form.is_valid():
        try:
            services.update_sheet_progress(sheet=sheet, **form.cleaned_data)
        except RuleError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "L'avancement de l'action est enregistré.")
    else:
        messages.error(request, "L'avancement est un pourcentage, de 0 à 100.")
    return redirect(sheet)


def sheet_delete(request, pk: int):
    sheet = get_sheet(request, pk)
    roadmap = sheet.axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    if request.method != "POST":
        return confirm_page(
            request,
            title="Supprimer une fiche action",
            question=f"Supprimer la fiche action « {sheet.title} » ?",
            details=["Ses acteurs et ses indicateurs sont supprimés avec elle."],
            submit="Supprimer la fiche",
            cancel_url=sheet.get_absolute_url(),
            breadcrumb=roadmap_crumbs(roadmap, ("Supprimer une fiche action", None)),
            base="roadmaps/base.html",
        )
    try:
        services.delete_action_sheet(sheet=sheet)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(sheet)
    messages.success(request, "La fiche action est supprimée.")
    return redirect(roadmap)


# --- Actors -------------------------------------------------------------------------------------


def actor_add(request, pk: int):
    sheet = get_sheet(request, pk)
    roadmap = sheet.axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = ActorForm(request.POST or None, committee=roadmap.committee)
    response = _save(
        request,
        form,
        lambda data: services.add_actor(sheet=sheet, **data),
        success="Le rôle de l'acteur est ajouté.",
        redirect_to=lambda actor: sheet,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Ajouter un acteur — {sheet.title}",
        submit="Ajouter l'acteur",
        cancel_url=sheet.get_absolute_url(),
        breadcrumb=roadmap_crumbs(
            roadmap, (sheet.title, sheet.get_absolute_url()), ("Ajouter un acteur", None)
        ),
        intro="Un organisme et son engagement : n'indiquez aucune personne nommément (données ouvertes).",
    )


def actor_remove(request, pk: int):
    actor = get_actor(request, pk)
    sheet = actor.sheet
    roadmap = sheet.axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    if request.method != "POST":
        return confirm_page(
            request,
            title="Retirer un acteur",
            question=(
                f"Retirer l'acteur « {actor.organisation} » de la fiche action « {sheet.title} » ?"
            ),
            details=["Son engagement dans cette action est supprimé avec lui."],
            submit="Retirer l'acteur",
            cancel_url=sheet.get_absolute_url(),
            breadcrumb=roadmap_crumbs(
                roadmap, (sheet.title, sheet.get_absolute_url()), ("Retirer un acteur", None)
            ),
            base="roadmaps/base.html",
        )
    services.remove_actor(actor=actor)
    messages.success(request, "L'acteur est retiré de la fiche.")
    return redirect(actor.sheet)


# --- Specific indicators ------------------------------------------------------------------------


def indicator_add(request, pk: int):
    sheet = get_sheet(request, pk)
    roadmap = sheet.axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = RoadmapIndicatorForm(request.POST or None)
    response = _save(
        request,
        form,
        lambda data: services.add_roadmap_indicator(sheet=sheet, **data),
        success="L'indicateur est ajouté à la fiche.",
        redirect_to=lambda indicator: sheet,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Ajouter un indicateur — {sheet.title}",
        submit="Ajouter l'indicateur",
        cancel_url=sheet.get_absolute_url(),
        breadcrumb=roadmap_crumbs(
            roadmap, (sheet.title, sheet.get_absolute_url()), ("Ajouter un indicateur", None)
        ),
    )


def indicator_edit(request, pk: int):
    indicator = get_roadmap_indicator(request, pk)
    sheet = indicator.sheet
    roadmap = sheet.axis.roadmap
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = RoadmapIndicatorForm(request.POST or None, instance=indicator)
    response = _save(
        request,
        form,
        lambda data: services.update_roadmap_indicator(indicator=indicator, **data),
        success="L'indicateur est enregistré.",
        redirect_to=lambda _i: sheet,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Modifier l'indicateur « {indicator.name} »",
        submit="Enregistrer",
        cancel_url=sheet.get_absolute_url(),
        breadcrumb=roadmap_crumbs(
            roadmap, (sheet.title, sheet.get_absolute_url()), ("Modifier un indicateur", None)
        ),
    )


def indicator_delete(request, pk: int):
    indicator = get_roadmap_indicator(request, pk)
    require(perms.can_edit_roadmap(request.user, indicator.sheet.axis.roadmap))
    if request.method != "POST":
        return confirm_page(
            request,
            title="Supprimer un indicateur",
            question=f"Supprimer l'indicateur « {indicator.name} » de la fiche action ?",
            details=["Ses valeurs saisies sont supprimées avec lui."],
            submit="Supprimer l'indicateur",
            cancel_url=indicator.sheet.get_absolute_url(),
            breadcrumb=roadmap_crumbs(
                indicator.sheet.axis.roadmap, ("Supprimer un indicateur", None)
            ),
            base="roadmaps/base.html",
        )
    try:
        services.delete_roadmap_indicator(indicator=indicator)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "L'indicateur est supprimé.")
    return redirect(indicator.sheet)


# --- Good practices -----------------------------------------------------------------------------


def good_practice_mark(request, pk: int):
    sheet = get_sheet(request, pk)
    roadmap = sheet.axis.roadmap
    require(perms.can_mark_good_practice(request.user, sheet))
    form = GoodPracticeForm(request.POST or None, instance=getattr(sheet, "good_practice", None))
    response = _save(
        request,
        form,
        lambda data: services.mark_good_practice(sheet=sheet, user=request.user, **data),
        success="L'action figure au catalogue des bonnes pratiques.",
        redirect_to=lambda _p: sheet,
    )
    return response or form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title=f"Bonne pratique — {sheet.title}",
        submit="Enregistrer la bonne pratique",
        cancel_url=sheet.get_absolute_url(),
        breadcrumb=roadmap_crumbs(
            roadmap, (sheet.title, sheet.get_absolute_url()), ("Bonne pratique", None)
        ),
        intro=(
            "Une action à l'impact démontré et reproductible, avec ses "
            "coûts et ce que demande son essaimage. Elle sera visible de tous les utilisateurs "
            "du portail."
        ),
    )


@require_POST
def good_practice_unmark(request, pk: int):
    sheet = get_sheet(request, pk)
    require(perms.can_mark_good_practice(request.user, sheet))
    services.unmark_good_practice(sheet=sheet)
    messages.success(request, "L'action ne figure plus au catalogue des bonnes pratiques.")
    return redirect(sheet)


urlpatterns = [
    path("<int:pk>/axes/ajouter/", axis_add, name="axis_add"),
    path("axes/<int:pk>/modifier/", axis_edit, name="axis_edit"),
    path("axes/<int:pk>/supprimer/", axis_delete, name="axis_delete"),
    path("axes/<int:pk>/fiches/ajouter/", sheet_add, name="sheet_add"),
    path("fiches/<int:pk>/", sheet_detail, name="sheet"),
    path("fiches/<int:pk>/modifier/", sheet_edit, name="sheet_edit"),
    path("fiches/<int:pk>/avancement/", sheet_progress, name="sheet_progress"),
    path("fiches/<int:pk>/supprimer/", sheet_delete, name="sheet_delete"),
    path("fiches/<int:pk>/acteurs/ajouter/", actor_add, name="actor_add"),
    path("acteurs/<int:pk>/retirer/", actor_remove, name="actor_remove"),
    path("fiches/<int:pk>/indicateurs/ajouter/", indicator_add, name="indicator_add"),
    path("indicateurs-specifiques/<int:pk>/modifier/", indicator_edit, name="indicator_edit"),
    path("indicateurs-specifiques/<int:pk>/supprimer/", indicator_delete, name="indicator_delete"),
    path("fiches/<int:pk>/bonne-pratique/", good_practice_mark, name="good_practice_mark"),
    path(
        "fiches/<int:pk>/bonne-pratique/retirer/", good_practice_unmark, name="good_practice_unmark"
    ),
]
