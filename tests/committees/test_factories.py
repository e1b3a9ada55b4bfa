"""The test factories themselves: each trait writes through the services what it promises."""

import pytest

from committees.models import Committee, Level, StaffAssignment
from committees.permissions import can_manage_committee
from tests.factories.committees import (
    DISSOLVED_ON,
    START,
    CommitteeFactory,
    StaffAssignmentFactory,
    ddets_agent,
)

pytestmark = pytest.mark.django_db


def test_a_committee_is_a_draft_cde_of_its_region_by_default():
    committee = CommitteeFactory()
    assert committee.level == Level.DEPARTMENTAL
    assert committee.status == Committee.Status.DRAFT
    assert [d.region_id for d in committee.departements.all()] == [committee.region_id]


def test_the_level_traits(territory):
    cre = CommitteeFactory(cre=True, region=territory.ara)
    cle = CommitteeFactory(
        cle=True,
        region=territory.ara,
        departements=[territory.d69],
        perimeter={"epcis": [territory.garon]},
    )
    assert (cre.level, cre.crefop_mode) == (Level.REGIONAL, "within")
    assert cle.level == Level.LOCAL
    assert sorted(cle.communes.values_list("code", flat=True)) == ["69027"]


def test_installed_and_dissolved_go_through_the_services(territory):
    installed = CommitteeFactory(region=territory.ara, departements=[territory.d69], installed=True)
    installed.refresh_from_db()
    assert (installed.status, installed.installed_on) == (Committee.Status.INSTALLED, START)
    assert installed.copresidencies.count() == 2
    dissolved = CommitteeFactory(region=territory.ara, departements=[territory.d01], dissolved=True)
    dissolved.refresh_from_db()
    assert (dissolved.status, dissolved.dissolved_on) == (Committee.Status.DISSOLVED, DISSOLVED_ON)


def test_a_staff_assignment_grants_what_the_services_grant(territory):
    committee = CommitteeFactory(region=territory.ara, departements=[territory.d69])
    agent = ddets_agent(territory.d69)
    assert can_manage_committee(agent, committee)
    regional = StaffAssignmentFactory(dreets=True, region=territory.ara)
    assert regional.service == StaffAssignment.Service.DREETS
    assert regional.departement is None
