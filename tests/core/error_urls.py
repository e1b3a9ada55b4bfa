"""The portal's URLs plus views that fail, for ``test_error_pages.py``."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import path

from cte_portal import urls


@login_not_required
def broken(request):
    raise RuntimeError("boom")


@login_not_required
def missing(request):
    raise Http404("No Committee matches the given query.")


handler400 = urls.handler400
handler404 = urls.handler404
handler500 = urls.handler500
urlpatterns = [
    path("en-panne/", broken),
    path("api/v1/en-panne/", broken),
    path("introuvable/", missing),
    *urls.urlpatterns,
]
