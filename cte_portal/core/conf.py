"""The portal's domain settings: one dict, ``settings.CTE``, declared in ``cte_portal.settings``
with every default and the environment variable that overrides it."""

from django.conf import settings


def cte_setting(name: str):
    """The value of the domain setting ``name`` (a ``KeyError`` names a setting never declared)."""
    return settings.CTE[name]
