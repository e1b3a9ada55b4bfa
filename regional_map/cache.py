"""The regional map's read model, kept in the Django cache (issue 15: what changes rarely).

A regional map (``build_regional_map``) reads every committee of a region with its
co-presidencies, perimeter and former instances: cheap to keep, costly to rebuild on each
page at national scale. Pages and the API read it through ``cached_regional_map``; exports
build it fresh. Every entry carries a *generation* token; any write to what a map shows
(``regional_map.signals``: committees, their co-presidencies, perimeters, former instances,
written opinions, the people's names, the territorial reference) draws a new token, so the
next read rebuilds. Entries also expire after ``TIMEOUT`` seconds and are keyed by day (a
committee's status and a review's due date depend on the date).
"""

from datetime import date
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cte_portal.core.generations import register_invalidator
from cte_portal.core.page_cache import current_token
from regional_map.selectors import (
    NationalRollup,
    RegionalMap,
    build_national_rollup,
    build_regional_map,
)
from territories.models import Departement, Region

GENERATION_KEY = "regional_map:generation"
TIMEOUT = 15 * 60


def _generation() -> str:
    # Also the token of any write to the data (``cte_portal.core.page_cache``): a write made
    # without signals (``QuerySet.update()``, raw SQL) rebuilds the maps too.
    return f"{_own_generation()}:{current_token()}"


def _own_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid4().hex
        # ``add`` keeps a token another process drew meanwhile.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)


@register_invalidator
def invalidate_regional_maps(**_signal_kwargs) -> None:
    """Every cached map is stale: the next read of each one rebuilds it — from now, and again
    once the transaction commits (a reader in between would have cached the old rows)."""
    _new_generation()
    transaction.on_commit(_new_generation)


def cached_regional_map(
    *, region: Region, departement: Departement | None = None, today: date | None = None
) -> RegionalMap:
    """``build_regional_map``, from the cache when nothing it shows has changed since."""
    today = today or timezone.localdate()
    key = ":".join(
        (
            "regional_map",
            _generation(),
            region.code,
            departement.code if departement is not None else "-",
            today.isoformat(),
        )
    )
    regional_map = cache.get(key)
    if regional_map is None:
        regional_map = build_regional_map(region=region, departement=departement, today=today)
        cache.set(key, regional_map, timeout=TIMEOUT)
    return regional_map


def cached_national_rollup(*, today: date | None = None) -> NationalRollup:
    """``build_national_rollup``, from the cache when nothing a map shows has changed since
    (same generation as the regional maps, keyed by day)."""
    today = today or timezone.localdate()
    key = ":".join(("regional_map", _generation(), "national", today.isoformat()))
    rollup = cache.get(key)
    if rollup is None:
        rollup = build_national_rollup()
        cache.set(key, rollup, timeout=TIMEOUT)
    return rollup
