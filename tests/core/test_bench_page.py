"""The bare page of the pages benchmark (issue 15): routed only when the benchmark asks
(``CTE_BENCH_BARE_PAGE``), never in production, and for signed-in people only."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

from cte_portal import urls
from tests.clients import login

ROOT = Path(__file__).resolve().parents[2]
URL = "/mesures/page-nue/"


@pytest.fixture
def bare_page_routed(settings):
    settings.CTE_BENCH_BARE_PAGE = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.CTE_BENCH_BARE_PAGE = False
    importlib.reload(urls)
    clear_url_caches()


@pytest.mark.django_db
def test_not_routed_unless_the_benchmark_asks(client, user):
    with pytest.raises(NoReverseMatch):
        reverse("bench-bare")
    assert login(client, user).get(URL).status_code == 404


@pytest.mark.django_db
def test_a_bare_dsfr_page_for_signed_in_people(bare_page_routed, client, user):
    assert reverse("bench-bare") == URL
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "/compte/" in anonymous["Location"]
    response = login(client, user).get(URL)
    assert response.status_code == 200
    assert "Page de référence" in response.content.decode()
    assert [t.name for t in response.templates][:2] == ["core/bench_bare.html", "dsfr/base.html"]


def _setting_in(environment: dict) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CTE_", "DJANGO_"))}
    env.update(environment, CTE_BENCH_BARE_PAGE="1", DJANGO_SETTINGS_MODULE="cte_portal.settings")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.CTE_BENCH_BARE_PAGE)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_never_in_production():
    production = {"CTE_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cte.example"}
    assert _setting_in(production) == "False"
    assert _setting_in({"CTE_ENV": "development"}) == "True"
