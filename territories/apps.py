from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    """The territorial reference (COG): regions down to communes. Knows nothing of committees."""

    name = "territories"
    verbose_name = "Référentiel territorial"
