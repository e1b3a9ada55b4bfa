"""DEC-JOINT: co-presidents approving the same minutes at the same moment never get an error
and the minutes end approved once, their PDF queued once — on PostgreSQL (row locks:
``approve_minutes`` locks the minutes) and on the embedded SQLite (WAL, busy timeout,
``BEGIN IMMEDIATE``: ``cte_portal.settings``)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from cte_portal.celery import app as celery_app
from cte_portal.core.models import PendingTask
from meetings.services.notifications import RENDER_PDF_TASK
from tests.fixtures.tasks import reconfigure_celery
from tests.meetings.concurrency import approve_concurrently, minutes_to_approve, state_of

MEETINGS = 4


@pytest.fixture
def tasks_in_the_outbox():
    """Tasks wait in the outbox (broker on a closed port): the test counts them, nothing runs."""
    previous = reconfigure_celery(
        celery_app,
        broker_url="redis://127.0.0.1:1/0",
        result_backend="redis://127.0.0.1:1/0",
        task_always_eager=False,
    )
    yield
    reconfigure_celery(celery_app, **previous)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_on_postgresql(tasks_in_the_outbox):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    scene, drafts = minutes_to_approve(MEETINGS)
    errors = approve_concurrently(scene, drafts)
    assert errors == []
    assert state_of(drafts) == [(True, 2)] * MEETINGS
    assert PendingTask.objects.filter(name=RENDER_PDF_TASK).count() == MEETINGS


def test_concurrent_approvals_on_sqlite(tmp_path):
    root = Path(settings.BASE_DIR)
    env = {
        **os.environ,
        "CTE_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(root),
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.meetings.sqlite_approvals", str(MEETINGS)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    # The project's SQLite options were in force.
    assert outcome["options"]["transaction_mode"] == "IMMEDIATE"
    assert outcome["journal_mode"] == "wal"
    assert outcome["errors"] == []
    assert outcome["state"] == [[True, 2]] * MEETINGS
    assert outcome["pdf_tasks"] == MEETINGS
