"""The regional map's entry of the main menu (``cte_portal.core.registry``)."""

from django.urls import reverse

from committees.permissions import is_state_agent
from cte_portal.core.permissions import is_admin


def menu_entries(user) -> list[tuple[int, str, str]]:
    """The maps open to the DREETS and DDETS agents (their region or département) and admins."""
    if is_admin(user) or is_state_agent(user):
        return [(40, "Cartographie", reverse("regional_map:index"))]
    return []
