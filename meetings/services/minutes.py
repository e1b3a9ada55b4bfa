"""Minutes: drafted from the meeting, approved by every co-president, rendered as a PDF.

- The draft holds the meeting's heading and, per agenda item, a summary of the exchanges to
  complete; it stays editable. The attendance, the quorum of each vote, the decisions and the
  actions are never copied into the text: the page and the PDF read them from the meeting, so
  the text cannot contradict them (one decision per agenda item, one quorum per vote).
- Minutes still holding blanks (« [à compléter] », « XXX »…) or votes to check since the
  attendance changed cannot be approved.
- DEC-JOINT: each co-president (or delegate) approves; an edit after an approval opens a new
  version and resets the approvals (so does any change to the meeting's record).
- Once approved, a Celery task renders the PDF (WeasyPrint, Marianne, running header with the
  committee and the meeting on every page), stores it and e-mails it to the people convened.
  A failed rendering is retried with backoff, then marked failed, shown on the page, reported
  to the secretariat, and can be started again: never lost.
"""

import logging
import re
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from cte_portal.core.errors import RuleError
from cte_portal.core.pdf import render_pdf
from cte_portal.tasking import claim_expiry, enqueue_on_commit
from meetings import workflow
from meetings.models import (
    Ballot,
    ChangeRequest,
    Decision,
    FollowUpAction,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    Notification,
)
from meetings.selectors import by_role, copresidencies_of, locked_meeting, pending_approvals
from meetings.services.notifications import (
    RENDER_PDF_TASK,
    copresident_user_ids,
    notify,
    secretariat_ids,
)
from meetings.services.quorum import meeting_quorum
from meetings.services.review import resolve as resolve_change_requests

logger = logging.getLogger(__name__)
Kind = Notification.Kind
PdfStatus = Minutes.PdfStatus


# --- The record of the meeting ------------------------------------------------------------------


def meeting_record(meeting: Meeting) -> dict:
    """Everything the minutes show, in a fixed number of queries."""
    invitations = by_role(
        meeting.invitations.select_related("person", "substitute__person", "proxy_to__person")
    )
    items = list(
        meeting.agenda_items.prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.prefetch_related(
                    Prefetch(
                        "ballots",
                        queryset=Ballot.objects.select_related("invitation__person").order_by(
                            "invitation__role", "invitation__organisation"
                        ),
                    ),
                    Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner")),
                ),
            ),
            "documents",
        )
    )
    groups = {value: [] for value in Invitation.Attendance.values}
    for invitation in invitations:
        groups[invitation.attendance].append(invitation)
    attendance = [
        (label, groups[value])
        for value, label in Invitation.Attendance.choices
        if groups[value] and value
    ]
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "invitations": invitations,
        "attendance_groups": attendance,
        "unrecorded": groups[""],
        "agenda": items,
        "decisions": [d for item in items for d in item.decisions.all()],
        "quorum": meeting_quorum(meeting, invitations),
        "experts": [i for i in invitations if i.role == Invitation.Role.EXPERT],
    }


def draft_text(meeting: Meeting) -> str:
    return render_to_string("meetings/minutes_draft.txt", meeting_record(meeting))


# --- What is left to complete ------------------------------------------------------------------

# The blank the draft leaves for the summary of each agenda item (templates/meetings/
# minutes_draft.txt).
DRAFT_BLANK = "[à compléter]"

# Marks a template or an author leaves for "to be written": the draft's own « à compléter »,
# bracketed blanks (« [à compléter] », « [nom] », « […] »), « XXX », « TODO », and a line
# holding only an ellipsis. An ellipsis inside a sentence is ordinary French and stays allowed.
PLACEHOLDERS = (
    re.compile(r"à\s+compléter|a\s+completer", re.IGNORECASE),
    re.compile(r"\[(?!\s*\d+\s*\])[^\]\n]{0,40}\]"),  # not a numbered reference « [1] »
    re.compile(r"\bX{3,}\b"),
    re.compile(r"\bTODO\b"),
    re.compile(r"^\s*(?:…|\.\.\.)\s*$", re.MULTILINE),
)


def placeholders(body: str) -> list[str]:
    """The blanks left in the minutes' text, as French sentences naming the line."""
    found = []
    for number, line in enumerate(body.splitlines(), start=1):
        for pattern in PLACEHOLDERS:
            match = pattern.search(line)
            if match:
                text = match.group(0).strip() or line.strip()
                found.append(f"ligne {number} : « {text} »")
                break
    return found


def ballots_to_check(meeting: Meeting) -> list[Decision]:
    return list(
        meeting.decisions.filter(ballots_to_check_since__isnull=False).select_related("agenda_item")
    )


def approval_problems(minutes: Minutes) -> list[str]:
    """Why the minutes cannot be approved as they stand (empty: they can): a text still
    holding blanks to complete, or votes to check since the attendance changed."""
    problems = []
    blanks = placeholders(minutes.body)
    if blanks:
        shown = ", ".join(blanks[:5]) + (" …" if len(blanks) > 5 else "")
        problems.append(
            "Le compte rendu contient encore des passages à compléter : "
            f"{shown}. Complétez-les avant l'approbation."
        )
    for decision in ballots_to_check(minutes.meeting):
        problems.append(
            f"Les présences ont changé après le vote du point {decision.agenda_item.position} "
            f"« {decision.agenda_item.title} » : le secrétariat doit vérifier ce vote avant "
            "l'approbation."
        )
    return problems


# --- Approvals (DEC-JOINT) -------------------------------------------------------------------------


def _reset_approvals(minutes: Minutes) -> bool:
    """An edit after an approval opens a new version: the approvals given no longer count."""
    if minutes.approvals.filter(version=minutes.version).exists():
        minutes.version += 1
        minutes.save(update_fields=["version", "updated_at"])
        return True
    return False


def minutes_changed(meeting: Meeting) -> None:
    """The meeting's record (attendance, decisions, actions) is about to change: refused once
    the minutes are approved; otherwise the approvals given so far are reset."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        return
    if minutes.is_approved:
        raise RuleError(
            "Le compte rendu de cette réunion est approuvé : ce qui y figure ne change plus."
        )
    _reset_approvals(minutes)


@transaction.atomic
def draft_minutes(*, meeting: Meeting, user) -> Minutes:
    """The secretariat drafts the minutes from the meeting, once it has taken place."""
    meeting = locked_meeting(meeting)
    workflow.check_action(meeting, "draft_minutes")
    if meeting.date > timezone.localdate():
        raise RuleError("La réunion n'a pas encore eu lieu.")
    if Minutes.objects.filter(meeting=meeting).exists():
        raise RuleError("Le compte rendu de cette réunion est déjà rédigé.")
    return Minutes.objects.create(meeting=meeting, body=draft_text(meeting), drafted_by=user)


@transaction.atomic
def update_minutes(*, minutes: Minutes, user, body: str) -> Minutes:
    """Edit the minutes. After an approval, the edit resets the approvals (DEC-JOINT)."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_approved:
        raise RuleError("Le compte rendu est approuvé : il ne change plus.")
    if not body.strip():
        raise RuleError("Le compte rendu ne peut être vide.", field="body")
    if body == minutes.body:
        return minutes
    minutes.body = body
    minutes.save(update_fields=["body", "updated_at"])
    _reset_approvals(minutes)
    # The co-presidents who asked for changes see the new text.
    resolve_change_requests(minutes.meeting, ChangeRequest.Subject.MINUTES)
    return minutes


@transaction.atomic
def request_approval(*, minutes: Minutes, user) -> int:
    """Ask the co-presidents who have not approved the current version to approve it."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_approved:
        raise RuleError("Le compte rendu est déjà approuvé.")
    problems = approval_problems(minutes)
    if problems:
        raise RuleError(problems)
    pending = {cp.pk for cp in pending_approvals(minutes)}
    done = list(
        minutes.approvals.filter(version=minutes.version).values_list("copresidency_id", flat=True)
    )
    recipients = copresident_user_ids(minutes.meeting.committee, exclude_copresidencies=done)
    if not pending:
        return 0
    return len(
        notify(
            meeting=minutes.meeting,
            kind=Kind.MINUTES_APPROVAL_REQUEST,
            recipients=recipients,
            key=f"v{minutes.version}",
        )
    )


@transaction.atomic
def approve_minutes(*, minutes: Minutes, user) -> list[MinutesApproval]:
    """DEC-JOINT: a co-president (or delegate) approves the current version. When every
    co-president has, the minutes are approved and the PDF is rendered after the commit."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )
    if minutes.is_approved:
        raise RuleError("Le compte rendu est déjà approuvé.")
    held = copresidencies_of(user, minutes.meeting.committee)
    if not held:
        raise RuleError("Seuls les co-présidents ou leurs délégataires approuvent.")
    pending = {cp.pk for cp in pending_approvals(minutes)}
    todo = [cp for cp in held if cp.pk in pending]
    if not todo:
        raise RuleError("Vous avez déjà approuvé cette version du compte rendu.")
    problems = approval_problems(minutes)
    if problems:
        raise RuleError(problems)
    approvals = [
        MinutesApproval.objects.create(
            minutes=minutes, copresidency=cp, version=minutes.version, approved_by=user
        )
        for cp in todo
    ]
    resolve_change_requests(
        minutes.meeting, ChangeRequest.Subject.MINUTES, copresidency_ids=[cp.pk for cp in todo]
    )
    approval_completed(minutes)
    return approvals


def approval_completed(minutes: Minutes) -> bool:
    """When every co-presidency approved the current version, the minutes are approved and
    their PDF is queued."""
    if pending_approvals(minutes):
        return False
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["approved_at", "updated_at"])
    _queue_pdf(minutes)
    return True


def _queue_pdf(minutes: Minutes) -> None:
    workflow.apply_pdf(minutes, "queue")
    # An update, not a save: the rendering's bookkeeping stays out of the minutes' history.
    Minutes.objects.filter(pk=minutes.pk).update(
        pdf_status=minutes.pdf_status,
        pdf_attempts=0,
        pdf_error="",
        pdf_claimed_at=None,
        updated_at=timezone.now(),
    )
    enqueue_on_commit(RENDER_PDF_TASK, minutes.pk)


@transaction.atomic
def retry_pdf(*, minutes: Minutes, user) -> Minutes:
    """The secretariat starts a failed rendering again."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_approved:
        raise RuleError("Le PDF est produit une fois le compte rendu approuvé.")
    _queue_pdf(minutes)  # refused unless the PDF failed or was never asked for
    return minutes


# --- Rendering (called by the Celery task) ---------------------------------------------------


def claim_pdf(minutes_id: int, *, now: datetime | None = None) -> bool:
    """Take the rendering: only one worker renders a version at a time."""
    now = now or timezone.now()
    # The workflow's "claim" step, as one conditional update: a rendering already claimed is
    # taken again only once its claim expired.
    step = workflow.PDF_TRANSITIONS["claim"]
    return bool(
        Minutes.objects.filter(pk=minutes_id, approved_at__isnull=False)
        .filter(
            Q(pdf_status__in=step.sources - {PdfStatus.RENDERING})
            | Q(pdf_status=PdfStatus.RENDERING, pdf_claimed_at__lt=claim_expiry(now))
        )
        .update(
            pdf_status=step.target,
            pdf_claimed_at=now,
            pdf_attempts=F("pdf_attempts") + 1,
        )
    )


def ballot_groups(decision: Decision) -> list[tuple[str, int, list[str]]]:
    """The ballots of a vote by choice: (label, weighted votes, names), for the minutes."""
    groups = []
    for choice, label in Ballot.Choice.choices:
        ballots = [b for b in decision.ballots.all() if b.choice == choice]
        if ballots:
            names = [
                f"{b.invitation.person.get_full_name()}"
                + (f" ({b.weight} voix)" if b.weight > 1 else "")
                + (f", {b.participation}" if b.participation != "présent" else "")
                for b in ballots
            ]
            groups.append((label, sum(b.weight for b in ballots), names))
    return groups


def pdf_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    record = meeting_record(meeting)
    for decision in record["decisions"]:
        decision.ballot_groups = ballot_groups(decision)
    return {
        **record,
        # One quorum per vote, the one in force at that vote: no meeting-wide figure beside
        # them that could contradict them.
        "has_votes": any(d.method == Decision.Method.VOTE for d in record["decisions"]),
        "minutes": minutes,
        "approvals": list(
            minutes.approvals.filter(version=minutes.version).select_related(
                "copresidency", "approved_by"
            )
        ),
        "running_title": meeting.committee.name,
        "running_subtitle": f"Compte rendu — {meeting.title} du {meeting.date:%d/%m/%Y}",
    }


def render_minutes(minutes: Minutes) -> bytes:
    return render_pdf("meetings/pdf/minutes.html", pdf_context(minutes))


def render_and_store(minutes_id: int, *, now: datetime | None = None) -> str:
    """Render, store and distribute the PDF of approved minutes; "already" when another run
    holds or finished it. Exceptions propagate to the task, which retries."""
    if not claim_pdf(minutes_id, now=now):
        return "already"
    minutes = Minutes.objects.select_related("meeting__committee").get(pk=minutes_id)
    content = render_minutes(minutes)
    name = (
        f"compte-rendu-{minutes.meeting.date:%Y-%m-%d}-{minutes.meeting_id}-v{minutes.version}.pdf"
    )
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes_id)
        if not workflow.pdf_allowed(locked.pdf_status, "store"):
            return "already"
        old = locked.pdf.name if locked.pdf else ""
        locked.pdf.save(name, ContentFile(content), save=False)
        workflow.apply_pdf(locked, "store")
        locked.pdf_version = locked.version
        locked.pdf_error = ""
        locked.pdf_rendered_at = timezone.now()
        locked.save(
            update_fields=["pdf", "pdf_status", "pdf_version", "pdf_error", "pdf_rendered_at"]
        )
        if old and old != locked.pdf.name:
            transaction.on_commit(lambda: locked.pdf.storage.delete(old))
        notify(
            meeting=locked.meeting,
            kind=Kind.MINUTES,
            recipients=list(locked.meeting.invitations.values_list("person_id", flat=True)),
            key=f"v{locked.version}",
        )
    logger.info("minutes %s: PDF rendered (%s bytes)", minutes_id, len(content))
    return "rendered"


def record_pdf_failure(minutes_id: int, exc: Exception, *, final: bool) -> None:
    """Keep the failure visible (type only: no personal data); the last attempt marks the
    rendering failed and tells the secretariat."""
    error = f"{type(exc).__name__}"[:255]
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update()
            .select_related("meeting__committee")
            .get(pk=minutes_id)
        )
        step = "fail" if final else "postpone"
        if not workflow.pdf_allowed(minutes.pdf_status, step):
            return  # rendered meanwhile
        minutes.pdf_error = error
        minutes.pdf_claimed_at = None
        workflow.apply_pdf(minutes, step)
        minutes.save(update_fields=["pdf_error", "pdf_claimed_at", "pdf_status", "updated_at"])
        if final:
            notify(
                meeting=minutes.meeting,
                kind=Kind.PDF_FAILED,
                recipients=secretariat_ids(minutes.meeting.committee),
                key=f"v{minutes.version}-{minutes.pdf_attempts}",
            )
    logger.warning(
        "minutes %s: PDF rendering failed (%s)%s", minutes_id, error, " — gave up" if final else ""
    )
