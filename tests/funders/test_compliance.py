"""INS-FUNDERS: a funders' conference at least once a year, at departmental and local level —
the date of the last one, the warning when none was held in twelve months, the overview."""

from datetime import timedelta

import pytest

from committees.services.committees import create_committee
from funders.selectors.analysis import add_months
from funders.selectors.compliance import committee_compliance, overview
from tests.funders.world import conference, convene, funders_meeting, move_to, today

pytestmark = pytest.mark.django_db


def test_a_committee_without_conference_is_behind(world):
    compliance = committee_compliance(world.cde)
    assert compliance.applies and compliance.behind
    assert compliance.last_held_on is None
    assert "Aucune conférence des financeurs tenue" in compliance.message


def test_a_conference_held_within_twelve_months_is_enough(world):
    day = add_months(today(), -12)
    conference(world.cde, world.ddets69, day=day)
    compliance = committee_compliance(world.cde)
    assert compliance.last_held_on == day
    assert not compliance.behind and compliance.message == ""


def test_a_conference_older_than_twelve_months_raises_the_warning(world):
    day = add_months(today(), -12) - timedelta(days=1)
    conference(world.cde, world.ddets69, day=day)
    compliance = committee_compliance(world.cde)
    assert compliance.behind
    assert f"{day:%d/%m/%Y}" in compliance.message


def test_a_planned_conference_is_not_held_yet(world):
    conference(world.cde, world.ddets69, day=today() + timedelta(days=10))
    compliance = committee_compliance(world.cde)
    assert compliance.behind
    assert compliance.next_planned_on == today() + timedelta(days=10)


def test_a_conference_held_as_a_meeting_counts_once_the_meeting_was_convened_and_held(world):
    meeting = funders_meeting(world, days=10)
    conference(world.cde, world.ddets69, meeting=meeting)
    assert committee_compliance(world.cde).next_planned_on == meeting.date
    move_to(meeting, today() - timedelta(days=3))  # never convened: it did not take place
    assert committee_compliance(world.cde).behind
    move_to(meeting, today() + timedelta(days=2))
    convene(world, meeting)
    move_to(meeting, today() - timedelta(days=3))
    compliance = committee_compliance(world.cde)
    assert not compliance.behind and compliance.last_held_on == meeting.date


def test_the_cre_and_committees_not_installed_have_no_yearly_duty(world):
    assert not committee_compliance(world.cre).behind
    draft = create_committee(
        level="local",
        name="CLE en préparation",
        region=world.territory.ara,
        departements=[world.territory.d69],
    )
    assert not committee_compliance(draft).behind


def test_the_overview_reads_in_one_query(world, django_assert_num_queries):
    conference(world.cde, world.ddets69)
    committees = [world.cde, world.cle, world.cde75]
    with django_assert_num_queries(1):
        rows = overview(committees)
    assert [row.behind for row in rows] == [False, True, False]
