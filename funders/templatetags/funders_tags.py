"""Amounts and shares written the French way, and the funders' conference summary that other
pages (the committee page) may include."""

from decimal import Decimal

from django import template

register = template.Library()

NNBSP = "\u202f"  # narrow no-break space: thousands separator and before « € » and « % »


def _grouped(value: Decimal, places: int) -> str:
    sign = "-" if value < 0 else ""
    text = f"{abs(value):.{places}f}"
    whole, _, decimals = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    result = sign + NNBSP.join(groups)
    return f"{result},{decimals}" if decimals else result


@register.filter
def euros(value) -> str:
    """« 1 234 567,89 € » from an exact Decimal (never a float)."""
    if value is None or value == "":
        return "—"
    return f"{_grouped(Decimal(value), 2)}{NNBSP}€"


@register.filter
def percent(value) -> str:
    """« 33,33 % »; « — » when there is no share (nothing committed)."""
    if value is None or value == "":
        return "—"
    return f"{_grouped(Decimal(value), 2)}{NNBSP}%"


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return "—"
    return _grouped(Decimal(value), 0)


@register.inclusion_tag("funders/includes/_committee_compliance.html", takes_context=True)
def funders_compliance(context, committee):
    """INS-FUNDERS on a committee page: the date of its last funders' conference, and a
    warning when none was held in the last twelve months."""
    from funders.permissions import can_view_funders_space
    from funders.services.compliance import committee_compliance

    user = context["request"].user
    return {
        "compliance": committee_compliance(committee),
        "committee": committee,
        "can_open": can_view_funders_space(user, committee),
    }
