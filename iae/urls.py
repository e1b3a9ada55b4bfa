"""``/commission-iae/…``: the IAE commission's requests and opinions (DEC-IAE)."""

from django.urls import path

from iae import views

app_name = "iae"

urlpatterns = [
    path("comite/<int:committee_pk>/", views.committee_requests_page, name="committee"),
    # POST: queues the file job (``iae.exports``), then its progress page.
    path(
        "comite/<int:committee_pk>/export.csv",
        views.export,
        {"extension": "csv"},
        name="export_csv",
    ),
    path(
        "comite/<int:committee_pk>/export.xlsx",
        views.export,
        {"extension": "xlsx"},
        name="export_xlsx",
    ),
    path("comite/<int:committee_pk>/nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/avis/", views.opinion, name="opinion"),
    path("<int:pk>/transmission/", views.notice, name="notice"),
    path("<int:pk>/retrait/", views.withdraw, name="withdraw"),
]
