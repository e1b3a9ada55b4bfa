from django.urls import path

from cte_portal.users import personal_data_views as views

app_name = "personal_data"

urlpatterns = [
    path("", views.people, name="people"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/anonymiser/", views.anonymise, name="anonymise"),
]
