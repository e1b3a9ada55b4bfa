from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings of the committees: convocation, deliberation, minutes and notifications."""

    name = "meetings"
    verbose_name = "Réunions"
    demo_seeder = "meetings.demo.seed_meetings"  # run by ``manage.py seed_demo``
    national_seeder = "meetings.national.seed_national"  # run by ``manage.py seed_national``
    inbox_provider = "meetings.inbox.inbox_items"  # ``cte_portal.core.inbox``
    menu_provider = "meetings.inbox.menu_entries"  # ``cte_portal.core.registry``

    def ready(self):
        # Registers the app's Celery tasks, so that services enqueue them by name
        # (``cte_portal.tasking``) in the web process as in the worker.
        # The committee page shows this app's section without importing it.
        from committees.sections import register_section
        from meetings import tasks  # noqa: F401
        from meetings.committee_page import TEMPLATE, meetings_section

        register_section(key="meetings", order=10, template=TEMPLATE, context=meetings_section)
