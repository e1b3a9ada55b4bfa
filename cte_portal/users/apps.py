from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "cte_portal.users"
    label = "users"
    verbose_name = "Utilisateurs"

    def ready(self):
        from cte_portal.users import (
            middleware,  # noqa: F401  (stamps the sign-in time)
            schema,  # noqa: F401  (registers the OpenAPI extension)
        )
