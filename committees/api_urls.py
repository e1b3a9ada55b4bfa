from django.urls import include, path

urlpatterns: list = [
    path("territories/", include("committees.api.territory_urls")),
    path("", include("committees.api.committee_urls")),
    path("", include("committees.api.meeting_urls")),
]
