"""``/api/v1/committees/…``: committees, and their members, co-presidents and commissions.

Path routes (``use_regex_path=False``) with ``int`` lookups, so the URL patterns read
``committees/<int:committee_pk>/members/<int:pk>/``; the viewsets' methods and ``@action``s
decide which routes and HTTP methods exist (no ``update``: no PUT).
"""

from rest_framework.routers import SimpleRouter

from committees.api.commissions import CommissionViewSet
from committees.api.committees import CommitteeViewSet
from committees.api.composition import CoPresidencyViewSet, MembershipViewSet

router = SimpleRouter(use_regex_path=False)
router.register("committees", CommitteeViewSet, basename="api-committee")
router.register(
    "committees/<int:committee_pk>/members", MembershipViewSet, basename="api-committee-member"
)
router.register(
    "committees/<int:committee_pk>/copresidents",
    CoPresidencyViewSet,
    basename="api-committee-copresident",
)
router.register(
    "committees/<int:committee_pk>/commissions",
    CommissionViewSet,
    basename="api-committee-commission",
)

urlpatterns = router.urls
