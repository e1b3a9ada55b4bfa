from audits.models.audits import (
    Audit,
    AuditDocument,
    AuditEvent,
    AuthorityAgreement,
    AuthorityRefusal,
    Recommendation,
)
from audits.models.bodies import AGREEMENT_KINDS, AUDITABLE_KINDS, BodyKind, NetworkBody
from audits.models.commitments import Commitment, CommitmentArea
from audits.models.reminders import Reminder
from audits.models.reporting import (
    FREQUENCY_MONTHS,
    NATIONAL,
    REPORT_RULES,
    Frequency,
    Period,
    Report,
    ReportFigure,
    ReportObligation,
    ReportType,
)

__all__ = [
    "AGREEMENT_KINDS",
    "AUDITABLE_KINDS",
    "FREQUENCY_MONTHS",
    "NATIONAL",
    "REPORT_RULES",
    "Audit",
    "AuditDocument",
    "AuditEvent",
    "AuthorityAgreement",
    "AuthorityRefusal",
    "BodyKind",
    "Commitment",
    "CommitmentArea",
    "Frequency",
    "NetworkBody",
    "Period",
    "Recommendation",
    "Reminder",
    "Report",
    "ReportFigure",
    "ReportObligation",
    "ReportType",
]
