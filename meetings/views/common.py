"""What the meeting screens share: finding the meeting the user may see or manage, the
breadcrumb, the way back to the meeting's page, and refusals shown as messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from committees.models import Committee
from cte_portal.core.errors import RuleError
from meetings.models import AgendaItem, Meeting
from meetings.permissions import can_manage_meeting


def crumbs(meeting: Meeting | None = None, *items, committee: Committee | None = None):
    """The breadcrumb of a meeting's page (``items``: the steps below the meeting)."""
    committee = committee or meeting.committee
    trail = [
        (committee.name, committee.get_absolute_url()),
        ("Réunions", reverse("meetings:committee_list", args=[committee.pk])),
    ]
    if meeting is not None:
        trail.append(
            (str(meeting), reverse("meetings:detail", args=[meeting.pk]) if items else None)
        )
    return [*trail, *items]


def visible_meeting(request, pk: int) -> Meeting:
    """The meeting, if ``request.user`` may see it (404 otherwise)."""
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("committee", "commission"), pk=pk
    )


def managed_meeting(request, pk: int) -> Meeting:
    """The meeting, if ``request.user`` may see it (404) and manage it (403)."""
    meeting = visible_meeting(request, pk)
    if not can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def agenda_item(meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)


def show_rule_error(request, error: RuleError) -> None:
    """A refusal of the services on a page without a form: one message each."""
    for message in error.messages:
        messages.error(request, message)


def back_to_meeting(meeting: Meeting, anchor: str = ""):
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}{anchor}")


def lock_form(form, reason: str | None) -> bool:
    """Show ``form`` read-only when ``reason`` says why it no longer changes: every field
    disabled, so that a locked form is never filled in only to fail on save."""
    if reason:
        for field in form.fields.values():
            field.disabled = True
    return bool(reason)


def confirm_page(
    request,
    meeting: Meeting,
    *,
    title: str,
    question: str,
    submit_label: str,
    details: list[str] | None = None,
    cancel_url: str = "",
):
    """The confirmation page of a destructive action (works without JavaScript): the same
    address, posted, does it."""
    return render(
        request,
        "meetings/confirm.html",
        {
            "title": title,
            "question": question,
            "details": details or [],
            "submit_label": submit_label,
            "cancel_url": cancel_url or meeting.get_absolute_url(),
            "meeting": meeting,
            "committee": meeting.committee,
            "breadcrumb": crumbs(meeting, (title, None)),
        },
    )
