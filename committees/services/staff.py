"""Staff assignments of DREETS and DDETS agents, and the permissions they carry."""

from datetime import date

from django.db import transaction

from committees.models import StaffAssignment
from committees.permissions import sync_territory_permissions
from cte_portal.core.errors import RuleError
from territories.models import Departement, Region


@transaction.atomic
def start_staff_assignment(
    *,
    user,
    service: str,
    started_on: date,
    region: Region | None = None,
    departement: Departement | None = None,
) -> StaffAssignment:
    """Assign an agent to a region (DREETS) or a département (DDETS) and grant what follows
    on the committees of that territory (see ``committees.permissions``)."""
    if service == StaffAssignment.Service.DREETS and (region is None or departement is not None):
        raise RuleError("Un agent de DREETS est affecté à une région.", field="region")
    if service == StaffAssignment.Service.DDETS and (departement is None or region is not None):
        raise RuleError("Un agent de DDETS est affecté à un département.", field="departement")
    existing = (
        StaffAssignment.objects.active()
        .filter(user=user, service=service, region=region, departement=departement)
        .first()
    )
    if existing:
        return existing
    assignment = StaffAssignment.objects.create(
        user=user, service=service, region=region, departement=departement, started_on=started_on
    )
    sync_territory_permissions(region_id=region.code if region else departement.region_id)
    return assignment


@transaction.atomic
def end_staff_assignment(*, assignment: StaffAssignment, ended_on: date) -> StaffAssignment:
    if assignment.ended_on is not None:
        raise RuleError("Cette affectation a déjà pris fin.")
    assignment.ended_on = ended_on
    assignment.save(update_fields=["ended_on"])
    region_id = assignment.region_id or assignment.departement.region_id
    sync_territory_permissions(region_id=region_id)
    return assignment
