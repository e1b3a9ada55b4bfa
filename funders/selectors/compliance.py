"""INS-FUNDERS: a funders' conference at least once a year (read only).

The instruction asks the State to convene one every year at departmental level (« conférence
des financeurs ») and at local level (« conférence de financement »). A committee of those
levels, installed, with no conference held in the last twelve months is behind. A
conference counts once held: its linked meeting was convened and its date has passed, or, held
on its own, its date has passed.

``overview`` answers for many committees in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from committees.models import Committee, Level
from funders.models import FundersConference
from funders.selectors.analysis import add_months
from meetings.models import Meeting

# INS-FUNDERS applies to these levels; a CRE may convene one too, without the yearly duty.
YEARLY_LEVELS = (Level.DEPARTMENTAL, Level.LOCAL)
WINDOW_MONTHS = 12


@dataclass
class FundersCompliance:
    committee: Committee
    last_held_on: date | None
    next_planned_on: date | None
    today: date

    @property
    def applies(self) -> bool:
        return (
            self.committee.level in YEARLY_LEVELS
            and self.committee.status == Committee.Status.INSTALLED
        )

    @property
    def since(self) -> date:
        return add_months(self.today, -WINDOW_MONTHS)

    @property
    def behind(self) -> bool:
        return self.applies and (self.last_held_on is None or self.last_held_on < self.since)

    @property
    def message(self) -> str:
        if not self.behind:
            return ""
        if self.last_held_on is None:
            return "Aucune conférence des financeurs tenue à ce jour (au moins une par an)."
        return (
            f"Aucune conférence des financeurs tenue depuis douze mois : la dernière date du "
            f"{self.last_held_on:%d/%m/%Y} (au moins une par an)."
        )


def _dates(committee_ids, today: date) -> tuple[dict, dict]:
    """The last conference held and the next one planned, by committee: one query."""
    held_q = Q(meeting__isnull=True, date__lte=today) | Q(
        meeting__status=Meeting.Status.CONVENED, meeting__date__lte=today
    )
    planned_q = (Q(meeting__isnull=True) | ~Q(meeting__status=Meeting.Status.CANCELLED)) & Q(
        effective__gt=today
    )
    rows = (
        FundersConference.objects.filter(committee_id__in=committee_ids)
        .annotate(effective=Coalesce("meeting__date", "date"))
        .values("committee_id")
        .annotate(last=Max("effective", filter=held_q), next=Min("effective", filter=planned_q))
        .values_list("committee_id", "last", "next")
    )
    held, planned = {}, {}
    for committee_id, last, next_ in rows:
        if last is not None:
            held[committee_id] = last
        if next_ is not None:
            planned[committee_id] = next_
    return held, planned


def overview(committees, *, today: date | None = None) -> list[FundersCompliance]:
    """The compliance of each committee (one query whatever their number)."""
    today = today or timezone.localdate()
    committees = list(committees)
    held, planned = _dates([c.pk for c in committees], today)
    return [FundersCompliance(c, held.get(c.pk), planned.get(c.pk), today) for c in committees]


def committee_compliance(committee: Committee, *, today: date | None = None) -> FundersCompliance:
    return overview([committee], today=today)[0]
