"""Shared fixtures: personas, a small territorial reference, and the real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories.users import DEFAULT_PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"


# --- Personas -------------------------------------------------------------------------------


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(email="membre@example.fr", first_name="Camille", last_name="Martin")


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.gouv.fr", admin=True)


@pytest.fixture
def logged_client(client, user):
    client.force_login(user)
    return client


# --- Browser (Playwright on Debian's Chromium) ------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


_axe = Axe()


def assert_accessible(page) -> None:
    """No axe-core violation of impact serious or critical on the page as it is now."""
    results = _axe.run(page)
    blocking = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not blocking, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in blocking
    )


@pytest.fixture
def axe_check():
    return assert_accessible


@pytest.fixture
def login_in_browser(live_server, page, password):
    """Sign a user in through the real login form."""

    def login(user):
        page.goto(f"{live_server.url}/compte/connexion/")
        page.get_by_label("Adresse électronique", exact=True).fill(user.email)
        page.get_by_label("Mot de passe", exact=True).fill(password)
        page.get_by_role("button", name="Se connecter").last.click()
        page.wait_for_load_state()
        return page

    return login
