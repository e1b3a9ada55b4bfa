"""The regional and national map pages keep their body — tables and SVG figure — until any
write to the data (issue 15, ``cte_portal.core.page_cache``): served again without rendering
nor the queries of the body, and a write shows at the next view."""

import pytest
from django.urls import reverse

from committees.models import Committee
from regional_map.models import ExportJob
from tests.factories.committees import dreets_agent
from tests.regional_map.scenario import scenario


@pytest.fixture
def s(db):
    return scenario()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _export(user, region=None) -> ExportJob:
    return ExportJob.objects.create(
        kind=ExportJob.Kind.REGIONAL_MAP, format="xlsx", region=region, requested_by=user
    )


@pytest.fixture
def region_url(s):
    return reverse("regional_map:region", args=[s.t.ara.code])


def test_the_second_view_of_a_region_is_served_without_the_queries_of_the_body(
    client, s, region_url, django_assert_max_num_queries
):
    client.force_login(dreets_agent(s.t.ara))
    first = _page(client, region_url)
    with django_assert_max_num_queries(3):  # session, user, the right to the region
        second = _page(client, region_url)
    assert "CLE de Lyon" in second and 'role="img"' in second
    # The export form of the cached body posts with this request's tokens.
    assert 'name="csrfmiddlewaretoken"' in second
    assert first.count("<path d=") == second.count("<path d=") == 2


def test_a_write_without_signals_shows_on_the_region_at_the_next_view(client, s, region_url):
    dreets = dreets_agent(s.t.ara)
    job = _export(dreets, s.t.ara)
    client.force_login(dreets)
    assert f"Export n° {job.pk}" in (html := _page(client, region_url))
    assert "en attente" in html and "terminé" not in html
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE)
    assert "terminé" in _page(client, region_url)


def test_a_committee_renamed_shows_on_the_region_at_the_next_view(client, s, region_url):
    client.force_login(dreets_agent(s.t.ara))
    assert "CLE de Lyon" in _page(client, region_url)
    committee = Committee.objects.get(name="CLE de Lyon")
    committee.name = "CLE de Lyon et Villeurbanne"
    committee.save()
    assert "CLE de Lyon et Villeurbanne" in _page(client, region_url)


def test_the_national_page_is_cached_until_a_write(
    client, s, admin_user, django_assert_max_num_queries
):
    job = _export(admin_user)
    url = reverse("regional_map:national")
    client.force_login(admin_user)
    assert "en attente" in _page(client, url)
    with django_assert_max_num_queries(2):  # session, user (an admin)
        second = _page(client, url)
    assert f"Export n° {job.pk}" in second and 'id="national-table"' in second
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE)
    assert "terminé" in _page(client, url)
