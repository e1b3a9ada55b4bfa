from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cte_portal.core"
    label = "core"
    verbose_name = "Socle du portail"
    # The demo personas, which every later seeder asks for (``seed_demo``).
    demo_seeder = "cte_portal.core.demo.seed_users"
    national_seeder = "cte_portal.core.national.seed_national_users"

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        from cte_portal import tasks  # noqa: F401
