"""``/api/v1/meetings/…``: meetings with their agenda, attendance and decisions."""

from rest_framework.routers import SimpleRouter

from meetings.api.views import MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="api-meeting")

urlpatterns = router.urls
