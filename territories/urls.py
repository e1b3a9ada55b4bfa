from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("", views.region_list, name="regions"),
    path("recherche/", views.search, name="search"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("departements/<str:code>/", views.departement_detail, name="departement"),
    path("arrondissements/<str:code>/", views.arrondissement_detail, name="arrondissement"),
    path("epci/<str:code>/", views.epci_detail, name="epci"),
    path("ept/<str:code>/", views.ept_detail, name="ept"),
    path("communes/<str:code>/", views.commune_detail, name="commune"),
]
