"""After ``seed_demo``, every demo persona lands on a page with work waiting (issue 13): the
co-presidents have an agenda to validate, the Département's co-president minutes to approve, the DDETS agent meetings to prepare and follow up, a committee to install and
mandates to renew, the DREETS agent a regional meeting to prepare and an invitation without
answer, the admin the same invitation, the France Travail member an answer owed."""

from io import StringIO

import pytest
from django.core.management import call_command

from cte_portal.core.demo import seed_users
from cte_portal.core.inbox import inbox_items

pytestmark = pytest.mark.django_db


def test_every_demo_persona_has_pending_items(territory, eager, media, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    personas = seed_users()

    def kinds(key):
        return {item.kind for item in inbox_items(personas[key])}

    assert "meeting_validation" in kinds("prefect")
    assert {"meeting_validation", "minutes_approval"} <= kinds("elected")
    assert {
        "meeting_preparation",
        "answers_missing",
        "installation",
        "mandates",
        "roadmap_publication",
    } <= kinds("ddets")
    assert {"meeting_preparation", "invitations"} <= kinds("dreets")
    assert "invitations" in kinds("admin")
    assert {"answer_owed", "next_meetings"} <= kinds("member")
