"""The offer map of a conference: funding lines (form and import), the analysis that answers
the conference's questions, and the exports (INS-FUNDERS)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cte_portal.core.errors import RuleError
from cte_portal.core.file_jobs import request_file_job
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import confirm_page, form_page, require
from funders import permissions as perms
from funders.file_jobs import OFFER_MAP
from funders.formatting import euros
from funders.forms import FundingLineForm, ImportForm
from funders.models import CoFinancing, FundingLine, FundingLineImport
from funders.selectors.analysis import ENDING_MONTHS, OfferMap
from funders.services import imports as import_services
from funders.services import offer as services
from funders.views.common import PER_PAGE, crumbs, get_conference, get_import, get_line

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lines(request, pk: int):
    """The funding lines of a conference, paginated."""
    conference = get_conference(request, pk)
    queryset = (
        FundingLine.objects.filter(conference=conference)
        .select_related("funder")
        .prefetch_related(
            Prefetch("cofinancings", queryset=CoFinancing.objects.order_by("-share")),
            "epcis",
            "communes",
        )
        .order_by("funder__name", "scheme", "pk")
    )
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "funders/lines.html",
        {
            "title": f"Lignes de financement — {conference.title}",
            "conference": conference,
            "page": page,
            "can_manage": perms.can_manage_conference(request.user, conference),
            "breadcrumb": crumbs(("Lignes de financement", None), conference=conference),
        },
    )


def line_add(request, pk: int):
    conference = get_conference(request, pk)
    require(perms.can_manage_conference(request.user, conference))
    form = FundingLineForm(
        request.POST or None,
        conference=conference,
        initial={"covers_whole_perimeter": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_line(conference=conference, values=form.values())
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La ligne de financement est ajoutée.")
            return redirect("funders:lines", pk=conference.pk)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title="Ajouter une ligne de financement",
        submit="Ajouter la ligne",
        cancel_url=reverse("funders:lines", args=[conference.pk]),
        breadcrumb=crumbs(("Ajouter une ligne", None), conference=conference),
        intro=(
            "Montants en euros, à deux décimales au plus. Les montants d'une ligne sont ceux que "
            "son financeur engage ; les cofinancements décrivent le plan de financement du "
            "dispositif."
        ),
    )


def line_edit(request, pk: int):
    line = get_line(request, pk)
    conference = line.conference
    require(perms.can_manage_conference(request.user, conference))
    form = FundingLineForm(
        request.POST or None, conference=conference, initial=FundingLineForm.initial_for(line)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_line(line=line, values=form.values())
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La ligne de financement est enregistrée.")
            return redirect("funders:lines", pk=conference.pk)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title=f"Modifier « {line.scheme} » ({line.funder.name})",
        submit="Enregistrer",
        cancel_url=reverse("funders:lines", args=[conference.pk]),
        breadcrumb=crumbs(("Modifier une ligne", None), conference=conference),
    )


def line_delete(request, pk: int):
    line = get_line(request, pk)
    conference = line.conference
    require(perms.can_manage_conference(request.user, conference))
    if request.method != "POST":
        details = [
            f"{line.public_label}, du {line.starts_on:%d/%m/%Y} au {line.ends_on:%d/%m/%Y} : "
            f"{euros(line.amount_committed)} engagés, {euros(line.amount_available)} disponibles."
        ]
        if line.cofinancings.exists():
            details.append("Son plan de cofinancement est supprimé avec elle.")
        return confirm_page(
            request,
            title="Supprimer une ligne de financement",
            question=(
                f"Supprimer la ligne de financement « {line.scheme} » de {line.funder.name} ?"
            ),
            details=details,
            submit="Supprimer la ligne",
            cancel_url=reverse("funders:lines", args=[conference.pk]),
            breadcrumb=crumbs(
                ("Lignes de financement", reverse("funders:lines", args=[conference.pk])),
                ("Supprimer une ligne", None),
                conference=conference,
            ),
            base="funders/base.html",
        )
    try:
        services.delete_line(line=line)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "La ligne de financement est supprimée.")
    return redirect("funders:lines", pk=conference.pk)


def analysis(request, pk: int):
    """What the conference asks of its offer: totals, shares, charts with their tables,
    co-financing to settle, lines ending soon, overlaps and gaps."""
    conference = get_conference(request, pk)
    offer = OfferMap.build(conference)
    return render(
        request,
        "funders/analysis.html",
        {
            "title": f"Analyse de l'offre — {conference.title}",
            "conference": conference,
            "offer": offer,
            "charts": dict(zip(("financeurs", "publics", "types"), offer.charts, strict=True)),
            "ending_months": ENDING_MONTHS,
            "can_export": perms.can_export_conference(request.user, conference),
            "breadcrumb": crumbs(("Analyse de l'offre", None), conference=conference),
        },
    )


# --- Import -------------------------------------------------------------------------------------


def import_upload(request, pk: int):
    conference = get_conference(request, pk)
    require(perms.can_manage_conference(request.user, conference))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            offer_import = import_services.upload_offer_file(
                conference=conference,
                user=request.user,
                filename=upload.name,
                content=upload.read(),
            )
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            return redirect(offer_import)
    return render(
        request,
        "funders/import_upload.html",
        {
            "title": "Importer une offre",
            "form": form,
            "conference": conference,
            "columns": import_services.COLUMNS,
            "breadcrumb": crumbs(("Importer", None), conference=conference),
        },
    )


def import_detail(request, pk: int):
    """The preview of a valid file (with the confirmation), or its errors line by line."""
    offer_import = get_import(request, pk)
    conference = offer_import.conference
    can_manage = perms.can_manage_conference(request.user, conference)
    if request.method == "POST":
        require(can_manage)
        try:
            count = import_services.confirm_offer_import(
                offer_import=offer_import, user=request.user
            )
        except RuleError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(offer_import)
        messages.success(request, f"{count} ligne(s) de financement importée(s).")
        return redirect("funders:lines", pk=conference.pk)
    return render(
        request,
        "funders/import_detail.html",
        {
            "title": f"Import « {offer_import.filename} »",
            "offer_import": offer_import,
            "conference": conference,
            "can_confirm": can_manage and offer_import.status == FundingLineImport.Status.PREVIEWED,
            "can_retry": can_manage,
            "breadcrumb": crumbs(("Import", None), conference=conference),
        },
    )


def import_model(request, pk: int, extension: str):
    conference = get_conference(request, pk)
    require(perms.can_manage_conference(request.user, conference))
    if extension == "csv":
        response = HttpResponse(import_services.model_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(import_services.model_xlsx(conference), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="modele-offre.{extension}"'
    return response


# --- Exports ------------------------------------------------------------------------------------


@require_POST
def export(request, pk: int, extension: str):
    """Queue the offer map export and go to its progress page: the file is built by a task."""
    conference = get_conference(request, pk)
    require(perms.can_export_conference(request.user, conference))
    job = request_file_job(user=request.user, kind=OFFER_MAP, target=conference, fmt=extension)
    return redirect("file_job", pk=job.pk)
