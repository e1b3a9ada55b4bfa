from django.urls import path

from regional_map import views

app_name = "regional_map"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.national_map, name="national"),
    path("national/exporter/", views.national_export, name="national_export"),
    path("regions/<str:code>/", views.region_map, name="region"),
    path("regions/<str:code>/exporter/", views.region_export, name="region_export"),
    path(
        "regions/<str:code>/departements/<str:departement_code>/",
        views.departement_map,
        name="departement",
    ),
    path(
        "regions/<str:code>/departements/<str:departement_code>/exporter/",
        views.departement_export,
        name="departement_export",
    ),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/statut/", views.export_status, name="export_status"),
    path("exports/<int:pk>/telecharger/", views.export_download, name="export_download"),
]
