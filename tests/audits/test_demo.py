"""``seed_audits`` (run by ``seed_demo`` after the committees and meetings): a CLE referral in
the CDE's inbox, requests accepted after a vote, an audit under way, recommendations followed
(one overdue), reports received and late, commitments with a failure — idempotent."""

import pytest

from audits.demo import seed_audits
from audits.models import Audit, AuditEvent, Commitment, Recommendation, Report, ReportObligation
from audits.selectors import summarize
from audits.workflow import State
from cte_portal.core.demo import app_seeders
from cte_portal.users.models import User
from meetings.models import Meeting, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(territory, eager, media):  # the few rows of the Rhône the demo committees need
    return seed_audits()


def counts():
    return (
        Audit.objects.count(),
        AuditEvent.objects.count(),
        Recommendation.objects.count(),
        ReportObligation.objects.count(),
        Report.objects.count(),
        Commitment.objects.count(),
        Meeting.objects.count(),
    )


def test_the_demo_tells_the_whole_story(seeded):
    referral = seeded["referral"]
    assert referral.is_referral and referral.state == State.REQUESTED
    assert list(Audit.objects.referrals_to(referral.committee)) == [referral]
    accepted, delegated, france_travail = seeded["voted"]
    for audit in seeded["voted"]:
        assert audit.decision.method == "vote" and audit.decision.outcome == "adopted"
        assert audit.decision.meeting.committee == audit.committee
    assert Audit.objects.get(pk=accepted.pk).state == State.ACCEPTED
    delegated = Audit.objects.get(pk=delegated.pk)
    assert delegated.state == State.IN_PROGRESS and delegated.agreement.is_complete
    france_travail = Audit.objects.get(pk=france_travail.pk)
    assert france_travail.state == State.FOLLOW_UP
    assert [r.is_overdue() for r in france_travail.recommendations.all()] == [True, False, False]
    summaries = [summarize(o) for o in ReportObligation.objects.prefetch_related("reports")]
    assert any(s.received for s in summaries) and any(s.late for s in summaries)
    assert Commitment.objects.filter(status="failure").count() == 1
    # Demo data is never e-mailed.
    assert not Notification.objects.filter(skipped=False, sent_at__isnull=True).exists()


def test_the_member_persona_sees_the_france_travail_audit_only(seeded, client):

    member = User.objects.get(email="membre@cte-demo.example")
    assert list(Audit.objects.visible_to(member)) == [seeded["voted"][2]]
    ddets = User.objects.get(email="ddets.rhone@cte-demo.example")
    assert Audit.objects.visible_to(ddets).count() == 4


def test_seeding_twice_changes_nothing(seeded):
    before = counts()
    seed_audits()
    assert counts() == before


def test_seed_demo_runs_it_after_the_committees_and_meetings():
    seeders = [f"{seeder.__module__}.{seeder.__name__}" for seeder in app_seeders()]
    position = seeders.index("audits.demo.seed_audits")
    assert seeders.index("committees.demo.seed_committees") < position
    assert seeders.index("meetings.demo.seed_meetings") < position
