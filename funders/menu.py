"""The funders' entry of the main menu (``cte_portal.core.registry``)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from committees.inbox import state_agent_flags
from cte_portal.core.permissions import is_admin, is_signed_in
from funders.models import Funder


def menu_flags() -> dict:
    """The menu's fact on a person (``OuterRef("pk")``): they are a funder's contact."""
    return {"funder_contact": Exists(Funder.objects.filter(contact=OuterRef("pk")))}


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    """The conferences open to whoever sees a committee (INS-FUNDERS), to the State services,
    admins, and the contacts of a funder."""
    if not is_signed_in(user):
        return []
    opens = (
        is_admin(user)
        or state_agent_flags(user, flags)[0]
        or flags.get("sees_committees")
        or flags.get("funder_contact")
    )
    return [(80, "Financeurs", reverse("funders:index"))] if opens else []
