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
from territories.models import Arrondissement, Commune, Departement, Epci, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def rhone(db):
    """The few territory rows the demo committees need (never the whole of France)."""
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", zone="metro")
    rhone = Departement.objects.create(code="69", name="Rhône", region=region, zone="metro")
    arrondissement = Arrondissement.objects.create(
        code="692", name="Villefranche-sur-Saône", departement=rhone
    )
    communes = [
        ("69264", "Villefranche-sur-Saône", arrondissement, None, 37081),
        ("69010", "Arnas", arrondissement, None, 4051),
    ]
    for code, name, epci_name in (
        ("246900757", "CC de la Vallée du Garon", "Brignais"),
        ("246900740", "CC du Pays Mornantais", "Mornant"),
        ("246900575", "CC de l'Est Lyonnais", "Genas"),
        ("246900765", "CC du Pays de l'Ozon", "Saint-Symphorien-d'Ozon"),
    ):
        epci = Epci.objects.create(code=code, name=name, kind="CC")
        communes.append((f"69{len(communes):03d}", epci_name, None, epci, 10000))
    for code, name, arr, epci, population in communes:
        Commune.objects.create(
            code=code,
            name=name,
            departement=rhone,
            region=region,
            arrondissement=arr,
            epci=epci,
            population=population,
        )
    return rhone


def test_the_demo_has_a_roadmap_in_each_state_and_is_idempotent(rhone):
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
