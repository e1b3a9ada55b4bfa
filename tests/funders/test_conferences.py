"""Funders and funders' conferences (INS-FUNDERS): every rule with a success and a refusal;
a conference held as a meeting takes the meeting's date, decisions and minutes."""

from datetime import date, timedelta

import pytest

from committees.services.committees import dissolve_committee
from cte_portal.core.errors import RuleError
from funders.models import ConferenceComment, Funder, FundersConference
from funders.services.conferences import (
    add_comment,
    add_funder,
    create_conference,
    update_conference,
    update_funder,
)
from meetings.models import Meeting
from meetings.services.planning import cancel_meeting
from tests.funders.world import conference, funder, funders_meeting, line, today

pytestmark = pytest.mark.django_db


def _fields(conf, **overrides):
    values = {
        "title": conf.title,
        "year": conf.year,
        "date": conf.date,
        "meeting": conf.meeting,
        "funders": list(conf.funders.all()),
        "decisions": conf.decisions,
        "minutes": conf.minutes,
    }
    values.update(overrides)
    return values


# --- Funders' directory -------------------------------------------------------------------------------


def test_a_funder_is_added_with_its_contact_invited(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = add_funder(
            committee=world.cde,
            kind="other",
            name="Agefiph Auvergne-Rhône-Alpes",
            contact_email="Delegation.ARA@agefiph.example",
            contact_first_name="Inès",
            contact_last_name="Morel",
            contact_phone="04 00 00 00 00",
        )
    assert created.contact.email == "delegation.ara@agefiph.example"
    assert created.contact.organisation == "Agefiph Auvergne-Rhône-Alpes"
    assert len(mailoutbox) == 1  # the invitation to choose a password


def test_an_existing_account_becomes_the_contact(world):
    created = funder(world.cde, "France Travail Rhône", "france_travail", email=world.member.email)
    assert created.contact == world.member


def test_two_funders_of_a_committee_cannot_share_a_name(world):
    funder(world.cde, "CAF du Rhône", "other")
    with pytest.raises(RuleError) as error:
        funder(world.cde, "caf du rhone", "other")
    assert error.value.field == "name"
    funder(world.cle, "CAF du Rhône", "other")  # another committee's directory
    assert Funder.objects.filter(committee=world.cde).count() == 1


def test_a_funder_needs_a_known_kind_and_a_contact(world):
    with pytest.raises(RuleError):
        funder(world.cde, "Martiens", "martians")
    with pytest.raises(RuleError):
        add_funder(
            committee=world.cde,
            kind="state",
            name="État",
            contact_email=" ",
            contact_first_name="",
            contact_last_name="",
        )
    assert not Funder.objects.exists()


def test_a_funder_is_renamed_and_its_contact_changed(world):
    created = funder(world.cde, "CAF", "other")
    update_funder(
        funder=created,
        kind="other",
        name="CAF du Rhône",
        contact_email=world.member.email,
    )
    created.refresh_from_db()
    assert created.name == "CAF du Rhône" and created.contact == world.member


def test_a_dissolved_committee_adds_no_funder(world):
    dissolve_committee(committee=world.cle, dissolved_on=date(2026, 1, 1))
    with pytest.raises(RuleError):
        funder(world.cle, "CAF du Rhône", "other")


# --- Conferences ---------------------------------------------------------------------------------------


def test_a_conference_takes_its_committee_level(world, funders):
    cde = conference(world.cde, world.ddets69, funders=[funders["state"], funders["caf"]])
    cle = conference(world.cle, world.ddets69, title="Conférence de financement")
    assert cde.level == "departmental" and cde.is_departmental
    assert cle.level == "local" and cle.is_local
    assert set(cde.funders.all()) == {funders["state"], funders["caf"]}
    assert cde.created_by == world.ddets69


def test_a_dissolved_committee_convenes_no_conference(world):
    dissolve_committee(committee=world.cle, dissolved_on=date(2026, 1, 1))
    with pytest.raises(RuleError):
        conference(world.cle, world.ddets69)
    assert not FundersConference.objects.exists()


def test_the_year_matches_the_date(world):
    with pytest.raises(RuleError) as error:
        create_conference(
            committee=world.cde, user=world.ddets69, title="2030", year=2030, date=date(2026, 3, 1)
        )
    assert error.value.field == "year"
    created = create_conference(
        committee=world.cde,
        user=world.ddets69,
        title="Conférence 2027, préparée en décembre",
        year=2027,
        date=date(2026, 12, 10),
    )
    assert created.year == 2027


def test_a_conference_needs_a_title_and_a_date(world):
    with pytest.raises(RuleError) as error:
        create_conference(committee=world.cde, user=world.ddets69, title="", year=2026)
    assert error.value.field == "title"
    with pytest.raises(RuleError) as error:
        create_conference(committee=world.cde, user=world.ddets69, title="Sans date", year=2026)
    assert error.value.field == "date"


def test_only_the_committee_funders_take_part(world, funders):
    foreign = funder(world.cde75, "Ville de Paris", "communes_epci")
    with pytest.raises(RuleError) as error:
        conference(world.cde, world.ddets69, funders=[funders["state"], foreign])
    assert error.value.field == "funders"


def test_held_as_a_meeting_the_conference_takes_its_date(world):
    meeting = funders_meeting(world, days=15)
    created = conference(
        world.cde, world.ddets69, meeting=meeting, day=today() - timedelta(days=400)
    )
    assert created.date == meeting.date == created.effective_date
    assert meeting.funders_conference == created


def test_held_as_a_meeting_its_minutes_are_the_meeting_s(world):
    meeting = funders_meeting(world)
    with pytest.raises(RuleError) as error:
        conference(world.cde, world.ddets69, meeting=meeting, minutes="Un compte rendu à part.")
    assert error.value.field == "minutes"
    with pytest.raises(RuleError):
        conference(world.cde, world.ddets69, meeting=meeting, decisions="Une décision à part.")
    assert not FundersConference.objects.exists()


def test_the_meeting_must_be_a_funders_conference_of_the_same_committee(world):
    plenary = funders_meeting(world, kind=Meeting.Kind.PLENARY)
    with pytest.raises(RuleError) as error:
        conference(world.cde, world.ddets69, meeting=plenary)
    assert "Conférence des financeurs" in error.value.messages[0]
    other = funders_meeting(world, committee=world.cle)
    with pytest.raises(RuleError) as error:
        conference(world.cde, world.ddets69, meeting=other)
    assert error.value.field == "meeting"
    assert not FundersConference.objects.exists()


def test_a_cancelled_meeting_cannot_hold_a_conference(world):
    meeting = funders_meeting(world)
    cancel_meeting(meeting=meeting, user=world.ddets69, reason="Report")
    meeting.refresh_from_db()
    with pytest.raises(RuleError) as error:
        conference(world.cde, world.ddets69, meeting=meeting)
    assert "annulée" in error.value.messages[0]


def test_a_meeting_holds_one_conference_only(world):
    meeting = funders_meeting(world)
    conference(world.cde, world.ddets69, meeting=meeting)
    with pytest.raises(RuleError) as error:
        conference(world.cde, world.ddets69, title="Bis", meeting=meeting)
    assert "déjà liée" in error.value.messages[0]


def test_unlinking_the_meeting_keeps_its_date(world):
    meeting = funders_meeting(world, days=12)
    created = conference(world.cde, world.ddets69, meeting=meeting)
    update_conference(conference=created, **_fields(created, meeting=None, date=None))
    created.refresh_from_db()
    assert created.meeting is None and created.date == meeting.date


def test_linking_an_existing_conference_to_a_meeting(world):
    created = conference(world.cde, world.ddets69, minutes="Notes provisoires")
    meeting = funders_meeting(world, days=5)
    with pytest.raises(RuleError):
        update_conference(conference=created, **_fields(created, meeting=meeting))
    update_conference(conference=created, **_fields(created, meeting=meeting, minutes=""))
    created.refresh_from_db()
    assert created.meeting == meeting and created.date == meeting.date


def test_a_funder_carrying_lines_stays_in_the_conference(world, funders, cde_conference):
    line(cde_conference, funders["state"])
    with pytest.raises(RuleError) as error:
        update_conference(conference=cde_conference, **_fields(cde_conference, funders=[]))
    assert error.value.field == "funders"
    assert funders["state"] in cde_conference.funders.all()
    update_conference(
        conference=cde_conference, **_fields(cde_conference, funders=[funders["state"]])
    )


def test_minutes_and_decisions_of_a_conference_held_on_its_own(world, cde_conference):
    update_conference(
        conference=cde_conference,
        **_fields(cde_conference, decisions="Règle de cofinancement adoptée.", minutes="Échanges."),
    )
    cde_conference.refresh_from_db()
    assert cde_conference.decisions == "Règle de cofinancement adoptée."


# --- Comments -----------------------------------------------------------------------------------------


def test_a_comment_is_recorded(world, cde_conference):
    comment = add_comment(conference=cde_conference, user=world.prefet, body="  D'accord.  ")
    assert comment.body == "D'accord." and comment.author == world.prefet


def test_an_empty_or_too_long_comment_is_refused(world, cde_conference):
    with pytest.raises(RuleError):
        add_comment(conference=cde_conference, user=world.prefet, body="   ")
    with pytest.raises(RuleError):
        add_comment(conference=cde_conference, user=world.prefet, body="x" * 5001)
    assert not ConferenceComment.objects.exists()
