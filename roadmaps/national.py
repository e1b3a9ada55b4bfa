"""National seeder (``manage.py seed_national``): a published roadmap for every committee and
three years of monthly indicator values (about a million at scale 1).

INS-ROADMAP-SHAPE / INS-ACTION-SHEET: four axes of three action sheets, each with the role of
three actors and four specific indicators; approved by every co-president and published
(its snapshot built by the publishing service's ``build_snapshot``). INS-INDICATORS: 36
monthly values of every common result indicator (in total and by category of its breakdowns)
and of every specific indicator. Idempotent: only committees with no roadmap get one.
"""

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from committees.models import CoPresidency, Membership
from committees.national import national_committees, secretariats
from cte_portal.core.national import NationalRun, bulk, copy_rows
from roadmaps.demo import seed_catalogue
from roadmaps.models import (
    ActionSheet,
    ActorRole,
    Aggregation,
    Approval,
    Axis,
    Direction,
    IndicatorValue,
    ResultIndicator,
    Roadmap,
    RoadmapIndicator,
    RoadmapVersion,
    TypologyCategory,
)
from roadmaps.services.versions import build_snapshot

PARIS = ZoneInfo("Europe/Paris")
MONTHS = 36
AXES = (
    ("Lever les freins périphériques à l'emploi", "mobilité, garde d'enfants, logement"),
    ("Accompagner les allocataires du RSA", "orientation rapide et parcours renforcés"),
    ("Répondre aux besoins de recrutement", "métiers en tension et filières locales"),
    ("Insertion des jeunes et des personnes handicapées", "repérage et accompagnement"),
)
SHEETS = ("Diagnostic partagé", "Plan d'action", "Mobilisation des employeurs")
INDICATORS = (
    ("Personnes accompagnées", "personnes", Direction.INCREASE),
    ("Entrées en formation", "personnes", Direction.INCREASE),
    ("Délai moyen d'orientation", "jours", Direction.DECREASE),
    ("Sorties en emploi durable", "personnes", Direction.INCREASE),
)
WEIGHT = {"regional": 8, "departmental": 3, "local": 1}


def _months(today: date, count: int) -> list[date]:
    year, month = today.year, today.month
    periods = []
    for _ in range(count):
        periods.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return periods[::-1]


def _value(base: float, index: int, salt: int) -> int:
    return round(base * (1 + 0.15 * math.sin(index / 2 + salt)) + index * base / 60)


def seed_national(run: NationalRun) -> int:
    """Seed roadmaps and indicator values of the national committees (see module doc)."""
    committees = list(national_committees(run).filter(roadmap__isnull=True).order_by("pk"))
    if not committees:
        return 0
    progress = run.progress
    seed_catalogue()
    secretariat = secretariats(committees)
    ids = [c.pk for c in committees]
    chairs = {}
    for chair in CoPresidency.objects.active().filter(committee__in=ids):
        chairs.setdefault(chair.committee_id, []).append(chair)
    actors = {}
    for membership in Membership.objects.active().filter(
        committee__in=ids, role=Membership.Role.TITULAR, is_permanent=True
    ):
        actors.setdefault(membership.committee_id, []).append(membership)
    published = datetime.combine(date(2025, 3, 3), time(10), tzinfo=PARIS)
    progress.start("Feuilles de route : contenu", len(committees))
    roadmaps = bulk(
        Roadmap,
        [
            Roadmap(
                committee=committee,
                title=f"Feuille de route 2025-2027 — {committee.name}"[:255],
                summary="Priorités partagées par les membres du comité pour l'emploi.",
                orientations="Orientations nationales et régionales déclinées sur le territoire.",
                users_participation="Un panel d'usagers associé à chaque bilan annuel.",
                status=Roadmap.Status.PUBLISHED,
                approval_round=1,
                submitted_at=published - timedelta(days=30),
                approved_at=published - timedelta(days=10),
                published_at=published,
                published_version=1,
                created_by_id=secretariat.get(committee.pk),
            )
            for committee in committees
        ],
    )
    axis_count, sheet_count = run.scaled(len(AXES)), run.scaled(len(SHEETS))
    axes = bulk(
        Axis,
        [
            Axis(
                roadmap=roadmap,
                position=position,
                title=title,
                diagnostic=f"Sur le territoire, {detail} restent des difficultés partagées.",
                stakes="Coordonner les acteurs du réseau pour l'emploi.",
                objectives="Réduire les délais et augmenter les sorties en emploi.",
            )
            for roadmap in roadmaps
            for position, (title, detail) in enumerate((AXES * 3)[:axis_count], start=1)
        ],
    )
    sheets = bulk(
        ActionSheet,
        [
            ActionSheet(
                axis=axis,
                position=position,
                title=f"{title} — {axis.title}"[:255],
                problem="Un besoin identifié par les membres lors du diagnostic.",
                objective="Un objectif partagé par tous les acteurs.",
                target_public="Demandeurs d'emploi",
                expected_results="Des parcours plus courts et plus de retours à l'emploi.",
                starts_on=date(2025, 1, 1),
                ends_on=date(2027, 12, 31),
                status=ActionSheet.Status.IN_PROGRESS,
                progress=(axis.pk * 7 + position * 13) % 90 + 5,
            )
            for axis in axes
            for position, title in enumerate((SHEETS * 3)[:sheet_count], start=1)
        ],
    )
    roadmap_of_axis = {axis.pk: axis.roadmap for axis in axes}
    committee_of_sheet = {sheet.pk: roadmap_of_axis[sheet.axis_id].committee_id for sheet in sheets}
    bulk(
        ActorRole,
        [
            ActorRole(
                sheet=sheet,
                membership=member,
                organisation=member.organisation,
                commitment="Mobilise ses équipes et rend compte au comité.",
                position=rank,
            )
            for sheet in sheets
            for rank, member in enumerate(
                actors.get(committee_of_sheet[sheet.pk], [])[sheet.position : sheet.position + 3]
            )
        ],
    )
    indicators = bulk(
        RoadmapIndicator,
        [
            RoadmapIndicator(
                sheet=sheet,
                name=name,
                unit=unit,
                baseline=Decimal(100),
                target=Decimal(140 if direction == Direction.INCREASE else 60),
                due_on=date(2027, 12, 31),
                direction=direction,
                first_published_at=published,
            )
            for sheet in sheets
            for name, unit, direction in INDICATORS
        ],
    )
    progress.advance(len(committees))
    # INS-COPRESIDENCY / DEC-JOINT: every co-president approved; then published, frozen.
    bulk(
        Approval,
        [
            Approval(
                roadmap=roadmap,
                round=1,
                copresidency=chair,
                decided_by_id=chair.person_id,
                decision=Approval.Decision.APPROVED,
            )
            for roadmap in roadmaps
            for chair in chairs.get(roadmap.committee_id, [])
        ],
    )
    progress.start("Feuilles de route : versions publiées", len(roadmaps))
    versions = []
    for roadmap in roadmaps:
        versions.append(
            RoadmapVersion(
                roadmap=roadmap,
                number=1,
                snapshot=build_snapshot(roadmap),
                published_at=published,
                published_by_id=secretariat.get(roadmap.committee_id),
            )
        )
        progress.advance()
    bulk(RoadmapVersion, versions)
    run.added("roadmaps", len(roadmaps))
    _seed_values(run, committees, indicators, committee_of_sheet)
    return len(roadmaps)


def _seed_values(run: NationalRun, committees, indicators, committee_of_sheet) -> None:
    """INS-INDICATORS: monthly values, streamed to the database (``copy_rows``)."""
    progress = run.progress
    months = _months(run.today, MONTHS)
    catalogue = list(ResultIndicator.objects.prefetch_related("breakdowns").order_by("pk"))
    categories = {}
    for category in TypologyCategory.objects.order_by("typology_id", "position"):
        categories.setdefault(category.typology_id, []).append(category.pk)
    breakdowns = {
        indicator.pk: [categories.get(t.pk, []) for t in indicator.breakdowns.all()]
        for indicator in catalogue
    }
    by_committee = {}
    for indicator in indicators:
        by_committee.setdefault(committee_of_sheet[indicator.sheet_id], []).append(indicator.pk)
    series = sum(1 + sum(len(group) for group in breakdowns[r.pk]) for r in catalogue)
    progress.start(
        "Indicateurs : valeurs mensuelles",
        (len(committees) * series + len(indicators)) * len(months),
    )
    entered = timezone.now()

    def rows():
        for committee in committees:
            weight = WEIGHT[committee.level]
            for position, indicator in enumerate(catalogue):
                average = indicator.aggregation == Aggregation.AVERAGE
                for index, period in enumerate(months):
                    value = (
                        _value(45, index, position)
                        if average
                        else _value(60 * weight * (position + 1), index, committee.pk)
                    )
                    yield (committee.pk, indicator.pk, None, period, value, None, entered)
                    for group in breakdowns[indicator.pk]:
                        for rank, category in enumerate(group):
                            share = value if average else value / len(group)
                            part = round(share * (1 + (rank - 1) / 10))
                            yield (
                                committee.pk,
                                indicator.pk,
                                None,
                                period,
                                part,
                                category,
                                entered,
                            )
            for indicator in by_committee.get(committee.pk, []):
                for index, period in enumerate(months):
                    value = _value(100 * weight, index, indicator)
                    yield (committee.pk, None, indicator, period, value, None, entered)

    count = copy_rows(
        IndicatorValue,
        [
            "committee",
            "result_indicator",
            "roadmap_indicator",
            "period",
            "value",
            "category",
            "entered_at",
        ],
        rows(),
        progress=progress,
    )
    run.added("indicator values", count)
