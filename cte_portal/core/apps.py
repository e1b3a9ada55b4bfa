from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


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
        from cte_portal.core import page_cache  # noqa: PLC0415
        from cte_portal.core.context_processors import bump_menu_flags  # noqa: PLC0415

        page_cache.connect()

        post_save.connect(bump_menu_flags, dispatch_uid="core-menu-flags-save")
        post_delete.connect(bump_menu_flags, dispatch_uid="core-menu-flags-delete")
