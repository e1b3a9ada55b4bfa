from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = "Comités"
    demo_seeder = "committees.demo.seed_committees"  # run by ``manage.py seed_demo``
    national_seeder = "committees.national.seed_national"  # run by ``manage.py seed_national``
    inbox_provider = "committees.inbox.inbox_items"  # ``cte_portal.core.inbox``
    menu_provider = "committees.inbox.menu_entries"  # ``cte_portal.core.registry``
    menu_flags = "committees.inbox.menu_flags"  # ``cte_portal.core.context_processors``

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        from committees import cache, tasks  # noqa: F401

        cache.connect()  # what empties the cached warning counts of the committee list

        # The rules of procedure PDF is built by a task (``cte_portal.core.file_jobs``).
        from committees.file_jobs import register_kinds

        register_kinds()
