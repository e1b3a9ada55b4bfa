from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    """The territorial reference (COG): regions down to communes. Knows nothing of committees."""

    name = "territories"
    verbose_name = "Référentiel territorial"
    menu_provider = "territories.menu.menu_entries"  # ``cte_portal.core.registry``

    def ready(self):
        # A write to a region, a département or an edition empties the cached lookups.
        from territories import cache

        cache.connect()
