"""Screens and PDFs speak plain French to every persona, on the seeded demo data.

Each demo persona (and a visitor who is not signed in) follows the links of the portal from the
home page and the sitemap, GET only; every page reached is read as users read it (text,
``title``, ``aria-label``, placeholders, button values), and every PDF the portal produces for
the demo committees is rendered and read back with ``pdftotext``. None may show a rule id
(``DEC-…``, ``INS-…``: those are for the code), Django's empty choice ``---------``, a Python
repr or an English label; every button has a visible label (no icon-only button).
"""

import pytest

from committees.file_jobs import _build as build_rules_pdf
from committees.models import RulesOfProcedure
from cte_portal.core.demo import PERSONAS
from cte_portal.users.models import User
from funders.models import FundersConference
from funders.selectors.analysis import OfferMap
from funders.services.exports import offer_map_pdf
from meetings.models import Minutes
from meetings.services.minutes import render_minutes
from regional_map.exports.builder import ExportScope, build_export
from roadmaps.models import Roadmap
from roadmaps.services.exports import generate_roadmap_pdf, request_pdf_export
from territories.models import Region
from tests.core.screens import crawl, parse, pdf_text, unlabelled_buttons, wording_problems

pytestmark = pytest.mark.django_db

START = ["/", "/plan-du-site/"]


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


def _demo_pdfs(client, tmp_path):
    """Every kind of PDF of the portal, rendered from the demo data as the tasks and the
    download views do."""
    admin = User.objects.get(email=PERSONAS[0].email)  # the national admin
    client.force_login(admin)
    for rules in RulesOfProcedure.objects.all():
        # As the background job builds it (``committees.file_jobs``).
        _name, content = build_rules_pdf(rules, "pdf", lambda percent: None)
        yield f"règlement intérieur {rules.pk}", content
    for minutes in Minutes.objects.all():
        yield f"compte rendu {minutes.pk}", render_minutes(minutes)
    for roadmap in Roadmap.objects.select_related("committee"):
        export = request_pdf_export(roadmap=roadmap, user=admin)
        generate_roadmap_pdf(export_id=export.pk)
        export.refresh_from_db()
        with export.file.open("rb") as handle:
            yield f"feuille de route {roadmap.pk}", handle.read()
    for conference in FundersConference.objects.all():
        yield f"carte de l'offre {conference.pk}", offer_map_pdf(OfferMap.build(conference))
    for region in Region.objects.filter(committees__isnull=False).distinct():
        path = build_export(scope=ExportScope(region=region), fmt="pdf", path=tmp_path / "map.pdf")
        yield f"cartographie {region.code}", path.read_bytes()


def test_every_pdf_of_the_demo_speaks_plain_french(client, demo, tmp_path):
    problems, kinds = [], set()
    for name, content in _demo_pdfs(client, tmp_path):
        kinds.add(name.split(" ")[0])
        problems += wording_problems(name, pdf_text(content))
    assert kinds == {"règlement", "compte", "feuille", "carte", "cartographie"}
    assert not problems, "\n".join(problems)
