"""The roadmap itself: list, creation, page, general edit (INS-ROADMAP)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from committees.permissions import MANAGE, committee_ids_with
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.page_cache import cached_body
from cte_portal.core.shortcuts import form_page, require
from roadmaps import permissions as perms
from roadmaps.forms import DecisionForm, RoadmapForm
from roadmaps.models import (
    ActionSheet,
    Axis,
    CarPresentation,
    EscalatedSubject,
    NationalOrientation,
    Roadmap,
    RoadmapExport,
    RoadmapVersion,
)
from roadmaps.services import lifecycle
from roadmaps.services.progress import axis_progress, roadmap_progress
from roadmaps.services.roadmaps import axis_limit_warning, create_roadmap, update_roadmap
from roadmaps.views.common import get_committee, get_roadmap, roadmap_crumbs, visible_committees

PER_PAGE = 50


def roadmap_list(request):
    """The committees the user sees, with the state of their roadmap."""
    committees = (
        visible_committees(request.user)
        .active()
        .select_related("roadmap", "region")
        .order_by("region_id", "level", "name")
    )
    page = Paginator(committees, PER_PAGE).get_page(request.GET.get("page"))
    managed = committee_ids_with(request.user, MANAGE)
    rows = [
        {
            "committee": c,
            "roadmap": getattr(c, "roadmap", None),
            "can_create": c.pk in managed and not hasattr(c, "roadmap"),
        }
        for c in page
    ]
    return render(
        request,
        "roadmaps/list.html",
        {
            "title": "Feuilles de route",
            "rows": rows,
            "page": page,
            "can_follow_up": perms.can_follow_up(request.user),
            "is_admin": perms.is_admin(request.user),
        },
    )


def committee_roadmap(request, committee_id: int):
    """A committee's roadmap, or the form that starts it."""
    committee = get_committee(request, committee_id)
    roadmap = Roadmap.objects.filter(committee=committee).first()
    if roadmap is not None:
        return redirect(roadmap)
    can_create = perms.can_create_roadmap(request.user, committee)
    form = RoadmapForm(
        request.POST or None, initial={"title": f"Feuille de route — {committee.name}"}
    )
    if request.method == "POST":
        require(can_create)
        if form.is_valid():
            try:
                roadmap = create_roadmap(
                    committee=committee, user=request.user, **form.cleaned_data
                )
            except RuleError as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, "La feuille de route est créée, en brouillon.")
                return redirect(roadmap)
    return render(
        request,
        "roadmaps/committee.html",
        {
            "title": f"Feuille de route — {committee.name}",
            "committee": committee,
            "form": form,
            "can_create": can_create,
            "orientations": NationalOrientation.objects.filter(is_active=True),
            "breadcrumb": roadmap_crumbs(None, (committee.name, None), committee=None),
        },
    )


def orientations_above(committee) -> list[dict]:
    """INS-ROADMAP: the regional and departmental orientations above a committee — the axes
    of the last published roadmap of each committee above it (a CLE has two levels above)."""
    above = []
    parent = committee.parent
    while parent is not None and len(above) < 2 and parent not in above:
        above.append(parent)
        parent = parent.parent
    versions = {
        v.roadmap.committee_id: v
        for v in RoadmapVersion.objects.filter(
            roadmap__committee__in=above, number=F("roadmap__published_version")
        ).select_related("roadmap")
    }
    return [{"committee": c, "version": versions.get(c.pk)} for c in above]


def roadmap_detail(request, pk: int):
    roadmap = get_roadmap(request, pk)
    committee = roadmap.committee

    def body_context() -> dict:
        axes = list(
            Axis.objects.filter(roadmap=roadmap).prefetch_related(
                Prefetch(
                    "sheets",
                    queryset=ActionSheet.objects.select_related("good_practice").order_by(
                        "position", "pk"
                    ),
                )
            )
        )
        axis_rows = [{"axis": a, "progress": axis_progress(a.sheets.all())} for a in axes]
        user = request.user
        can_approve = perms.can_approve_roadmap(user, roadmap)
        board = lifecycle.decision_board(roadmap)
        is_draft = roadmap.status == Roadmap.Status.DRAFT
        # Predicates are asked only where the page uses their answer (each one reads guardian).
        can_publish = roadmap.status == Roadmap.Status.APPROVED and perms.can_publish_roadmap(
            user, roadmap
        )
        can_record_car = committee.level != "local" and perms.can_record_car_presentation(
            user, roadmap
        )
        return {
            "roadmap": roadmap,
            "committee": committee,
            "axes": axis_rows,
            "progress": roadmap_progress([a.sheets.all() for a in axes]),
            "axis_warning": axis_limit_warning(roadmap, count=len(axes)),
            "board": board,
            "submission_problems": (
                lifecycle.submission_problems(roadmap, axes=axes, has_copresidents=bool(board))
                if is_draft
                else []
            ),
            "can_edit": perms.can_edit_roadmap(user, roadmap),
            "can_approve": can_approve,
            "can_publish": can_publish,
            "can_record_car": can_record_car,
            "decision_form": DecisionForm() if can_approve else None,
            "national_orientations": NationalOrientation.objects.filter(is_active=True),
            "orientations_above": orientations_above(committee),
            "versions": roadmap.versions.only("number", "published_at", "roadmap_id"),
            "car_presentations": CarPresentation.objects.filter(roadmap=roadmap).select_related(
                "version"
            ),
            "exports": RoadmapExport.objects.filter(roadmap=roadmap, requested_by=user)[:3],
            "pending_received": EscalatedSubject.objects.filter(
                to_committee=committee, status=EscalatedSubject.Status.PENDING
            ).count(),
        }

    body = cached_body(request, "roadmap", "roadmaps/detail_body.html", body_context)
    context = {
        "title": roadmap.title,
        "roadmap": roadmap,
        "committee": committee,
        "body": body,
        "breadcrumb": roadmap_crumbs(None, (committee.name, None)),
    }
    return render(request, "roadmaps/detail.html", context)


def roadmap_edit(request, pk: int):
    roadmap = get_roadmap(request, pk)
    require(perms.can_edit_roadmap(request.user, roadmap))
    form = RoadmapForm(request.POST or None, instance=roadmap)
    if request.method == "POST" and form.is_valid():
        try:
            update_roadmap(roadmap=roadmap, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La feuille de route est enregistrée.")
            return redirect(roadmap)
    return form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Modifier la feuille de route",
        submit="Enregistrer",
        cancel_url=roadmap.get_absolute_url(),
        breadcrumb=roadmap_crumbs(roadmap, ("Modifier", None)),
        intro=_edit_notice(roadmap),
    )


def _edit_notice(roadmap: Roadmap) -> str:
    if roadmap.status in (Roadmap.Status.SUBMITTED, Roadmap.Status.APPROVED):
        return (
            "La feuille de route est soumise aux co-présidents : toute modification remet à "
            "zéro les approbations déjà données."
        )
    if roadmap.status == Roadmap.Status.PUBLISHED:
        return (
            "La feuille de route est publiée : toute modification ouvre une nouvelle version, "
            "en brouillon ; la version publiée reste consultable telle quelle."
        )
    return ""


# --- Lifecycle --------------------------------------------------------------------------------


def _lifecycle_action(request, pk: int, *, allowed, action, success: str):
    roadmap = get_roadmap(request, pk)
    require(allowed(request.user, roadmap))
    try:
        action(roadmap)
    except RuleError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(reverse("roadmaps:detail", args=[roadmap.pk]))


@require_POST
def roadmap_submit(request, pk: int):
    return _lifecycle_action(
        request,
        pk,
        allowed=perms.can_submit_roadmap,
        action=lambda r: lifecycle.submit_roadmap(roadmap=r, user=request.user),
        success="La feuille de route est soumise aux co-présidents.",
    )


@require_POST
def roadmap_approve(request, pk: int):
    form = DecisionForm(request.POST)
    form.is_valid()
    return _lifecycle_action(
        request,
        pk,
        allowed=perms.can_approve_roadmap,
        action=lambda r: lifecycle.approve_roadmap(
            roadmap=r, user=request.user, comment=form.cleaned_data.get("comment", "")
        ),
        success="Votre approbation est enregistrée.",
    )


def roadmap_request_changes(request, pk: int):
    roadmap = get_roadmap(request, pk)
    require(perms.can_approve_roadmap(request.user, roadmap))
    form = DecisionForm(request.POST or None)
    form.fields["comment"].required = True
    form.fields["comment"].label = "Modifications demandées"
    form.fields["comment"].help_text = "Dites ce qui doit changer : le secrétariat le verra."
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.request_changes(
                roadmap=roadmap, user=request.user, comment=form.cleaned_data["comment"]
            )
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, "Votre demande de modifications est transmise au secrétariat."
            )
            return redirect(roadmap)
    return form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Demander des modifications",
        submit="Demander ces modifications",
        cancel_url=roadmap.get_absolute_url(),
        breadcrumb=roadmap_crumbs(roadmap, ("Demander des modifications", None)),
    )


@require_POST
def roadmap_publish(request, pk: int):
    return _lifecycle_action(
        request,
        pk,
        allowed=perms.can_publish_roadmap,
        action=lambda r: lifecycle.publish_roadmap(roadmap=r, user=request.user),
        success="La feuille de route est publiée : elle figure désormais dans les données ouvertes.",
    )


urlpatterns = [
    path("", roadmap_list, name="list"),
    path("comite/<int:committee_id>/", committee_roadmap, name="committee"),
    path("<int:pk>/", roadmap_detail, name="detail"),
    path("<int:pk>/modifier/", roadmap_edit, name="edit"),
    path("<int:pk>/soumettre/", roadmap_submit, name="submit"),
    path("<int:pk>/approuver/", roadmap_approve, name="approve"),
    path("<int:pk>/demander-des-modifications/", roadmap_request_changes, name="request_changes"),
    path("<int:pk>/publier/", roadmap_publish, name="publish"),
]
