"""The cached dashboards (issue 15, ``roadmaps.cache``): read from the cache while nothing
they show changes, rebuilt after every kind of write to what they show."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from committees.services.committees import update_committee
from roadmaps.cache import cached_dashboard
from roadmaps.services.indicators import delete_value, record_value, set_indicator_target
from tests.clients import login


def _value(world, committee, indicator, period, value):
    return record_value(
        committee=committee,
        user=world.ddets69,
        period=period,
        value=Decimal(value),
        result_indicator=indicator,
    )


def _own_points(dashboard):
    return dashboard.common[0].chart.series[0].points


def test_a_dashboard_is_read_from_the_cache_until_a_value_changes(
    world, indicators, django_assert_num_queries
):
    january = date(2025, 1, 1)
    value = _value(world, world.cle, indicators["returns"], january, 10)
    first = cached_dashboard(world.cle)
    assert _own_points(first) == {january: Decimal(10)}
    assert "01/01/2025" in first.common[0].html  # the panel comes rendered
    with django_assert_num_queries(0):
        assert _own_points(cached_dashboard(world.cle)) == {january: Decimal(10)}

    _value(world, world.cle, indicators["returns"], january, 25)  # corrected
    assert _own_points(cached_dashboard(world.cle)) == {january: Decimal(25)}

    delete_value(value=value.__class__.objects.get(pk=value.pk))
    assert _own_points(cached_dashboard(world.cle)) == {}


def test_a_target_a_child_value_and_a_new_name_rebuild_the_dashboard(world, indicators):
    january = date(2025, 1, 1)
    _value(world, world.cde69, indicators["returns"], january, 45)
    before = cached_dashboard(world.cde69)
    assert before.common[0].chart.target is None
    assert before.common[0].chart.series[1].points == {}

    set_indicator_target(committee=world.cde69, indicator=indicators["returns"], target=Decimal(60))
    assert cached_dashboard(world.cde69).common[0].chart.target == 60

    _value(world, world.cle, indicators["returns"], january, 12)  # a CLE below the CDE
    assert cached_dashboard(world.cde69).common[0].chart.series[1].points == {january: Decimal(12)}

    update_committee(committee=world.cde69, name="CDE du Rhône et de la Métropole")
    panel = cached_dashboard(world.cde69).common[0]
    assert panel.chart.series[0].label == "CDE du Rhône et de la Métropole"
    assert "CDE du Rhône et de la Métropole" in panel.html


def test_the_dashboard_page_shows_a_new_value_at_once(client, world, indicators):
    january = date(2025, 1, 1)
    _value(world, world.cle, indicators["returns"], january, 10)
    login(client, world.ddets69)
    url = reverse("roadmaps:dashboard", args=[world.cle.pk])
    assert "<td>10</td>" in client.get(url).content.decode()
    _value(world, world.cle, indicators["returns"], january, 7)
    page = client.get(url).content.decode()
    assert "<td>7</td>" in page
    assert "<td>10</td>" not in page
