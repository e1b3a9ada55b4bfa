from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cte_portal.core import views

handler404 = "cte_portal.core.views.not_found"

# Each app routes its own pages (``<app>/urls.py``, with its namespace) and its API
# (``<app>/api/urls.py``); this file only mounts them.
api_v1 = [
    path("", include("cte_portal.users.api_urls")),
    path("territories/", include("territories.api.urls")),
    path("", include("committees.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("roadmaps.api.urls")),
    path("", include("regional_map.api.urls")),
    path("", include("audits.api.urls")),
    path("", include("funders.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.accessibility, name="footer-accessibility-status"),
    path("mentions-legales/", views.legal_notice, name="footer-legal-notice"),
    path("donnees-personnelles/", views.personal_data, name="footer-personal-data"),
    path("plan-du-site/", views.sitemap, name="footer-sitemap"),
    path("compte/", include("cte_portal.users.urls")),
    path("territoires/", include("territories.urls")),
    path("comites/", include("committees.urls")),
    path("reunions/", include("meetings.urls")),
    path("cartographie/", include("regional_map.urls")),
    path("feuilles-de-route/", include("roadmaps.urls")),
    path("donnees-ouvertes/", include("roadmaps.open_data_urls")),
    path("audits/", include("audits.urls")),
    path("financeurs/", include("funders.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
