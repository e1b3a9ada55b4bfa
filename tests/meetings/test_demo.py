"""The demo meetings seeder (``meetings.demo.seed_meetings``, run by ``seed_demo``)."""

import pytest
from django.core import mail

from committees.demo import seed_committees
from meetings.demo import CDE, CLE, seed_meetings
from meetings.models import Decision, Meeting, Minutes, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(territory, eager, media):
    seed_committees()
    return seed_meetings()


def test_the_demo_has_past_and_upcoming_meetings(seeded):
    assert len(seeded) == 9
    cde = {m.title: m for m in Meeting.objects.filter(committee__name=CDE)}
    plenary = cde["Séance plénière annuelle avec les présidents des comités locaux"]
    assert plenary.was_held and plenary.with_local_copresidents
    assert plenary.invitations.exclude(attendance="").exists()
    # A consensus decision, with its follow-up actions.
    consensus = plenary.decisions.filter(method=Decision.Method.CONSENSUS).first()
    assert consensus.objections and consensus.actions.count() == 2
    # Approved minutes and their PDF.
    minutes = plenary.minutes
    assert minutes.is_approved and minutes.pdf_status == Minutes.PdfStatus.READY
    with minutes.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # Minutes waiting for the Département; a convened plenary; an agenda awaiting validation.
    assert not cde["Commission inclusion et IAE : conventionnement des SIAE"].minutes.is_approved
    assert cde["Séance plénière de printemps"].is_convened
    assert cde["Instance technique : diagnostic territorial"].status == (
        Meeting.Status.PENDING_VALIDATION
    )
    # Issue 13: an agenda awaiting both co-presidents, a regional meeting still in preparation.
    bureau = cde["Bureau du comité : préparation de la séance d'automne"]
    assert bureau.status == Meeting.Status.PENDING_VALIDATION and not bureau.validations.exists()
    regional = Meeting.objects.get(title="Séance plénière régionale de fin d'année")
    assert regional.status == Meeting.Status.DRAFT and regional.committee.level == "regional"
    local = Meeting.objects.get(
        committee__name=CLE, title="Réunion du comité local : plan mobilité"
    )
    assert local.status == Meeting.Status.DRAFT


def test_the_demo_has_a_weighted_vote_settled_by_the_state(seeded):
    vote = Decision.objects.get(meeting__committee__name=CLE, method=Decision.Method.VOTE)
    assert (vote.votes_for, vote.votes_against) == (3, 3)
    assert vote.casting_vote_used and vote.outcome == Decision.Outcome.ADOPTED
    assert vote.ballots.filter(weight=2).exists()  # DEC-VOTES: the State's seat
    assert vote.meeting.minutes.pdf_status == Minutes.PdfStatus.READY


def test_the_demo_has_a_past_meeting_entered_after_the_fact_with_a_representative(seeded):
    # INS-DATES (entered after the fact), DEC-COPRESIDENCY (« le préfet ou son représentant »).
    meeting = Meeting.objects.get(committee__name=CDE, entered_after_the_fact=True)
    assert meeting.is_convened and meeting.convened_at is None
    assert not Notification.objects.filter(meeting=meeting).exists()
    prefect = meeting.invitations.get(attendance="delegate")
    assert prefect.is_state_copresident and prefect.delegate_name
    vote = meeting.decisions.get(method=Decision.Method.VOTE)
    assert vote.ballots.filter(invitation=prefect).exists()
    assert vote.quorum_reached and vote.outcome == Decision.Outcome.ADOPTED
    assert vote.casting_vote_used  # DEC-MAJORITY: the State's casting vote, by the representative
    assert meeting.minutes.is_approved
    assert meeting.minutes.approvals.filter(recorded_by__isnull=False).count() == 2


def test_the_demo_sends_no_email(seeded):
    assert mail.outbox == []
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_seeding_twice_changes_nothing(seeded):
    counts = (Meeting.objects.count(), Decision.objects.count(), Notification.objects.count())
    assert seed_meetings() == []
    assert (
        Meeting.objects.count(),
        Decision.objects.count(),
        Notification.objects.count(),
    ) == counts
