from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits et comptes rendus des membres du réseau"
    demo_seeder = "audits.demo.seed_audits"  # run by ``manage.py seed_demo``
    national_seeder = "audits.national.seed_national"  # run by ``manage.py seed_national``
    inbox_provider = "audits.inbox.inbox_items"  # ``cte_portal.core.inbox``
    menu_provider = "audits.inbox.menu_entries"  # ``cte_portal.core.registry``
    menu_flags = "audits.inbox.menu_flags"  # ``cte_portal.core.context_processors``

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        from audits import (
            signals,  # noqa: F401
            tasks,  # noqa: F401
        )
