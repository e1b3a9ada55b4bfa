"""Screens and PDFs speak plain French to every persona, on the seeded demo data.

Each demo persona (and a visitor who is not signed in) follows the links of the portal from the
home page and the sitemap, GET only; every page reached is read as users read it (text,
``title``, ``aria-label``, placeholders, button values), and every PDF the portal produces for
the demo committees is rendered and read back with ``pdftotext``. None may show a rule id
(``DEC-…``, ``INS-…``: those are for the code), Django's empty choice ``---------``, a Python
repr or an English label; every button has a visible label (no icon-only button).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from cte_portal.core.demo import PERSONAS
from cte_portal.users.models import User
from tests.core.screens import crawl, parse, pdf_text, unlabelled_buttons, wording_problems

pytestmark = pytest.mark.django_db

START = ["/", "/plan-du-site/"]


@pytest.fixture
def demo(territory, eager, media, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def _read(visit) -> str | None:
    if visit.content_type.startswith("text/html"):
        return parse(visit.url, visit.content.decode()).words
    if visit.content_type.startswith("application/pdf"):
        return pdf_text(visit.content)
    if visit.content_type.startswith(("text/csv", "text/plain")):
        return visit.content.decode("utf-8-sig", errors="replace")
    return None


def test_every_page_of_every_persona_speaks_plain_french_with_labelled_buttons(client, demo):
    wording, buttons, errors, pages = [], [], [], 0
    for persona in [None, *PERSONAS]:
        client.logout()
        who = "visiteur" if persona is None else persona.key
        if persona is not None:
            client.force_login(User.objects.get(email=persona.email))
        for visit in crawl(client, START):
            pages += 1
            where = f"[{who}] {visit.url}"
            if visit.status >= 500:
                errors.append(f"{where}: erreur {visit.status}")
            words = _read(visit)
            if words is None:
                continue
            wording += wording_problems(where, words)
            if visit.content_type.startswith("text/html"):
                buttons += unlabelled_buttons(parse(where, visit.content.decode()))
    assert pages > 100
    problems = sorted(set(errors)) + sorted(set(wording)) + sorted(set(buttons))
    assert not problems, f"{len(problems)} problèmes :\n" + "\n".join(problems)
