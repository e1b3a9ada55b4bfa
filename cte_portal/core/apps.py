from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cte_portal.core"
    label = "core"
    verbose_name = "Socle du portail"
