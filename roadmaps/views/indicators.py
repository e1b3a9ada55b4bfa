"""Indicators of a committee (INS-INDICATORS): values entered in a form or imported from
CSV/XLSX, targets, and the committee's dashboard (INS-OPEN-DATA)."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.page_cache import cached_body
from cte_portal.core.shortcuts import confirm_page, form_page, require
from cte_portal.core.spreadsheets import csv_safe_row
from roadmaps import permissions as perms
from roadmaps.cache import cached_dashboard
from roadmaps.forms import ImportForm, TargetForm, ValueForm
from roadmaps.models import (
    IndicatorImport,
    IndicatorTarget,
    IndicatorValue,
    ResultIndicator,
    RoadmapIndicator,
)
from roadmaps.services import indicators as services
from roadmaps.views.common import get_committee, roadmap_crumbs, visible_committees

PER_PAGE = 100


def _crumbs(committee, *items):
    return roadmap_crumbs(
        None,
        ("Indicateurs", reverse("roadmaps:indicators", args=[committee.pk])),
        *items,
        committee=committee,
    )


def committee_indicators(request, committee_id: int):
    committee = get_committee(request, committee_id)
    can_enter = perms.can_enter_indicator_values(request.user, committee)
    form = ValueForm(request.POST or None, committee=committee) if can_enter else None
    if request.method == "POST":
        require(can_enter)
        if form.is_valid():
            result_indicator, roadmap_indicator = form.indicators()
            try:
                services.record_value(
                    committee=committee,
                    user=request.user,
                    period=form.cleaned_data["period"],
                    value=form.cleaned_data["value"],
                    category=form.cleaned_data["category"],
                    result_indicator=result_indicator,
                    roadmap_indicator=roadmap_indicator,
                )
            except RuleError as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, "La valeur est enregistrée.")
                return redirect("roadmaps:indicators", committee_id=committee.pk)
    values = Paginator(
        IndicatorValue.objects.filter(committee=committee)
        .select_related("result_indicator", "roadmap_indicator", "category", "category__typology")
        .order_by("-period", "pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmaps/indicators.html",
        {
            "title": f"Indicateurs — {committee.name}",
            "committee": committee,
            "form": form,
            "can_enter": can_enter,
            "common": ResultIndicator.objects.filter(is_active=True).prefetch_related("breakdowns"),
            "specific": RoadmapIndicator.objects.filter(sheet__axis__roadmap__committee=committee)
            .select_related("sheet")
            .order_by("pk"),
            "targets": IndicatorTarget.objects.filter(committee=committee).select_related(
                "indicator"
            ),
            "values": values,
            "imports": IndicatorImport.objects.filter(committee=committee).select_related(
                "uploaded_by", "imported_by"
            )[:10],
            "breadcrumb": roadmap_crumbs(None, ("Indicateurs", None), committee=committee),
        },
    )


def value_delete(request, pk: int):
    value = get_object_or_404(
        IndicatorValue.objects.filter(
            committee__in=visible_committees(request.user)
        ).select_related(
            "committee", "result_indicator", "roadmap_indicator", "category__typology"
        ),
        pk=pk,
    )
    committee = value.committee
    require(perms.can_enter_indicator_values(request.user, committee))
    if request.method != "POST":
        breakdown = (
            f"{value.category.typology.label} — {value.category.label}"
            if value.category
            else "total"
        )
        return confirm_page(
            request,
            title="Supprimer une valeur",
            question=(
                f"Supprimer la valeur de l'indicateur « {value.indicator.name} » "
                f"du {value.period:%d/%m/%Y} ?"
            ),
            details=[
                f"Valeur saisie : {formats.localize(value.value)} ({breakdown}).",
                "Le tableau de bord du comité ne la montre plus.",
            ],
            submit="Supprimer la valeur",
            cancel_url=reverse("roadmaps:indicators", args=[committee.pk]),
            breadcrumb=_crumbs(committee, ("Supprimer une valeur", None)),
            base="roadmaps/base.html",
        )
    services.delete_value(value=value)
    messages.success(request, "La valeur est supprimée.")
    return redirect("roadmaps:indicators", committee_id=value.committee_id)


def target_set(request, committee_id: int):
    committee = get_committee(request, committee_id)
    require(perms.can_enter_indicator_values(request.user, committee))
    form = TargetForm(request.POST or None, initial={"indicator": request.GET.get("indicateur")})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_indicator_target(committee=committee, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La cible est enregistrée.")
            return redirect("roadmaps:indicators", committee_id=committee.pk)
    return form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Cible d'un indicateur commun",
        submit="Enregistrer la cible",
        cancel_url=reverse("roadmaps:indicators", args=[committee.pk]),
        breadcrumb=_crumbs(committee, ("Cible", None)),
    )


def import_upload(request, committee_id: int):
    committee = get_committee(request, committee_id)
    require(perms.can_enter_indicator_values(request.user, committee))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            indicator_import = services.upload_values_file(
                committee=committee, user=request.user, filename=upload.name, content=upload.read()
            )
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            return redirect("roadmaps:import", pk=indicator_import.pk)
    return form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Importer des valeurs",
        submit="Vérifier le fichier",
        cancel_url=reverse("roadmaps:indicators", args=[committee.pk]),
        breadcrumb=_crumbs(committee, ("Importer", None)),
        intro=(
            "Le fichier est d'abord vérifié ligne à ligne : rien n'est importé tant qu'il "
            "contient une erreur. Téléchargez le modèle depuis la page des indicateurs."
        ),
        multipart=True,
    )


def import_detail(request, pk: int):
    indicator_import = get_object_or_404(
        IndicatorImport.objects.filter(
            committee__in=visible_committees(request.user)
        ).select_related("committee", "uploaded_by", "imported_by"),
        pk=pk,
    )
    committee = indicator_import.committee
    can_confirm = perms.can_enter_indicator_values(request.user, committee)
    if request.method == "POST":
        require(can_confirm)
        try:
            count = services.confirm_import(indicator_import=indicator_import, user=request.user)
        except RuleError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("roadmaps:import", pk=indicator_import.pk)
        messages.success(request, f"{count} valeur(s) importée(s).")
        return redirect("roadmaps:indicators", committee_id=committee.pk)
    return render(
        request,
        "roadmaps/import_detail.html",
        {
            "title": f"Import « {indicator_import.filename} »",
            "indicator_import": indicator_import,
            "committee": committee,
            "can_confirm": can_confirm
            and indicator_import.status == IndicatorImport.Status.PREVIEWED,
            "breadcrumb": _crumbs(committee, ("Import", None)),
        },
    )


def import_template(request, committee_id: int):
    """A CSV model: the header and one example line per indicator the committee follows."""
    committee = get_committee(request, committee_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-valeurs-{committee.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(csv_safe_row(services.IMPORT_COLUMNS))
    today = timezone.localdate().replace(day=1).isoformat()
    for indicator in ResultIndicator.objects.filter(is_active=True).order_by("position", "code"):
        writer.writerow(csv_safe_row([indicator.code, today, "", "", ""]))
    for indicator in RoadmapIndicator.objects.filter(sheet__axis__roadmap__committee=committee):
        writer.writerow(csv_safe_row([services.specific_code(indicator), today, "", "", ""]))
    return response


def dashboard(request, committee_id: int):
    committee = get_committee(request, committee_id)

    def body_context() -> dict:
        return {"committee": committee, "dashboard": cached_dashboard(committee), "public": False}

    body = cached_body(request, "roadmap-dashboard", "roadmaps/dashboard_body.html", body_context)
    return render(
        request,
        "roadmaps/dashboard.html",
        {
            "title": f"Tableau de bord — {committee.name}",
            "committee": committee,
            "body": body,
            "breadcrumb": roadmap_crumbs(None, ("Tableau de bord", None), committee=committee),
        },
    )


urlpatterns = [
    path("comite/<int:committee_id>/indicateurs/", committee_indicators, name="indicators"),
    path("comite/<int:committee_id>/indicateurs/cible/", target_set, name="target_set"),
    path("comite/<int:committee_id>/indicateurs/import/", import_upload, name="import_upload"),
    path(
        "comite/<int:committee_id>/indicateurs/modele.csv", import_template, name="import_template"
    ),
    path("comite/<int:committee_id>/tableau-de-bord/", dashboard, name="dashboard"),
    path("imports/<int:pk>/", import_detail, name="import"),
    path("valeurs/<int:pk>/supprimer/", value_delete, name="value_delete"),
]
