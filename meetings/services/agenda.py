"""The agenda of a meeting: its items, in order, and their supporting documents.

- DEC-JOINT: a change to the agenda after a validation opens a new version that every
  co-president validates again (``meetings.services.convocation``).
- INS-CONSENSUS: consensus by default; an audit request is always voted.
"""

from django.db import transaction
from django.db.models import Max

from cte_portal.core.errors import RuleError
from meetings.models import AgendaDocument, AgendaItem, Meeting
from meetings.selectors import locked_meeting
from meetings.services.convocation import convocation_changed
from meetings.workflow import check_editable

AGENDA_FIELDS = (
    "title",
    "description",
    "presenter",
    "duration_minutes",
    "decision_expected",
    "decision_by_vote",
    "is_audit_request",
)
# An agenda item lasts from one minute to a full day of meeting (the column would take 32 767).
MAX_ITEM_MINUTES = 480


def _clean_item_fields(fields: dict) -> dict:
    # INS-CONSENSUS: an audit request is always a vote, and always expects a decision.
    if fields.get("is_audit_request"):
        fields["decision_expected"] = True
        fields["decision_by_vote"] = True
    if fields.get("decision_by_vote"):
        fields["decision_expected"] = True
    if "title" in fields:
        fields["title"] = fields["title"].strip()
        if not fields["title"]:
            raise RuleError("Indiquez l'intitulé du point.", field="title")
    if fields.get("duration_minutes") is not None and fields["duration_minutes"] < 1:
        raise RuleError("La durée est d'au moins une minute.", field="duration_minutes")
    if fields.get("duration_minutes") is not None and fields["duration_minutes"] > MAX_ITEM_MINUTES:
        raise RuleError(
            f"La durée d'un point est de {MAX_ITEM_MINUTES} minutes au plus.",
            field="duration_minutes",
        )
    return fields


@transaction.atomic
def add_agenda_item(*, meeting: Meeting, title: str, **fields) -> AgendaItem:
    unknown = set(fields) - set(AGENDA_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    meeting = locked_meeting(meeting)
    check_editable(meeting)
    fields = _clean_item_fields({"title": title, **fields})
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position, **fields)
    convocation_changed(meeting)
    return item


@transaction.atomic
def update_agenda_item(*, item: AgendaItem, **fields) -> AgendaItem:
    unknown = set(fields) - set(AGENDA_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    meeting = locked_meeting(item.meeting)
    check_editable(meeting)
    fields = _clean_item_fields(fields)
    changed = [k for k, v in fields.items() if getattr(item, k) != v]
    if not changed:
        return item
    for key in changed:
        setattr(item, key, fields[key])
    item.save(update_fields=changed)
    convocation_changed(meeting)
    return item


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem) -> None:
    meeting = locked_meeting(item.meeting)
    check_editable(meeting)
    if item.decisions.exists():
        raise RuleError("Ce point porte des décisions : il ne peut être supprimé.")
    item.delete()
    for position, other in enumerate(meeting.agenda_items.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    convocation_changed(meeting)


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, up: bool) -> AgendaItem:
    meeting = locked_meeting(item.meeting)
    check_editable(meeting)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return item
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    convocation_changed(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def add_agenda_document(*, item: AgendaItem, title: str, file) -> AgendaDocument:
    """A supporting document for an item. Documents do not change the convocation itself:
    they need no new validation (DEC-JOINT covers the agenda and the convocation)."""
    if item.meeting.is_cancelled:
        raise RuleError("Cette réunion est annulée.")
    if not title.strip():
        raise RuleError("Indiquez le titre du document.", field="title")
    return AgendaDocument.objects.create(agenda_item=item, title=title.strip(), file=file)
