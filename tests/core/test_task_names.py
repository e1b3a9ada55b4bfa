"""Services enqueue Celery tasks by name (``cte_portal.tasking``): every name they use, and
every task beat runs, must be a registered task — a wrong name would only fail after the
commit, with the user's data saved and the e-mail or the PDF never made."""

import pytest
from celery import current_app
from django.conf import settings

from audits.services.reminders import SEND_TASK as AUDIT_REMINDER
from cte_portal.tasking import send_task
from meetings.services.notifications import RENDER_PDF_TASK, SEND_TASK
from regional_map.exports.jobs import BUILD_TASK
from roadmaps.services.exports import RENDER_TASK


@pytest.mark.parametrize(
    "name", [AUDIT_REMINDER, RENDER_PDF_TASK, SEND_TASK, BUILD_TASK, RENDER_TASK, "cte_portal.ping"]
)
def test_every_task_the_services_enqueue_is_registered(name):
    assert current_app.tasks[name].name == name


def test_every_task_of_the_beat_schedule_is_registered():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in current_app.tasks


def test_an_unknown_task_name_is_refused_at_once():
    with pytest.raises(KeyError):
        send_task("meetings.no_such_task")
