"""The main menu shows the sections the person may open, and only those; the follow-up of every
committee's meetings is linked; the sitemap lists every page (issue 13)."""

from datetime import date

import pytest
from django.urls import URLResolver, get_resolver, reverse

from committees.services.staff import end_staff_assignment
from tests.clients import login
from tests.factories.committees import StaffAssignmentFactory
from tests.factories.meetings import convene, make_meeting
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

EVERYONE = {"Accueil", "Données ouvertes"}
SIGNED_IN = EVERYONE | {"Comités", "Mes réunions", "Feuilles de route", "Territoires"}
STATE_AGENT = SIGNED_IN | {
    "Mon tableau de bord",
    "Suivi des réunions",
    "Cartographie",
    "Audits",
    "Financeurs",
}


def _menu(client) -> dict[str, str]:
    response = client.get(reverse("footer-sitemap"))
    return {item["label"]: item["url"] for item in response.context["main_menu"]}


def _opens_every_entry(client, menu: dict[str, str]) -> None:
    for label, url in menu.items():
        assert client.get(url).status_code == 200, label


def test_signed_out_the_menu_has_the_public_pages_only(client):
    assert set(_menu(client)) == EVERYONE


def test_a_person_without_role_sees_no_state_or_member_section(client):
    login(client, UserFactory(email="personne@example.fr"))
    menu = _menu(client)
    assert set(menu) == SIGNED_IN
    _opens_every_entry(client, menu)


def test_a_member_sees_their_sections_not_the_secretariats(client, scene):
    convene(scene, make_meeting(scene))
    member = scene.voters["employer_orgs"].person
    login(client, member)
    menu = _menu(client)
    assert set(menu) == SIGNED_IN | {"Financeurs"}
    _opens_every_entry(client, menu)
    # The pages left out are indeed closed to them.
    assert client.get(reverse("meetings:overview")).status_code == 403
    assert client.get(reverse("committees:staff")).status_code == 403


def test_a_copresident_also_sees_the_audits(client, scene):
    login(client, scene.state)
    menu = _menu(client)
    assert set(menu) == SIGNED_IN | {"Financeurs", "Audits"}
    _opens_every_entry(client, menu)


def test_a_ddets_agent_sees_the_follow_up_of_meetings_but_not_the_staff(client, scene):
    login(client, scene.secretariat)
    menu = _menu(client)
    assert set(menu) == STATE_AGENT
    assert menu["Suivi des réunions"] == reverse("meetings:overview")
    _opens_every_entry(client, menu)


def test_a_dreets_agent_and_an_admin_also_manage_staff(client, dreets_ara, admin_user):
    login(client, dreets_ara)
    menu = _menu(client)
    assert set(menu) == STATE_AGENT | {"Agents et comptes"}
    _opens_every_entry(client, menu)
    login(client, admin_user)
    menu = _menu(client)
    assert set(menu) == STATE_AGENT | {"Agents et comptes"}
    _opens_every_entry(client, menu)


def test_the_current_section_is_the_longest_match(client, scene):
    login(client, scene.secretariat)
    response = client.get(reverse("meetings:overview"))
    current = [i["label"] for i in response.context["main_menu"] if i["current"]]
    assert current == ["Suivi des réunions"]


# Pages without a screen of their own: technical answers, steps of a journey reached from another
# page, and POST-only actions.
NOT_PAGES = {
    "healthz",
    "favicon",
    "logout",
    "second_factor",
    "proconnect_login",
    "proconnect_callback",
    "password_reset_done",
    "password_reset_complete",
    "meetings:calendar_create",
    "meetings:calendar_revoke",
    "regional_map:national_export",
    "bench-bare",
}


def _pages_without_parameters() -> set[str]:
    names = set()

    def walk(resolver, prefix: str, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif pattern.name and "<" not in prefix + str(pattern.pattern):
                path = prefix + str(pattern.pattern)
                if path.startswith(("admin/", "api/")):
                    continue
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "", None)
    return names - NOT_PAGES


def test_the_sitemap_lists_every_page(client):
    html = client.get(reverse("footer-sitemap")).content.decode()
    missing = [
        name for name in _pages_without_parameters() if f'href="{reverse(name)}"' not in html
    ]
    assert missing == []


def test_the_menu_follows_a_new_or_ended_assignment_at_the_next_page(client, scene):
    """The menu flags are cached per person until a write in the apps that give them."""
    person = UserFactory(email="nouvel.agent@example.gouv.fr")
    login(client, person)
    assert set(_menu(client)) == SIGNED_IN
    assignment = StaffAssignmentFactory(
        user=person, departement=scene.committee.departements.first()
    )
    assert set(_menu(client)) == STATE_AGENT
    end_staff_assignment(assignment=assignment, ended_on=date.today())
    assert set(_menu(client)) == SIGNED_IN
