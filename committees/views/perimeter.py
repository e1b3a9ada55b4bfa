"""Screens of the CLE perimeters beyond the perimeter form (``views.committees``): periodic
review, the CDE a CLE reports to, and the bassins d'emploi of a département.

Committees are read through ``visible_committee`` (404 outside the user's scope); actions ask
the ``can_*`` predicates (403); writes go through ``committees.services.perimeter``, whose
``RuleError`` is shown on the form with nothing saved.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from committees.forms.perimeter import EmploymentAreaForm, ParentForm, PerimeterReviewForm
from committees.models import Committee, Level
from committees.permissions import (
    can_change_parent,
    can_manage_committee,
    employment_area_departements,
)
from committees.selectors import visible_committee
from committees.services.perimeter import (
    allowed_parents_queryset,
    change_parent_committee,
    define_employment_area,
    record_perimeter_review,
)
from committees.views.common import save_form
from cte_portal.core.shortcuts import form_page
from territories.models import EmploymentArea

AREAS_PER_PAGE = 50


def _local_committee(request, pk: int) -> Committee:
    committee = visible_committee(request.user, pk, related=("region", "parent"))
    if committee.level != Level.LOCAL:
        raise Http404("Seul un comité local a un périmètre de communes.")
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied("Vous n'assurez pas le secrétariat de ce comité.")
    return committee


def _crumbs(committee, label):
    return [
        ("Comités de mon territoire", reverse("committees:list")),
        (committee.name, committee.get_absolute_url()),
        (label, None),
    ]


def _page(request, form, committee, **page):
    return form_page(
        request,
        form=form,
        template="committees/committee_form.html",
        extra={"committee": committee},
        cancel_url=committee.get_absolute_url(),
        **page,
    )


# --- Periodic review (DEC-CLE-PERIMETER) ---------------------------------------------------------


def perimeter_review(request, pk: int):
    committee = _local_committee(request, pk)
    form = PerimeterReviewForm(request.POST or None)
    review = save_form(
        request,
        form,
        lambda data: record_perimeter_review(committee=committee, user=request.user, **data),
    )
    if review:
        committee.refresh_from_db()
        messages.success(
            request,
            f"Le réexamen du {review.reviewed_on:%d/%m/%Y} est enregistré ; prochain réexamen "
            f"au plus tard le {committee.perimeter_review_due_on:%d/%m/%Y}.",
        )
        return redirect(f"{committee.get_absolute_url()}#perimetre")
    return _page(
        request,
        form,
        committee,
        title="Enregistrer un réexamen du périmètre",
        intro=(
            "Le préfet de département réinterroge périodiquement le ressort géographique du "
            "comité local (tous les trois ans recommandé). L'enregistrement du réexamen fixe "
            "la prochaine échéance trois ans plus tard."
        ),
        submit="Enregistrer le réexamen",
        breadcrumb=_crumbs(committee, "Réexamen du périmètre"),
    )


# --- The CDE a CLE reports to (INS-CDE-RHONE) ----------------------------------------------------


def change_parent(request, pk: int):
    committee = _local_committee(request, pk)
    parents = allowed_parents_queryset(committee).filter(
        pk__in=Committee.objects.visible_to(request.user)
    )
    form = ParentForm(request.POST or None, parents=parents, initial={"parent": committee.parent})

    def write(data):
        if not can_change_parent(request.user, committee, data["parent"]):
            raise PermissionDenied(
                "Vous n'assurez pas le secrétariat de ce comité départemental : seul un agent "
                "qui gère les deux comités peut changer le rattachement."
            )
        return change_parent_committee(committee=committee, parent=data["parent"])

    if save_form(request, form, write):
        committee.refresh_from_db()
        messages.success(request, f"Le comité est rattaché à « {committee.parent.name} ».")
        return redirect(committee)
    return _page(
        request,
        form,
        committee,
        title="Changer le comité départemental de rattachement",
        intro=(
            "Les comités locaux de la Métropole de Lyon relèvent du comité départemental de la "
            "Métropole ; ceux du reste du Rhône, du comité du Rhône. Le changement demande de "
            "gérer les deux comités."
        ),
        submit="Changer le rattachement",
        breadcrumb=_crumbs(committee, "Rattachement"),
    )


# --- Bassins d'emploi (DEC-CLE-PERIMETER) --------------------------------------------------------


def _area_departements(request):
    departements = employment_area_departements(request.user)
    if not departements.exists():
        raise PermissionDenied("Seuls les services de l'État définissent les bassins d'emploi.")
    return departements


def employment_area_list(request):
    departements = _area_departements(request)
    areas = (
        EmploymentArea.objects.filter(departement__in=departements)
        .select_related("departement")
        .annotate(commune_count=Count("communes"))
        .order_by("departement_id", "name")
    )
    page = Paginator(areas, AREAS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/employment_areas.html",
        {
            "title": "Bassins d'emploi",
            "page": page,
            "breadcrumb": [
                ("Comités de mon territoire", reverse("committees:list")),
                ("Bassins d'emploi", None),
            ],
        },
    )


def employment_area_edit(request, area_pk: int | None = None):
    departements = _area_departements(request)
    area = None
    if area_pk is not None:
        area = get_object_or_404(EmploymentArea, pk=area_pk, departement__in=departements)
    initial = (
        {
            "name": area.name,
            "departement": area.departement_id,
            "insee_code": area.insee_code,
            "communes": list(area.communes.values_list("pk", flat=True)),
            "description": area.description,
        }
        if area
        else {}
    )
    form = EmploymentAreaForm(request.POST or None, initial=initial, departements=departements)
    saved = save_form(request, form, lambda data: define_employment_area(area=area, **data))
    if saved:
        messages.success(request, f"Le bassin d'emploi « {saved.name} » est enregistré.")
        return redirect("committees:employment_areas")
    title = f"Modifier « {area.name} »" if area else "Définir un bassin d'emploi"
    return form_page(
        request,
        form=form,
        title=title,
        intro=(
            "Un bassin d'emploi est un ensemble nommé de communes (il peut reprendre une zone "
            "d'emploi de l'Insee). Il sert ensuite à composer le périmètre des comités locaux ; "
            "modifier ses communes met à jour le périmètre des comités qui l'utilisent."
        ),
        submit="Enregistrer le bassin",
        cancel_url=reverse("committees:employment_areas"),
        breadcrumb=[
            ("Comités de mon territoire", reverse("committees:list")),
            ("Bassins d'emploi", reverse("committees:employment_areas")),
            (title, None),
        ],
    )
