"""The demo seeder (``funders.demo.seed_funders``, run by ``seed_demo`` after the committees):
a realistic offer map for the Rhône CDE, a local conference with answered needs, conventions;
idempotent."""

import pytest

from committees.demo import seed_committees
from funders.demo import CDE, CLE, seed_funders
from funders.models import Convention, Funder, FundersConference, FundingLine, FundingNeed
from funders.selectors.analysis import OfferMap
from funders.selectors.compliance import committee_compliance

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Funder.objects.count(),
        FundersConference.objects.count(),
        FundingLine.objects.count(),
        FundingNeed.objects.count(),
        Convention.objects.count(),
    )


def test_the_demo_offer_map_shows_what_a_conference_discusses(territory):
    seed_committees()
    conferences = seed_funders()
    departmental, local = conferences[CDE], conferences[CLE]
    offer = OfferMap.build(departmental)
    schemes = " ".join(line.scheme for line in offer.lines)
    for word in (
        "FSE+",
        "PLIE",
        "insertion",
        "permis",
        "crèche",
        "Agefiph" if False else "handicap",
    ):
        assert word.lower() in schemes.lower(), word
    assert len(offer.lines) == 12
    assert [gap.line.scheme for gap in offer.incomplete_cofinancing] == [
        "PLIE du Beaujolais — parcours renforcés"
    ]
    assert len(offer.ending_soon) == 2
    # The Région's and the State's mobility aids for young people: to discuss.
    assert len(offer.overlaps) == 1
    assert {offer.overlaps[0].first.funder.kind, offer.overlaps[0].second.funder.kind} == {
        "state",
        "region",
    }
    statuses = sorted(need.status for need in local.needs.all())
    assert statuses == ["funded", "funded", "pending", "redirected", "unmet"]
    assert not committee_compliance(departmental.committee).behind
    renewal = Convention.objects.get(kind="insertion_employment")
    assert renewal.renewal_due()


def test_the_seeder_is_idempotent(territory):
    seed_committees()
    seed_funders()
    before = _counts()
    seed_funders()
    assert _counts() == before
