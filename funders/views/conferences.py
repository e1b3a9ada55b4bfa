"""Funders' conferences (INS-FUNDERS): the list, a committee's funders space, a conference's
page, its creation and edition, comments, the funders' directory and the yearly overview."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from committees.models import Committee, Level
from committees.permissions import MANAGE, committee_ids_with
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.page_cache import cached_body
from cte_portal.core.shortcuts import form_page, require
from funders import permissions as perms
from funders.forms import CommentForm, ConferenceForm, FunderForm
from funders.models import (
    ConferenceComment,
    Funder,
    FundersConference,
    FundingLineImport,
    FundingNeed,
)
from funders.selectors.compliance import committee_compliance
from funders.selectors.compliance import overview as compliance_overview
from funders.services import conferences as services
from funders.services.conventions import conventions_of
from funders.services.needs import needs_for
from funders.views.common import (
    PER_PAGE,
    crumbs,
    get_committee,
    get_conference,
    get_funder,
    visible_conferences,
)
from meetings.models import Decision, Minutes
from meetings.permissions import can_view_meeting


def index(request):
    """The conferences the user sees, newest first, and the committees they run."""
    conferences = (
        visible_conferences(request.user)
        .select_related("committee", "meeting")
        .annotate(line_count=Count("lines", distinct=True))
        .order_by("-date", "-pk")
    )
    page = Paginator(conferences, PER_PAGE).get_page(request.GET.get("page"))
    managed = []
    if not request.user.is_superuser:
        managed = list(
            Committee.objects.filter(pk__in=committee_ids_with(request.user, MANAGE))
            .active()
            .order_by("level", "name")[:PER_PAGE]
        )
    return render(
        request,
        "funders/index.html",
        {
            "title": "Conférences des financeurs",
            "page": page,
            "managed": managed,
            "can_overview": perms.can_view_funders_overview(request.user),
        },
    )


def committee_space(request, committee_id: int):
    """A committee's funders space: yearly compliance, conferences, directory, conventions."""
    committee = get_committee(request, committee_id)
    require(perms.can_view_funders_space(request.user, committee))
    conferences = (
        FundersConference.objects.filter(committee=committee)
        .select_related("meeting")
        .annotate(line_count=Count("lines", distinct=True))
        .order_by("-date", "-pk")
    )
    conventions = list(conventions_of([committee])) if committee.level != Level.LOCAL else []
    return render(
        request,
        "funders/committee.html",
        {
            "title": f"Financeurs — {committee.name}",
            "committee": committee,
            "compliance": committee_compliance(committee),
            "conferences": conferences,
            "funders": Funder.objects.filter(committee=committee)
            .select_related("contact")
            .order_by("kind", "name"),
            "conventions": conventions,
            "can_manage": perms.can_manage_funders(request.user, committee),
            "can_create": perms.can_create_conference(request.user, committee)
            and committee.status != Committee.Status.DISSOLVED,
            "can_manage_conventions": perms.can_manage_conventions(request.user, committee),
            "follows_conventions": committee.level != Level.LOCAL,
            "breadcrumb": crumbs((committee.name, None)),
        },
    )


def conference_create(request, committee_id: int):
    committee = get_committee(request, committee_id)
    require(perms.can_create_conference(request.user, committee))
    form = ConferenceForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.create_conference(
                committee=committee, user=request.user, **form.cleaned_data
            )
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La conférence est créée.")
            return redirect(conference)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title="Nouvelle conférence des financeurs",
        submit="Créer la conférence",
        cancel_url=reverse("funders:committee", args=[committee.pk]),
        breadcrumb=crumbs(("Nouvelle conférence", None), committee=committee),
        intro=(
            "Au moins une conférence par an : au niveau départemental pour "
            "cartographier l'offre et convenir des règles, au niveau local pour faire remonter "
            "les besoins concrets des parcours."
        ),
    )


def conference_edit(request, pk: int):
    conference = get_conference(request, pk)
    require(perms.can_manage_conference(request.user, conference))
    initial = {
        "title": conference.title,
        "year": conference.year,
        "date": conference.date,
        "meeting": conference.meeting_id,
        "funders": list(conference.funders.values_list("pk", flat=True)),
        "decisions": conference.decisions,
        "minutes": conference.minutes,
    }
    form = ConferenceForm(
        request.POST or None,
        initial=initial,
        committee=conference.committee,
        conference=conference,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_conference(conference=conference, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "La conférence est enregistrée.")
            return redirect(conference)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title=f"Modifier « {conference.title} »",
        submit="Enregistrer",
        cancel_url=conference.get_absolute_url(),
        breadcrumb=crumbs(("Modifier", None), conference=conference),
    )


def _meeting_record(request, conference) -> dict:
    """A conference held as a meeting: the meeting's decisions and minutes (their workflow is
    the meeting's; this page only reads them)."""
    meeting = conference.meeting
    if meeting is None:
        return {}
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return {
        "meeting": meeting,
        "meeting_decisions": list(
            Decision.objects.filter(meeting=meeting).select_related("agenda_item")
        ),
        "meeting_minutes": minutes,
        "can_open_meeting": can_view_meeting(request.user, meeting),
    }


def conference_detail(request, pk: int):
    conference = get_conference(request, pk)
    user = request.user
    can_open_committee = perms.can_view_funders_space(user, conference.committee)

    def body_context() -> dict:
        totals = conference.lines.aggregate(
            committed=Sum("amount_committed"), available=Sum("amount_available"), count=Count("pk")
        )
        can_manage = perms.can_manage_conference(user, conference)
        return {
            "conference": conference,
            "committee": conference.committee,
            "participants": conference.funders.select_related("contact").order_by("kind", "name"),
            "totals": totals,
            "comments": ConferenceComment.objects.filter(conference=conference).select_related(
                "author"
            ),
            "comment_form": CommentForm()
            if perms.can_comment_conference(user, conference)
            else None,
            "can_manage": can_manage,
            "can_export": perms.can_export_conference(user, conference),
            "can_raise_need": perms.can_raise_need(user, conference),
            "can_answer": perms.can_answer_needs(user, conference),
            "can_open_committee": can_open_committee,
            "needs": FundingNeed.objects.filter(conference=conference).select_related(
                "answered_in", "funding_line__funder"
            )
            if conference.is_local
            else [],
            "needs_to_answer": needs_for(conference).select_related(
                "conference__committee", "answered_in", "funding_line__funder"
            )
            if conference.is_departmental
            else [],
            "imports": FundingLineImport.objects.filter(conference=conference).select_related(
                "uploaded_by"
            )[:10]
            if can_manage
            else [],
            **_meeting_record(request, conference),
        }

    body = cached_body(
        request, "funders-conference", "funders/conference_detail_body.html", body_context
    )
    return render(
        request,
        "funders/conference_detail.html",
        {
            "title": conference.title,
            "conference": conference,
            "committee": conference.committee,
            "body": body,
            "breadcrumb": crumbs((conference.title, None), committee=conference.committee)
            if can_open_committee
            else [
                ("Conférences des financeurs", reverse("funders:index")),
                (conference.title, None),
            ],
        },
    )


@require_POST
def comment_add(request, pk: int):
    conference = get_conference(request, pk)
    require(perms.can_comment_conference(request.user, conference))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                conference=conference, user=request.user, body=form.cleaned_data["body"]
            )
        except RuleError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Votre commentaire est publié.")
    else:
        messages.error(request, "Le commentaire est vide ou trop long.")
    return redirect(f"{conference.get_absolute_url()}#commentaires")


# --- Funders' directory --------------------------------------------------------------------------


def funder_add(request, committee_id: int):
    committee = get_committee(request, committee_id)
    require(perms.can_manage_funders(request.user, committee))
    form = FunderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_funder(committee=committee, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "Le financeur est ajouté au répertoire.")
            return redirect("funders:committee", committee_id=committee.pk)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title="Ajouter un financeur",
        submit="Ajouter",
        cancel_url=reverse("funders:committee", args=[committee.pk]),
        breadcrumb=crumbs(("Ajouter un financeur", None), committee=committee),
        intro=(
            "La personne de contact reçoit un accès au portail : elle lit et commente les "
            "conférences auxquelles son organisme participe."
        ),
    )


def funder_edit(request, pk: int):
    funder = get_funder(request, pk)
    committee = funder.committee
    require(perms.can_manage_funders(request.user, committee))
    form = FunderForm(request.POST or None, initial=FunderForm.initial_for(funder))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_funder(funder=funder, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, "Le financeur est enregistré.")
            return redirect("funders:committee", committee_id=committee.pk)
    return form_page(
        request,
        base="funders/base.html",
        form=form,
        title=f"Modifier « {funder.name} »",
        submit="Enregistrer",
        cancel_url=reverse("funders:committee", args=[committee.pk]),
        breadcrumb=crumbs(("Modifier un financeur", None), committee=committee),
    )


# --- Overview (INS-FUNDERS, INS-FOLLOW-UP) ---------------------------------------------------------


def overview(request):
    """The DDETS / DREETS overview: the last funders' conference of each committee of their
    territory, those behind first."""
    require(perms.can_view_funders_overview(request.user))
    committees = (
        Committee.objects.visible_to(request.user)
        .active()
        .filter(level__in=(Level.DEPARTMENTAL, Level.LOCAL))
        .select_related("region", "parent")
        .prefetch_related(Prefetch("departements"))
        .order_by("region_id", "level", "name")
    )
    page = Paginator(committees, PER_PAGE * 2).get_page(request.GET.get("page"))
    rows = compliance_overview(list(page))
    return render(
        request,
        "funders/overview.html",
        {
            "title": "Suivi des conférences des financeurs",
            "rows": rows,
            "page": page,
            "behind": sum(1 for row in rows if row.behind),
            "breadcrumb": crumbs(("Suivi", None)),
        },
    )
