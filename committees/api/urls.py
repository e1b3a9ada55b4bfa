"""``/api/v1/committees/…``: committees, and their members, co-presidents and commissions."""

from django.urls import path

from committees.api.committees import (
    CommissionViewSet,
    CommitteeViewSet,
    CoPresidencyViewSet,
    MembershipViewSet,
)

committees = CommitteeViewSet.as_view
members = MembershipViewSet.as_view
copresidents = CoPresidencyViewSet.as_view
commissions = CommissionViewSet.as_view

urlpatterns = [
    path(
        "committees/",
        committees({"get": "list", "post": "create"}),
        name="api-committee-list",
    ),
    path(
        "committees/<int:pk>/",
        committees({"get": "retrieve", "patch": "partial_update"}),
        name="api-committee-detail",
    ),
    path(
        "committees/<int:pk>/install/",
        committees({"post": "install"}),
        name="api-committee-install",
    ),
    path(
        "committees/<int:pk>/dissolve/",
        committees({"post": "dissolve"}),
        name="api-committee-dissolve",
    ),
    path(
        "committees/<int:pk>/rules/",
        committees({"get": "rules", "patch": "edit_rules"}),
        name="api-committee-rules",
    ),
    path(
        "committees/<int:pk>/rules/adopt/",
        committees({"post": "adopt_rules"}),
        name="api-committee-rules-adopt",
    ),
    path(
        "committees/<int:committee_pk>/members/",
        members({"get": "list", "post": "create"}),
        name="api-committee-member-list",
    ),
    path(
        "committees/<int:committee_pk>/members/<int:pk>/",
        members({"patch": "partial_update"}),
        name="api-committee-member-detail",
    ),
    path(
        "committees/<int:committee_pk>/members/<int:pk>/end/",
        members({"post": "end"}),
        name="api-committee-member-end",
    ),
    path(
        "committees/<int:committee_pk>/copresidents/",
        copresidents({"get": "list", "post": "create"}),
        name="api-committee-copresident-list",
    ),
    path(
        "committees/<int:committee_pk>/copresidents/<int:pk>/",
        copresidents({"patch": "partial_update"}),
        name="api-committee-copresident-detail",
    ),
    path(
        "committees/<int:committee_pk>/copresidents/<int:pk>/end/",
        copresidents({"post": "end"}),
        name="api-committee-copresident-end",
    ),
    path(
        "committees/<int:committee_pk>/commissions/",
        commissions({"get": "list", "post": "create"}),
        name="api-committee-commission-list",
    ),
    path(
        "committees/<int:committee_pk>/commissions/<int:pk>/",
        commissions({"delete": "destroy"}),
        name="api-committee-commission-detail",
    ),
    path(
        "committees/<int:committee_pk>/commissions/<int:pk>/members/",
        commissions({"post": "add_member"}),
        name="api-committee-commission-member-list",
    ),
]
