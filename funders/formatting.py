"""Amounts and shares written the French way (« 1 234 567,89 € », « 33,33 % »), for the
pages (through ``funders_tags``) and the SVG charts."""

from decimal import Decimal

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


def euros(value) -> str:
    """« 1 234 567,89 € » from an exact Decimal (never a float)."""
    if value is None or value == "":
        return "—"
    return f"{_grouped(Decimal(value), 2)}{NNBSP}€"


def percent(value) -> str:
    """« 33,33 % »; « — » when there is no share (nothing committed)."""
    if value is None or value == "":
        return "—"
    return f"{_grouped(Decimal(value), 2)}{NNBSP}%"


def number(value) -> str:
    if value is None or value == "":
        return "—"
    return _grouped(Decimal(value), 0)
