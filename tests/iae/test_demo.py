"""``seed_iae`` (run by ``seed_demo`` after the committees and meetings): requests of the CDE du
Rhône, opinions voted and by consensus at the IAE commission's meeting, notices sent, files
waiting for the commission — idempotent."""

import pytest

from cte_portal.core.demo import app_seeders
from iae.demo import seed_iae
from iae.models import IaeOpinion, IaeRequest, RequestStatus
from iae.siret import is_valid_siret
from meetings.demo import seed_meetings

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(territory, eager, media):
    seed_meetings()  # the commission's meeting the opinions are linked to
    return seed_iae()


def test_the_demo_shows_iae_commission_opinions(seeded):
    assert len(seeded) == 5
    assert all(is_valid_siret(item.siret) for item in seeded)
    statuses = sorted(IaeRequest.objects.values_list("status", flat=True))
    assert statuses.count(RequestStatus.NOTICE_SENT) == 2
    assert statuses.count(RequestStatus.OPINION_GIVEN) == 1
    assert statuses.count(RequestStatus.RECEIVED) == 2
    voted = IaeOpinion.objects.filter(method=IaeOpinion.Method.VOTE)
    assert voted.count() == 2
    assert all(o.meeting is not None and o.meeting.commission.kind == "iae" for o in voted)
    assert IaeOpinion.objects.filter(method=IaeOpinion.Method.CONSENSUS).count() == 1
    member_files = IaeRequest.objects.visible_to(
        seeded[0].committee.commissions.get(kind="iae").members.get().person
    )
    assert member_files.count() == 5


def test_the_demo_runs_twice(seeded):
    before = (IaeRequest.objects.count(), IaeOpinion.objects.count())
    assert seed_iae() == []
    assert (IaeRequest.objects.count(), IaeOpinion.objects.count()) == before


def test_the_iae_seeder_runs_after_the_meetings_one():
    seeders = [f"{s.__module__}.{s.__name__}" for s in app_seeders()]
    assert seeders.index("iae.demo.seed_iae") > seeders.index("meetings.demo.seed_meetings")
