from django.urls import include, path
from rest_framework.routers import SimpleRouter

from funders.api.views import ConventionViewSet, FundersConferenceViewSet, FundingLineViewSet

router = SimpleRouter()
router.register("funders-conferences", FundersConferenceViewSet, basename="api-funders-conference")
router.register("funding-lines", FundingLineViewSet, basename="api-funding-line")
router.register("conventions", ConventionViewSet, basename="api-convention")

urlpatterns = [path("", include(router.urls))]
