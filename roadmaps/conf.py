"""Domain settings of the roadmaps app, read from ``settings.CTE`` with their defaults.

``settings.CTE`` is the project's dict of domain limits; a key missing there falls back to the
default given here, so that the app runs before the setting is declared.
"""

from django.conf import settings

DEFAULTS = {
    # INS-ROADMAP-SHAPE: "a limited number of axes" — beyond it the portal warns, it does not refuse.
    "ROADMAP_MAX_AXES": 5,
    # INS-OPEN-DATA: the public API is read-only and rate-limited (per client IP address).
    "OPEN_DATA_API_RATE": "120/min",
}


def cte_setting(name: str):
    return settings.CTE.get(name, DEFAULTS[name])


def max_axes() -> int:
    return int(cte_setting("ROADMAP_MAX_AXES"))
