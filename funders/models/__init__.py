from funders.models.conference import ConferenceComment, ConferenceLevel, Funder, FundersConference
from funders.models.conventions import (
    RENEWAL_NOTICE_DAYS,
    Convention,
    ConventionCommitment,
    ConventionDocument,
    ConventionParty,
)
from funders.models.needs import FundingNeed
from funders.models.offer import CoFinancing, FundingLine, FundingLineImport
from funders.models.vocabulary import ConventionKind, FunderKind, Public, SchemeKind

__all__ = [
    "RENEWAL_NOTICE_DAYS",
    "CoFinancing",
    "ConferenceComment",
    "ConferenceLevel",
    "Convention",
    "ConventionCommitment",
    "ConventionDocument",
    "ConventionKind",
    "ConventionParty",
    "Funder",
    "FunderKind",
    "FundersConference",
    "FundingLine",
    "FundingLineImport",
    "FundingNeed",
    "Public",
    "SchemeKind",
]
