from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from cte_portal.core import bench, file_job_views, views
from cte_portal.core.api_docs import ApiDocsView, ApiSchemaView
from cte_portal.users import views as user_views

handler404 = "cte_portal.core.views.not_found"
handler400 = "cte_portal.core.views.bad_request"
handler500 = "cte_portal.core.views.server_error"

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
    path("", include("iae.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accessibilite/", views.accessibility, name="footer-accessibility-status"),
    path("mentions-legales/", views.legal_notice, name="footer-legal-notice"),
    path("donnees-personnelles/", views.personal_data, name="footer-personal-data"),
    path("donnees-personnelles/personnes/", include("cte_portal.users.personal_data_urls")),
    path("plan-du-site/", views.sitemap, name="footer-sitemap"),
    path("fichiers/<int:pk>/", file_job_views.detail, name="file_job"),
    path("fichiers/<int:pk>/etat/", file_job_views.status, name="file_job_status"),
    path("fichiers/<int:pk>/telecharger/", file_job_views.download, name="file_job_download"),
    path("fichiers/<int:pk>/relancer/", file_job_views.retry, name="file_job_retry"),
    path("compte/", include("cte_portal.users.urls")),
    path("territoires/", include("territories.urls")),
    path("comites/", include("committees.urls")),
    path("reunions/", include("meetings.urls")),
    path("cartographie/", include("regional_map.urls")),
    path("feuilles-de-route/", include("roadmaps.urls")),
    path("donnees-ouvertes/", include("roadmaps.open_data_urls")),
    path("audits/", include("audits.urls")),
    path("financeurs/", include("funders.urls")),
    path("commission-iae/", include("iae.urls")),
    # The admin signs in through the portal's page: throttled, with the admins' second factor.
    path("admin/login/", login_not_required(user_views.admin_login), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # Public outside production only (CTE["PUBLIC_API_DOCS"]): the views check it themselves.
    path("api/schema/", login_not_required(ApiSchemaView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        login_not_required(ApiDocsView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

if settings.CTE_BENCH_BARE_PAGE:  # the pages benchmark only (``tests/bench/bench_pages.py``)
    urlpatterns.append(path("mesures/page-nue/", bench.bare_page, name="bench-bare"))
