"""DEC-JOINT under concurrency: the two co-presidents approve the same minutes at the same
moment, on several meetings at once. Shared by the PostgreSQL test and the SQLite one (run in
a subprocess on a SQLite file: ``python -m tests.meetings.sqlite_approvals``)."""

import threading

from django.db import connections

from meetings.models import Minutes, MinutesApproval
from meetings.services import minutes as minutes_service
from tests.factories.meetings import attend, build_scene, drafted_minutes, held_today

P = "present"


def minutes_to_approve(count: int):
    """A scene and ``count`` held meetings whose minutes await both co-presidents."""
    scene = build_scene()
    drafts = []
    for _ in range(count):
        meeting = held_today(scene)
        attend(scene, meeting, {scene.state: P, scene.local: P})
        drafts.append(drafted_minutes(scene, meeting))
    return scene, drafts


def approve_concurrently(scene, drafts) -> list[str]:
    """Every co-president approves every minutes, all threads released together; the errors
    (exception class and message) of the threads that failed."""
    jobs = [(minutes, user) for minutes in drafts for user in (scene.state, scene.local)]
    barrier = threading.Barrier(len(jobs))
    errors = []

    def approve(minutes, user):
        try:
            barrier.wait(timeout=30)
            minutes_service.approve_minutes(minutes=minutes, user=user)
        except Exception as exc:  # noqa: BLE001 — reported to the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def state_of(drafts) -> list[tuple[bool, int]]:
    """(approved, number of approvals) of each minutes."""
    return [
        (
            Minutes.objects.get(pk=m.pk).approved_at is not None,
            MinutesApproval.objects.filter(minutes_id=m.pk).count(),
        )
        for m in drafts
    ]
