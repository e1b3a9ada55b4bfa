"""The body of the busiest pages is kept until any write to the data (issue 15,
``cte_portal.core.page_cache``): served again without its queries, never across people,
never after a write — ``QuerySet.update()`` and rolled-back transactions included — and its
forms still post once each."""

import re
from html import unescape

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from committees.models import Committee, FormerInstance
from committees.services.former_instances import add_former_instance
from cte_portal.core.once import FIELD
from cte_portal.core.page_cache import FORM_TOKENS, current_token
from tests.factories.committees import CommitteeFactory
from tests.factories.meetings import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def cde(territory):
    committee = CommitteeFactory(cde=True, region=territory.ara, departements=[territory.d69])
    add_former_instance(
        committee=committee,
        kind=FormerInstance.Kind.SPED,
        name="SPED du Rhône",
        outcome=FormerInstance.Outcome.REMOVED,
    )
    return committee


def _page(client, committee) -> str:
    response = client.get(reverse("committees:detail", args=[committee.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _form_tokens(html: str) -> list[str]:
    return re.findall(rf'name="{FIELD}" value="([0-9a-f]{{32}})"', html)


def test_the_second_view_is_served_without_the_queries_of_the_body(
    client, cde, ddets_rhone, django_assert_max_num_queries
):
    client.force_login(ddets_rhone)
    first = _page(client, cde)
    with django_assert_max_num_queries(4):  # session, user, committee, its permission
        second = _page(client, cde)
    assert "SPED du Rhône" in second
    # The same page, but for the CSRF and one-time tokens, which are new on every view.
    tokens = re.compile(r'value="[0-9a-zA-Z]{32,64}"')
    assert tokens.sub("", _main(first)) == tokens.sub("", _main(second))


def test_reading_a_page_does_not_count_as_a_write(client, cde, ddets_rhone):
    client.force_login(ddets_rhone)
    _page(client, cde)
    token = current_token()
    _page(client, cde)  # the session is saved again: not the data of any page
    assert current_token() == token


def test_a_write_without_signals_shows_at_the_next_view(client, cde, ddets_rhone):
    client.force_login(ddets_rhone)
    assert "Arrêté n° 2026-117" not in _page(client, cde)
    Committee.objects.filter(pk=cde.pk).update(arrete_reference="Arrêté n° 2026-117")
    assert "Arrêté n° 2026-117" in _page(client, cde)


def test_a_rolled_back_write_leaves_no_stale_token_behind(cde):
    before = current_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        Committee.objects.filter(pk=cde.pk).update(arrete_reference="Jamais enregistré")
        during = current_token()
        raise RuntimeError
    assert during != before
    # The next transaction that writes draws a token again.
    with transaction.atomic():
        Committee.objects.filter(pk=cde.pk).update(arrete_reference="Arrêté n° 2026-118")
    assert current_token() not in (before, during)


def test_each_person_gets_their_own_body(client, cde, ddets_rhone, dreets_ara):
    client.force_login(ddets_rhone)
    assert "Secrétariat du comité" in _page(client, cde)
    other = Client()
    other.force_login(dreets_ara)  # sees the CDE, does not run its secretariat
    assert "Secrétariat du comité" not in _page(other, cde)


def test_the_permission_is_checked_before_the_cache_is_read(client, cde, ddets_rhone, ddets_paris):
    client.force_login(ddets_rhone)
    _page(client, cde)
    other = Client()
    other.force_login(ddets_paris)
    assert other.get(reverse("committees:detail", args=[cde.pk])).status_code == 404


def test_a_form_of_a_cached_body_posts_once(scene):
    # The committee page's only form (withdrawing a former instance) became a link to a
    # confirmation page (issue 13): the forms of a meeting's page stand in.
    meeting = make_meeting(scene)
    second = meeting.agenda_items.order_by("position").last()
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.secretariat)
    address = reverse("meetings:detail", args=[meeting.pk])
    client.get(address)
    html = client.get(address).content.decode()  # from the cache
    assert FORM_TOKENS not in html
    tokens = _form_tokens(html)
    assert tokens and len(set(tokens)) == len(tokens)
    assert not set(tokens) & set(_form_tokens(client.get(address).content.decode()))
    action = reverse("meetings:item_move", args=[meeting.pk, second.pk])
    form = re.search(rf'<form method="post"\s+action="{action}">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))
    assert fields["sens"] == "haut"
    assert client.post(action, fields).status_code == 302
    second.refresh_from_db()
    assert second.position == 1
    client.post(action, fields)  # the same form again
    assert "Ce formulaire a déjà été envoyé" in unescape(client.get(address).content.decode())
    second.refresh_from_db()
    assert second.position == 1


# Each page and API answer kept this way: served again with the queries of the page around
# the body only, and showing a write made without signals at the next read.
PAGES = {
    "committee-list": lambda cde: reverse("committees:list"),
    "composition": lambda cde: reverse("committees:composition", args=[cde.pk]),
    "my-page": lambda cde: reverse("home"),
    "api-committee-list": lambda cde: reverse("api-committee-list"),
    "api-regional-map": lambda cde: reverse("api-regional-map", args=[cde.region_id]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_kept_page_is_served_again_without_its_queries_and_shows_writes(
    client, territory, ddets_rhone, dreets_ara, page, django_assert_max_num_queries
):
    draft = CommitteeFactory(
        cle=True,
        region=territory.ara,
        departements=[territory.d69],
        name="CLE des Monts du Lyonnais",
    )
    url = PAGES[page](draft)
    # The DDETS agent has the CLE to install on their page; the DREETS agent reads the map.
    client.force_login(dreets_ara if page == "api-regional-map" else ddets_rhone)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(4):  # session, user, and the view's permission check
        assert "CLE des Monts du Lyonnais" in client.get(url).content.decode()
    Committee.objects.filter(pk=draft.pk).update(name="CLE du Beaujolais vert")
    assert "CLE du Beaujolais vert" in client.get(url).content.decode()
