"""``/healthz``: JSON for load balancers, 200 when everything is up, 503 when one part is down."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def test_up_without_redis_reports_the_database_and_in_process_tasks(client, settings):
    settings.REDIS_URL = None  # CI sets REDIS_URL: this is the embedded mode
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "up",
        "checks": {"database": {"status": "up"}, "tasks": {"status": "up", "mode": "in-process"}},
    }


def test_is_public_and_never_cached(client, settings):
    settings.REDIS_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200  # no redirect to the sign-in page
    assert "no-cache" in response["Cache-Control"]


def test_down_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"] == {"status": "up"}
    assert body["checks"]["redis"] == {"status": "down", "error": "ConnectionError"}
    assert body["checks"]["worker"] == {"status": "down"}


def test_down_when_the_database_is_unreachable(client, settings):
    # Django's execute wrapper makes every query fail the way a lost server does.
    settings.REDIS_URL = None

    def server_gone(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(server_gone):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"] == {"status": "down", "error": "OperationalError"}


# Transactional: starting a worker makes Celery's Django fix-up close this thread's database
# connection, which would end the test's own transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_up_with_redis_and_a_running_worker(client, settings, celery_worker, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "up",
        "checks": {
            "database": {"status": "up"},
            "redis": {"status": "up"},
            "worker": {"status": "up", "workers": 1},
        },
    }


def test_down_with_redis_but_no_worker(client, settings, celery_on_redis, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["redis"] == {"status": "up"}
    assert body["checks"]["worker"] == {"status": "down", "error": "no worker answered"}
