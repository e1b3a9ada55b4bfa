"""Amounts and shares written the French way, and the funders' conference summary that other
pages (the committee page) may include."""

from django import template

from funders import formatting
from funders.permissions import can_view_funders_space
from funders.services.compliance import committee_compliance

register = template.Library()

register.filter("euros", formatting.euros)
register.filter("percent", formatting.percent)
register.filter("number", formatting.number)


@register.inclusion_tag("funders/includes/_committee_compliance.html", takes_context=True)
def funders_compliance(context, committee):
    """INS-FUNDERS on a committee page: the date of its last funders' conference, and a
    warning when none was held in the last twelve months."""
    user = context["request"].user
    return {
        "compliance": committee_compliance(committee),
        "committee": committee,
        "can_open": can_view_funders_space(user, committee),
    }
