"""Helper of the pages benchmark, run in a subprocess on the benchmark's PostgreSQL database.

Prints one JSON document: for each persona (the national admin and the DDETS agent of the
Rhône, both from ``seed_national``), a session cookie the gunicorn workers accept, and the
pages to measure with the number of SQL queries each one runs in a warm process (the second
request of a test client, counted with ``CaptureQueriesContext``) and the CPU time of this
process per request (median of ``CPU_RUNS`` requests through the test client: the Python cost
of the page, which the load of other processes on a shared machine leaves out), warm (the
page's body and read models in the cache, as between two writes) and cold (``COLD_RUNS``
requests, each after ``invalidate_all()``: every body and read model rebuilt, the worst case
after a write).

Usage: ``python -m tests.bench.pages_probe`` (environment: ``DATABASE_URL``, and
``CTE_BENCH_BARE_PAGE=1`` so that the bare page is routed).
"""

import json
import os
import statistics
import sys
import time

CPU_RUNS = 15
COLD_RUNS = 5
DDETS_DEPARTEMENT = "69"
REGION = "84"


def _pages(committee, meeting, conference, roadmap) -> list[tuple[str, str]]:
    from django.urls import reverse

    pk = committee.pk
    return [
        ("page nue (référence)", reverse("bench-bare")),
        ("accueil", reverse("home")),
        ("liste des comités", reverse("committees:list")),
        ("page du comité", reverse("committees:detail", args=[pk])),
        ("composition", reverse("committees:composition", args=[pk])),
        ("réunions du comité", reverse("meetings:committee_list", args=[pk])),
        ("page d'une réunion", reverse("meetings:detail", args=[meeting.pk])),
        ("feuille de route", reverse("roadmaps:detail", args=[roadmap.pk])),
        ("tableau de bord", reverse("roadmaps:dashboard", args=[pk])),
        ("cartographie régionale", reverse("regional_map:region", args=[REGION])),
        ("cartographie nationale", reverse("regional_map:national")),
        ("conférence des financeurs", reverse("funders:conference", args=[conference.pk])),
        ("audits du comité", reverse("audits:committee", args=[pk])),
        ("données ouvertes du comité", reverse("open_data:committee", args=[pk])),
        ("API : liste des comités", reverse("api-committee-list")),
        ("API : cartographie", reverse("api-regional-map", args=[REGION])),
    ]


def _cpu(client, url: str, runs: int) -> float:
    """The median CPU time of this process for one request of ``url``, in milliseconds."""
    durations = []
    for _ in range(runs):
        started = time.process_time()
        client.get(url)
        durations.append(time.process_time() - started)
    return statistics.median(durations) * 1000


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from committees.models import Committee, Level
    from cte_portal.core.generations import invalidate_all
    from cte_portal.core.national import ADMIN_EMAIL, EMAIL_DOMAIN
    from cte_portal.users.models import User
    from funders.models import FundersConference
    from meetings.models import Meeting

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    committee = Committee.objects.get(
        level=Level.DEPARTMENTAL, special_authority="", departements__code=DDETS_DEPARTEMENT
    )
    meeting = (
        Meeting.objects.filter(committee=committee, minutes__isnull=False).order_by("-date").first()
    )
    conference = FundersConference.objects.filter(committee=committee).order_by("-date").first()
    pages = _pages(committee, meeting, conference, committee.roadmap)
    personas = {
        "admin": User.objects.get(email=ADMIN_EMAIL),
        "DDETS": User.objects.get(email=f"ddets-{DDETS_DEPARTEMENT}@{EMAIL_DOMAIN}"),
    }
    result = {"committee": committee.name, "personas": {}}
    for key, user in personas.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        rows = []
        for label, url in pages:
            client.get(url)  # warm: caches, lazy imports
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            count = len(queries)  # before the next request clears the connection's log
            # The bare page measured again just before each page: the host's speed drifts
            # during a run (other machines on the same cores), the ratio must not.
            bare_cpu = _cpu(client, pages[0][1], CPU_RUNS)
            cpu = _cpu(client, url, CPU_RUNS)
            cold = []
            for _ in range(COLD_RUNS):
                invalidate_all()  # every cached body and read model, as after a write or worse
                started = time.process_time()
                client.get(url)
                cold.append(time.process_time() - started)
            rows.append(
                {
                    "label": label,
                    "url": url,
                    "status": response.status_code,
                    "queries": count,
                    "cpu_ms": cpu,
                    "bare_cpu_ms": bare_cpu,
                    "cold_cpu_ms": statistics.median(cold) * 1000,
                }
            )
        # A separate session for the HTTP requests (the test client's stays in this process).
        server_client = Client()
        server_client.force_login(user)
        result["personas"][key] = {
            "cookie": settings.SESSION_COOKIE_NAME
            + "="
            + server_client.cookies[settings.SESSION_COOKIE_NAME].value,
            "pages": rows,
        }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
