"""The territories' entry of the main menu (``cte_portal.core.registry``)."""

from django.urls import reverse

from cte_portal.core.permissions import is_signed_in


def menu_entries(user, flags) -> list[tuple[int, str, str]]:
    """The territorial reference (regions, départements, communes) opens to anyone signed in."""
    return [(60, "Territoires", reverse("territories:regions"))] if is_signed_in(user) else []
