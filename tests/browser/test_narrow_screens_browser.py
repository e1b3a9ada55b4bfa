"""Tables keep their actions reachable on a 390 px wide phone, on the seeded demo data.

The pages the DDETS and DREETS demo personas reach (crawled through links, as in
``tests/core/test_words_on_screens.py``) that hold a table with links or buttons are opened in
Chromium at 390 × 844: the page itself never grows wider than the screen (a table scrolls
inside its DSFR container), and every link or button of every table can be brought into view
(scrolled to, as a finger or the keyboard does) inside the screen, in a container that lets
the user scroll. Public dashboards fold their data tables behind « Voir les données ».
"""

import contextlib
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cte_portal.core.demo import DEMO_PASSWORD, PERSONAS
from cte_portal.users.models import User
from roadmaps.models import Roadmap
from tests.core.screens import crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# For every table control: scroll it into view as the browser does for focus, then check it
# lies inside the screen and that no ancestor hides the part of the table it sits in.
UNREACHABLE = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`la page déborde : ${document.documentElement.scrollWidth} px`);
  }
  for (const el of document.querySelectorAll(
      'table a[href], table button, table input[type=submit]')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.offsetParent) continue;
    el.scrollIntoView({block: 'center', inline: 'center'});
    const box = el.getBoundingClientRect();
    const label = (el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
    if (box.width === 0 || box.left < -1 || box.right > width + 1) {
      problems.push(`« ${label} » hors de l'écran (${Math.round(box.left)} à ${Math.round(box.right)} px)`);
      continue;
    }
    for (let node = el.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (node.scrollLeft > 0 && (overflow === 'hidden' || overflow === 'clip')) {
        problems.push(`« ${label} » masqué par un conteneur qui ne défile pas`);
        break;
      }
    }
    window.scrollTo(0, 0);
  }
  return problems;
}"""


WIDE_TABLE = """<!DOCTYPE html><html lang="fr"><body style="margin:0">
<div style="{container}"><table style="width:1200px"><tr><td style="width:1100px">Comité</td>
<td><a href="/comites/1/">Modifier</a></td></tr></table></div></body></html>"""


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(
    ("container", "reachable"),
    [("overflow-x:auto", True), ("overflow-x:hidden", False), ("", False)],
    ids=["scrolls", "clipped", "page-overflows"],
)
def test_the_check_tells_a_reachable_action_from_a_hidden_one(page, container, reachable):
    # A table scrolling in its container is fine; one clipped by its container, or one that
    # makes the whole page wider than the phone, is not.
    page.set_viewport_size(PHONE)
    page.set_content(WIDE_TABLE.format(container=container))
    assert (page.evaluate(UNREACHABLE) == []) is reachable


@pytest.fixture
def demo(territory, settings):
    settings.DEBUG = True  # seed_demo runs with DEBUG only
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def _pages_with_table_actions(persona) -> list[str]:
    client = Client()
    client.force_login(User.objects.get(email=persona.email))
    urls = []
    for visit in crawl(client, ["/", "/plan-du-site/"], per_shape=2, limit=250):
        if not visit.content_type.startswith("text/html") or visit.status != 200:
            continue
        html = visit.content.decode()
        if any(
            re.search(r"<a [^>]*href|<button", table)
            for table in re.findall(r"<table.*?</table>", html, re.S)
        ):
            urls.append(visit.url)
    return urls


SETTLED = """() => document.fonts.status === 'loaded'
  && document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"""


def _let_the_layout_settle(page) -> None:
    # While a loaded page is still being laid out (fonts swapping, DSFR scripts starting), it
    # can be wider than the screen for a frame or two; the check judges the page at rest. A page
    # still wider after two seconds is reported by ``UNREACHABLE``.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(SETTLED, timeout=2000)


def _sign_in(page, live_server, persona) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique", exact=True).fill(persona.email)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("key", ["ddets", "dreets"])
def test_table_actions_stay_reachable_at_390_px(live_server, page, demo, key):
    persona = next(p for p in PERSONAS if p.key == key)
    urls = _pages_with_table_actions(persona)
    assert len(urls) >= 5
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, persona)
    problems = []
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        _let_the_layout_settle(page)
        problems += [f"{url} : {problem}" for problem in page.evaluate(UNREACHABLE)]
    assert not problems, "\n".join(problems)


def test_public_dashboards_fold_their_data_tables(live_server, page, demo):
    visitor = Client()
    urls = [
        f"/donnees-ouvertes/comites/{roadmap.committee_id}/"
        for roadmap in Roadmap.objects.filter(published_version__isnull=False)
    ]
    url = next(u for u in urls if "cte-chart-data" in visitor.get(u).content.decode())
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{url}")
    disclosure = page.locator("details.cte-chart-data").first
    table = disclosure.locator("table")
    expect(table).to_be_hidden()
    disclosure.get_by_text("Voir les données").click()
    expect(table).to_be_visible()
