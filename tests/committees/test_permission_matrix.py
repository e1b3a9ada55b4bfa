"""The permission matrix of issue 3 (DOMAIN §4): every persona × every committee × every action,
through the REST API and through the browser views.

A committee outside the persona's scope is a 404 (they must not learn it exists); a visible
committee with a forbidden action is a 403; in both cases nothing changes in the database
(rows, derived permissions, history, outgoing mail). An allowed action reaches the service.

The facts are built with the services (``tests/committees/committee_world.py``), so the
guardian permissions under test are the derived ones, never granted by hand.
"""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from tests.committees.committee_world import (
    COMMITTEES,
    PERSONAS,
    fresh,
    rolled_back_world,
    snapshot,
)

pytestmark = pytest.mark.django_db

TODAY = date.today().isoformat()

# Who sees what, and who runs the secretariat of what (DOMAIN §4). Written out by hand from
# the roles, not computed from the code under test.
VISIBLE = {
    "admin": {"cre", "cde", "cle", "foreign_cle"},
    "dreets_own": {"cre", "cde", "cle"},  # every committee of their region
    "dreets_other": {"foreign_cle"},
    "ddets_own": {"cre", "cde", "cle"},  # their département's, and the CRE of their region
    "ddets_other": {"cre"},  # the CRE of their region only
    "copresident": {"cde", "cle"},  # the committees they co-preside
    "member": {"cle"},  # the committee they sit in
    "outsider": set(),
}
MANAGES = {
    "admin": {"cre", "cde", "cle", "foreign_cle"},
    "dreets_own": {"cre"},  # the CRE's secretariat
    "ddets_own": {"cde", "cle"},  # the CDE's and CLEs' secretariat
}

ACTIONS = (
    "view",
    "edit",
    "install",
    "dissolve",
    "add_member",
    "add_copresident",
    "add_commission",
    "edit_rules",
)


def person(email: str) -> dict:
    return {"email": email, "first_name": "Alex", "last_name": "Durand"}


# action → (HTTP method, URL name, payload)
API_REQUESTS = {
    "view": ("get", "api-committee-detail", None),
    "edit": ("patch", "api-committee-detail", {"name": "Nom modifié"}),
    "install": (
        "post",
        "api-committee-install",
        {"installed_on": TODAY, "arrete_reference": "Arrêté n° 2024-001"},
    ),
    "dissolve": ("post", "api-committee-dissolve", {"dissolved_on": TODAY}),
    "add_member": (
        "post",
        "api-committee-member-list",
        {
            "person": person("nouveau.membre@example.fr"),
            "organisation": "Mission locale",
            "category": "missions_locales",
            "mandate_start": TODAY,
        },
    ),
    "add_copresident": (
        "post",
        "api-committee-copresident-list",
        {
            "side": "state",
            "person": person("prefete@example.gouv.fr"),
            "office": "Préfète",
            "started_on": TODAY,
        },
    ),
    "add_commission": (
        "post",
        "api-committee-commission-list",
        {"name": "Groupe mobilité", "kind": "working_group"},
    ),
    "edit_rules": ("patch", "api-committee-rules", {"principles": "Consensus."}),
}

# What an allowed action answers. The committees of the world are drafts without their
# permanent categories, so installing one is refused by the rules (400 listing what is
# missing, INS-COMPOSITION): the permission let the request through to the service. A CRE
# follows the CREFOP's rules of procedure (INS-RULES): 400 too.
ALLOWED_STATUS = {
    "view": 200,
    "edit": 200,
    "install": 400,
    "dissolve": 200,
    "add_member": 201,
    "add_copresident": 201,
    "add_commission": 201,
    "edit_rules": 200,
}


def allowed_api_status(action: str, committee: str) -> int:
    if action == "edit_rules" and committee == "cre":
        return 400
    return ALLOWED_STATUS[action]


def expected(persona: str, committee: str, action: str) -> str:
    if committee not in VISIBLE[persona]:
        return "not_found"
    if action == "view":
        return "allowed"
    if committee in MANAGES.get(persona, set()):
        return "allowed"
    return "forbidden"


def matrix():
    return [
        pytest.param(persona, committee, action, id=f"{persona}-{committee}-{action}")
        for persona in PERSONAS
        for committee in COMMITTEES
        for action in ACTIONS
    ]


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with rolled_back_world(django_db_blocker) as world:
        yield world


@pytest.fixture
def world(db, module_world):
    return fresh(module_world)


def api_url(name: str, committee) -> str:
    # Nested collections (members, co-presidents, commissions) name their committee
    # ``committee_pk``; the committee's own routes ``pk``.
    key = "committee_pk" if name.endswith("-list") else "pk"
    return reverse(name, kwargs={key: committee.pk})


@pytest.mark.parametrize(("persona", "committee_key", "action"), matrix())
def test_api(client, world, persona, committee_key, action):
    committee = world.committees[committee_key]
    client.force_login(world.users[persona])
    method, name, payload = API_REQUESTS[action]
    before = snapshot()

    response = getattr(client, method)(
        api_url(name, committee), payload, content_type="application/json"
    )

    outcome = expected(persona, committee_key, action)
    if outcome == "not_found":
        assert response.status_code == 404, response.content
        assert response.json() == {"status": 404, "detail": "Comité introuvable."}
    elif outcome == "forbidden":
        assert response.status_code == 403, response.content
        assert response.json() == {
            "status": 403,
            "detail": "Vous n'avez pas la permission d'effectuer cette action.",
        }
    else:
        assert response.status_code == allowed_api_status(action, committee_key), response.content
    if outcome != "allowed" or response.status_code >= 400 or action == "view":
        assert snapshot() == before
        assert mail.outbox == []
    else:
        assert snapshot() != before


def test_the_matrix_covers_every_outcome():
    outcomes = {expected(p, c, a) for p in PERSONAS for c in COMMITTEES for a in ACTIONS}
    assert outcomes == {"not_found", "forbidden", "allowed"}


# --- Browser views ------------------------------------------------------------------------------

# action → (HTTP method, URL name, form data). The committee is the ``pk`` of every route.
VIEW_REQUESTS = {
    "view": ("get", "committees:detail", None),
    "edit": ("post", "committees:edit", {"name": "Nom modifié"}),
    "install": (
        "post",
        "committees:install",
        {"installed_on": TODAY, "arrete_reference": "Arrêté n° 2024-001"},
    ),
    "dissolve": ("post", "committees:dissolve", {"dissolved_on": TODAY}),
    "add_member": (
        "post",
        "committees:member_add",
        {
            "email": "nouveau.membre@example.fr",
            "first_name": "Alex",
            "last_name": "Durand",
            "organisation": "Mission locale",
            "category": "missions_locales",
            "is_permanent": "1",
            "votes": "",
            "mandate_start": TODAY,
            "mandate_end": "",
            "appointment_arrete": "",
        },
    ),
    "add_copresident": (
        "post",
        "committees:copresident_add",
        {
            "side": "state",
            "email": "prefete@example.gouv.fr",
            "first_name": "Alex",
            "last_name": "Durand",
            "organisation": "Préfecture",
            "office": "Préfète",
            "authority": "",
            "votes": "1",
            "started_on": TODAY,
        },
    ),
    "add_commission": (
        "post",
        "committees:commission_add",
        {"name": "Groupe mobilité", "kind": "working_group", "mission": ""},
    ),
    "edit_rules": (
        "post",
        "committees:rules",
        {"principles": "Consensus.", "min_meetings_per_year": "3"},
    ),
}

# An allowed form redirects once the service has saved; installing one of the world's drafts
# is refused by the rules and shows the form again (200), and so is editing a CRE's rules of
# procedure (INS-RULES).
ALLOWED_VIEW_STATUS = {
    "view": 200,
    "edit": 302,
    "install": 200,
    "dissolve": 302,
    "add_member": 302,
    "add_copresident": 302,
    "add_commission": 302,
    "edit_rules": 302,
}

# Pages that only the secretariat may open, even to read the (empty) form.
MANAGE_ONLY_PAGES = (
    "edit",
    "install",
    "dissolve",
    "add_member",
    "add_copresident",
    "add_commission",
)


def allowed_view_status(action: str, committee: str) -> int:
    if action == "edit_rules" and committee == "cre":
        return 200
    return ALLOWED_VIEW_STATUS[action]


def view_url(name: str, committee) -> str:
    return reverse(name, args=[committee.pk])


def edit_form_data(committee) -> dict:
    """The edit form posts every field it shows: start from the committee's current values."""
    return {
        "name": "Nom modifié",
        "arrete_reference": committee.arrete_reference,
        "crefop_mode": committee.crefop_mode,
        "special_authority": committee.special_authority,
        "max_members_override": "",
        "max_members_basis": "",
    }


@pytest.mark.parametrize(("persona", "committee_key", "action"), matrix())
def test_views(client, world, persona, committee_key, action):
    committee = world.committees[committee_key]
    client.force_login(world.users[persona])
    method, name, data = VIEW_REQUESTS[action]
    if action == "edit":
        data = edit_form_data(committee)
    url = view_url(name, committee)
    before = snapshot()

    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)

    outcome = expected(persona, committee_key, action)
    if outcome == "not_found":
        assert response.status_code == 404
    elif outcome == "forbidden":
        assert response.status_code == 403
    else:
        assert response.status_code == allowed_view_status(action, committee_key)
    if response.status_code == 302:
        assert outcome == "allowed"
        assert snapshot() != before
    else:
        assert snapshot() == before
        assert mail.outbox == []


@pytest.mark.parametrize(
    ("persona", "committee_key", "action"),
    [p for p in matrix() if p.values[2] in MANAGE_ONLY_PAGES],
)
def test_form_pages(client, world, persona, committee_key, action):
    """Opening a form is gated like posting it."""
    committee = world.committees[committee_key]
    client.force_login(world.users[persona])
    response = client.get(view_url(VIEW_REQUESTS[action][1], committee))
    outcome = expected(persona, committee_key, action)
    assert response.status_code == {"not_found": 404, "forbidden": 403, "allowed": 200}[outcome]
