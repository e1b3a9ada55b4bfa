"""Screens of the meetings: preparation, joint validation, answers, attendance and quorum,
decisions, minutes and their PDF, the members' space and the personal calendar feed.

Views gate with the predicates of ``committees.permissions`` (404 outside the user's scope,
403 for an action they may not take), validate a form, call one service, and show the
``CommitteeRuleError`` messages on the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from committees.forms_meetings import (
    ActionForm,
    AgendaDocumentForm,
    AgendaItemForm,
    AnswerForm,
    BallotsForm,
    DecisionForm,
    ExpertForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    add_rule_error,
)
from committees.models import (
    AgendaDocument,
    AgendaItem,
    Committee,
    Decision,
    FollowUpAction,
    Invitation,
    Meeting,
    Minutes,
)
from committees.permissions import (
    can_answer_convocation,
    can_approve_minutes,
    can_manage_committee,
    can_manage_meeting,
    can_validate_meeting,
    can_view_meeting_compliance,
)
from committees.services import calendar as calendar_service
from committees.services import meeting_compliance
from committees.services import meetings as service
from committees.services import minutes as minutes_service
from committees.services.errors import CommitteeRuleError

Attendance = Invitation.Attendance


# --- Helpers ------------------------------------------------------------------------------------


def _committee_url(committee: Committee) -> str:
    try:
        return reverse("committees:detail", args=[committee.pk])
    except NoReverseMatch:  # the committee page is mounted by the committees screens
        return reverse("meetings:committee_list", args=[committee.pk])


def _crumbs(meeting: Meeting | None = None, *items, committee: Committee | None = None):
    committee = committee or meeting.committee
    crumbs = [
        (committee.name, _committee_url(committee)),
        ("Réunions", reverse("meetings:committee_list", args=[committee.pk])),
    ]
    if meeting is not None:
        crumbs.append(
            (str(meeting), reverse("meetings:detail", args=[meeting.pk]) if items else None)
        )
    return [*crumbs, *items]


def _meeting(request, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("committee", "commission"), pk=pk
    )


def _managed_meeting(request, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if not can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _rule_error(request, error: CommitteeRuleError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _back(meeting: Meeting, anchor: str = ""):
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}{anchor}")


# --- Lists ----------------------------------------------------------------------------------------


def committee_list(request, committee_pk: int):
    committee = get_object_or_404(Committee.objects.visible_to(request.user), pk=committee_pk)
    meetings = list(
        Meeting.objects.visible_to(request.user)
        .filter(committee=committee)
        .select_related("commission")
        .order_by("-date", "-start_time")
    )
    today = timezone.localdate()
    return render(
        request,
        "committees/meetings/committee_list.html",
        {
            "title": f"Réunions — {committee.name}",
            "committee": committee,
            "upcoming": [m for m in meetings if m.date >= today][::-1],
            "past": [m for m in meetings if m.date < today],
            "can_manage": can_manage_committee(request.user, committee),
            "compliance": meeting_compliance.committee_compliance(committee),
            "breadcrumb": [(committee.name, _committee_url(committee)), ("Réunions", None)],
        },
    )


def my_meetings(request):
    """The members' space: the meetings they are convened to, their answers, the minutes."""
    invitations = list(
        Invitation.objects.filter(person=request.user, meeting__convened_at__isnull=False)
        .select_related("meeting__committee")
        .order_by("-meeting__date", "-meeting__start_time")
    )
    ready = set(
        Minutes.objects.filter(
            meeting_id__in=[i.meeting_id for i in invitations],
            pdf_status=Minutes.PdfStatus.READY,
        ).values_list("meeting_id", flat=True)
    )
    for invitation in invitations:
        invitation.minutes_ready = invitation.meeting_id in ready
    today = timezone.localdate()
    active_feed = request.user.calendar_feeds.filter(revoked_at__isnull=True).first()
    return render(
        request,
        "committees/meetings/mine.html",
        {
            "title": "Mes réunions",
            "upcoming": [i for i in invitations if i.meeting.date >= today][::-1],
            "past": [i for i in invitations if i.meeting.date < today],
            "active_feed": active_feed,
            "new_feed_url": request.session.pop("calendar_feed_url", ""),
            "breadcrumb": [("Mes réunions", None)],
        },
    )


def overview(request):
    """INS-MEETINGS / INS-LOCAL-PRESENCE: the committees behind, for DREETS and DDETS."""
    if not can_view_meeting_compliance(request.user):
        raise PermissionDenied
    year = timezone.localdate().year
    committees = Committee.objects.visible_to(request.user).installed().select_related("region")
    rows = meeting_compliance.overview(committees, year=year)
    behind_only = request.GET.get("tous") != "1"
    return render(
        request,
        "committees/meetings/overview.html",
        {
            "title": "Suivi des réunions des comités",
            "year": year,
            "rows": [r for r in rows if r.behind] if behind_only else rows,
            "total": len(rows),
            "behind_count": sum(1 for r in rows if r.behind),
            "behind_only": behind_only,
            "breadcrumb": [("Suivi des réunions", None)],
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
            meeting = service.create_meeting(
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
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request, "La réunion est créée. Ajoutez les points de l'ordre du jour."
            )
            return redirect(meeting)
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": "Nouvelle réunion",
            "form": form,
            "committee": committee,
            "submit_label": "Créer la réunion",
            "cancel_url": reverse("meetings:committee_list", args=[committee.pk]),
            "breadcrumb": _crumbs(None, ("Nouvelle réunion", None), committee=committee),
        },
    )


def edit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, committee=meeting.committee)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: v
            for k, v in form.cleaned_data.items()
            if k in service.CONVOCATION_FIELDS or k == "with_local_copresidents"
        }
        try:
            service.update_meeting(
                meeting=Meeting.objects.get(pk=meeting.pk), user=request.user, **fields
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La réunion est modifiée.")
            return redirect(meeting)
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": "Modifier la réunion",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Enregistrer",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": _crumbs(meeting, ("Modifier", None)),
        },
    )


def detail(request, pk: int):
    meeting = _meeting(request, pk)
    user = request.user
    invitations = list(
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
    copresidencies = list(service.active_copresidencies(meeting.committee).select_related("person"))
    validated = {
        v.copresidency_id: v
        for v in meeting.validations.filter(version=meeting.version).select_related("validated_by")
    }
    mine = next((i for i in invitations if i.person_id == user.pk), None)
    can_manage = can_manage_meeting(user, meeting)
    can_validate = can_validate_meeting(user, meeting)
    my_pending = [
        cp
        for cp in copresidencies
        if cp.pk not in validated and user.pk in (cp.person_id, cp.delegate_id)
    ]
    started = meeting.has_started
    return render(
        request,
        "committees/meetings/detail.html",
        {
            "title": str(meeting),
            "meeting": meeting,
            "committee": meeting.committee,
            "invitations": invitations,
            "items": items,
            "validation_rows": [(cp, validated.get(cp.pk)) for cp in copresidencies],
            "mine": mine,
            "can_answer": bool(mine and can_answer_convocation(user, mine))
            and meeting.is_convened
            and not started,
            "can_manage": can_manage,
            "can_validate": can_validate
            and bool(my_pending)
            and meeting.status == Meeting.Status.PENDING_VALIDATION
            and not started,
            "editable": can_manage and not meeting.is_cancelled and not started,
            "in_session": meeting.is_convened and meeting.date <= timezone.localdate(),
            "quorum": service.meeting_quorum(meeting, invitations),
            "has_minutes": Minutes.objects.filter(meeting=meeting).exists(),
            "answered": sum(1 for i in invitations if i.answer),
            "breadcrumb": _crumbs(meeting),
        },
    )


def _item(meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)


def item_form(request, pk: int, item_pk: int | None = None):
    meeting = _managed_meeting(request, pk)
    item = _item(meeting, item_pk) if item_pk else None
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in service.AGENDA_FIELDS}
        try:
            if item is None:
                service.add_agenda_item(meeting=meeting, **fields)
            else:
                service.update_agenda_item(item=AgendaItem.objects.get(pk=item.pk), **fields)
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'ordre du jour est mis à jour.")
            return _back(meeting, "#ordre-du-jour")
    label = "Ajouter un point" if item is None else "Modifier le point"
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": label,
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Enregistrer",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": _crumbs(meeting, (label, None)),
        },
    )


@require_POST
def item_delete(request, pk: int, item_pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        service.delete_agenda_item(item=_item(meeting, item_pk))
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(request, "Le point est retiré de l'ordre du jour.")
    return _back(meeting, "#ordre-du-jour")


@require_POST
def item_move(request, pk: int, item_pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        service.move_agenda_item(
            item=_item(meeting, item_pk), up=request.POST.get("sens") == "haut"
        )
    except CommitteeRuleError as error:
        _rule_error(request, error)
    return _back(meeting, "#ordre-du-jour")


def document_add(request, pk: int, item_pk: int):
    meeting = _managed_meeting(request, pk)
    item = _item(meeting, item_pk)
    form = AgendaDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.add_agenda_document(
                item=item, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le document est ajouté.")
            return _back(meeting, "#ordre-du-jour")
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": f"Document pour « {item.title} »",
            "form": form,
            "committee": meeting.committee,
            "multipart": True,
            "submit_label": "Ajouter le document",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": _crumbs(meeting, ("Ajouter un document", None)),
        },
    )


def document(request, pk: int, document_pk: int):
    meeting = _meeting(request, pk)
    doc = get_object_or_404(AgendaDocument, pk=document_pk, agenda_item__meeting=meeting)
    return FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1]
    )


def expert_add(request, pk: int):
    from committees.services.composition import invite_person

    meeting = _managed_meeting(request, pk)
    form = ExpertForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = invite_person(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
            )
            service.invite_expert(
                meeting=meeting,
                person=person,
                agenda_item=data["agenda_item"],
                organisation=data["organisation"],
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La personne est invitée.")
            return _back(meeting, "#convocations")
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": "Inviter un expert ou un membre du réseau",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Inviter",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": _crumbs(meeting, ("Inviter", None)),
        },
    )


@require_POST
def invitation_remove(request, pk: int, invitation_pk: int):
    meeting = _managed_meeting(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, meeting=meeting)
    try:
        service.remove_invitation(invitation=invitation)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(request, "L'invitation est retirée.")
    return _back(meeting, "#convocations")


# --- Joint validation (DEC-JOINT) -------------------------------------------------------------------


@require_POST
def submit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        service.submit_for_validation(meeting=meeting, user=request.user)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(
            request,
            "L'ordre du jour est soumis aux co-présidents : la convocation partira quand chacun "
            "l'aura validé.",
        )
    return _back(meeting)


@require_POST
def validate(request, pk: int):
    meeting = _meeting(request, pk)
    if not can_validate_meeting(request.user, meeting):
        raise PermissionDenied
    try:
        service.validate_meeting(meeting=meeting, user=request.user)
    except CommitteeRuleError as error:
        _rule_error(request, error)
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
    return _back(meeting)


def cancel(request, pk: int):
    meeting = _meeting(request, pk)
    if not (
        can_manage_meeting(request.user, meeting) or can_validate_meeting(request.user, meeting)
    ):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.cancel_meeting(
                meeting=meeting, user=request.user, reason=form.cleaned_data["reason"]
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La réunion est annulée.")
            return redirect(meeting)
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": "Annuler la réunion",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Annuler la réunion",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": _crumbs(meeting, ("Annuler", None)),
        },
    )


def ics(request, pk: int):
    meeting = _meeting(request, pk)
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
    meeting = _meeting(request, pk)
    invitation = meeting.invitations.filter(person=request.user).first()
    if invitation is None:
        raise PermissionDenied
    if not can_answer_convocation(request.user, invitation):
        raise PermissionDenied
    substitutes = service.active_substitutes(invitation).select_related("person")
    form = AnswerForm(
        request.POST or None,
        invitation=invitation,
        substitutes=substitutes,
        candidates=service.proxy_candidates(invitation),
        initial={
            "answer": invitation.answer or None,
            "proxy_to": invitation.proxy_to_id,
            "substitute": invitation.substitute_id,
            "comment": invitation.answer_comment,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.answer_convocation(
                invitation=invitation,
                answer=data["answer"],
                substitute=data.get("substitute"),
                proxy_to=data.get("proxy_to"),
                comment=data.get("comment", ""),
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Votre réponse est enregistrée. Merci.")
            return redirect(meeting)
    return render(
        request,
        "committees/meetings/answer.html",
        {
            "title": "Répondre à la convocation",
            "meeting": meeting,
            "committee": meeting.committee,
            "invitation": invitation,
            "form": form,
            "closed": meeting.has_started or not meeting.is_convened,
            "breadcrumb": _crumbs(meeting, ("Répondre", None)),
        },
    )


# --- Attendance and quorum (DEC-QUORUM) -----------------------------------------------------------


def _attendance_entries(post, invitations) -> list[service.AttendanceEntry]:
    entries = []
    for invitation in invitations:
        prefix = f"inv{invitation.pk}"
        status = post.get(f"{prefix}-attendance", invitation.attendance)
        representative = post.get(f"{prefix}-rep", "")
        substitute_id = proxy_id = None
        if representative.startswith("s"):
            substitute_id = int(representative[1:]) if representative[1:].isdigit() else None
        elif representative.startswith("p"):
            proxy_id = int(representative[1:]) if representative[1:].isdigit() else None
        entries.append(
            service.AttendanceEntry(
                invitation_id=invitation.pk,
                attendance=status,
                substitute_id=substitute_id,
                proxy_to_id=proxy_id,
                left=post.get(f"{prefix}-left") == "on",
            )
        )
    return entries


def _default_attendance(invitation: Invitation) -> str:
    """Before the secretariat records anything, the answers suggest the attendance."""
    if invitation.attendance:
        return invitation.attendance
    return {
        Invitation.Answer.PRESENT: Attendance.PRESENT,
        Invitation.Answer.REMOTE: Attendance.REMOTE,
        Invitation.Answer.SUBSTITUTE: Attendance.REPRESENTED,
        Invitation.Answer.PROXY: Attendance.REPRESENTED,
        Invitation.Answer.ABSENT: Attendance.EXCUSED,
    }.get(invitation.answer, "")


def _attendance_rows(meeting: Meeting, invitations, post=None):
    from committees.models import Membership

    voting = [i for i in invitations if i.has_vote]
    substitutes = {}
    for membership in (
        Membership.objects.active()
        .filter(
            substitute_for_id__in=[i.membership_id for i in invitations if i.membership_id],
            role=Membership.Role.SUBSTITUTE,
        )
        .select_related("person")
    ):
        substitutes.setdefault(membership.substitute_for_id, []).append(membership)
    rows = []
    for invitation in invitations:
        prefix = f"inv{invitation.pk}"
        if post is not None:
            status = post.get(f"{prefix}-attendance", "")
            rep = post.get(f"{prefix}-rep", "")
            left = post.get(f"{prefix}-left") == "on"
        else:
            status = _default_attendance(invitation)
            rep = (
                f"s{invitation.substitute_id}"
                if invitation.substitute_id
                else (f"p{invitation.proxy_to_id}" if invitation.proxy_to_id else "")
            )
            left = invitation.left_at is not None
        options = [
            (f"s{m.pk}", f"Suppléant : {m.person.get_full_name()}")
            for m in substitutes.get(invitation.membership_id, [])
        ]
        if invitation.has_vote:
            options += [
                (f"p{other.pk}", f"Pouvoir à {other.person.get_full_name()}")
                for other in voting
                if other.pk != invitation.pk
            ]
        rows.append(
            {
                "invitation": invitation,
                "prefix": prefix,
                "status": status,
                "rep": rep,
                "left": left,
                "options": options,
            }
        )
    return rows


def attendance(request, pk: int):
    meeting = _managed_meeting(request, pk)
    invitations = list(
        meeting.invitations.select_related("person", "proxy_to__person", "substitute__person")
    )
    errors = []
    if request.method == "POST":
        try:
            service.record_attendance(
                meeting=meeting,
                user=request.user,
                entries=_attendance_entries(request.POST, invitations),
            )
        except CommitteeRuleError as error:
            errors = error.messages
        else:
            messages.success(request, "Les présences sont enregistrées.")
            return redirect("meetings:attendance", pk=meeting.pk)
    if request.method == "POST":
        quorum = service.preview_quorum(meeting, _attendance_entries(request.POST, invitations))
    else:
        quorum = service.meeting_quorum(meeting, invitations)
    return render(
        request,
        "committees/meetings/attendance.html",
        {
            "title": f"Présences — {meeting}",
            "meeting": meeting,
            "committee": meeting.committee,
            "rows": _attendance_rows(
                meeting, invitations, request.POST if request.method == "POST" else None
            ),
            "statuses": Attendance.choices,
            "quorum": quorum,
            "errors": errors,
            "in_session": meeting.is_convened and meeting.date <= timezone.localdate(),
            "breadcrumb": _crumbs(meeting, ("Présences", None)),
        },
    )


@require_POST
def quorum_preview(request, pk: int):
    """The live quorum while the attendance form is being filled (same engine, not saved)."""
    meeting = _managed_meeting(request, pk)
    invitations = list(meeting.invitations.all())
    quorum = service.preview_quorum(meeting, _attendance_entries(request.POST, invitations))
    return JsonResponse(
        {
            "reached": quorum.reached,
            "counted": quorum.counted,
            "total": quorum.total,
            "required": quorum.required,
            "text": quorum.describe(),
        }
    )


# --- Decisions and actions (INS-CONSENSUS, DEC-MAJORITY) ------------------------------------------


def decision_add(request, pk: int, item_pk: int):
    meeting = _managed_meeting(request, pk)
    item = _item(meeting, item_pk)
    invitations = list(
        meeting.invitations.select_related("person", "proxy_to__person", "substitute__person")
    )
    quorum = service.meeting_quorum(meeting, invitations)
    voters = [i for i in invitations if i.has_vote and (i.pk in _participants(invitations))]
    default_method = Decision.Method.VOTE if item.decision_by_vote else Decision.Method.CONSENSUS
    form = DecisionForm(request.POST or None, initial={"method": default_method})
    ballots_form = BallotsForm(request.POST or None, voters=voters)
    if request.method == "POST" and form.is_valid() and ballots_form.is_valid():
        data = form.cleaned_data
        try:
            service.record_decision(
                agenda_item=item,
                user=request.user,
                method=data["method"],
                text=data["text"],
                objections=data["objections"],
                ballots=ballots_form.ballots() if data["method"] == Decision.Method.VOTE else None,
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "La décision est enregistrée.")
            return _back(meeting, f"#point-{item.pk}")
    return render(
        request,
        "committees/meetings/decision_form.html",
        {
            "title": f"Décision — {item.title}",
            "meeting": meeting,
            "committee": meeting.committee,
            "item": item,
            "form": form,
            "ballots_form": ballots_form,
            "quorum": quorum,
            "breadcrumb": _crumbs(meeting, ("Décision", None)),
        },
    )


def _participants(invitations) -> set:
    from committees.services.deliberation import representation

    seats = [service.seat_for(i) for i in invitations]
    return set(representation(seats, max_proxies=service.max_proxies()).participants)


@require_POST
def decision_delete(request, pk: int, decision_pk: int):
    meeting = _managed_meeting(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, meeting=meeting)
    try:
        service.delete_decision(decision=decision)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(request, "La décision est supprimée.")
    return _back(meeting, f"#point-{decision.agenda_item_id}")


def action_add(request, pk: int, decision_pk: int):
    meeting = _managed_meeting(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, meeting=meeting)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.add_follow_up_action(
                decision=decision,
                description=data["description"],
                owner=data["owner"].person,
                due_on=data["due_on"],
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'action de suivi est ajoutée.")
            return _back(meeting, f"#point-{decision.agenda_item_id}")
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": "Ajouter une action de suivi",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Ajouter l'action",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": _crumbs(meeting, ("Action de suivi", None)),
        },
    )


@require_POST
def action_done(request, pk: int, action_pk: int):
    meeting = _meeting(request, pk)
    action = get_object_or_404(FollowUpAction, pk=action_pk, decision__meeting=meeting)
    if not (can_manage_meeting(request.user, meeting) or action.owner_id == request.user.pk):
        raise PermissionDenied
    try:
        service.complete_action(action=action)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(request, "L'action est marquée réalisée.")
    return _back(meeting, f"#point-{action.decision.agenda_item_id}")


# --- Minutes --------------------------------------------------------------------------------------


def minutes(request, pk: int):
    meeting = _meeting(request, pk)
    record = minutes_service.meeting_record(meeting)
    minutes_obj = Minutes.objects.filter(meeting=meeting).first()
    can_manage = can_manage_meeting(request.user, meeting)
    can_approve = False
    approval_rows = []
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
        copresidencies = list(
            service.active_copresidencies(meeting.committee).select_related("person")
        )
        approval_rows = [(cp, approvals.get(cp.pk)) for cp in copresidencies]
        can_approve = (
            not minutes_obj.is_approved
            and can_approve_minutes(request.user, minutes_obj)
            and any(
                cp.pk not in approvals and request.user.pk in (cp.person_id, cp.delegate_id)
                for cp in copresidencies
            )
        )
    return render(
        request,
        "committees/meetings/minutes.html",
        {
            **record,
            "title": f"Compte rendu — {meeting}",
            "minutes": minutes_obj,
            "approval_rows": approval_rows,
            "can_manage": can_manage,
            "can_approve": can_approve,
            "can_draft": can_manage
            and minutes_obj is None
            and meeting.is_convened
            and meeting.date <= timezone.localdate()
            and not Minutes.objects.filter(meeting=meeting).exists(),
            "breadcrumb": _crumbs(meeting, ("Compte rendu", None)),
        },
    )


def _minutes_of(meeting: Meeting) -> Minutes:
    return get_object_or_404(Minutes, meeting=meeting)


@require_POST
def minutes_draft(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        minutes_service.draft_minutes(meeting=meeting, user=request.user)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(
            request, "Le compte rendu est rédigé à partir de la réunion : complétez-le."
        )
        return redirect("meetings:minutes_edit", pk=meeting.pk)
    return redirect("meetings:minutes", pk=meeting.pk)


def minutes_edit(request, pk: int):
    meeting = _managed_meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    form = MinutesForm(request.POST or None, initial={"body": minutes_obj.body})
    if request.method == "POST" and form.is_valid():
        try:
            minutes_service.update_minutes(
                minutes=minutes_obj, user=request.user, body=form.cleaned_data["body"]
            )
        except CommitteeRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "Le compte rendu est enregistré.")
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "committees/meetings/form.html",
        {
            "title": "Modifier le compte rendu",
            "form": form,
            "committee": meeting.committee,
            "submit_label": "Enregistrer le compte rendu",
            "cancel_url": reverse("meetings:minutes", args=[meeting.pk]),
            "breadcrumb": _crumbs(meeting, ("Compte rendu", None)),
        },
    )


@require_POST
def minutes_request(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        count = minutes_service.request_approval(minutes=_minutes_of(meeting), user=request.user)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        if count:
            messages.success(request, "Les co-présidents sont invités à approuver le compte rendu.")
        else:
            messages.info(request, "Les co-présidents ont déjà été sollicités pour cette version.")
    return redirect("meetings:minutes", pk=meeting.pk)


@require_POST
def minutes_approve(request, pk: int):
    meeting = _meeting(request, pk)
    minutes_obj = _minutes_of(meeting)
    if not can_approve_minutes(request.user, minutes_obj):
        raise PermissionDenied
    try:
        minutes_service.approve_minutes(minutes=minutes_obj, user=request.user)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        minutes_obj.refresh_from_db()
        if minutes_obj.is_approved:
            messages.success(
                request, "Le compte rendu est approuvé : son PDF est en cours de production."
            )
        else:
            messages.success(request, "Votre approbation est enregistrée.")
    return redirect("meetings:minutes", pk=meeting.pk)


def _readable_minutes(request, pk: int) -> Minutes:
    meeting = _meeting(request, pk)
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
    meeting = _managed_meeting(request, pk)
    try:
        minutes_service.retry_pdf(minutes=_minutes_of(meeting), user=request.user)
    except CommitteeRuleError as error:
        _rule_error(request, error)
    else:
        messages.success(request, "La génération du PDF est relancée.")
    return redirect("meetings:minutes", pk=meeting.pk)


# --- Personal calendar feed ---------------------------------------------------------------------------


@require_POST
def calendar_create(request):
    _feed, key = calendar_service.create_calendar_feed(user=request.user)
    request.session["calendar_feed_url"] = request.build_absolute_uri(
        reverse("meetings:calendar_feed", args=[key])
    )
    messages.success(
        request,
        "Votre lien d'agenda est créé. Copiez-le maintenant : il ne sera plus affiché. "
        "Tout ancien lien est désactivé.",
    )
    return redirect(f"{reverse('meetings:mine')}#agenda")


@require_POST
def calendar_revoke(request):
    calendar_service.revoke_calendar_feed(user=request.user)
    messages.success(request, "Votre lien d'agenda est désactivé.")
    return redirect(f"{reverse('meetings:mine')}#agenda")


@login_not_required
@never_cache
def calendar_feed(request, key: str):
    """The personal iCalendar feed: the secret in the URL is the only credential."""
    feed = calendar_service.find_feed(key)
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar_service.feed_ics(feed), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="mes-reunions.ics"'
    return response
