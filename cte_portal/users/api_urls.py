from django.urls import path

from cte_portal.users.api import MeView

urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
