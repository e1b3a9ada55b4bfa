"""Links sent out (invitations, password resets, calendar feeds) point at ``SITE_URL``, never at
the host a request came through; ``make run`` sets ``SITE_URL`` from ``HOST`` and ``PORT``
(issue 13)."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from cte_portal.users.services import invite_user
from tests.clients import login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://cte.exemple.gouv.fr"


def test_make_run_sets_site_url_from_host_and_port():
    out = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "PORT=9000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(Path.home())},
    ).stdout
    assert "SITE_URL=http://0.0.0.0:9000" in out
    assert "runserver 0.0.0.0:9000" in out


def test_make_run_keeps_a_site_url_given():
    out = subprocess.run(
        ["make", "-n", "run", f"SITE_URL={SITE}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(Path.home())},
    ).stdout
    assert f"SITE_URL={SITE}" in out


def test_an_invitation_links_to_site_url(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    with django_capture_on_commit_callbacks(execute=True):
        invite_user(email="nouvelle@example.fr", first_name="Nina", last_name="Nouvelle")
    assert f"{SITE}/compte/invitation/" in mail.outbox[0].body


def test_a_password_reset_links_to_site_url_not_to_the_request_host(settings, client, user):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["autre.example.org", "testserver"]
    client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST="autre.example.org")
    body = mail.outbox[0].body
    assert f"{SITE}/compte/mot-de-passe/reinitialiser/" in body
    assert "autre.example.org" not in body


def test_the_calendar_feed_shown_is_on_site_url(settings, client, user):
    settings.SITE_URL = SITE
    login(client, user).post(reverse("meetings:calendar_create"))
    page = client.get(reverse("meetings:mine")).content.decode()
    feed_url = re.search(r'id="calendar-url"[^>]*value="([^"]+)"', page).group(1)
    assert feed_url.startswith(f"{SITE}/reunions/agenda/")
