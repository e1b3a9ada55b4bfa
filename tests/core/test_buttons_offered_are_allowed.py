"""A button offered is a button allowed (issue 13), across a committee and its children.

Each persona of a realistic world (an admin of the DGEFP, the region's DREETS agent, the
DDETS agent who runs the committee's secretariat, both co-presidents, a plain member, France
Travail's agent on the committee, a DDETS agent of another département) opens the main pages
of the CDE of the Rhône and of what hangs from it: the committee and its composition, its
meetings (one in preparation, one awaiting the co-presidents, one convened), its roadmap
(submitted) and one of its action sheets, a CLE's roadmap (in draft) and sheet, the funders'
conferences of the CDE (with a funding line) and of the CLE (with a need raised), the audits
page and an audit request, and the person's own page.

On each page, every action offered must be allowed:

- each ``<form method="post">`` is sent with its hidden fields (and each named button in
  turn): the answer is not a refusal (403, 404) nor a wrong method (405);
- each link to a write page (an address ending with an action word: ``/modifier/``,
  ``/ajouter/``, ``/supprimer/``…; see ``WRITE_WORDS``) opens (200), and the forms of that page
  that post to it are not refused either (so a confirmation page's button works too).

Each POST runs in a transaction rolled back afterwards, so that every check sees the same
world. The converse: each action offered to the staff and not to a persona is refused to
that persona (403 on a page they see; 404 for the DDETS agent of the Ain, who must not learn
that the Rhône's committee exists), and a few key actions are named.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.urls.resolvers import URLPattern, URLResolver

from audits.services.audits import request_audit
from committees.models import Membership
from committees.models.rules import Category
from cte_portal.core.once import FIELD as ONCE_FIELD
from funders.services.needs import raise_need
from meetings.services.convocation import submit_for_validation
from roadmaps.services import lifecycle
from tests.audits.world import build_world
from tests.factories.meetings import convene, make_meeting
from tests.funders.world import NEED, conference, funder, line
from tests.roadmaps.world import build_roadmap, first_sheet

pytestmark = pytest.mark.django_db

REFUSED = (403, 404, 405)

# The namespaces whose pages the personas visit here.
NAMESPACES = ("committees", "meetings", "roadmaps", "funders", "audits")

# The last word of an address that opens a write page (a form, a confirmation): the words
# of the url patterns of ``NAMESPACES``. ``READ_WORDS`` are the others; a new address must be
# put in one of them (``test_every_address_word_is_classified``), so that no write page
# escapes the check for want of a word.
WRITE_WORDS = {
    "accord",
    "adopter",
    "affecter",
    "ajouter",
    "annuler",
    "approbation-anterieure",
    "approuver",
    "avancement",
    "bonne-pratique",
    "car",
    "cible",
    "cloturer",
    "commentaires",
    "creer",
    "decision",
    "delegataire",
    "demande",
    "demande-audit",
    "demander-approbation",
    "demander-des-modifications",
    "demander-modifications",
    "demarrer",
    "deplacer",
    "deposer",
    "desactiver",
    "dissoudre",
    "export-pdf",
    "fin",
    "import",
    "inscrire",
    "installer",
    "inviter",
    "modifier",
    "nouveau",
    "nouvelle",
    "perimetre",
    "presences",
    "publier",
    "rapport",
    "rattachement",
    "reactiver",
    "realisee",
    "rediger",
    "reexamen",
    "refus",
    "relancer",
    "remplacer",
    "renouveler",
    "repondre",
    "reponse",
    "resoumettre",
    "retirer",
    "saisir",
    "soumettre",
    "suppleant",
    "supprimer",
    "tenue",
    "valider",
    "vote",
    "votes-verifies",
}
READ_WORDS = {
    "",
    "agents",
    "analyse",
    "audits",
    "bassins-emploi",
    "bonnes-pratiques",
    "comites",
    "commissions",
    "comparer",
    "composition",
    "compte-rendu",
    "comptes",
    "comptes-rendus",
    "document",
    "engagements",
    "etat",
    "feuilles-de-route",
    "financeurs",
    "historique",
    "indicateurs",
    "lignes",
    "organismes",
    "pdf",
    "preuve",
    "quorum",
    "reglement-interieur",
    "remontees",
    "remontees-nationales",
    "reunions",
    "rotation-crefop",  # read by whoever sees the CRE; saved by its secretariat only
    "statut",
    "suivi",  # the follow-up pages; the audit's follow-up step is in WRITE_NAMES
    "tableau-de-bord",
    "telecharger",
    "versions",
}
# Write pages whose last word also names read pages elsewhere.
WRITE_NAMES = {"audits:follow_up"}


def last_word(route: str) -> str | None:
    """The last literal word of a route (``membres/<int:pk>/modifier/`` → ``modifier``), or
    ``None`` when it ends with a parameter or a file name (a download)."""
    word = route.rstrip("/$").rsplit("/", 1)[-1]
    if word.startswith(("<", "(", "^")) or "." in word:
        return None
    return word


def is_write_page(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.namespace not in NAMESPACES:
        return False
    return match.view_name in WRITE_NAMES or last_word(match.route) in WRITE_WORDS


class Page(HTMLParser):
    """The post forms (action, hidden fields, named submit buttons) and the links of a page."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "data": {}, "buttons": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            # The one-time token is left out: a second form of the same page would otherwise
            # be answered "already sent" without its view running (``core.once``).
            if attrs.get("type") == "hidden" and attrs["name"] != ONCE_FIELD:
                self._form["data"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "button" and self._form is not None and attrs.get("name"):
            self._form["buttons"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def post_and_roll_back(client, action: str, data: dict) -> int:
    with transaction.atomic():
        status = client.post(action, data).status_code
        transaction.set_rollback(True)
    return status


# --- The world ------------------------------------------------------------------------------------


@dataclass
class Scenery:
    world: object
    personas: dict  # name → user
    pages: dict  # name → address
    objects: dict  # name → the objects the key refusals address


def build_scenery() -> Scenery:
    """The audits tests' world (the CDE of the Rhône with its people, two CLEs under it, a
    CDE of the Ain…), with meetings, roadmaps, funders' conferences and an audit request
    added through the services."""
    w = build_world()
    scene = w.scene
    draft = make_meeting(scene, title="Séance en préparation")
    pending = make_meeting(scene, title="Séance à valider")
    submit_for_validation(meeting=pending, user=w.secretariat)
    convened = convene(scene, make_meeting(scene, title="Séance convoquée"))
    roadmap = build_roadmap(w.cde, w.secretariat)
    lifecycle.submit_roadmap(roadmap=roadmap, user=w.secretariat)
    cle_roadmap = build_roadmap(w.cle_a, w.secretariat)
    state_funder = funder(w.cde, "DREETS Auvergne-Rhône-Alpes")
    cde_conference = conference(w.cde, w.secretariat, funders=[state_funder])
    line(cde_conference, state_funder)
    cle_conference = conference(w.cle_a, w.secretariat, title="Conférence locale 2026")
    raise_need(conference=cle_conference, user=w.secretariat, **NEED)
    audit = request_audit(
        committee=w.cde,
        user=w.secretariat,
        audited_body=w.ft,
        scope_missions="Accompagnement intensif des jeunes",
        facts="Délais d'accès à un conseiller de plus de huit semaines.",
    )
    france_travail = Membership.objects.get(
        committee=w.cde, category=Category.FRANCE_TRAVAIL
    ).person
    cde = w.cde.pk
    return Scenery(
        world=w,
        personas={
            "admin": w.admin,
            "dreets": w.dreets,
            "secretariat": w.secretariat,  # DDETS du Rhône
            "state": w.state,  # the préfète, State co-president
            "local": w.local,  # the president of the conseil départemental
            "member": w.voter,  # employers' organisations, with a vote
            "france_travail": france_travail,  # contributes to the roadmap (INS-ROADMAP)
            "ddets_ain": w.ddets_ain,  # a DDETS agent of another département
        },
        pages={
            "landing": "/",
            "committee": reverse("committees:detail", args=[cde]),
            "composition": reverse("committees:composition", args=[cde]),
            "meetings": reverse("meetings:committee_list", args=[cde]),
            "draft_meeting": reverse("meetings:detail", args=[draft.pk]),
            "pending_meeting": reverse("meetings:detail", args=[pending.pk]),
            "convened_meeting": reverse("meetings:detail", args=[convened.pk]),
            "roadmap": reverse("roadmaps:committee", args=[cde]),  # redirects to the roadmap
            "sheet": reverse("roadmaps:sheet", args=[first_sheet(roadmap).pk]),
            "cle_roadmap": reverse("roadmaps:detail", args=[cle_roadmap.pk]),
            "cle_sheet": reverse("roadmaps:sheet", args=[first_sheet(cle_roadmap).pk]),
            "funders": reverse("funders:committee", args=[cde]),
            "conference": reverse("funders:conference", args=[cde_conference.pk]),
            "lines": reverse("funders:lines", args=[cde_conference.pk]),
            "cle_conference": reverse("funders:conference", args=[cle_conference.pk]),
            "audits": reverse("audits:committee", args=[cde]),
            "audit": reverse("audits:detail", args=[audit.pk]),
        },
        objects={
            "convened": convened,
            "roadmap": roadmap,
            "conference": cde_conference,
            "audit": audit,
            "membership": w.scene.voters[Category.EMPLOYER_ORGS],
        },
    )


@pytest.fixture
def scenery(eager, media):
    return build_scenery()


# --- A button offered is a button allowed ---------------------------------------------------------


@dataclass(frozen=True)
class Action:
    method: str  # "GET": a link to a write page; "POST": a form
    path: str

    @property
    def view_name(self) -> str:
        return resolve(self.path).view_name


class Visitor:
    """One persona's visit of the pages: the actions each page offers and, when
    ``check``, the offers refused.

    The same action offered on many rows of a page (each member's "Modifier"…) is checked on
    its first ``PER_ACTION`` rows: enough to catch a rule that depends on the row (a
    substitute, a co-presidency) while keeping the test under a minute."""

    PER_ACTION = 2

    def __init__(self, client, persona: str, user, *, check: bool = True):
        self.client, self.persona, self.check = client, persona, check
        client.force_login(user)
        self.seen: dict[str, int] = {}  # page name → status
        self.offered: dict[str, set[Action]] = {}  # page name → the actions it offers
        self.refused: list[str] = []
        self.forms_sent = self.links_opened = 0
        self._done: set[str] = set()
        self._per_action: dict[tuple[str, str], int] = {}

    def visit(self, pages: dict) -> "Visitor":
        for name, url in pages.items():
            response = self.client.get(url, follow=True)
            self.seen[name] = response.status_code
            self.offered[name] = set()
            if response.status_code != 200:
                continue
            page_url = response.request["PATH_INFO"]
            page = parse(response)
            for form in page.forms:
                action = Action("POST", urlsplit(form["action"] or page_url).path)
                if action.view_name != "logout":
                    self.offered[name].add(action)
                    if self.check:
                        self._send(page_url, form)
            for link in page.links:
                path = urlsplit(link).path
                if is_write_page(path):
                    self.offered[name].add(Action("GET", path))
                    if self.check:
                        self._open(page_url, link)
        return self

    def all_offered(self) -> set[Action]:
        return set().union(*self.offered.values())

    def _first_time(self, key: str, page_url: str, view_name: str) -> bool:
        per_page = (page_url, view_name)
        if key in self._done or self._per_action.get(per_page, 0) >= self.PER_ACTION:
            return False
        self._done.add(key)
        self._per_action[per_page] = self._per_action.get(per_page, 0) + 1
        return True

    def _send(self, page_url: str, form: dict) -> None:
        """Send ``form`` with its hidden fields, each named button in turn: not refused."""
        action = form["action"] or page_url
        view_name = resolve(urlsplit(action).path).view_name
        for name, value in form["buttons"] or [(None, None)]:
            data = dict(form["data"])
            if name:
                data[name] = value
            if not self._first_time(f"POST {action} {sorted(data.items())}", page_url, view_name):
                continue
            status = post_and_roll_back(self.client, action, data)
            self.forms_sent += 1
            if status in REFUSED:
                shown = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
                self.refused.append(
                    f"[{self.persona}] {page_url} → POST {action} {shown} ({status})"
                )

    def _open(self, page_url: str, link: str) -> None:
        """Open a write page (200), then send the forms it posts to itself (a confirmation's
        button, a form with its hidden fields): not refused either."""
        path = urlsplit(link).path
        if not self._first_time(f"GET {link}", page_url, f"GET {resolve(path).view_name}"):
            return
        target = self.client.get(link)
        self.links_opened += 1
        if target.status_code != 200:
            self.refused.append(f"[{self.persona}] {page_url} → GET {link} ({target.status_code})")
            return
        for form in parse(target).forms:
            if urlsplit(form["action"] or link).path == path:
                self._send(link, {**form, "action": form["action"] or link})


def test_a_button_offered_is_a_button_allowed(client, scenery):
    refused, forms_sent, links_opened, seen = [], 0, 0, {}
    for persona, user in scenery.personas.items():
        visitor = Visitor(client, persona, user).visit(scenery.pages)
        refused += visitor.refused
        forms_sent += visitor.forms_sent
        links_opened += visitor.links_opened
        seen[persona] = visitor.seen
    assert not refused, f"{len(refused)} actions proposées puis refusées :\n" + "\n".join(refused)

    # Who sees what: everyone sees their own page and, but for the DDETS agent of the Ain
    # (who must not learn that they exist), the committee's pages.
    for persona, statuses in seen.items():
        assert statuses["landing"] == 200, persona
        expected = 404 if persona == "ddets_ain" else 200
        for name in ("committee", "composition", "meetings", "convened_meeting", "roadmap"):
            assert statuses[name] == expected, (persona, name, statuses[name])
    for persona in ("admin", "secretariat"):
        assert set(seen[persona].values()) == {200}, (persona, seen[persona])
    assert forms_sent > 100 and links_opened > 100, (forms_sent, links_opened)


# --- A button not offered is a button refused ----------------------------------------------------


def refusal(client, action: Action) -> int:
    with transaction.atomic():
        if action.method == "GET":
            status = client.get(action.path).status_code
        else:
            status = client.post(action.path, {}).status_code
        transaction.set_rollback(True)
    return status


def test_a_button_not_offered_is_refused(client, scenery):
    """Each action the secretariat or an admin is offered on these pages and another persona
    is not: its address refuses that persona — 403 for an action on a page they see, 404 for
    the DDETS agent of the Ain, who must not learn that any of it exists (checked once per
    kind of action)."""
    visitors = {
        persona: Visitor(client, persona, user, check=False).visit(scenery.pages)
        for persona, user in scenery.personas.items()
    }
    pages_of: dict[Action, set[str]] = {}  # an action → the pages offering it to the staff
    for staff in ("admin", "secretariat"):
        for name, actions in visitors[staff].offered.items():
            for action in actions:
                pages_of.setdefault(action, set()).add(name)
    wrong, checked = [], 0
    for persona in ("dreets", "state", "member", "france_travail", "ddets_ain"):
        visitor = visitors[persona]
        client.force_login(scenery.personas[persona])
        mine, kinds = visitor.all_offered(), set()
        for action in sorted(set(pages_of) - mine, key=lambda a: (a.path, a.method)):
            if (action.method, action.view_name) in kinds:
                continue
            kinds.add((action.method, action.view_name))
            if persona == "ddets_ain":
                expected = {404}  # sees nothing of the Rhône's committees
            elif any(visitor.seen[name] == 200 for name in pages_of[action] - {"landing"}):
                expected = {403}  # an action on a page they see
            else:
                # A page they do not see; its object may be seen elsewhere all the same (a
                # CLE's need is seen by the CDE that answers it).
                expected = {403, 404}
            status = refusal(client, action)
            checked += 1
            if status not in expected:
                wrong.append(f"[{persona}] {action.method} {action.path} ({status})")
    assert not wrong, f"{len(wrong)} actions non proposées mais permises :\n" + "\n".join(wrong)
    assert checked > 150, checked

    # What a few personas are not offered, named.
    offered = {persona: visitor.offered for persona, visitor in visitors.items()}
    for persona in ("dreets", "member", "state", "local"):
        # Only the secretariat changes the composition (INS-COMPOSITION).
        assert not offered[persona]["composition"], (persona, offered[persona]["composition"])
        assert not offered[persona]["committee"], (persona, offered[persona]["committee"])
    # A member answers the convocation, nothing else.
    assert {a.view_name for a in offered["member"]["convened_meeting"]} == {"meetings:answer"}
    # The co-presidents approve the submitted roadmap or ask for changes; they do not edit it.
    for persona in ("state", "local"):
        names = {a.view_name for a in offered[persona]["roadmap"]}
        assert {"roadmaps:approve", "roadmaps:request_changes"} <= names, names
        assert "roadmaps:edit" not in names and "roadmaps:submit" not in names, names
    # France Travail's agent contributes to the roadmap but neither submits nor publishes it.
    names = {a.view_name for a in offered["france_travail"]["roadmap"]}
    assert "roadmaps:edit" in names and "roadmaps:submit" not in names, names
    # The DDETS agent of the Ain is offered nothing of the Rhône's committee.
    assert not set().union(*(offered["ddets_ain"][n] for n in scenery.pages if n != "landing"))

    # And the addresses answer so, whatever the page shows.
    o = scenery.objects
    for persona, method, url, status in (
        ("member", "GET", reverse("committees:member_add", args=[scenery.world.cde.pk]), 403),
        ("member", "GET", reverse("committees:member_edit", args=[o["membership"].pk]), 403),
        ("member", "POST", reverse("committees:member_end", args=[o["membership"].pk]), 403),
        ("dreets", "GET", reverse("committees:edit", args=[scenery.world.cde.pk]), 403),
        ("state", "GET", reverse("roadmaps:edit", args=[o["roadmap"].pk]), 403),
        ("france_travail", "POST", reverse("roadmaps:publish", args=[o["roadmap"].pk]), 403),
        ("member", "GET", reverse("funders:line_add", args=[o["conference"].pk]), 403),
        ("member", "GET", reverse("meetings:edit", args=[o["convened"].pk]), 403),
        ("ddets_ain", "GET", reverse("committees:edit", args=[scenery.world.cde.pk]), 404),
        ("ddets_ain", "GET", reverse("meetings:edit", args=[o["convened"].pk]), 404),
        ("ddets_ain", "POST", reverse("audits:schedule", args=[o["audit"].pk]), 404),
    ):
        client.force_login(scenery.personas[persona])
        assert refusal(client, Action(method, url)) == status, (persona, method, url)


def test_every_address_word_is_classified():
    """A new write address is checked above only if its last word is known: each address of
    the visited apps ends with a word of ``WRITE_WORDS`` or ``READ_WORDS`` (or a parameter,
    or a file name)."""

    def routes(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from routes(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern) and namespace in NAMESPACES:
                yield f"{namespace}:{pattern.name}", prefix + str(pattern.pattern)

    unknown = {
        (name, word)
        for name, route in routes(get_resolver().url_patterns)
        if (word := last_word(route)) is not None and word not in WRITE_WORDS | READ_WORDS
    }
    assert not unknown, f"Classer ces adresses (WRITE_WORDS ou READ_WORDS) : {sorted(unknown)}"
    assert not WRITE_WORDS & READ_WORDS
