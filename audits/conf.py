"""Domain settings of the audits app, read from ``settings.CTE`` with their defaults.

``settings.CTE`` is the project's dict of domain limits; a key missing there falls back to the
default given here.
"""

from django.conf import settings

DEFAULTS = {
    # Overdue recommendations are flagged to the CDE's secretariat once per period (INS-AUDIT):
    # "month" (one reminder per calendar month) or "week" (per ISO week).
    "AUDIT_REMINDER_PERIOD": "month",
    # Reports owed to the committees (INS-REPORTING): days after the end of a period before a
    # report is late, unless the obligation says otherwise.
    "REPORT_GRACE_DAYS": 30,
    # A reminder claimed by a worker that died is sent again after this many seconds.
    "TASK_CLAIM_SECONDS": 600,
}


def cte_setting(name: str):
    return settings.CTE.get(name, DEFAULTS[name])
