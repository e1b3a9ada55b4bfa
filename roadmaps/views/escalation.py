"""INS-ESCALATION: raising a subject to the level above, the upper committee's inbox and its
answers, and the national inbox of the DGEFP."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require
from roadmaps import permissions as perms
from roadmaps.forms import AnswerForm, SubjectForm
from roadmaps.models import EscalatedSubject
from roadmaps.services.escalation import answer_subject, raise_subject, recipient_of
from roadmaps.views.common import get_committee, roadmap_crumbs, visible_committees

PER_PAGE = 50
_SUBJECT_RELATIONS = ("from_committee", "to_committee", "answering_sheet", "redirected_to")


def committee_subjects(request, committee_id: int):
    """The subjects a committee raised (with their answers) and the ones it received."""
    committee = get_committee(request, committee_id)
    received = Paginator(
        EscalatedSubject.objects.filter(to_committee=committee)
        .select_related(*_SUBJECT_RELATIONS)
        .order_by("status", "-raised_at"),
        PER_PAGE,
    ).get_page(request.GET.get("recus"))
    raised = Paginator(
        EscalatedSubject.objects.filter(from_committee=committee)
        .select_related(*_SUBJECT_RELATIONS)
        .order_by("-raised_at"),
        PER_PAGE,
    ).get_page(request.GET.get("remontes"))
    recipient_label, recipient_problem = "", ""
    try:
        recipient = recipient_of(committee)
        recipient_label = recipient.name if recipient else "le niveau national (DGEFP)"
    except RuleError as exc:
        recipient_problem = " ".join(exc.messages)
    return render(
        request,
        "roadmaps/subjects.html",
        {
            "title": f"Remontées — {committee.name}",
            "committee": committee,
            "received": received,
            "raised": raised,
            "can_raise": perms.can_raise_subject(request.user, committee) and not recipient_problem,
            "recipient_label": recipient_label,
            "recipient_problem": recipient_problem,
            "breadcrumb": roadmap_crumbs(None, ("Remontées", None), committee=committee),
        },
    )


def subject_add(request, committee_id: int):
    committee = get_committee(request, committee_id)
    require(perms.can_raise_subject(request.user, committee))
    initial = {}
    if request.GET.get("fiche"):
        initial["related_sheets"] = [request.GET["fiche"]]
    form = SubjectForm(request.POST or None, committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            subject = raise_subject(committee=committee, user=request.user, **form.cleaned_data)
        except RuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, f"Le sujet est remonté à {subject.recipient_label}.")
            return redirect(subject)
    return form_page(
        request,
        base="roadmaps/base.html",
        form=form,
        title="Remonter un sujet au niveau supérieur",
        submit="Remonter le sujet",
        cancel_url=reverse("roadmaps:subjects", args=[committee.pk]),
        breadcrumb=roadmap_crumbs(
            None,
            ("Remontées", reverse("roadmaps:subjects", args=[committee.pk])),
            ("Nouveau sujet", None),
            committee=committee,
        ),
        intro=(
            "La feuille de route locale est le point de départ des sujets qui "
            "demandent un appui, une coordination, une mise en cohérence ou des moyens au niveau "
            "départemental, régional ou national."
        ),
    )


def _visible_subjects(user):
    visible = visible_committees(user)
    query = Q(from_committee__in=visible) | Q(to_committee__in=visible)
    if perms.is_admin(user):
        query |= Q(to_national=True)
    return EscalatedSubject.objects.filter(query)


def subject_detail(request, pk: int):
    subject = get_object_or_404(
        _visible_subjects(request.user).select_related(*_SUBJECT_RELATIONS), pk=pk
    )
    can_answer = perms.can_answer_subject(request.user, subject) and not subject.is_answered
    form = (
        AnswerForm(request.POST or None, subject=subject, user=request.user) if can_answer else None
    )
    if request.method == "POST":
        require(can_answer)
        if form.is_valid():
            try:
                answer_subject(subject=subject, user=request.user, **form.cleaned_data)
            except RuleError as exc:
                add_rule_error(form, exc)
            else:
                messages.success(
                    request,
                    "La réponse est enregistrée : le comité qui a remonté le sujet la voit.",
                )
                return redirect(subject)
    # The person sees one side of the subject at least: links lead only to the committees (and
    # their sheets) that person may open, the others are named without a link.
    seen = set(
        visible_committees(request.user)
        .filter(pk__in=[subject.from_committee_id, subject.to_committee_id or 0])
        .values_list("pk", flat=True)
    )
    # (_visible_subjects: the raising committee, else the receiving one; admins see every one.)
    home = subject.from_committee if subject.from_committee_id in seen else subject.to_committee
    return render(
        request,
        "roadmaps/subject_detail.html",
        {
            "title": subject.title,
            "subject": subject,
            "related_sheets": subject.related_sheets.select_related("axis"),
            "link_related_sheets": subject.from_committee_id in seen,
            "link_answering_sheet": subject.to_committee_id in seen,
            "form": form,
            "breadcrumb": roadmap_crumbs(
                None,
                ("Remontées", reverse("roadmaps:subjects", args=[home.pk])),
                (subject.title, None),
                committee=home,
            ),
        },
    )


def national_inbox(request):
    require(perms.can_view_national_inbox(request.user))
    subjects = Paginator(
        EscalatedSubject.objects.filter(to_national=True)
        .select_related(*_SUBJECT_RELATIONS)
        .order_by("status", "-raised_at"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmaps/national_inbox.html",
        {
            "title": "Sujets remontés au niveau national",
            "subjects": subjects,
            "breadcrumb": roadmap_crumbs(None, ("Remontées au niveau national", None)),
        },
    )


urlpatterns = [
    path("comite/<int:committee_id>/remontees/", committee_subjects, name="subjects"),
    path("comite/<int:committee_id>/remontees/nouvelle/", subject_add, name="subject_add"),
    path("remontees/<int:pk>/", subject_detail, name="subject"),
    path("remontees-nationales/", national_inbox, name="national_inbox"),
]
