"""Sections that other apps add to the committee page, without the committees app knowing them.

Meetings, the funders' conference and the like hang off a committee but sit above it in the
layering (they import ``committees``, never the reverse). Each registers its section from its
``AppConfig.ready()``: a template and a function that builds that template's context from the
request and the committee. The committee page renders the registered sections in order, with
the ``{% committee_sections committee %}`` tag of ``committee_tags``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from committees.models import Committee


@dataclass(frozen=True)
class CommitteeSection:
    key: str
    order: int
    template: str
    context: Callable[[HttpRequest, Committee], dict]


_sections: dict[str, CommitteeSection] = {}


def register_section(
    *,
    key: str,
    order: int,
    template: str,
    context: Callable[[HttpRequest, Committee], dict],
) -> None:
    """Add (or replace, by ``key``) a section of the committee page."""
    _sections[key] = CommitteeSection(key=key, order=order, template=template, context=context)


def committee_sections() -> list[CommitteeSection]:
    """The registered sections, in page order."""
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))
