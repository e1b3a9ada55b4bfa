"""The territorial reference's small lookups, kept in the Django cache (issue 15).

Regions, départements and the loaded edition change only when ``import_territories`` runs
(or an admin edits a row): pages read them from the cache instead of the database. Every entry
carries a *generation* token; a write to a region, a département or an edition
(``TerritoriesConfig.ready`` connects the signals; an import that changes anything records a
new edition) draws a new token — at once and again when the transaction commits, so a reader
between the two cannot keep the old rows.
"""

from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cte_portal.core.generations import register_invalidator
from cte_portal.core.request_memo import memoise
from territories.models import Departement, Region, TerritorialEdition

T = TypeVar("T")

GENERATION_KEY = "territories:generation"
TIMEOUT = 24 * 60 * 60


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept until the territorial reference changes: for figures other apps
    derive from the reference alone (populations of départements…). ``name`` must say
    everything the figure depends on."""

    def read() -> T:
        key = f"territories:{_generation()}:{name}"
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, timeout=TIMEOUT)
        return value

    # Once per read-only request: a list row asking for its région's départements would
    # otherwise unpickle the whole lookup again.
    return memoise(("territories", name), read)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)


@register_invalidator
def invalidate_territories(**_signal_kwargs) -> None:
    """The reference changed: the next read of each lookup rebuilds it."""
    _new_generation()
    transaction.on_commit(_new_generation)


def regions_by_code() -> dict[str, Region]:
    """Every region (current or not), by code."""
    return cached("regions", lambda: {r.code: r for r in Region.objects.order_by("code")})


def departements_by_code() -> dict[str, Departement]:
    """Every département (current or not), by code, its region loaded."""
    return cached(
        "departements",
        lambda: {d.code: d for d in Departement.objects.select_related("region").order_by("code")},
    )


def current_departements_of(region_code: str) -> list[Departement]:
    """The current départements of a region, by code."""
    return [
        d for d in departements_by_code().values() if d.region_id == region_code and d.is_current
    ]


def edition_label() -> str:
    """The label of the edition loaded last ("" before any import)."""

    def latest() -> str:
        edition = TerritorialEdition.objects.order_by("-imported_at", "-pk").first()
        return edition.label if edition else ""

    return cached("edition", latest)


def connect() -> None:
    for model in (Region, Departement, TerritorialEdition):
        post_save.connect(invalidate_territories, sender=model, dispatch_uid=f"territories-{model}")
        post_delete.connect(
            invalidate_territories, sender=model, dispatch_uid=f"territories-d-{model}"
        )
