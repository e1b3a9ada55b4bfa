"""The funders' entry of the main menu (``cte_portal.core.registry``)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from cte_portal.core.permissions import is_admin, is_signed_in
from funders.models import Funder


def menu_flags() -> dict:
    """The menu's fact on a person (``OuterRef("pk")``): they are a funder's contact."""
    return {"funder_contact": Exists(Funder.objects.filter(contact=OuterRef("pk")))}


def menu_entries(user, flags: dict) -> list[tuple[int, str, str]]:
    """The conferences open to whoever sees a committee (INS-FUNDERS), to the State services,
    admins, and the contacts of a funder."""
    if not is_signed_in(user):
        return []
    opens = is_admin(user) or any(
        flags.get(name) for name in ("state_agent", "sees_committees", "funder_contact")
    )
    return [(80, "Financeurs", reverse("funders:index"))] if opens else []
