from django.urls import include, path
from rest_framework.routers import SimpleRouter

from roadmaps.api.public import PublicRoadmapViewSet, PublicValueViewSet
from roadmaps.api.views import (
    ActionSheetViewSet,
    IndicatorValueViewSet,
    ResultIndicatorViewSet,
    RoadmapViewSet,
)

router = SimpleRouter()
router.register("roadmaps", RoadmapViewSet, basename="api-roadmap")
router.register("action-sheets", ActionSheetViewSet, basename="api-action-sheet")
router.register("indicators", ResultIndicatorViewSet, basename="api-indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="api-indicator-value")

public_router = SimpleRouter()
public_router.register("roadmaps", PublicRoadmapViewSet, basename="api-open-roadmap")
public_router.register("indicator-values", PublicValueViewSet, basename="api-open-value")

urlpatterns = [
    path("", include(router.urls)),
    path("open-data/", include(public_router.urls)),
]
