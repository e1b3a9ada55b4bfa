from django.urls import path

from cte_portal.users.api import MeInboxView, MeView

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/inbox/", MeInboxView.as_view(), name="api-me-inbox"),
]
