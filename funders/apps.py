from django.apps import AppConfig


class FundersConfig(AppConfig):
    name = "funders"
    verbose_name = "Conférences des financeurs"
    demo_seeder = "funders.demo.seed_funders"  # run by ``manage.py seed_demo``

    def ready(self):
        # The committee page shows this app's section without importing it.
        from committees.sections import register_section
        from funders.committee_page import TEMPLATE, funders_section

        register_section(key="funders", order=20, template=TEMPLATE, context=funders_section)
