from django.urls import include, path

urlpatterns: list = [
    path("", include("committees.api.committee_urls")),
]
