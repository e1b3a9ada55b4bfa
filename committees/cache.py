"""The committee list's warning counts, kept in the Django cache (issue 15).

Each row of the committee list shows how many warnings its committee has (``warning_counts``:
co-presidencies, members, mandates, rules of procedure, départements, written opinions). At
national scale that is six queries and some Python per page for figures that change when a
committee's facts change, and with the date. ``cached_warning_counts`` keeps them by page of
committees and by day; any write to a row of the committees app (committees, their
composition, rules, opinions… — ``connect``, from ``CommitteesConfig.ready``) or to the
territorial reference draws a new generation, so the next read counts again.
"""

import hashlib
from datetime import date

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from committees.models import Committee
from committees.selectors import warning_counts
from cte_portal.core.generations import Generation
from territories.models import Departement, Region, TerritorialEdition

committee_facts = Generation("committees:facts")


def invalidate_committee_facts(**_signal_kwargs) -> None:
    committee_facts.bump()


def cached_warning_counts(committees: list[Committee], *, today: date | None = None) -> dict:
    """``warning_counts(committees)``, from the cache when no committee fact has changed."""
    today = today or date.today()
    ids = ",".join(str(c.pk) for c in sorted(committees, key=lambda c: c.pk))
    name = f"warnings:{today.isoformat()}:{hashlib.sha256(ids.encode()).hexdigest()}"
    return committee_facts.cached(name, lambda: warning_counts(committees, today=today))


def connect() -> None:
    models = [
        model
        for model in apps.get_app_config("committees").get_models()
        if not model.__name__.startswith("Historical")
    ]
    for model in (*models, Region, Departement, TerritorialEdition):
        post_save.connect(invalidate_committee_facts, sender=model, dispatch_uid=f"facts-{model}")
        post_delete.connect(
            invalidate_committee_facts, sender=model, dispatch_uid=f"facts-d-{model}"
        )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                invalidate_committee_facts, sender=through, dispatch_uid=f"facts-{through}"
            )
