"""A person's inbox: what awaits them across the portal, for their landing page and the API
(``/api/v1/me/inbox/``).

Each app answers for its own objects with an *inbox provider* (``inbox_provider`` on its
``AppConfig``, see ``core.registry``): a function ``(user) -> Iterable[InboxItem]`` that reads
with a fixed number of queries, whatever the number of committees. This module only gathers,
sorts and groups the items: it knows no domain rule.

Sections, in the order of the page:
- ``approve``: what awaits the person's validation or approval as co-president (agendas and
  convocations, minutes, roadmaps, audit agreements);
- ``secretariat``: what the secretariat (DDETS/DREETS agents) has to prepare or follow up
  (meetings to prepare, answers missing, minutes to draft, installations, mandates to renew,
  late reports);
- ``member``: the person's answers owed and next meetings;
- ``administration``: accounts and staff (national admins, DREETS agents for their region).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from cte_portal.core.permissions import is_signed_in
from cte_portal.core.registry import app_hooks

SECTIONS = {
    "approve": "À valider ou approuver",
    "secretariat": "À préparer et à suivre",
    "member": "Mes réunions",
    "administration": "Administration",
}


@dataclass(frozen=True)
class InboxItem:
    """One thing that awaits the person, with the page where they act on it."""

    section: str  # a key of SECTIONS
    kind: str  # stable identifier of the group, e.g. "meeting_validation"
    kind_label: str  # the group's French heading, e.g. "Ordres du jour à valider"
    title: str  # what: "Séance plénière du 12/01/2027"
    url: str  # the page where the person acts
    committee: str = ""  # the committee's name, when there is one
    detail: str = ""  # a short French complement: "3 réponses manquantes"
    due_on: date | None = None  # the date that orders the group (meeting, deadline)


@dataclass
class InboxGroup:
    kind: str
    label: str
    items: list[InboxItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass
class InboxSection:
    key: str
    title: str
    groups: list[InboxGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)


def _sort_key(item: InboxItem):
    return (item.due_on or date.max, item.committee, item.title)


def group_items(items: Iterable[InboxItem]) -> list[InboxSection]:
    """Sections in the order of ``SECTIONS``, groups in the order the providers gave them
    first, items by date."""
    sections: dict[str, InboxSection] = {}
    groups: dict[tuple[str, str], InboxGroup] = {}
    for item in items:
        section = sections.setdefault(
            item.section, InboxSection(key=item.section, title=SECTIONS[item.section])
        )
        group = groups.get((item.section, item.kind))
        if group is None:
            group = groups[(item.section, item.kind)] = InboxGroup(item.kind, item.kind_label)
            section.groups.append(group)
        group.items.append(item)
    for group in groups.values():
        group.items.sort(key=_sort_key)
    return [sections[key] for key in SECTIONS if key in sections]


def inbox_items(user) -> list[InboxItem]:
    """Every pending item of ``user``, from every app's provider."""
    if not is_signed_in(user):
        return []
    items: list[InboxItem] = []
    for provider in app_hooks("inbox_provider"):
        items.extend(provider(user))
    return items


def inbox_for(user) -> list[InboxSection]:
    """The inbox of ``user``, grouped by section and kind (empty for the signed-out)."""
    return group_items(inbox_items(user))
