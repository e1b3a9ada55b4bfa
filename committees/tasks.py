"""Nightly re-derivation of committee permissions.

Services re-derive a committee's guardian permissions when a co-presidency, membership or
staff assignment starts or ends. An end dated in the future (or a mandate running out,
DEC-MANDATE) takes effect with no service call: this task, run every night by Celery beat,
revokes what the facts no longer justify. It is idempotent.
"""

from celery import shared_task

from committees.models import Committee
from committees.permissions import sync_committee_permissions


@shared_task(name="committees.resync_permissions")
def resync_permissions() -> int:
    count = 0
    for committee in Committee.objects.only("pk", "level", "region_id").iterator():
        sync_committee_permissions(committee)
        count += 1
    return count
