"""Commands that write in bulk (``seed_national``, ``seed_demo``) send no signal: they end by
``invalidate_all()``, after which every cached read model rebuilds at its next read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees.cache import committee_facts
from cte_portal.core.generations import invalidate_all
from regional_map.cache import cached_national_rollup
from roadmaps.cache import dashboards
from territories.cache import regions_by_code

pytestmark = pytest.mark.django_db


def test_invalidate_all_makes_every_cached_read_model_rebuild(django_assert_num_queries):
    builds = []
    for generation in (committee_facts, dashboards):
        generation.cached("probe", lambda: builds.append(1) or "valeur")
        generation.cached("probe", lambda: builds.append(1) or "valeur")
    assert len(builds) == 2  # one build each, then the cached value
    regions_by_code()
    cached_national_rollup()

    invalidate_all()

    for generation in (committee_facts, dashboards):
        generation.cached("probe", lambda: builds.append(1) or "valeur")
    assert len(builds) == 4
    # The territories and the roll-up are read again from the database.
    with django_assert_num_queries(1):
        regions_by_code()
    with CaptureQueriesContext(connection) as rebuilt:
        cached_national_rollup()
    assert len(rebuilt) > 0
    with CaptureQueriesContext(connection) as cached:
        cached_national_rollup()
    assert len(cached) == 0
