from roadmaps.models.catalogue import (
    Aggregation,
    Direction,
    NationalOrientation,
    ResultIndicator,
    Typology,
    TypologyCategory,
)
from roadmaps.models.escalation import EscalatedSubject
from roadmaps.models.indicators import (
    IndicatorImport,
    IndicatorTarget,
    IndicatorValue,
    RoadmapIndicator,
)
from roadmaps.models.roadmap import (
    ActionSheet,
    ActorRole,
    Approval,
    Axis,
    CarPresentation,
    GoodPractice,
    Roadmap,
    RoadmapExport,
    RoadmapVersion,
)

__all__ = [
    "ActionSheet",
    "ActorRole",
    "Aggregation",
    "Approval",
    "Axis",
    "CarPresentation",
    "Direction",
    "EscalatedSubject",
    "GoodPractice",
    "IndicatorImport",
    "IndicatorTarget",
    "IndicatorValue",
    "NationalOrientation",
    "ResultIndicator",
    "Roadmap",
    "RoadmapExport",
    "RoadmapIndicator",
    "RoadmapVersion",
    "Typology",
    "TypologyCategory",
]
