"""Who sees the regional map and takes its exports (INS-REGIONAL-MAP)."""

from committees.models import StaffAssignment
from cte_portal.core.permissions import is_admin, is_signed_in
from cte_portal.core.request_memo import memoise


def _assignments(user) -> set[tuple[str, str | None, str | None]]:
    """The user's staff assignments in force (service, region, département): one query, made
    once per read-only request (a map page asks twice or three times)."""
    return memoise(
        ("map_assignments", user.pk),
        lambda: set(
            StaffAssignment.objects.active()
            .filter(user=user)
            .values_list("service", "region_id", "departement_id")
        ),
    )


def can_view_regional_map(user, region) -> bool:
    """INS-REGIONAL-MAP: the map of a whole region (and its exports) is for the DREETS agents
    of that region and for admins. DDETS agents see their département's part only
    (``can_export_departement``)."""

    if is_admin(user):
        return True
    if not is_signed_in(user) or region is None:
        return False
    return (StaffAssignment.Service.DREETS, region.pk, None) in _assignments(user)


def can_export_departement(user, departement) -> bool:
    """INS-REGIONAL-MAP: the part of the map of one département (and its exports) is for the
    DDETS agents of that département, the DREETS agents of its region, and admins."""

    if is_admin(user):
        return True
    if not is_signed_in(user) or departement is None:
        return False
    return any(
        (service == StaffAssignment.Service.DDETS and departement_id == departement.pk)
        or (service == StaffAssignment.Service.DREETS and region_id == departement.region_id)
        for service, region_id, departement_id in _assignments(user)
    )


def can_view_national_map(user) -> bool:
    """INS-REGIONAL-MAP: the national roll-up (every region side by side) is for admins."""
    return is_admin(user)
