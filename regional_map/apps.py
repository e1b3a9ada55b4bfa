from django.apps import AppConfig


class RegionalMapConfig(AppConfig):
    """The regional map of the committees: read model, pages, exports and API."""

    name = "regional_map"
    verbose_name = "Cartographie des comités"
    menu_provider = "regional_map.menu.menu_entries"  # ``cte_portal.core.registry``

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        from regional_map import signals, tasks  # noqa: F401

        # A write to what a map shows empties the cached maps (``regional_map.cache``).
        signals.connect()
