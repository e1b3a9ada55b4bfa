"""Who sees the regional map and takes its exports (INS-REGIONAL-MAP)."""

from django.db.models import Q

from committees.models import StaffAssignment
from cte_portal.core.permissions import is_admin, is_signed_in


def can_view_regional_map(user, region) -> bool:
    """INS-REGIONAL-MAP: the map of a whole region (and its exports) is for the DREETS agents
    of that region and for admins. DDETS agents see their département's part only
    (``can_export_departement``)."""

    if is_admin(user):
        return True
    if not is_signed_in(user) or region is None:
        return False
    return (
        StaffAssignment.objects.active()
        .filter(user=user, service=StaffAssignment.Service.DREETS, region=region)
        .exists()
    )


def can_export_departement(user, departement) -> bool:
    """INS-REGIONAL-MAP: the part of the map of one département (and its exports) is for the
    DDETS agents of that département, the DREETS agents of its region, and admins."""

    if is_admin(user):
        return True
    if not is_signed_in(user) or departement is None:
        return False
    return (
        StaffAssignment.objects.active()
        .filter(user=user)
        .filter(
            Q(service=StaffAssignment.Service.DDETS, departement=departement)
            | Q(service=StaffAssignment.Service.DREETS, region_id=departement.region_id)
        )
        .exists()
    )


def can_view_national_map(user) -> bool:
    """INS-REGIONAL-MAP: the national roll-up (every region side by side) is for admins."""
    return is_admin(user)
