from django.urls import include, path

urlpatterns = [
    path("territoires/", include("committees.territory_urls")),
    path("comites/", include("committees.committee_urls")),
    path("reunions/", include("committees.meeting_urls")),
    path("cartographie/", include("committees.map_urls")),
]
