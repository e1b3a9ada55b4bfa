"""During the meeting: attendance and the live quorum (DEC-QUORUM, DEC-PROXY, DEC-REMOTE),
decisions by consensus or weighted vote (INS-CONSENSUS, DEC-MAJORITY), follow-up actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from committees.models import Membership
from cte_portal.core.errors import RuleError
from cte_portal.core.forms import add_rule_error
from meetings import workflow
from meetings.forms import ActionForm, BallotsForm, DecisionForm
from meetings.models import Decision, FollowUpAction, Invitation, Meeting
from meetings.permissions import can_manage_meeting
from meetings.selectors import by_role
from meetings.services import attendance as attendance_service
from meetings.services import decisions as decision_service
from meetings.services import follow_up as follow_up_service
from meetings.services.deliberation import representation
from meetings.services.quorum import max_proxies, meeting_quorum, seat_for
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


# --- Attendance and quorum (DEC-QUORUM) -----------------------------------------------------------


def _attendance_entries(post, invitations) -> list[attendance_service.AttendanceEntry]:
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
            attendance_service.AttendanceEntry(
                invitation_id=invitation.pk,
                attendance=status,
                substitute_id=substitute_id,
                proxy_to_id=proxy_id,
                left=post.get(f"{prefix}-left") == "on",
                delegate_name=post.get(f"{prefix}-delegate", ""),
            )
        )
    return entries


def _can_send_delegate(invitation: Invitation) -> bool:
    """DEC-COPRESIDENCY: « le préfet ou son représentant » — a co-president may be replaced."""
    return invitation.role == Invitation.Role.COPRESIDENT and invitation.copresidency_id is not None


def _suggested_delegate(invitation: Invitation) -> str:
    if invitation.delegate_name:
        return invitation.delegate_name
    delegate = invitation.copresidency.delegate if invitation.copresidency_id else None
    return delegate.get_full_name() if delegate else ""


def _default_attendance(invitation: Invitation) -> str:
    """Before the secretariat records anything, the answers suggest the attendance."""
    if invitation.attendance:
        return invitation.attendance
    return {
        Invitation.Answer.PRESENT: Attendance.PRESENT,
        Invitation.Answer.REMOTE: Attendance.REMOTE,
        Invitation.Answer.SUBSTITUTE: Attendance.REPRESENTED,
        Invitation.Answer.PROXY: Attendance.REPRESENTED,
        Invitation.Answer.DELEGATE: Attendance.DELEGATE,
        Invitation.Answer.ABSENT: Attendance.EXCUSED,
    }.get(invitation.answer, "")


def _attendance_rows(meeting: Meeting, invitations, post=None):
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
            delegate = post.get(f"{prefix}-delegate", "")
        else:
            status = _default_attendance(invitation)
            rep = (
                f"s{invitation.substitute_id}"
                if invitation.substitute_id
                else (f"p{invitation.proxy_to_id}" if invitation.proxy_to_id else "")
            )
            left = invitation.left_at is not None
            delegate = _suggested_delegate(invitation) if _can_send_delegate(invitation) else ""
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
                "can_delegate": _can_send_delegate(invitation),
                "delegate": delegate,
                "statuses": [
                    (value, label)
                    for value, label in Attendance.choices
                    if value != Attendance.DELEGATE or _can_send_delegate(invitation)
                ],
            }
        )
    return rows


def attendance(request, pk: int):
    meeting = managed_meeting(request, pk)
    invitations = by_role(
        meeting.invitations.select_related(
            "person", "proxy_to__person", "substitute__person", "copresidency__delegate"
        )
    )
    errors = []
    locked = workflow.session_lock(meeting)
    if request.method == "POST" and not locked:
        try:
            attendance_service.record_attendance(
                meeting=meeting,
                user=request.user,
                entries=_attendance_entries(request.POST, invitations),
            )
        except RuleError as error:
            errors = error.messages
        else:
            messages.success(request, "Les présences sont enregistrées.")
            to_check = meeting.decisions.filter(ballots_to_check_since__isnull=False).count()
            if to_check:
                messages.warning(
                    request,
                    f"Les présences ont changé après {to_check} vote(s) : vérifiez-les sur la "
                    "page de la réunion avant l'approbation du compte rendu.",
                )
            return redirect("meetings:attendance", pk=meeting.pk)
    posted = request.method == "POST" and not locked
    if posted:
        quorum = attendance_service.preview_quorum(
            meeting, _attendance_entries(request.POST, invitations)
        )
    else:
        quorum = meeting_quorum(meeting, invitations)
    return render(
        request,
        "meetings/attendance.html",
        {
            "title": f"Présences — {meeting}",
            "meeting": meeting,
            "committee": meeting.committee,
            "rows": _attendance_rows(meeting, invitations, request.POST if posted else None),
            "statuses": Attendance.choices,
            "quorum": quorum,
            "errors": errors,
            "in_session": not locked,
            "locked": locked,
            "breadcrumb": crumbs(meeting, ("Présences", None)),
        },
    )


@require_POST
def quorum_preview(request, pk: int):
    """The live quorum while the attendance form is being filled (same engine, not saved)."""
    meeting = managed_meeting(request, pk)
    invitations = list(meeting.invitations.all())
    quorum = attendance_service.preview_quorum(
        meeting, _attendance_entries(request.POST, invitations)
    )
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
    meeting = managed_meeting(request, pk)
    item = agenda_item(meeting, item_pk)
    invitations = by_role(
        meeting.invitations.select_related("person", "proxy_to__person", "substitute__person")
    )
    quorum = meeting_quorum(meeting, invitations)
    voters = [i for i in invitations if i.has_vote and (i.pk in _participants(invitations))]
    default_method = Decision.Method.VOTE if item.decision_by_vote else Decision.Method.CONSENSUS
    locked = workflow.session_lock(meeting)
    data_in = None if locked else request.POST or None
    form = DecisionForm(data_in, initial={"method": default_method})
    ballots_form = BallotsForm(data_in, voters=voters)
    lock_form(form, locked)
    lock_form(ballots_form, locked)
    existing = Decision.objects.filter(agenda_item=item).first()
    # One decision per agenda item: replacing the one recorded needs a second, explicit click.
    confirm_replace = False
    if request.method == "POST" and not locked and form.is_valid() and ballots_form.is_valid():
        data = form.cleaned_data
        try:
            decision_service.record_decision(
                agenda_item=item,
                user=request.user,
                method=data["method"],
                text=data["text"],
                objections=data["objections"],
                ballots=ballots_form.ballots() if data["method"] == Decision.Method.VOTE else None,
                replace=request.POST.get("remplacer") == "oui",
            )
        except decision_service.DecisionExists as error:
            existing = error.decision
            confirm_replace = True
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(
                request,
                "La décision est enregistrée"
                + (" : elle remplace la précédente." if existing else "."),
            )
            return back_to_meeting(meeting, f"#point-{item.pk}")
    return render(
        request,
        "meetings/decision_form.html",
        {
            "title": f"Décision — {item.title}",
            "meeting": meeting,
            "committee": meeting.committee,
            "item": item,
            "form": form,
            "ballots_form": ballots_form,
            "quorum": quorum,
            "locked": locked,
            "existing": existing,
            "confirm_replace": confirm_replace,
            "breadcrumb": crumbs(meeting, ("Décision", None)),
        },
    )


def _participants(invitations) -> set:
    seats = [seat_for(i) for i in invitations]
    return set(representation(seats, max_proxies=max_proxies()).participants)


def decision_delete(request, pk: int, decision_pk: int):
    meeting = managed_meeting(request, pk)
    decision = get_object_or_404(
        Decision.objects.select_related("agenda_item"), pk=decision_pk, meeting=meeting
    )
    if request.method != "POST":
        return confirm_page(
            request,
            meeting,
            title="Supprimer une décision",
            question=(
                f"Supprimer la décision du point {decision.agenda_item.position} "
                f"« {decision.agenda_item.title} » ?"
            ),
            details=[
                f"« {decision.text} »",
                "Ses votes et ses actions de suivi sont supprimés avec elle. Si le compte "
                "rendu a déjà été approuvé par un co-président, il devra l'être à nouveau.",
            ],
            submit_label="Supprimer la décision",
        )
    try:
        decision_service.delete_decision(decision=decision)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(request, "La décision est supprimée.")
    return back_to_meeting(meeting, f"#point-{decision.agenda_item_id}")


@require_POST
def ballots_checked(request, pk: int, decision_pk: int):
    """The secretariat confirms the ballots of a vote after the attendance changed."""
    meeting = managed_meeting(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, meeting=meeting)
    try:
        decision_service.confirm_ballots(decision=decision, user=request.user)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(request, "Le vote est vérifié : son quorum et son résultat sont à jour.")
    return back_to_meeting(meeting, f"#point-{decision.agenda_item_id}")


def action_add(request, pk: int, decision_pk: int):
    meeting = managed_meeting(request, pk)
    decision = get_object_or_404(Decision, pk=decision_pk, meeting=meeting)
    locked = workflow.session_lock(meeting)
    form = ActionForm(None if locked else request.POST or None, meeting=meeting)
    lock_form(form, locked)
    if request.method == "POST" and not locked and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up_service.add_follow_up_action(
                decision=decision,
                description=data["description"],
                owner=data["owner"].person,
                due_on=data["due_on"],
            )
        except RuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, "L'action de suivi est ajoutée.")
            return back_to_meeting(meeting, f"#point-{decision.agenda_item_id}")
    return render(
        request,
        "meetings/form.html",
        {
            "title": "Ajouter une action de suivi",
            "form": form,
            "locked": locked,
            "committee": meeting.committee,
            "submit_label": "Ajouter l'action",
            "cancel_url": meeting.get_absolute_url(),
            "breadcrumb": crumbs(meeting, ("Action de suivi", None)),
        },
    )


@require_POST
def action_done(request, pk: int, action_pk: int):
    meeting = visible_meeting(request, pk)
    action = get_object_or_404(FollowUpAction, pk=action_pk, decision__meeting=meeting)
    if not (can_manage_meeting(request.user, meeting) or action.owner_id == request.user.pk):
        raise PermissionDenied
    try:
        follow_up_service.complete_action(action=action)
    except RuleError as error:
        show_rule_error(request, error)
    else:
        messages.success(request, "L'action est marquée réalisée.")
    return back_to_meeting(meeting, f"#point-{action.decision.agenda_item_id}")
