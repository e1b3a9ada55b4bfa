from django.urls import include, path
from rest_framework.routers import SimpleRouter

from iae.api.views import IaeRequestViewSet

router = SimpleRouter()
router.register("iae-requests", IaeRequestViewSet, basename="api-iae-request")

urlpatterns = [path("", include(router.urls))]
