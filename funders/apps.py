from django.apps import AppConfig


class FundersConfig(AppConfig):
    name = "funders"
    verbose_name = "Conférences des financeurs"
