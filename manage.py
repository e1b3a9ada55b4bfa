#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")
    # Management commands run on a developer's machine unless told otherwise; the web server
    # (wsgi/asgi) and the Celery processes keep production as their default. The Dockerfile and
    # docker-compose set CTE_ENV=production for every command they run.
    os.environ.setdefault("CTE_ENV", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
