from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse
from django.utils.cache import patch_cache_control

from cte_portal.core.views import not_found, server_error


class LoginRequiredMiddleware(BaseLoginRequired):
    """Every page needs a signed-in user, except views marked ``@login_not_required``.

    The REST API under ``/api/`` authenticates itself (token or session) and answers 401 in
    JSON rather than redirecting to the sign-in page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user (pages, API,
    downloads) and on every file served to anyone (a private document reached by a secret
    link): no shared cache and no browser history keeps what only that person may read.

    Public pages answered to the public (open data, the home page, static files served by
    WhiteNoise before this middleware) keep their own caching; a file the view declares
    ``public`` does too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        private_file = isinstance(response, FileResponse) and not _declared_public(response)
        if signed_in or private_file:
            self._no_store(response)
        return response

    @staticmethod
    def _no_store(response) -> None:
        # A ``max-age`` set by a view would contradict ``no-store``: drop it.
        if response.has_header("Cache-Control"):
            kept = [
                part.strip()
                for part in response["Cache-Control"].split(",")
                if part.strip() and part.split("=")[0].strip().lower() not in {"max-age", "public"}
            ]
            response["Cache-Control"] = ", ".join(kept)
        patch_cache_control(response, no_store=True, private=True)


def _declared_public(response) -> bool:
    return "public" in response.get("Cache-Control", "").lower()


class RequestSizeLimitMiddleware:
    """Refuse, before anything reads it, a body announced larger than
    ``MAX_REQUEST_BODY_BYTES`` (uploads included, which ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does
    not count): ``RequestDataTooBig`` becomes a French 413 (``cte_portal.core.views.bad_request``),
    JSON under ``/api/``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            raise RequestDataTooBig("Requête trop volumineuse.")
        return self.get_response(request)


# What each of Django's technical (DEBUG) error pages says, in HTML and in plain text.
_TECHNICAL_PAGE_MARKS = (
    b"because you have <code>DEBUG = True</code>",
    b"because you have DEBUG = True",
)


def _technical_page(response) -> bool:
    if getattr(response, "streaming", False):
        return False
    return any(mark in response.content for mark in _TECHNICAL_PAGE_MARKS)


class FrenchErrorPagesMiddleware:
    """With ``DEBUG`` on (``make run``), Django answers a missing page or a server error with
    its English technical page (URL patterns, settings, traceback). People trying the portal
    read the same French pages as in production instead (the API its French JSON); the
    developer still finds the traceback of a server error in the console log, where Django's
    ``django.request`` logger writes it. Without ``DEBUG`` this does nothing: ``handler404``
    and ``handler500`` already answer in French."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or response.status_code not in (404, 500):
            return response
        if not _technical_page(response):
            return response
        if response.status_code == 404:
            return not_found(request)
        return server_error(request)
