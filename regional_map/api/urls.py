"""``/api/v1/regions/{code}/map/``: the regional map as JSON (INS-REGIONAL-MAP)."""

from django.urls import path

from regional_map.api.views import RegionalMapView

urlpatterns = [
    path("regions/<str:code>/map/", RegionalMapView.as_view(), name="api-regional-map"),
]
