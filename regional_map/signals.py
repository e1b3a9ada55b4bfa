"""What empties the cached regional maps (``regional_map.cache``): any write to a row a map
shows. Connected by ``RegionalMapConfig.ready``."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from committees.models import Committee, CoPresidency, FormerInstance, WrittenOpinion
from regional_map.cache import invalidate_regional_maps
from territories.models import TerritorialEdition

# Rows a map shows: a write to any of them draws a new cache generation.
SHOWN = (Committee, CoPresidency, FormerInstance, WrittenOpinion, TerritorialEdition)
# A committee's départements and perimeter (``set_perimeter`` sets them).
SHOWN_M2M = (
    Committee.departements.through,
    Committee.perimeter_arrondissements.through,
    Committee.perimeter_epcis.through,
    Committee.perimeter_epts.through,
    Committee.perimeter_communes.through,
    Committee.communes.through,
)


def _person_saved(sender, instance, update_fields=None, **kwargs) -> None:
    # A co-president's name is on the map; a sign-in (``last_login``) changes nothing shown.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    invalidate_regional_maps()


def connect() -> None:
    for model in SHOWN:
        post_save.connect(invalidate_regional_maps, sender=model, dispatch_uid=f"map-{model}")
        post_delete.connect(invalidate_regional_maps, sender=model, dispatch_uid=f"map-d-{model}")
    for through in SHOWN_M2M:
        m2m_changed.connect(invalidate_regional_maps, sender=through, dispatch_uid=f"map-{through}")
    post_save.connect(_person_saved, sender=get_user_model(), dispatch_uid="map-person")
