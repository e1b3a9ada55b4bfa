"""Who sees the regional map and takes its exports (INS-REGIONAL-MAP)."""

from committees.models import StaffAssignment
from committees.permissions import active_assignments
from cte_portal.core.permissions import is_admin, is_signed_in


def _assignments(user) -> set[tuple[str, str | None, str | None]]:
    """The user's staff assignments in force (service, region, département): one query, made
    once per read-only request and shared with the menu (``active_assignments``)."""
    return {(a.service, a.region_id, a.departement_id) for a in active_assignments(user)}


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
