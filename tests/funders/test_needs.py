"""Local funding conferences (INS-FUNDERS): needs raised by the counsellors, answered by the
departmental conference of the committee above; every rule with a success and a refusal."""

from datetime import date

import pytest

from committees.services.committees import dissolve_committee
from cte_portal.core.errors import RuleError
from funders.models import FundingNeed
from funders.services.needs import answer_need, delete_need, needs_for, raise_need, update_need
from funders.services.offer import delete_line
from tests.funders.world import NEED, conference, line

pytestmark = pytest.mark.django_db


def _need(conference, user, **overrides):
    return raise_need(conference=conference, user=user, **{**NEED, **overrides})


def test_a_need_is_raised_at_a_local_conference(world, cle_conference):
    need = _need(cle_conference, world.ddets69)
    assert need.status == FundingNeed.Status.PENDING
    assert need.created_by == world.ddets69


def test_a_departmental_conference_raises_no_need(world, cde_conference):
    with pytest.raises(RuleError) as error:
        _need(cde_conference, world.ddets69)
    assert "conférence locale" in error.value.messages[0]
    assert not FundingNeed.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pathway_need": " "}, "pathway_need"),
        ({"territory": ""}, "territory"),
        ({"people_count": 0}, "people_count"),
        ({"public": "other"}, "public_detail"),
        ({"public": "aliens"}, "public"),
        ({"raised_by": ""}, "raised_by"),
        ({"access_difficulty": ""}, "access_difficulty"),
    ],
)
def test_an_incomplete_need_is_refused(world, cle_conference, overrides, field):
    with pytest.raises(RuleError) as error:
        _need(cle_conference, world.ddets69, **overrides)
    assert error.value.field == field
    assert not FundingNeed.objects.exists()


def test_a_dissolved_committee_raises_no_need(world, cle_conference):
    dissolve_committee(committee=world.cle, dissolved_on=date(2026, 1, 1))
    cle_conference.committee.refresh_from_db()
    with pytest.raises(RuleError):
        _need(cle_conference, world.ddets69)


def test_the_departmental_conference_above_sees_the_needs(world, cde_conference, cle_conference):
    need = _need(cle_conference, world.ddets69)
    assert list(needs_for(cde_conference)) == [need]
    other_cde = conference(world.cde75, world.ddets75)
    assert list(needs_for(other_cde)) == []


def test_a_need_is_funded_by_a_line_of_the_departmental_conference(
    world, cde_conference, cle_conference, funders
):
    need = _need(cle_conference, world.ddets69)
    creche = line(cde_conference, funders["caf"], scheme="Crèches AVIP", public="single_parents")
    answered = answer_need(
        need=need,
        conference=cde_conference,
        user=world.ddets69,
        status="funded",
        funding_line=creche,
        answer_comment="Huit places réservées.",
    )
    assert answered.status == "funded" and answered.funding_line == creche
    assert answered.answered_in == cde_conference and answered.answered_at is not None


def test_funded_needs_a_line_of_that_conference(world, cde_conference, cle_conference, funders):
    need = _need(cle_conference, world.ddets69)
    with pytest.raises(RuleError) as error:
        answer_need(need=need, conference=cde_conference, user=world.ddets69, status="funded")
    assert error.value.field == "funding_line"
    older = conference(world.cde, world.ddets69, title="Conférence 2025", day=date(2025, 3, 1))
    old_line = line(older, funders["caf"])
    with pytest.raises(RuleError):
        answer_need(
            need=need,
            conference=cde_conference,
            user=world.ddets69,
            status="funded",
            funding_line=old_line,
        )
    need.refresh_from_db()
    assert need.status == "pending"


def test_redirected_and_unmet_answers_say_where_and_why(world, cde_conference, cle_conference):
    need = _need(cle_conference, world.ddets69)
    with pytest.raises(RuleError) as error:
        answer_need(need=need, conference=cde_conference, user=world.ddets69, status="redirected")
    assert error.value.field == "redirected_to"
    with pytest.raises(RuleError) as error:
        answer_need(need=need, conference=cde_conference, user=world.ddets69, status="unmet")
    assert error.value.field == "unmet_reason"
    with pytest.raises(RuleError) as error:
        answer_need(need=need, conference=cde_conference, user=world.ddets69, status="pending")
    assert error.value.field == "status"
    answered = answer_need(
        need=need,
        conference=cde_conference,
        user=world.ddets69,
        status="unmet",
        unmet_reason="Aucune ligne ne finance la garde en horaires décalés en 2026.",
        redirected_to="ignored",
    )
    assert answered.status == "unmet" and answered.redirected_to == ""
    revised = answer_need(
        need=need,
        conference=cde_conference,
        user=world.ddets69,
        status="redirected",
        redirected_to="Fonds départemental d'insertion",
    )
    assert revised.status == "redirected" and revised.unmet_reason == ""


def test_only_the_departmental_conference_above_answers(world, cle_conference):
    need = _need(cle_conference, world.ddets69)
    other_cde = conference(world.cde75, world.ddets75)
    with pytest.raises(RuleError):
        answer_need(
            need=need, conference=other_cde, user=world.ddets75, status="unmet", unmet_reason="x"
        )
    another_local = conference(world.cle, world.ddets69, title="Autre conférence locale")
    with pytest.raises(RuleError):
        answer_need(
            need=need,
            conference=another_local,
            user=world.ddets69,
            status="unmet",
            unmet_reason="x",
        )
    need.refresh_from_db()
    assert need.status == "pending"


def test_an_answered_need_no_longer_changes_on_the_local_side(
    world, cde_conference, cle_conference
):
    need = _need(cle_conference, world.ddets69)
    update_need(need=need, **{**NEED, "people_count": 10})
    need.refresh_from_db()
    assert need.people_count == 10
    answer_need(
        need=need, conference=cde_conference, user=world.ddets69, status="unmet", unmet_reason="x"
    )
    with pytest.raises(RuleError):
        update_need(need=need, **{**NEED, "people_count": 12})
    with pytest.raises(RuleError):
        delete_need(need=need)
    need.refresh_from_db()
    assert need.people_count == 10


def test_a_pending_need_is_withdrawn(world, cle_conference):
    need = _need(cle_conference, world.ddets69)
    delete_need(need=need)
    assert not FundingNeed.objects.exists()


def test_a_line_funding_a_need_is_not_deleted(world, cde_conference, cle_conference, funders):

    need = _need(cle_conference, world.ddets69)
    creche = line(cde_conference, funders["caf"])
    answer_need(
        need=need,
        conference=cde_conference,
        user=world.ddets69,
        status="funded",
        funding_line=creche,
    )
    with pytest.raises(RuleError):
        delete_line(line=creche)
    assert creche.__class__.objects.filter(pk=creche.pk).exists()
