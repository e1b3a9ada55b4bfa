from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Feuilles de route"
    demo_seeder = "roadmaps.demo.seed_roadmaps"  # run by ``manage.py seed_demo``
    national_seeder = "roadmaps.national.seed_national"  # run by ``manage.py seed_national``
    inbox_provider = "roadmaps.inbox.inbox_items"  # ``cte_portal.core.inbox``
    menu_provider = "roadmaps.inbox.menu_entries"  # ``cte_portal.core.registry``

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        from roadmaps import cache, tasks  # noqa: F401

        cache.connect()  # what empties the cached dashboards
