from django.apps import AppConfig


class RegionalMapConfig(AppConfig):
    """The regional map of the committees: read model, pages, exports and API."""

    name = "regional_map"
    verbose_name = "Cartographie des comités"
