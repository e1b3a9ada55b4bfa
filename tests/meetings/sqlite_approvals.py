"""Run the concurrent approvals of ``tests.meetings.concurrency`` on the SQLite file database
named by ``DATABASE_URL`` (with the project's SQLite options), tasks kept in the outbox (the
broker is a closed port); print the outcome as JSON. Started by
``tests/meetings/test_concurrent_approvals.py``."""

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")
    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from cte_portal.celery import app  # noqa: PLC0415
    from cte_portal.core.models import PendingTask  # noqa: PLC0415
    from meetings.services.notifications import RENDER_PDF_TASK  # noqa: PLC0415
    from tests.fixtures.tasks import reconfigure_celery  # noqa: PLC0415
    from tests.meetings.concurrency import (  # noqa: PLC0415
        approve_concurrently,
        minutes_to_approve,
        state_of,
    )

    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3", database["ENGINE"]
    call_command("migrate", verbosity=0)
    reconfigure_celery(
        app,
        broker_url="redis://127.0.0.1:1/0",
        result_backend="redis://127.0.0.1:1/0",
        task_always_eager=False,
    )
    scene, drafts = minutes_to_approve(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
    errors = approve_concurrently(scene, drafts)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    json.dump(
        {
            "options": {key: str(value) for key, value in database["OPTIONS"].items()},
            "errors": errors,
            "state": state_of(drafts),
            "pdf_tasks": PendingTask.objects.filter(name=RENDER_PDF_TASK).count(),
            "journal_mode": journal_mode,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
