"""Screens of a meeting: the committee's meetings, preparation (the meeting, its agenda and
documents, the people invited), joint validation (DEC-JOINT), cancellation, the iCalendar file,
and the answer to a convocation (DEC-PROXY). The session, the minutes and the members' space
have their own modules.

Views gate with the predicates of ``meetings.permissions`` (404 outside the user's scope,
403 for an action they may not take), validate a form, call one service, and show the
``RuleError`` messages on the form.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from committees.models import Committee
from committees.permissions import can_manage_committee
from committees.selectors import active_copresidencies
from committees.services.composition import invite_person
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from cte_portal.core.page_cache import cached_body
from meetings import workflow
from meetings.forms import (
    AgendaDocumentForm,
    AgendaItemForm,
    AnswerForm,
    ChangeRequestForm,
    ExpertForm,
    MeetingForm,
    ReasonForm,
)
from meetings.models import (
    AgendaDocument,
    AgendaItem,
    ChangeRequest,
    Decision,
    FollowUpAction,
    Invitation,
    Meeting,
    Minutes,
)
from meetings.permissions import can_answer_convocation, can_manage_meeting, can_validate_meeting
from meetings.selectors import active_substitutes, by_role, proxy_candidates
from meetings.services import agenda as agenda_service
from meetings.services import answers as answer_service
from meetings.services import calendar as calendar_service
from meetings.services import compliance as meeting_compliance
from meetings.services import convocation as convocation_service
from meetings.services import invitations as invitation_service
from meetings.services import past as past_service
from meetings.services import planning as planning_service
from meetings.services import review as review_service
from meetings.services.dates import meeting_date_warnings
from meetings.services.quorum import meeting_quorum
from meetings.views.common import (
    agenda_item,
    back_to_meeting,
    confirm_page,
    crumbs,
    lock_form,
    managed_meeting,
    show_rule_error,
    visible_meeting,
)

Attendance = Invitation.Attendance
PAST_PER_PAGE = 20


# --- Lists ----------------------------------------------------------------------------------------


def committee_list(request, committee_pk: int):
    committee = get_object_or_404(Committee.objects.visible_to(request.user), pk=committee_pk)

    def body_context() -> dict:
        meetings = (
            Meeting.objects.visible_to(request.user)
            .filter(committee=committee)
            .select_related("commission")
        )
        today = timezone.localdate()
        # Past meetings pile up over the years: they come a page at a time (issue 15).
        past = Paginator(
            meetings.filter(date__lt=today).order_by("-date", "-start_time", "-pk"), PAST_PER_PAGE
        ).get_page(request.GET.get("page"))
        return {
            "committee": committee,
            "upcoming": list(meetings.filter(date__gte=today).order_by("date", "start_time", "pk")),
            "past": past,
            "can_manage": can_manage_committee(request.user, committee),
            "compliance": meeting_compliance.committee_compliance(committee),
        }

    body = cached_body(request, "meeting-list", "meetings/committee_list_body.html", body_context)
    return render(
        request,
        "meetings/committee_list.html",
        {
            "title": f"Réunions — {committee.name}",
            "committee": committee,
            "body": body,
            "breadcrumb": [(committee.name, committee.get_absolute_url()), ("Réunions", None)],
        },
    )


# --- Preparation ----------------------------------------------------------------------------------


def create(request, committee_pk: int):
    committee = get_object_or_404(Committee.objects.visible_to(request.user), pk=committee_pk)
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = planning_service.create_meeting(
                committee=committee,
                user=request.user,
                title=data["title"],
                kind=data["kind"],
                commission=data.get("commission"),
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                place=data["place"],
                visio_url=data["visio_url"],
                with_local_copresidents=data.get("with_local_copresidents", False),
                entered_after_the_fact=data.get("entered_after_the_fact", False),
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request, "La réunion est créée. Ajoutez les points de l'ordre du jour."
            )
            # INS-DATES: a warning, never a refusal.
            for warning in meeting_date_warnings(committee, meeting.date):
                messages.warning(request, warning)
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Nouvelle réunion",
            "form": form,
            "committee": committee,
            "submit_label": "Créer la réunion",
            "cancel_url": reverse("meetings:committee_list", args=[committee.pk]),
            "breadcrumb": crumbs(None, ("Nouvelle réunion", None), committee=committee),
        },
    )


def edit(request, pk: int):
    meeting = managed_meeting(request, pk)
    locked = workflow.edit_lock(meeting)
    form = MeetingForm(
        None if locked else request.POST or None, instance=meeting, committee=meeting.committee
    )
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        fields = {
            k: v
            for k, v in form.cleaned_data.items()
            if k in planning_service.CONVOCATION_FIELDS or k == "with_local_copresidents"
        }
        try:
            planning_service.update_meeting(
                meeting=Meeting.objects.get(pk=meeting.pk), user=request.user, **fields
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La réunion est modifiée.")
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Modifier la réunion",
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "submit_label": "Enregistrer",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, ("Modifier", None)),
        },
    )


def detail(request, pk: int):
    meeting = visible_meeting(request, pk)
    # The only part of the page that changes within a day without a write: from its start
    # time on, the meeting no longer changes (no edit, no cancellation, no answer). Its own
    # body in the cache before and after.
    started = meeting.has_started

    def body_context() -> dict:
        user = request.user
        invitations = by_role(
            meeting.invitations.select_related(
                "person", "proxy_to__person", "substitute__person", "agenda_item"
            )
        )
        items = list(
            meeting.agenda_items.prefetch_related(
                "documents",
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.prefetch_related(
                        Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner"))
                    ),
                ),
            )
        )
        copresidencies = list(active_copresidencies(meeting.committee).select_related("person"))
        validated = {
            v.copresidency_id: v
            for v in meeting.validations.filter(version=meeting.version).select_related(
                "validated_by"
            )
        }
        mine = next((i for i in invitations if i.person_id == user.pk), None)
        can_manage = can_manage_meeting(user, meeting)
        can_validate = can_validate_meeting(user, meeting)
        my_pending = [
            cp
            for cp in copresidencies
            if cp.pk not in validated and user.pk in (cp.person_id, cp.delegate_id)
        ]
        editable = can_manage and _editable(meeting)
        agenda_requests = list(review_service.open_requests(meeting, ChangeRequest.Subject.AGENDA))
        asked = {r.copresidency_id: r for r in agenda_requests}
        can_validate = (
            can_validate
            and bool(my_pending)
            and meeting.status == Meeting.Status.PENDING_VALIDATION
            and not started
        )
        # Attendance, decisions and actions: a button offered is a button allowed.
        record_open = can_manage and workflow.session_lock(meeting) is None
        return {
            "meeting": meeting,
            "committee": meeting.committee,
            "invitations": invitations,
            "items": items,
            "validation_rows": [
                (cp, validated.get(cp.pk), asked.get(cp.pk)) for cp in copresidencies
            ],
            "agenda_requests": agenda_requests,
            "can_request_changes": can_validate and any(cp.pk not in asked for cp in my_pending),
            "record_open": record_open,
            "sees_reviews": can_manage or can_validate_meeting(user, meeting),
            "can_cancel": (can_manage or can_validate_meeting(user, meeting))
            and not workflow.problems(meeting, "cancel"),
            "to_check": [
                d for item in items for d in item.decisions.all() if d.ballots_to_check_since
            ],
            "mine": mine,
            "can_answer": bool(mine and can_answer_convocation(user, mine))
            and meeting.is_convened
            and not started,
            "can_manage": can_manage,
            "can_validate": can_validate,
            "editable": editable,
            "can_record_held": editable
            and meeting.entered_after_the_fact
            and meeting.status == Meeting.Status.DRAFT,
            "date_warnings": meeting_date_warnings(meeting.committee, meeting.date)
            if can_manage
            else [],
            "in_session": meeting.is_convened and meeting.date <= timezone.localdate(),
            "quorum": meeting_quorum(meeting, invitations),
            "has_minutes": Minutes.objects.filter(meeting=meeting).exists(),
            "answered": sum(1 for i in invitations if i.answer),
        }

    name = "meeting-started" if started else "meeting-upcoming"
    body = cached_body(request, name, "meetings/detail_body.html", body_context)
    return render(
        request,
        "meetings/detail.html",
        {
            "title": str(meeting),
            "meeting": meeting,
            "committee": meeting.committee,
            "body": body,
            "breadcrumb": crumbs(meeting),
        },
    )


def _editable(meeting: Meeting) -> bool:
    try:
        workflow.check_editable(meeting)
    except RuleError:
        return False
    return True


@require_POST
def record_held(request, pk: int):
    """A meeting entered after the fact is recorded as held (nothing is sent)."""
    meeting = managed_meeting(request, pk)
    try:
        past_service.record_held_meeting(meeting=meeting, user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(
            request,
            "La réunion est enregistrée comme tenue : saisissez les présences, les décisions "
            "et le compte rendu.",
        )
    return back_to_meeting(meeting)


def item_form(request, pk: int, item_pk: int | None = None):
    meeting = managed_meeting(request, pk)
    item = agenda_item(meeting, item_pk) if item_pk else None
    locked = workflow.edit_lock(meeting)
    form = AgendaItemForm(None if locked else request.POST or None, instance=item)
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in agenda_service.AGENDA_FIELDS}
        try:
            if item is None:
                agenda_service.add_agenda_item(meeting=meeting, **fields)
            else:
                agenda_service.update_agenda_item(item=AgendaItem.objects.get(pk=item.pk), **fields)
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'ordre du jour est mis à jour.")
            return back_to_meeting(meeting, "#ordre-du-jour")
    label = "Ajouter un point" if item is None else "Modifier le point"
    return render(
        request,
        "meetings/form.html",
        {
            "title": label,
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "submit_label": "Enregistrer",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, (label, None)),
        },
    )


def item_delete(request, pk: int, item_pk: int):
    meeting = managed_meeting(request, pk)
    item = agenda_item(meeting, item_pk)
    if request.method != "POST":
        return confirm_page(
            request,
            meeting,
            title="Retirer un point de l'ordre du jour",
            question=f"Retirer le point {item.position} « {item.title} » de l'ordre du jour ?",
            details=[
                "Ses documents sont retirés avec lui. Si la convocation a déjà été validée, "
                "les co-présidents devront valider la nouvelle version."
            ],
            submit_label="Retirer le point",
        )
    try:
        agenda_service.delete_agenda_item(item=item)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(request, "Le point est retiré de l'ordre du jour.")
    return back_to_meeting(meeting, "#ordre-du-jour")


@require_POST
def item_move(request, pk: int, item_pk: int):
    meeting = managed_meeting(request, pk)
    try:
        agenda_service.move_agenda_item(
            item=agenda_item(meeting, item_pk), up=request.POST.get("sens") == "haut"
        )
    except RuleError as error:
        show_rule_error(request, error)
    return back_to_meeting(meeting, "#ordre-du-jour")


def document_add(request, pk: int, item_pk: int):
    meeting = managed_meeting(request, pk)
    item = agenda_item(meeting, item_pk)
    locked = "Cette réunion est annulée." if meeting.is_cancelled else None
    form = AgendaDocumentForm(
        None if locked else request.POST or None, None if locked else request.FILES or None
    )
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            agenda_service.add_agenda_document(
                item=item, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le document est ajouté.")
            return back_to_meeting(meeting, "#ordre-du-jour")
    return render(
        request,
        "meetings/form.html",
        {
            "title": f"Document pour « {item.title} »",
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "multipart": True,
            "submit_label": "Ajouter le document",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, ("Ajouter un document", None)),
        },
    )


def document(request, pk: int, document_pk: int):
    meeting = visible_meeting(request, pk)
    doc = get_object_or_404(AgendaDocument, pk=document_pk, agenda_item__meeting=meeting)
    return FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1]
    )


def expert_add(request, pk: int):
    meeting = managed_meeting(request, pk)
    locked = workflow.edit_lock(meeting)
    form = ExpertForm(None if locked else request.POST or None, meeting=meeting)
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: an account made for an invitation that is then refused is not
            # left behind (nor is its invitation e-mail sent).
            with transaction.atomic():
                person = invite_person(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    organisation=data["organisation"],
                )
                invitation_service.invite_expert(
                    meeting=meeting,
                    person=person,
                    agenda_item=data["agenda_item"],
                    organisation=data["organisation"],
                )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La personne est invitée.")
            return back_to_meeting(meeting, "#convocations")
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Inviter un expert ou un membre du réseau",
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "submit_label": "Inviter",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, ("Inviter", None)),
        },
    )


def invitation_remove(request, pk: int, invitation_pk: int):
    meeting = managed_meeting(request, pk)
    invitation = get_object_or_404(
        Invitation.objects.select_related("person"), pk=invitation_pk, meeting=meeting
    )
    if request.method != "POST":
        return confirm_page(
            request,
            meeting,
            title="Retirer une invitation",
            question=f"Retirer l'invitation de {invitation.person.get_full_name()} ?",
            details=["Cette personne ne sera plus convoquée à la réunion."],
            submit_label="Retirer l'invitation",
        )
    try:
        invitation_service.remove_invitation(invitation=invitation)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(request, "L'invitation est retirée.")
    return back_to_meeting(meeting, "#convocations")


# --- Joint validation (DEC-JOINT) -------------------------------------------------------------------


@require_POST
def submit(request, pk: int):
    meeting = managed_meeting(request, pk)
    try:
        convocation_service.submit_for_validation(meeting=meeting, user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(
            request,
            "L'ordre du jour est soumis aux co-présidents : la convocation partira quand chacun "
            "l'aura validé.",
        )
    return back_to_meeting(meeting)


@require_POST
def validate(request, pk: int):
    meeting = visible_meeting(request, pk)
    if not can_validate_meeting(request.user, meeting):
        raise PermissionDenied
    try:
        convocation_service.validate_meeting(meeting=meeting, user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        meeting.refresh_from_db()
        if meeting.is_convened:
            messages.success(
                request,
                "Validation enregistrée : la convocation est envoyée aux personnes convoquées.",
            )
        else:
            messages.success(
                request, "Validation enregistrée : la convocation attend l'autre co-présidence."
            )
    return back_to_meeting(meeting)


def request_changes(request, pk: int):
    """DEC-JOINT: a co-president refuses the agenda and convocation submitted, with what to
    change. The comment typed is kept on the page whatever happens to the request."""
    meeting = visible_meeting(request, pk)
    if not can_validate_meeting(request.user, meeting):
        raise PermissionDenied
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_service.request_agenda_changes(
                meeting=meeting, user=request.user, comment=form.cleaned_data["comment"]
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                "Votre demande de modifications est transmise au secrétariat : la convocation "
                "ne partira pas avant votre validation.",
            )
            return back_to_meeting(meeting, "#validation")
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Demander des modifications de l'ordre du jour",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Envoyer la demande de modifications",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, ("Demander des modifications", None)),
        },
    )


def cancel(request, pk: int):
    meeting = visible_meeting(request, pk)
    if not (
        can_manage_meeting(request.user, meeting) or can_validate_meeting(request.user, meeting)
    ):
        raise PermissionDenied
    found = workflow.problems(meeting, "cancel")
    locked = found[0][1] if found else None
    form = ReasonForm(None if locked else request.POST or None)
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            planning_service.cancel_meeting(
                meeting=meeting, user=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La réunion est annulée.")
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Annuler la réunion",
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "submit_label": "Annuler la réunion",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, ("Annuler", None)),
        },
    )


def ics(request, pk: int):
    meeting = visible_meeting(request, pk)
    if meeting.convened_at is None:
        raise Http404
    content = calendar_service.meeting_ics(
        meeting, method="CANCEL" if meeting.is_cancelled else "REQUEST"
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.date:%Y-%m-%d}.ics"'
    return response


# --- Answers (DEC-PROXY) -------------------------------------------------------------------------


def answer(request, pk: int):
    meeting = visible_meeting(request, pk)
    invitation = meeting.invitations.filter(person=request.user).first()
    if invitation is None:
        raise PermissionDenied
    if not can_answer_convocation(request.user, invitation):
        raise PermissionDenied
    substitutes = active_substitutes(invitation).select_related("person")
    form = AnswerForm(
        request.POST or None,
        invitation=invitation,
        substitutes=substitutes,
        candidates=proxy_candidates(invitation),
        initial={
            "answer": invitation.answer or None,
            "proxy_to": invitation.proxy_to_id,
            "substitute": invitation.substitute_id,
            "comment": invitation.answer_comment,
            "delegate_name": invitation.delegate_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer_service.answer_convocation(
                invitation=invitation,
                answer=data["answer"],
                substitute=data.get("substitute"),
                proxy_to=data.get("proxy_to"),
                comment=data.get("comment", ""),
                delegate_name=data.get("delegate_name", ""),
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Votre réponse est enregistrée. Merci.")
            return redirect(meeting)
    return render(
        request,
        "meetings/answer.html",
        {
            "title": "Répondre à la convocation",
            "meeting": meeting,
            "committee": meeting.committee,
            "invitation": invitation,
            "form": form,
            "closed": meeting.has_started or not meeting.is_convened,
            "breadcrumb": crumbs(meeting, ("Répondre", None)),
        },
    )
