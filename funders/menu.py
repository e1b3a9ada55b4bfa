"""The funders' entry of the main menu (``cte_portal.core.registry``)."""

from django.urls import reverse

from committees.permissions import VIEW, committee_ids_held, is_state_agent
from cte_portal.core.permissions import is_admin, is_signed_in
from cte_portal.core.request_memo import memoise
from funders.models import Funder


def menu_entries(user) -> list[tuple[int, str, str]]:
    """The conferences open to whoever sees a committee (INS-FUNDERS), to the State services,
    admins, and the contacts of a funder."""
    if not is_signed_in(user):
        return []
    opens = (
        is_admin(user)
        or is_state_agent(user)
        or bool(committee_ids_held(user, VIEW))
        or memoise(
            ("funder_contact", user.pk), lambda: Funder.objects.filter(contact=user).exists()
        )
    )
    return [(80, "Financeurs", reverse("funders:index"))] if opens else []
