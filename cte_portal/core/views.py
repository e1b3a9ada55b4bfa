import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error

from cte_portal.celery import app
from cte_portal.core.api import json_not_found, suspicious_response, suspicious_status
from cte_portal.core.inbox import inbox_for
from cte_portal.core.page_cache import cached_body


@login_not_required
def home(request):
    """The public home page; once signed in, the person's own page: what awaits them across
    the portal (``core.inbox``), where sign-in lands."""
    if not request.user.is_authenticated:
        return render(request, "core/home.html", {"title": "Accueil"})

    def body_context() -> dict:
        sections = inbox_for(request.user)
        return {"sections": sections, "total": sum(section.count for section in sections)}

    body = cached_body(request, "my-page", "core/my_page_body.html", body_context)
    return render(request, "core/my_page.html", {"title": "Ma page", "body": body})


def _static_page(template: str, title: str):
    @login_not_required
    def view(request):
        return render(request, template, {"title": title})

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html").replace("-", "_")
    return view


accessibility = _static_page("core/accessibility.html", "Déclaration d'accessibilité")
legal_notice = _static_page("core/legal_notice.html", "Mentions légales")
personal_data = _static_page("core/personal_data.html", "Données personnelles")
sitemap = _static_page("core/sitemap.html", "Plan du site")


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the type is enough for operators
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "up"}


def _check_redis() -> dict:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "up"}


def _check_worker() -> dict:
    try:
        replies = app.control.ping(timeout=1.0)
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    if not replies:
        return {"status": "down", "error": "no worker answered"}
    return {"status": "up", "workers": len(replies)}


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the Django admin): the
    DSFR icon, rather than a 404 page that would also renew the visitor's cookies. Resolved
    at request time: the static files manifest only exists once collected."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)


@login_not_required
@never_cache
def healthz(request):
    """Report the state of the database and, when Redis is configured, Redis and the workers.

    Answers 200 when everything is up, 503 otherwise, so that a load balancer can act on it.
    """
    checks = {"database": _check_database()}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
        checks["worker"] = (
            _check_worker() if checks["redis"]["status"] == "up" else {"status": "down"}
        )
    else:
        checks["tasks"] = {"status": "up", "mode": "in-process"}
    healthy = all(check["status"] == "up" for check in checks.values())
    return JsonResponse(
        {"status": "up" if healthy else "down", "checks": checks}, status=200 if healthy else 503
    )


@login_not_required
def not_found(request, exception=None):
    if request.path_info.startswith("/api/"):
        return json_not_found()
    return page_not_found(request, exception, template_name="404.html")


@login_not_required
def bad_request(request, exception=None):
    """A request Django refused before any view read it (``SuspiciousOperation``): a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or with too many fields is a 413, anything else a 400 —
    a French JSON answer for the API, a French page for the site."""
    if request.path_info.startswith("/api/"):
        return suspicious_response(exception)
    code = suspicious_status(exception)
    return render(
        request, "400.html", {"title": "Requête refusée", "too_big": code == 413}, status=code
    )


@login_not_required
def server_error(request):
    """A server error: the French JSON of the API, or the French page (``500.html``, rendered
    without context: the database or a context processor may be what failed)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"status": 500, "detail": "Erreur interne du serveur. Réessayez plus tard."},
            status=500,
        )
    return django_server_error(request)
