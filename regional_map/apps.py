from django.apps import AppConfig


class RegionalMapConfig(AppConfig):
    """The regional map of the committees: read model, pages, exports and API."""

    name = "regional_map"
    verbose_name = "Cartographie des comités"

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        from regional_map import tasks  # noqa: F401
