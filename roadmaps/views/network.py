"""Pages across committees: the good-practice catalogue (INS-GOOD-PRACTICES) and the
follow-up of local roadmaps by DDETS and DREETS (INS-FOLLOW-UP)."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse

from cte_portal.core.shortcuts import require
from roadmaps import permissions as perms
from roadmaps.forms import GoodPracticeSearchForm, TerritoryFilterForm
from roadmaps.models import GoodPractice
from roadmaps.selectors.follow_up import follow_up_rows, state_counts
from roadmaps.views.common import roadmap_crumbs
from territories.models import Departement, Region

PER_PAGE = 30


def _regions():
    return [(r.code, r.name) for r in Region.objects.current().order_by("name")]


def good_practices(request):
    """INS-GOOD-PRACTICES: a searchable catalogue across the territories, for everyone signed
    in (not only the committee's members)."""
    require(perms.can_view_good_practices(request.user))
    form = GoodPracticeSearchForm(request.GET or None, regions=_regions())
    practices = GoodPractice.objects.select_related(
        "sheet",
        "sheet__axis",
        "sheet__axis__roadmap__committee",
        "sheet__axis__roadmap__committee__region",
    ).order_by("-marked_at")
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        if text:
            practices = practices.filter(
                Q(sheet__title__icontains=text)
                | Q(sheet__problem__icontains=text)
                | Q(sheet__objective__icontains=text)
                | Q(sheet__target_public__icontains=text)
                | Q(sheet__sector__icontains=text)
                | Q(impact__icontains=text)
                | Q(scale_up_needs__icontains=text)
            )
        if form.cleaned_data["region"]:
            practices = practices.filter(
                sheet__axis__roadmap__committee__region_id=form.cleaned_data["region"]
            )
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "roadmaps/good_practices.html",
        {
            "title": "Bonnes pratiques",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumb": roadmap_crumbs(None, ("Bonnes pratiques", None)),
        },
    )


def good_practice_detail(request, pk: int):
    require(perms.can_view_good_practices(request.user))
    practice = get_object_or_404(
        GoodPractice.objects.select_related(
            "sheet", "sheet__axis", "sheet__axis__roadmap__committee__region"
        ),
        pk=pk,
    )
    sheet = practice.sheet
    return render(
        request,
        "roadmaps/good_practice_detail.html",
        {
            "title": f"Bonne pratique — {sheet.title}",
            "practice": practice,
            "sheet": sheet,
            "committee": sheet.axis.roadmap.committee,
            "actors": sheet.actors.order_by("position", "pk"),
            "breadcrumb": roadmap_crumbs(
                None,
                ("Bonnes pratiques", reverse("roadmaps:good_practices")),
                (sheet.title, None),
            ),
        },
    )


def follow_up(request):
    """INS-FOLLOW-UP: every CLE of the agent's territory and the state of its roadmap."""
    require(perms.can_follow_up(request.user))
    is_admin = perms.is_admin(request.user)
    form = None
    region = departement = ""
    if is_admin:
        form = TerritoryFilterForm(
            request.GET or None,
            regions=_regions(),
            departements=[
                (d.code, f"{d.code} — {d.name}")
                for d in Departement.objects.current().order_by("code")
            ],
        )
        if form.is_valid():
            region = form.cleaned_data["region"]
            departement = form.cleaned_data["departement"]
    rows = follow_up_rows(request.user, region=region, departement=departement)
    return render(
        request,
        "roadmaps/follow_up.html",
        {
            "title": "Suivi des feuilles de route locales",
            "rows": rows,
            "counts": state_counts(rows),
            "form": form,
            "breadcrumb": roadmap_crumbs(None, ("Suivi des feuilles de route locales", None)),
        },
    )


urlpatterns = [
    path("bonnes-pratiques/", good_practices, name="good_practices"),
    path("bonnes-pratiques/<int:pk>/", good_practice_detail, name="good_practice"),
    path("suivi/", follow_up, name="follow_up"),
]
