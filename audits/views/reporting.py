"""Screens of the reports owed to the committees (INS-REPORTING): what each committee is owed,
what it received, what is late and the figures over time; the bodies' users upload."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audits import permissions as perms
from audits import selectors
from audits.forms import ObligationForm, ReportSubmitForm
from audits.models import NetworkBody, Report, ReportObligation
from audits.models.bodies import body_ids_of
from audits.services import reporting as services
from audits.views.common import download, get_committee, get_obligation
from committees.models import Level
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.shortcuts import form_page, require

PER_PAGE = 50


def _reports_crumbs(*items, committee=None):
    base = [
        ("Audits et comptes rendus", reverse("audits:index")),
        ("Comptes rendus", reverse("audits:reports")),
    ]
    if committee is not None:
        base.append(
            (committee.name, reverse("audits:committee_reports", args=[committee.pk]))
            if items
            else (committee.name, None)
        )
    return [*base, *items]


def _with_reports(obligations):
    return obligations.select_related("body", "committee").prefetch_related(
        Prefetch("reports", queryset=Report.objects.order_by("period_start"))
    )


def reports(request):
    """The reports the user's committees are owed, and those the bodies they act for owe."""
    user = request.user
    obligations = _with_reports(ReportObligation.objects.visible_to(user)).order_by(
        "committee__name", "report_type", "body__name", "pk"
    )
    page = Paginator(obligations, PER_PAGE).get_page(request.GET.get("page"))
    body_ids = body_ids_of(user)
    rows = [
        {
            "summary": selectors.summarize(o),
            "can_submit": o.is_active and (o.body_id in body_ids or perms.is_admin(user)),
        }
        for o in page
    ]
    return render(
        request,
        "audits/reports.html",
        {
            "title": "Comptes rendus dus aux comités",
            "rows": rows,
            "page": page,
            "breadcrumb": _reports_crumbs()[:1] + [("Comptes rendus", None)],
        },
    )


def committee_reports(request, committee_pk: int):
    """INS-REPORTING: what the committee is owed, what it received, what is late."""
    committee = get_committee(request, committee_pk)
    require(perms.can_view_reports(request.user, committee))
    obligations = _with_reports(committee.report_obligations.all()).order_by(
        "report_type", "body__name", "pk"
    )
    page = Paginator(obligations, PER_PAGE).get_page(request.GET.get("page"))
    summaries = [selectors.summarize(o) for o in page]
    return render(
        request,
        "audits/committee_reports.html",
        {
            "title": f"Comptes rendus — {committee.name}",
            "committee": committee,
            "committee_url": committee.get_absolute_url(),
            "summaries": summaries,
            "late_total": sum(s.late for s in summaries),
            "page": page,
            "can_manage": perms.can_manage_obligations(request.user, committee),
            "breadcrumb": _reports_crumbs(committee=committee),
        },
    )


def obligation_create(request, committee_pk: int):
    committee = get_committee(request, committee_pk)
    require(perms.can_manage_obligations(request.user, committee))
    bodies = NetworkBody.objects.active().for_committee(committee)
    if committee.level == Level.REGIONAL:  # a CRE: the bodies of its region's départements
        bodies = NetworkBody.objects.active().filter(
            Q(departement__region=committee.region_id) | Q(departement__isnull=True)
        )
    form = ObligationForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.create_obligation(
                committee=committee, user=request.user, **form.cleaned_data
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le compte rendu dû est enregistré.")
            return redirect(obligation)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Déclarer un compte rendu dû — {committee.name}",
        submit="Enregistrer",
        cancel_url=reverse("audits:committee_reports", args=[committee.pk]),
        breadcrumb=_reports_crumbs(("Nouveau compte rendu dû", None), committee=committee),
        intro=(
            "France Travail, le conseil départemental et les Missions locales rendent compte "
            "aux comités des résultats du contrôle des engagements des demandeurs d'emploi ; "
            "avec Cap emploi, ils rendent compte des orientations prononcées au comité "
            "départemental et au niveau national."
        ),
    )


def obligation(request, pk: int):
    """One obligation: every period's status, and the key figures over time."""
    obligation = get_obligation(request, pk)
    obligation = _with_reports(ReportObligation.objects.filter(pk=obligation.pk)).prefetch_related(
        "reports__figures"
    )[0]
    user = request.user
    committee = obligation.committee
    return render(
        request,
        "audits/obligation.html",
        {
            "title": str(obligation.get_report_type_display()),
            "obligation": obligation,
            "rows": selectors.period_rows(obligation),
            "table": selectors.figures_over_time(obligation),
            "can_submit": obligation.is_active and perms.can_submit_report(user, obligation),
            "breadcrumb": _reports_crumbs(
                (obligation.get_report_type_display(), None),
                committee=committee
                if committee and perms.can_view_reports(user, committee)
                else None,
            ),
        },
    )


def report_submit(request, pk: int):
    """INS-REPORTING: the body's users upload a period's report and its key figures."""
    obligation = get_obligation(request, pk)
    require(obligation.is_active and perms.can_submit_report(request.user, obligation))
    periods = list(reversed(obligation.periods()))
    if not periods:
        messages.error(request, "La première période de ce compte rendu n'a pas commencé.")
        return redirect(obligation)
    initial = {"period_start": request.GET.get("periode") or periods[0].start.isoformat()}
    form = ReportSubmitForm(
        request.POST or None,
        request.FILES or None,
        obligation=obligation,
        periods=periods,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(
                obligation=obligation,
                user=request.user,
                period_start=form.period(),
                document=form.cleaned_data["document"],
                figures=form.figures(),
                comment=form.cleaned_data["comment"],
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le compte rendu est déposé.")
            return redirect(obligation)
    return form_page(
        request,
        base="audits/base.html",
        form=form,
        title=f"Déposer un compte rendu — {obligation.get_report_type_display()}",
        submit="Déposer le compte rendu",
        cancel_url=obligation.get_absolute_url(),
        breadcrumb=_reports_crumbs(("Déposer", None)),
        intro=f"{obligation.body.name} → {obligation.recipient_label}. Un nouveau dépôt pour "
        "une période déjà reçue remplace le précédent (l'historique est conservé).",
        multipart=True,
    )


def received_document(request, pk: int):
    report = get_object_or_404(Report.objects.select_related("obligation"), pk=pk)
    if (
        not ReportObligation.objects.visible_to(request.user)
        .filter(pk=report.obligation_id)
        .exists()
    ):
        raise Http404
    return download(report.document)
