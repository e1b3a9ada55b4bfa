"""Keep the vote on an audit's file (INS-AUDIT, INS-CONSENSUS).

The meetings' screens may delete a decision while the minutes are open. A decision that
settled an audit request must stay: its deletion is refused with a French message, which the
meetings' views show like any other refused rule.
"""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from audits.models import Audit
from cte_portal.core.errors import RuleError
from meetings.models import Decision


@receiver(pre_delete, sender=Decision, dispatch_uid="audits_keep_audit_votes")
def keep_audit_votes(sender, instance: Decision, **kwargs) -> None:
    audit = Audit.objects.filter(decision_id=instance.pk).only("pk").first()
    if audit is not None:
        raise RuleError(
            f"Cette décision a tranché la demande d'audit n° {audit.pk} : elle ne peut être "
            "supprimée."
        )
