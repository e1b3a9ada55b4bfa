"""Published versions (frozen), their comparison axis by axis, CAR presentations (INS-CAR)
and the PDF export."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require
from roadmaps import permissions as perms
from roadmaps.forms import CarPresentationForm
from roadmaps.models import RoadmapExport, RoadmapVersion
from roadmaps.services import lifecycle
from roadmaps.services.exports import request_pdf_export
from roadmaps.services.versions import (
    build_snapshot,
    compare_snapshots,
    snapshot_axes,
    snapshot_progress,
)
from roadmaps.views.common import get_roadmap, roadmap_crumbs, visible_committees


def _version(roadmap, number: int) -> RoadmapVersion:
    return get_object_or_404(RoadmapVersion, roadmap=roadmap, number=number)


def version_list(request, pk: int):
    roadmap = get_roadmap(request, pk)
    return render(
        request,
        "roadmaps/versions.html",
        {
            "title": f"Versions publiées — {roadmap.title}",
            "roadmap": roadmap,
            "versions": roadmap.versions.only("number", "published_at", "roadmap_id"),
            "breadcrumb": roadmap_crumbs(roadmap, ("Versions publiées", None)),
        },
    )


def version_detail(request, pk: int, number: int):
    roadmap = get_roadmap(request, pk)
    version = _version(roadmap, number)
    progress = snapshot_progress(version.snapshot)
    return render(
        request,
        "roadmaps/version_detail.html",
        {
            "title": f"Version {version.number} — {roadmap.title}",
            "roadmap": roadmap,
            "version": version,
            "snapshot": version.snapshot,
            "progress": progress,
            "axes": snapshot_axes(version.snapshot),
            "previous": lifecycle.previous_version(version),
            "breadcrumb": roadmap_crumbs(
                roadmap,
                ("Versions publiées", reverse("roadmaps:versions", args=[roadmap.pk])),
                (f"Version {version.number}", None),
            ),
        },
    )


def version_compare(request, pk: int, number: int):
    """What changed, axis by axis: version ``number`` against the previous one, or — with
    ``number`` 0 — the current draft against the last published version."""
    roadmap = get_roadmap(request, pk)
    if number == 0:
        before = roadmap.versions.order_by("-number").first()
        if before is None:
            raise Http404
        after_snapshot, after_label = build_snapshot(roadmap), "Projet en cours"
    else:
        after = _version(roadmap, number)
        before = lifecycle.previous_version(after)
        if before is None:
            raise Http404
        after_snapshot, after_label = after.snapshot, f"Version {after.number}"
    comparison = compare_snapshots(before.snapshot, after_snapshot)
    return render(
        request,
        "roadmaps/compare.html",
        {
            "title": f"Comparaison : {after_label} et version {before.number}",
            "roadmap": roadmap,
            "before": before,
            "after_label": after_label,
            "comparison": comparison,
            "breadcrumb": roadmap_crumbs(
                roadmap,
                ("Versions publiées", reverse("roadmaps:versions", args=[roadmap.pk])),
                ("Comparaison", None),
            ),
        },
    )


def car_presentation_add(request, pk: int):
    roadmap = get_roadmap(request, pk)
    require(perms.can_record_car_presentation(request.user, roadmap))
    form = CarPresentationForm(request.POST or None, roadmap=roadmap)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.record_car_presentation(
                roadmap=roadmap, user=request.user, **form.cleaned_data
            )
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La présentation en CAR est enregistrée.")
            return redirect(roadmap)
    return form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Présentation en CAR",
        submit="Enregistrer la présentation",
        cancel_url=roadmap.get_absolute_url(),
        breadcrumb=roadmap_crumbs(roadmap, ("Présentation en CAR", None)),
        intro=(
            "Le préfet présente la feuille de route départementale en comité de "
            "l'administration régionale ; la feuille de route régionale y est partagée avec les "
            "préfets de département."
        ),
    )


# --- PDF export -------------------------------------------------------------------------------


@require_POST
def export_request(request, pk: int):
    roadmap = get_roadmap(request, pk)
    require(perms.can_export_roadmap(request.user, roadmap))
    version = None
    if request.POST.get("version"):
        version = get_object_or_404(
            RoadmapVersion, roadmap=roadmap, number=int(request.POST["version"])
        )
    export = request_pdf_export(roadmap=roadmap, user=request.user, version=version)
    return redirect("roadmaps:export", pk=export.pk)


def _export(request, pk: int) -> RoadmapExport:
    # Each export is its requester's: another user learns nothing of it (404).
    return get_object_or_404(
        RoadmapExport.objects.select_related("roadmap", "roadmap__committee", "version"),
        pk=pk,
        requested_by=request.user,
        roadmap__committee__in=visible_committees(request.user),
    )


def export_detail(request, pk: int):
    export = _export(request, pk)
    return render(
        request,
        "roadmaps/export.html",
        {
            "title": "Export PDF de la feuille de route",
            "export": export,
            "roadmap": export.roadmap,
            "breadcrumb": roadmap_crumbs(export.roadmap, ("Export PDF", None)),
        },
    )


def export_status(request, pk: int):
    export = _export(request, pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "finished": export.is_finished,
            "download_url": reverse("roadmaps:export_download", args=[export.pk])
            if export.status == RoadmapExport.Status.DONE
            else None,
            "error": export.error,
        }
    )


def export_download(request, pk: int):
    export = _export(request, pk)
    if export.status != RoadmapExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"feuille-de-route-{export.roadmap.committee_id}.pdf",
        content_type="application/pdf",
    )


urlpatterns = [
    path("<int:pk>/versions/", version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/", version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/comparer/", version_compare, name="compare"),
    path("<int:pk>/car/", car_presentation_add, name="car_add"),
    path("<int:pk>/export-pdf/", export_request, name="export_request"),
    path("exports/<int:pk>/", export_detail, name="export"),
    path("exports/<int:pk>/etat/", export_status, name="export_status"),
    path("exports/<int:pk>/telecharger/", export_download, name="export_download"),
]
