"""Minutes: drafted from the meeting, approved by each co-president, their PDF's progress and
download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from committees.models import CoPresidency
from committees.selectors import active_copresidencies
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from meetings import workflow
from meetings.forms import ChangeRequestForm, MinutesForm, OutsideApprovalForm
from meetings.models import ChangeRequest, Meeting, Minutes
from meetings.permissions import can_approve_minutes, can_manage_meeting
from meetings.selectors import pending_approvals
from meetings.services import minutes as minutes_service
from meetings.services import past as past_service
from meetings.services import review as review_service
from meetings.views.common import (
    crumbs,
    lock_form,
    managed_meeting,
    show_rule_error,
    visible_meeting,
)

# --- Minutes --------------------------------------------------------------------------------------


def minutes(request, pk: int):
    meeting = visible_meeting(request, pk)
    record = minutes_service.meeting_record(meeting)
    minutes_obj = Minutes.objects.filter(meeting=meeting).first()
    can_manage = can_manage_meeting(request.user, meeting)
    can_approve = False
    can_request_changes = False
    approval_rows = []
    problems = []
    change_requests = []
    if (
        minutes_obj is not None
        and not minutes_obj.is_approved
        and not can_manage
        and not can_approve_minutes(request.user, minutes_obj)
    ):
        minutes_obj = None  # members read the minutes once approved
    if minutes_obj is not None:
        approvals = {
            a.copresidency_id: a
            for a in minutes_obj.approvals.filter(version=minutes_obj.version).select_related(
                "approved_by"
            )
        }
        copresidencies = list(active_copresidencies(meeting.committee).select_related("person"))
        change_requests = list(review_service.open_requests(meeting, ChangeRequest.Subject.MINUTES))
        asked = {r.copresidency_id: r for r in change_requests}
        approval_rows = [(cp, approvals.get(cp.pk), asked.get(cp.pk)) for cp in copresidencies]
        mine_pending = [
            cp
            for cp in copresidencies
            if cp.pk not in approvals and request.user.pk in (cp.person_id, cp.delegate_id)
        ]
        if not minutes_obj.is_approved:
            problems = minutes_service.approval_problems(minutes_obj)
        may_approve = (
            not minutes_obj.is_approved
            and can_approve_minutes(request.user, minutes_obj)
            and bool(mine_pending)
        )
        # A button offered is a button allowed: no approval while blanks or votes to check.
        can_approve = may_approve and not problems
        can_request_changes = may_approve and any(cp.pk not in asked for cp in mine_pending)
    return render(
        request,
        "meetings/minutes.html",
        {
            **record,
            "title": f"Compte rendu — {meeting}",
            "minutes": minutes_obj,
            "approval_rows": approval_rows,
            "can_manage": can_manage,
            "can_approve": can_approve,
            "outside_form": _outside_form(meeting, minutes_obj) if can_manage else None,
            "can_request_changes": can_request_changes,
            "problems": problems,
            "change_requests": change_requests,
            "can_draft": can_manage
            and minutes_obj is None
            and meeting.is_convened
            and meeting.date <= timezone.localdate()
            and not Minutes.objects.filter(meeting=meeting).exists(),
            "breadcrumb": crumbs(meeting, ("Compte rendu", None)),
        },
    )


def _outside_form(meeting: Meeting, minutes_obj: Minutes | None, data=None):
    """A meeting entered after the fact: the form recording an approval given at the time."""
    if minutes_obj is None or minutes_obj.is_approved or not meeting.entered_after_the_fact:
        return None
    pending = [cp.pk for cp in pending_approvals(minutes_obj)]
    if not pending:
        return None
    return OutsideApprovalForm(
        data,
        copresidencies=CoPresidency.objects.filter(pk__in=pending).select_related("person"),
    )


def _minutes_of(meeting: Meeting) -> Minutes:
    return get_object_or_404(Minutes, meeting=meeting)


@require_POST
def minutes_draft(request, pk: int):
    meeting = managed_meeting(request, pk)
    try:
        minutes_service.draft_minutes(meeting=meeting, user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(
            request, "Le compte rendu est rédigé à partir de la réunion : complétez-le."
        )
        return redirect("meetings:minutes_edit", pk=meeting.pk)
    return redirect("meetings:minutes", pk=meeting.pk)


def minutes_edit(request, pk: int):
    meeting = managed_meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    locked = workflow.minutes_lock(minutes_obj)
    form = MinutesForm(None if locked else request.POST or None, initial={"body": minutes_obj.body})
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            minutes_service.update_minutes(
                minutes=minutes_obj, user=request.user, body=form.cleaned_data["body"]
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le compte rendu est enregistré.")
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Modifier le compte rendu",
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "submit_label": "Enregistrer le compte rendu",
            "cancel_url": reverse("meetings:minutes", args=[meeting.pk]),
            "breadcrumb": crumbs(meeting, ("Compte rendu", None)),
        },
    )


@require_POST
def minutes_request(request, pk: int):
    meeting = managed_meeting(request, pk)
    try:
        count = minutes_service.request_approval(minutes=_minutes_of(meeting), user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        if count:
            messages.success(request, "Les co-présidents sont invités à approuver le compte rendu.")
        else:
            messages.info(request, "Les co-présidents ont déjà été sollicités pour cette version.")
    return redirect("meetings:minutes", pk=meeting.pk)


@require_POST
def minutes_approve(request, pk: int):
    meeting = visible_meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    if not can_approve_minutes(request.user, minutes_obj):
        raise PermissionDenied
    try:
        minutes_service.approve_minutes(minutes=minutes_obj, user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        minutes_obj.refresh_from_db()
        if minutes_obj.is_approved:
            messages.success(
                request, "Le compte rendu est approuvé : son PDF est en cours de production."
            )
        else:
            messages.success(request, "Votre approbation est enregistrée.")
    return redirect("meetings:minutes", pk=meeting.pk)


@require_POST
def minutes_outside_approval(request, pk: int):
    """A meeting entered after the fact: the secretariat records a co-president's approval
    given at the time, outside the portal (DEC-JOINT still needs every co-presidency)."""
    meeting = managed_meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    form = _outside_form(meeting, minutes_obj, request.POST)
    if form is None:
        messages.error(request, "Aucune approbation antérieure n'est à enregistrer.")
    elif form.is_valid():
        try:
            past_service.record_outside_approval(
                minutes=minutes_obj,
                copresidency=form.cleaned_data["copresidency"],
                approved_on=form.cleaned_data["approved_on"],
                user=request.user,
            )
        except RuleError as error:
            show_rule_error(request, error)
        else:
            messages.success(request, "L'approbation est enregistrée.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("meetings:minutes", pk=meeting.pk)


def minutes_request_changes(request, pk: int):
    """DEC-JOINT: a co-president refuses the current version of the minutes, with what to
    change. The comment typed is kept on the page whatever happens to the request."""
    meeting = visible_meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    if not can_approve_minutes(request.user, minutes_obj):
        raise PermissionDenied
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_service.request_minutes_changes(
                minutes=minutes_obj, user=request.user, comment=form.cleaned_data["comment"]
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                "Votre demande de modifications est transmise au secrétariat : le compte rendu "
                "attend votre approbation.",
            )
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Demander des modifications du compte rendu",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Envoyer la demande de modifications",
            "cancel_url": reverse("meetings:minutes", args=[meeting.pk]),
            "breadcrumb": crumbs(meeting, ("Compte rendu", None)),
        },
    )


def _readable_minutes(request, pk: int) -> Minutes:
    meeting = visible_meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    if not minutes_obj.is_approved and not (
        can_manage_meeting(request.user, meeting) or can_approve_minutes(request.user, minutes_obj)
    ):
        raise Http404
    return minutes_obj


def minutes_pdf(request, pk: int):
    minutes_obj = _readable_minutes(request, pk)
    if minutes_obj.pdf_status != Minutes.PdfStatus.READY or not minutes_obj.pdf:
        raise Http404
    return FileResponse(
        minutes_obj.pdf.open("rb"),
        as_attachment=True,
        filename=f"compte-rendu-{minutes_obj.meeting.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


@never_cache
def minutes_pdf_status(request, pk: int):
    minutes_obj = _readable_minutes(request, pk)
    ready = minutes_obj.pdf_status == Minutes.PdfStatus.READY
    return JsonResponse(
        {
            "status": minutes_obj.pdf_status,
            "label": minutes_obj.get_pdf_status_display(),
            "attempts": minutes_obj.pdf_attempts,
            "url": reverse("meetings:minutes_pdf", args=[pk]) if ready else "",
        }
    )


@require_POST
def minutes_pdf_retry(request, pk: int):
    meeting = managed_meeting(request, pk)
    try:
        minutes_service.retry_pdf(minutes=_minutes_of(meeting), user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(request, "La génération du PDF est relancée.")
    return redirect("meetings:minutes", pk=meeting.pk)
