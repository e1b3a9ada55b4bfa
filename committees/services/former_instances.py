"""Writes on the former instances a committee replaced or integrated (INS-REPLACES)."""

from django.db import transaction

from committees.models import Committee, FormerInstance
from cte_portal.core.errors import RuleError


@transaction.atomic
def add_former_instance(
    *, committee: Committee, kind: str, name: str, outcome: str
) -> FormerInstance:
    """INS-REPLACES: record an instance (SPER, SPED, SPEL, another steering committee, a
    local authority's body) that the committee removed or integrated. Callers check
    ``can_manage_committee`` first."""
    name = name.strip()
    if not name:
        raise RuleError("Indiquez le nom de l'instance antérieure.", field="name")
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : son historique n'est plus modifié.")
    if committee.former_instances.filter(kind=kind, name__iexact=name).exists():
        raise RuleError(
            f"« {name} » figure déjà parmi les instances antérieures de ce comité.", field="name"
        )
    return FormerInstance.objects.create(committee=committee, kind=kind, name=name, outcome=outcome)


@transaction.atomic
def remove_former_instance(*, former_instance: FormerInstance) -> None:
    """Withdraw an instance recorded by mistake; the deletion stays in the history."""
    if former_instance.committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : son historique n'est plus modifié.")
    former_instance.delete()
