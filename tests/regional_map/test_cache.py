"""The regional map's read model is kept in the cache (``regional_map.cache``, issue 15): read
without rebuilding while nothing it shows changes, rebuilt on the next read after a write."""

import pytest

from committees.models import Level
from committees.services.committees import create_committee
from regional_map.cache import (
    cached_national_rollup,
    cached_regional_map,
    invalidate_regional_maps,
)

pytestmark = pytest.mark.django_db


def test_a_cached_regional_map_is_read_without_rebuilding(scene, django_assert_max_num_queries):
    invalidate_regional_maps()
    ara = scene.territories.ara
    cached_regional_map(region=ara)
    with django_assert_max_num_queries(0):
        again = cached_regional_map(region=ara)
    assert [e.name for e in again.cdes] == ["CDE du Rhône"]


def test_a_change_to_a_committee_shows_on_the_next_read_of_the_cached_map(scene):
    ara = scene.territories.ara
    cached_regional_map(region=ara)
    scene.committee.name = "CDE du Rhône (renommé)"
    scene.committee.save()
    assert [e.name for e in cached_regional_map(region=ara).cdes] == ["CDE du Rhône (renommé)"]


def test_a_new_committee_and_a_co_president_renamed_show_on_the_next_read(scene):
    t = scene.territories
    assert not cached_regional_map(region=t.ara).cles
    create_committee(
        level=Level.LOCAL, name="CLE de Villefranche", region=t.ara, departements=[t.d69]
    )
    assert [e.name for e in cached_regional_map(region=t.ara).cles] == ["CLE de Villefranche"]
    scene.state.last_name = "Renommée"
    scene.state.save()
    names = [c.name for c in cached_regional_map(region=t.ara).cdes[0].copresidents]
    assert "Claire Renommée" in names


def test_the_national_roll_up_is_cached_until_a_committee_is_created(
    scene, django_assert_max_num_queries
):
    t = scene.territories
    drafts = cached_national_rollup().totals.cle_draft
    with django_assert_max_num_queries(0):
        assert cached_national_rollup().totals.cle_draft == drafts
    create_committee(
        level=Level.LOCAL, name="CLE de Villefranche", region=t.ara, departements=[t.d69]
    )
    assert cached_national_rollup().totals.cle_draft == drafts + 1
