from django.urls import include, path
from rest_framework.routers import SimpleRouter

from audits.api.views import AuditViewSet, ReportObligationViewSet, ReportViewSet

router = SimpleRouter()
router.register("audits", AuditViewSet, basename="api-audit")
router.register("reports", ReportViewSet, basename="api-report")
router.register("report-obligations", ReportObligationViewSet, basename="api-report-obligation")

urlpatterns = [path("", include(router.urls))]
