from committees.models.committee import (
    Committee,
    FormerInstance,
    PerimeterReview,
    WrittenOpinion,
    add_years,
)
from committees.models.composition import Commission, CommissionMember, CoPresidency, Membership
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

__all__ = [
    "CATEGORY_SIDE",
    "REQUIRED_CATEGORIES",
    "RULES_HEADINGS",
    "SOCIAL_PARTNERS",
    "SPECIAL_CDE",
    "VOTING_CATEGORIES",
    "Category",
    "Commission",
    "CommissionMember",
    "Committee",
    "CoPresidency",
    "CrefopMode",
    "CrefopRotation",
    "FormerInstance",
    "Level",
    "Membership",
    "PerimeterReview",
    "RulesOfProcedure",
    "Side",
    "SpecialAuthority",
    "StaffAssignment",
    "WrittenOpinion",
    "add_years",
]
