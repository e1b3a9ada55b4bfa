from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits et comptes rendus des membres du réseau"

    def ready(self):
        from audits import signals  # noqa: F401
