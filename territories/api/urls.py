"""``/api/v1/territories/…``: the territorial reference, read-only."""

from rest_framework.routers import SimpleRouter

from territories.api import views as territories

router = SimpleRouter()
router.register("regions", territories.RegionViewSet, basename="api-region")
router.register("departements", territories.DepartementViewSet, basename="api-departement")
router.register("arrondissements", territories.ArrondissementViewSet, basename="api-arrondissement")
router.register("epci", territories.EpciViewSet, basename="api-epci")
router.register("ept", territories.EptViewSet, basename="api-ept")
router.register("communes", territories.CommuneViewSet, basename="api-commune")

urlpatterns = router.urls
