from django.apps import AppConfig


class IaeConfig(AppConfig):
    name = "iae"
    verbose_name = "Commission inclusion et IAE : avis"
    demo_seeder = "iae.demo.seed_iae"  # run by ``manage.py seed_demo``

    def ready(self):
        # The committee page shows this app's section without importing it.
        from committees.sections import register_section
        from iae.committee_page import TEMPLATE, iae_section

        register_section(key="iae", order=25, template=TEMPLATE, context=iae_section)

        # The CSV and XLSX exports are built by a task (``cte_portal.core.file_jobs``).
        from iae.file_jobs import register_kinds

        register_kinds()
