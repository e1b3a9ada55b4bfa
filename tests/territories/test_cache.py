"""The territorial reference's lookups are kept in the cache (issue 15) and rebuilt as soon as
the reference changes: a region or a département saved, or a new edition imported."""

import pytest

from territories import cache as territories_cache
from territories.models import Commune, TerritorialEdition

pytestmark = pytest.mark.django_db


def test_lookups_are_read_from_the_cache_the_second_time(territory, django_assert_max_num_queries):
    territories_cache.regions_by_code()
    territories_cache.departements_by_code()
    with django_assert_max_num_queries(0):
        assert territories_cache.regions_by_code()["84"].name == territory.ara.name
        assert territories_cache.departements_by_code()["69"].region.code == "84"
        assert [d.code for d in territories_cache.current_departements_of("84")] == ["01", "69"]


def test_a_region_renamed_shows_on_the_next_read(territory):
    assert territories_cache.regions_by_code()["84"].name == territory.ara.name
    territory.ara.name = "Région renommée"
    territory.ara.save()
    assert territories_cache.regions_by_code()["84"].name == "Région renommée"


def test_a_departement_retired_leaves_the_current_list(territory):
    assert "01" in [d.code for d in territories_cache.current_departements_of("84")]
    territory.d01.is_current = False
    territory.d01.save()
    assert [d.code for d in territories_cache.current_departements_of("84")] == ["69"]


def test_a_new_edition_rebuilds_what_was_derived_from_the_reference(territory):
    def population():
        return sum(Commune.objects.filter(departement="69").values_list("population", flat=True))

    before = territories_cache.cached("population-69", population)
    Commune.objects.filter(departement="69").update(population=0)  # as an import does, in bulk
    assert territories_cache.cached("population-69", population) == before  # still cached
    TerritorialEdition.objects.create(label="COG 2027", source="test", checksum="x" * 64)
    assert territories_cache.cached("population-69", population) == 0
    assert territories_cache.edition_label() == "COG 2027"
