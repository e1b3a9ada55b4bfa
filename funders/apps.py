from django.apps import AppConfig


class FundersConfig(AppConfig):
    name = "funders"
    verbose_name = "Conférences des financeurs"
    demo_seeder = "funders.demo.seed_funders"  # run by ``manage.py seed_demo``
