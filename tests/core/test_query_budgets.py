"""Query budgets of the main pages (issue 15): at most ``BUDGET`` queries, and the same number
with a small and with a larger committee (members, meetings, committees of the département),
for an admin and for the DDETS agent who runs the committee.

Each page is read once before counting (the content types and the session are then warm, as
in a running worker), then counted at the small size, the data grows, and it is counted again;
each count is made twice, with the cached read models (regional maps, the committee list's
warning counts, dashboards) rebuilt as after a write, and read from the cache.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.cache import invalidate_committee_facts
from committees.models import Level
from committees.services.committees import create_committee
from cte_portal.core import page_cache
from regional_map.cache import invalidate_regional_maps
from roadmaps.cache import invalidate_dashboards
from tests.clients import login
from tests.factories.committees import MembershipFactory
from tests.factories.meetings import convene, make_meeting
from tests.factories.users import UserFactory

BUDGET = 15

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(email="admin.budgets@example.gouv.fr", admin=True)


def _grow(scene, size: int) -> None:
    """``size`` more members, convened meetings and CLEs of the Rhône (1, then 5 more)."""
    t = scene.territories
    for index in range(size):
        MembershipFactory(
            committee=scene.committee,
            person=UserFactory(email=f"membre.{size}.{index}@example.fr"),
            organisation=f"Organisme {index}",
        )
        convene(scene, make_meeting(scene, items=2, days=30 + index, title=f"Réunion {index}"))
        create_committee(
            level=Level.LOCAL, name=f"CLE n° {size}-{index}", region=t.ara, departements=[t.d69]
        )


def _invalidate_read_models() -> None:
    """Every cached read model and page body is rebuilt on the next read, as after a write."""
    page_cache.data_generation.new_token()
    invalidate_regional_maps()
    invalidate_committee_facts()
    invalidate_dashboards()


def _count(client, url: str) -> tuple[int, int]:
    """The queries of ``url`` with its read models rebuilt (cold), then read again (warm)."""
    counts = []
    for cold in (True, False):
        if cold:
            _invalidate_read_models()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries.captured_queries))
    return counts[0], counts[1]


def _pages(scene) -> dict[str, str]:
    committee = scene.committee
    meeting = committee.meetings.order_by("pk").first()
    return {
        "home": reverse("home"),
        "committee list": reverse("committees:list"),
        "composition": reverse("committees:composition", args=[committee.pk]),
        "meetings of the committee": reverse("meetings:committee_list", args=[committee.pk]),
        "my meetings": reverse("meetings:mine"),
        "meeting": reverse("meetings:detail", args=[meeting.pk]),
        "API committee list": "/api/v1/committees/",
    }


def _assert_flat(client, scene, urls: dict[str, str], budget: int) -> None:
    _grow(scene, 1)
    for url in urls.values():
        client.get(url)  # warm
    small = {name: _count(client, url) for name, url in urls.items()}
    _grow(scene, 5)
    for url in urls.values():
        client.get(url)  # warm again: the writes renewed the menu flags' generation
    large = {name: _count(client, url) for name, url in urls.items()}
    for name in urls:
        assert max(small[name]) <= budget, f"{name}: {small[name]} queries (cold, warm)"
        assert large[name] == small[name], f"{name}: {small[name]} → {large[name]} queries"


@pytest.mark.parametrize("persona", ["admin", "ddets"])
def test_the_main_pages_have_a_flat_budget(client, scene, admin, persona):
    convene(scene, make_meeting(scene, items=2, days=25, title="Première réunion"))
    login(client, admin if persona == "admin" else scene.secretariat)
    _assert_flat(client, scene, _pages(scene), BUDGET)


@pytest.mark.parametrize("persona", ["admin", "ddets"])
def test_the_committee_page_has_a_flat_budget(client, scene, admin, persona):
    convene(scene, make_meeting(scene, items=2, days=25, title="Première réunion"))
    login(client, admin if persona == "admin" else scene.secretariat)
    url = reverse("committees:detail", args=[scene.committee.pk])
    _assert_flat(client, scene, {"committee page": url}, BUDGET)


def test_the_regional_map_pages_have_a_flat_budget(client, scene, admin):
    ara = scene.territories.ara
    login(client, admin)
    urls = {
        "regional map": reverse("regional_map:region", args=[ara.code]),
        "API regional map": f"/api/v1/regions/{ara.code}/map/",
    }
    _assert_flat(client, scene, urls, BUDGET)


def test_a_departement_map_has_a_flat_budget_for_its_ddets_agent(client, scene):
    t = scene.territories
    login(client, scene.secretariat)
    urls = {"département map": reverse("regional_map:departement", args=[t.ara.code, t.d69.code])}
    _assert_flat(client, scene, urls, BUDGET)
