"""No dead ends: a link the portal shows a person leads to a page that person may open.

Each demo persona follows the links of the portal from the home page and the sitemap (GET
only). A link shown on a page must not answer 404 (a committee, sheet or subject out of the
person's reach offered as a link) nor 403 — except from the sitemap, which lists every page of
the portal with who may open it.
"""

import pytest

from cte_portal.core.demo import PERSONAS
from cte_portal.users.models import User
from tests.core.screens import crawl

pytestmark = pytest.mark.django_db

SITEMAP = "/plan-du-site/"


def test_no_persona_meets_a_dead_end(client, demo):
    dead_ends, pages = [], 0
    for persona in PERSONAS:
        client.logout()
        client.force_login(User.objects.get(email=persona.email))
        for visit in crawl(client, ["/", SITEMAP]):
            pages += 1
            if visit.status == 404 or (visit.status == 403 and visit.referrer != SITEMAP):
                dead_ends.append(f"[{persona.key}] {visit.referrer} → {visit.url} ({visit.status})")
    assert pages > 100
    assert not dead_ends, f"{len(dead_ends)} impasses :\n" + "\n".join(sorted(set(dead_ends)))
