"""``seed_roadmaps``: realistic demo roadmaps for the demo committees, idempotent."""

import pytest

from roadmaps.demo import CDE, CLE_BEAUJOLAIS, CLE_EST, CLE_SUD_OUEST, CRE, seed_roadmaps
from roadmaps.models import (
    CarPresentation,
    EscalatedSubject,
    GoodPractice,
    IndicatorValue,
    ResultIndicator,
    Roadmap,
    RoadmapVersion,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_roadmap_in_each_state_and_is_idempotent(territory):
    roadmaps = seed_roadmaps()
    states = {name: roadmap.status for name, roadmap in roadmaps.items()}
    assert states[CRE] == "published"
    assert states[CDE] == "published"
    assert states[CLE_BEAUJOLAIS] == "published"
    assert states[CLE_SUD_OUEST] == "approved"
    assert states[CLE_EST] == "draft"
    assert set(states.values()) >= {"draft", "submitted", "approved", "published"}
    assert roadmaps[CLE_BEAUJOLAIS].published_version == 2
    assert CarPresentation.objects.filter(roadmap=roadmaps[CDE]).exists()
    assert GoodPractice.objects.count() == 1
    assert (
        ResultIndicator.objects.filter(is_illustrative=True).count()
        == ResultIndicator.objects.count()
        == 4
    )
    accepted = EscalatedSubject.objects.get(status="accepted")
    assert accepted.answering_sheet.axis.roadmap.committee.name == CDE
    periods = (
        IndicatorValue.objects.filter(
            committee=roadmaps[CLE_BEAUJOLAIS].committee,
            category__isnull=True,
            result_indicator__isnull=False,
        )
        .values("period")
        .distinct()
        .count()
    )
    assert periods == 24
    counts = (
        Roadmap.objects.count(),
        RoadmapVersion.objects.count(),
        IndicatorValue.objects.count(),
        EscalatedSubject.objects.count(),
    )
    seed_roadmaps()
    assert (
        Roadmap.objects.count(),
        RoadmapVersion.objects.count(),
        IndicatorValue.objects.count(),
        EscalatedSubject.objects.count(),
    ) == counts
