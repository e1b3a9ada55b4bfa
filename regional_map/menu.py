"""The regional map's entry of the main menu (``cte_portal.core.registry``)."""

from django.urls import reverse

from committees.inbox import state_agent_flags
from cte_portal.core.permissions import is_admin


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    """The maps open to the DREETS and DDETS agents (their region or département) and admins
    (``state_agent`` comes from the committees' ``menu_flags``)."""
    if is_admin(user) or state_agent_flags(user, flags)[0]:
        return [(40, "Cartographie", reverse("regional_map:index"))]
    return []
