"""What users read on a page or in a PDF, and a crawler that visits every page a persona
reaches by following links from their landing page.

Used by ``test_words_on_screens.py``: no rule id (``DEC-…``, ``INS-…``), no technical string
(Django's empty choice ``---------``, Python reprs, English labels) and no button without a
visible label on any page a persona can reach.
"""

import re
import subprocess
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
HIDDEN_CONTENT = {"script", "style", "template", "noscript"}
# Attributes read out or shown to users.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}

RULE_ID = re.compile(r"\b(?:DEC|INS)-[A-Z]")
# Strings that betray code or an untranslated screen, matched on words users read.
TELLTALES = [
    re.compile(pattern)
    for pattern in (
        r"-{5,}",  # Django's empty choice "---------"
        r"\bNone\b",
        r"\bTrue\b",
        r"\bFalse\b",
        r"\bnan\b",
        r"<\w+: ",  # a model's repr
        r"\bobject \(\d+\)",  # a model's default str
        r"QuerySet",
        r"datetime\.",
        r"Decimal\(",
        r"Traceback",
        r"IntegrityError",
        r"violates|constraint|_uniq|unique_\w+",
        r"\bThis field\b",
        r"\bEnter a valid\b",
        r"\bSelect a valid\b",
        r"\bPage not found\b",
        r"\bServer Error\b",
        r"\bNot Found\b",
        r"\bForbidden\b",
        r"\b(?:Submit|Save|Delete|Cancel|Edit|Search|Download|Next|Previous|Loading)\b",
        r"\bmust be\b",
        r"\bis required\b",
        r"\bchoices?\b",
    )
]


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    text: list = field(default_factory=list)  # text directly in this node, in order

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def visible_text(self) -> str:
        """The text a sighted user sees: no ``fr-sr-only`` part, no hidden element."""
        if self.tag in HIDDEN_CONTENT or "fr-sr-only" in self.classes or "hidden" in self.attrs:
            return ""
        parts = list(self.text)
        for child in self.children:
            parts.append(child.visible_text())
        return " ".join(" ".join(parts).split())

    def walk(self, ancestors: frozenset = frozenset()):
        """Each node with the classes of its ancestors."""
        yield self, ancestors
        inherited = ancestors | self.classes
        for child in self.children:
            yield from child.walk(inherited)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.words: list[str] = []  # everything users read, in order
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        for name in READ_ATTRIBUTES & attrs.keys():
            self.words.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.words.append(attrs.get("value", ""))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if any(node.tag in HIDDEN_CONTENT for node in self.stack):
            return
        self.stack[-1].text.append(data)
        self.words.append(data)


@dataclass
class Page:
    url: str
    root: Node
    words: str
    links: list[str]


def parse(url: str, html: str) -> Page:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return Page(url=url, root=builder.root, words="\n".join(builder.words), links=builder.links)


def pdf_text(content: bytes) -> str:
    """The text of a PDF, read back with poppler's ``pdftotext``."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def wording_problems(where: str, words: str) -> list[str]:
    """Rule ids and tell-tale technical or English strings in ``words``."""
    problems = [f"{where}: identifiant de règle « {m.group(0)}… »" for m in RULE_ID.finditer(words)]
    for pattern in TELLTALES:
        for match in pattern.finditer(words):
            start = max(match.start() - 40, 0)
            context = " ".join(words[start : match.end() + 40].split())
            problems.append(f"{where}: « {match.group(0)} » dans « {context} »")
    return problems


BUTTON_CLASSES = {"fr-btn", "fr-tag"}
# Containers where the DSFR shows a button's text beside its icon (the header's tool links).
LABELLED_CONTAINERS = {"fr-header__tools-links", "fr-header__menu-links"}
ICON_ONLY_ALLOWED = {
    # The DSFR shell's own controls, labelled by the design system (menu, search, close).
    "fr-btn--menu",
    "fr-btn--search",
    "fr-btn--close",
    "fr-btn--tooltip",
}


def unlabelled_buttons(page: Page) -> list[str]:
    """Buttons (``<button>``, submit inputs, links styled as DSFR buttons) with no visible
    label: empty, or icon-only (a ``fr-icon-*`` button without ``fr-btn--icon-left/right``,
    whose text the DSFR hides)."""
    problems = []
    for node, ancestors in page.root.walk():
        classes = node.classes
        is_button = node.tag == "button" or (node.tag == "a" and classes & BUTTON_CLASSES)
        if node.tag == "input" and node.attrs.get("type") in {"submit", "button", "reset"}:
            if not node.attrs.get("value", "").strip():
                problems.append(f"{page.url}: bouton sans libellé {node.attrs}")
            continue
        if not is_button or classes & ICON_ONLY_ALLOWED or "hidden" in node.attrs:
            continue
        label = node.visible_text()
        icon_only = (
            "fr-btn" in classes
            and any(name.startswith(("fr-icon-", "ri-")) for name in classes)
            and not classes & {"fr-btn--icon-left", "fr-btn--icon-right"}
            and not ancestors & LABELLED_CONTAINERS
        )
        if not label or icon_only:
            problems.append(
                f"{page.url}: bouton sans libellé visible <{node.tag} class="
                f'"{node.attrs.get("class", "")}"> « {label} »'
            )
    return problems


# --- Crawling --------------------------------------------------------------------------------

SKIPPED_PREFIXES = (
    "/admin/",  # Django's own admin, outside the portal's screens
    "/api/",  # JSON, documented for developers
    "/static/",
    "/media/",
    "/compte/deconnexion",
    "/healthz",
    "/mesures/",
)
SKIPPED_SUFFIXES = (".ics", ".xlsx", ".json", ".svg", ".png", ".geojson")


def pattern_of(path: str) -> str:
    """The shape of a path, ids and codes replaced: pages of one kind share a shape."""
    return re.sub(r"/[0-9][0-9A-Za-z-]*(?=/|$)", "/<id>", path)


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    content: bytes
    referrer: str | None = None  # the page whose link led here (None: a start page)


def crawl(client, start: list[str], *, per_shape: int = 3, limit: int = 400) -> list[Visit]:
    """Follow the links of the portal from ``start`` (GET only), visiting at most
    ``per_shape`` pages of one shape (``/comites/<id>/``) and ``limit`` pages in all: every kind
    of page a persona reaches, with a budget that does not grow with the data."""
    seen: set[str] = set()
    shapes: Counter = Counter()
    queue = deque((url, None) for url in start)
    visits = []
    while queue and len(visits) < limit:
        url, referrer = queue.popleft()
        url = urldefrag(url).url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if url in seen or url.startswith(SKIPPED_PREFIXES) or parts.path.endswith(SKIPPED_SUFFIXES):
            continue
        seen.add(url)
        shape = pattern_of(parts.path) + ("?" if parts.query else "")
        if shapes[shape] >= per_shape:
            continue
        shapes[shape] += 1
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        visits.append(Visit(url, response.status_code, content_type, content, referrer))
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append((response["Location"], referrer))
        if content_type.startswith("text/html"):
            queue.extend((link, url) for link in parse(url, content.decode()).links)
    return visits
