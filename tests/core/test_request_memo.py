"""The memo of one read-only request (``cte_portal.core.request_memo``, issue 15): a page asks
the same permission many times for the price of one query, and never reads a stale answer."""

import pytest
from django.test import RequestFactory

from committees.permissions import can_manage_committee, can_view_committee
from cte_portal.core.request_memo import RequestMemoMiddleware, memoise
from tests.factories.committees import CommitteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _run(method: str, view):
    request = getattr(RequestFactory(), method)("/")
    return RequestMemoMiddleware(lambda _request: view())(request)


def test_a_read_only_request_computes_once_and_a_write_request_every_time():
    calls = []

    def view():
        return [memoise("key", lambda: calls.append(1) or len(calls)) for _ in range(3)]

    assert _run("get", view) == [1, 1, 1]
    calls.clear()
    assert _run("post", view) == [1, 2, 3]
    calls.clear()
    assert [memoise("key", lambda: calls.append(1) or len(calls)) for _ in range(2)] == [1, 2]


def test_a_page_asks_guardian_once_for_all_its_permission_checks(
    territory, ddets_rhone, django_assert_num_queries
):
    committee = CommitteeFactory(cde=True, region=territory.ara, departements=[territory.d69])

    def view():
        with django_assert_num_queries(1):
            return [
                can_view_committee(ddets_rhone, committee),
                can_manage_committee(ddets_rhone, committee),
                can_manage_committee(ddets_rhone, committee),
            ]

    assert _run("get", view) == [True, True, True]


def test_permissions_derived_during_a_request_are_read_fresh(territory, user):
    committee = CommitteeFactory(cde=True, region=territory.ara, departements=[territory.d69])

    def view():
        before = can_view_committee(user, committee)
        MembershipFactory(committee=committee, person=user)  # syncs the permissions
        return before, can_view_committee(user, committee)

    assert _run("get", view) == (False, True)
