from committees.services.errors import CommitteeRuleError


class AuditRuleError(CommitteeRuleError):
    """A rule of INS-AUDIT, INS-REPORTING or INS-COMMITMENTS refuses the change; nothing was
    saved. A ``CommitteeRuleError``, so that the views' and the API's handling applies."""
