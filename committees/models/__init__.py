from committees.models.committee import Committee, FormerInstance, WrittenOpinion, add_years
from committees.models.composition import Commission, CommissionMember, CoPresidency, Membership
from committees.models.meetings import (
    AgendaDocument,
    AgendaItem,
    Ballot,
    CalendarFeed,
    Decision,
    FollowUpAction,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    Notification,
    Validation,
)
from committees.models.procedure import RULES_HEADINGS, CrefopRotation, RulesOfProcedure
from committees.models.rules import (
    CATEGORY_SIDE,
    REQUIRED_CATEGORIES,
    SOCIAL_PARTNERS,
    SPECIAL_CDE,
    VOTING_CATEGORIES,
    Category,
    CrefopMode,
    Level,
    Side,
    SpecialAuthority,
)
from committees.models.staff import StaffAssignment
from committees.models.territories import (
    Arrondissement,
    Commune,
    Departement,
    Epci,
    Ept,
    Region,
    TerritorialEdition,
    Zone,
)

__all__ = [
    "CATEGORY_SIDE",
    "REQUIRED_CATEGORIES",
    "RULES_HEADINGS",
    "SOCIAL_PARTNERS",
    "SPECIAL_CDE",
    "VOTING_CATEGORIES",
    "Arrondissement",
    "Category",
    "Commission",
    "CommissionMember",
    "Committee",
    "Commune",
    "CoPresidency",
    "CrefopMode",
    "CrefopRotation",
    "Departement",
    "Epci",
    "Ept",
    "FormerInstance",
    "Level",
    "Membership",
    "Region",
    "RulesOfProcedure",
    "Side",
    "SpecialAuthority",
    "StaffAssignment",
    "TerritorialEdition",
    "WrittenOpinion",
    "Zone",
    "add_years",
]

# Meetings (DEC-JOINT, DEC-QUORUM, DEC-MAJORITY, INS-CONSENSUS, INS-MEETINGS).
__all__ += [
    "AgendaDocument",
    "AgendaItem",
    "Ballot",
    "CalendarFeed",
    "Decision",
    "FollowUpAction",
    "Invitation",
    "Meeting",
    "Minutes",
    "MinutesApproval",
    "Notification",
    "Validation",
]
