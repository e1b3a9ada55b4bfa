from datetime import date, timedelta

import pytest

from committees.models import CoPresidency, Membership
from committees.permissions import can_copreside, can_view_committee
from committees.tasks import resync_permissions
from tests.committees.composition_helpers import copresident, make_cle
from tests.factories.committees import MembershipFactory
from tests.factories.territories import COMPOSITION, build_territory

pytestmark = pytest.mark.django_db


def test_nightly_resync_revokes_what_ended_without_a_service_call():
    cle = make_cle(build_territory(COMPOSITION))
    chair = copresident(cle, CoPresidency.Side.STATE, started_on=date(2024, 9, 1))
    member = MembershipFactory(committee=cle)
    assert can_copreside(chair.person, cle)
    assert can_view_committee(member.person, cle)
    # Time passes: the co-presidency ended yesterday (its end was dated in advance) and the
    # member's mandate ran out (DEC-MANDATE). No service ran since.
    yesterday = date.today() - timedelta(days=1)
    CoPresidency.objects.filter(pk=chair.pk).update(ended_on=yesterday)
    Membership.objects.filter(pk=member.pk).update(mandate_end=yesterday)
    chair_user = type(chair.person).objects.get(pk=chair.person_id)
    member_user = type(member.person).objects.get(pk=member.person_id)
    assert can_copreside(chair_user, cle)  # stale until the resync

    assert resync_permissions.delay().get() == 1

    chair_user = type(chair.person).objects.get(pk=chair.person_id)
    member_user = type(member.person).objects.get(pk=member.person_id)
    assert not can_copreside(chair_user, cle)
    assert not can_view_committee(chair_user, cle)
    assert not can_view_committee(member_user, cle)


def test_nightly_resync_keeps_what_still_holds():
    cle = make_cle(build_territory(COMPOSITION))
    chair = copresident(cle, CoPresidency.Side.STATE)
    resync_permissions.delay().get()
    assert can_copreside(type(chair.person).objects.get(pk=chair.person_id), cle)
