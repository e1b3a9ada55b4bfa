"""How committees meet, against the instruction's advice (read only).

- INS-MEETINGS: at least three meetings a year (advice; an adopted rules of procedure may set
  another minimum), and for CREs and CDEs a yearly plenary with the CLE co-presidents.
- INS-LOCAL-PRESENCE: the co-presidents of the CLEs attend every level at least once a year:
  which of them attended a meeting of the CDE or CRE above this year.
- INS-FOLLOW-UP: the DDETS and DREETS see the committees that are behind.

``overview`` answers for many committees in a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from committees.models import Committee, CoPresidency, Level, RulesOfProcedure
from committees.services.composition import adopted_rules
from cte_portal.core.conf import cte_setting
from meetings.models import Invitation, Meeting

SITTING = (Invitation.Attendance.PRESENT, Invitation.Attendance.REMOTE)


@dataclass
class LocalPresence:
    copresidency: CoPresidency
    committee: Committee
    attended: bool


@dataclass
class Compliance:
    committee: Committee
    year: int
    held: int
    planned: int
    target: int
    target_source: str
    plenary_applies: bool
    plenary_held: bool
    plenary_planned: bool
    local_presence: list[LocalPresence] = field(default_factory=list)

    @property
    def absent_local_copresidents(self) -> list[LocalPresence]:
        return [p for p in self.local_presence if not p.attended]

    @property
    def reasons(self) -> list[str]:
        """Why the committee is behind, in French (empty when it is not)."""
        reasons = []
        if self.held + self.planned < self.target:
            reasons.append(
                f"{self.held} réunion(s) tenue(s) et {self.planned} prévue(s) en {self.year}, "
                f"pour {self.target} conseillées."
            )
        if self.plenary_applies and not (self.plenary_held or self.plenary_planned):
            reasons.append(
                "Aucune plénière avec les co-présidents des comités locaux tenue ni prévue "
                "cette année."
            )
        return reasons

    @property
    def behind(self) -> bool:
        return bool(self.reasons)


def _target(rules: RulesOfProcedure | None) -> tuple[int, str]:
    advice = cte_setting("MEETINGS_PER_YEAR_ADVICE")
    if rules is not None and rules.min_meetings_per_year:
        return rules.min_meetings_per_year, f"règlement intérieur v{rules.version}"
    return advice, "instruction (conseil : trois par an)"


def overview(committees, *, year: int | None = None, today: date | None = None) -> list[Compliance]:
    today = today or timezone.localdate()
    year = year or today.year
    committees = list(committees)
    ids = [c.pk for c in committees]
    # Meetings of the year, by committee: held (convened, date passed) and planned.
    in_year = Meeting.objects.filter(committee_id__in=ids, date__year=year).exclude(
        status=Meeting.Status.CANCELLED
    )
    held_q = Q(status=Meeting.Status.CONVENED, date__lt=today)
    counts = {
        row["committee_id"]: row
        for row in in_year.values("committee_id").annotate(
            held=Count("pk", filter=held_q),
            planned=Count("pk", filter=~held_q),
            plenary_held=Count("pk", filter=held_q & Q(with_local_copresidents=True)),
            plenary_planned=Count("pk", filter=~held_q & Q(with_local_copresidents=True)),
        )
    }
    adopted = {}
    if len(committees) == 1:
        # One committee (its page): the versions its composition panel read in this request.
        adopted[committees[0].pk] = adopted_rules(committees[0])
    else:
        for rules in RulesOfProcedure.objects.filter(
            committee_id__in=ids, adopted_on__isnull=False
        ).order_by("committee_id", "-version"):
            adopted.setdefault(rules.committee_id, rules)
    presence = _local_presence(committees, year=year)
    result = []
    for committee in committees:
        row = counts.get(committee.pk, {})
        target, source = _target(adopted.get(committee.pk))
        result.append(
            Compliance(
                committee=committee,
                year=year,
                held=row.get("held", 0),
                planned=row.get("planned", 0),
                target=target,
                target_source=source,
                plenary_applies=committee.level != Level.LOCAL,
                plenary_held=bool(row.get("plenary_held")),
                plenary_planned=bool(row.get("plenary_planned")),
                local_presence=presence.get(committee.pk, []),
            )
        )
    return result


def _local_presence(committees, *, year: int) -> dict[int, list[LocalPresence]]:
    """INS-LOCAL-PRESENCE: for each CRE/CDE, the local-authority co-presidents of the CLEs
    below it, and whether they sat (present or remote) at one of its meetings this year."""
    upper = [c for c in committees if c.level != Level.LOCAL]
    if not upper:
        return {}
    departmental_ids = [c.pk for c in upper if c.level == Level.DEPARTMENTAL]
    region_ids = [c.region_id for c in upper if c.level == Level.REGIONAL]
    sat = Invitation.objects.filter(
        meeting__date__year=year,
        meeting__status=Meeting.Status.CONVENED,
        attendance__in=SITTING,
        person_id=OuterRef("person_id"),
    )
    # One query: whether each co-president sat at a meeting of the CDE above (its CLE's
    # parent) and of the CRE of its region, among the committees asked about.
    local_copresidencies = list(
        CoPresidency.objects.active()
        .filter(
            committee__level=Level.LOCAL,
            side=CoPresidency.Side.LOCAL_AUTHORITY,
        )
        .exclude(committee__status=Committee.Status.DISSOLVED)
        .filter(
            Q(committee__parent_id__in=departmental_ids) | Q(committee__region_id__in=region_ids)
        )
        .annotate(
            sat_departmental=Exists(
                sat.filter(
                    meeting__committee_id=OuterRef("committee__parent_id"),
                    meeting__committee_id__in=departmental_ids,
                )
            ),
            sat_regional=Exists(
                sat.filter(
                    meeting__committee__level=Level.REGIONAL,
                    meeting__committee__region_id=OuterRef("committee__region_id"),
                    meeting__committee_id__in=[c.pk for c in upper if c.level == Level.REGIONAL],
                )
            ),
        )
        .select_related("committee", "person")
    )
    attended = set()
    for cp in local_copresidencies:
        if cp.sat_departmental:
            attended.add((cp.committee.parent_id, cp.person_id))
        if cp.sat_regional:
            attended.update(
                (c.pk, cp.person_id)
                for c in upper
                if c.level == Level.REGIONAL and c.region_id == cp.committee.region_id
            )
    by_committee = defaultdict(list)
    for committee in upper:
        for cp in local_copresidencies:
            below = (
                cp.committee.parent_id == committee.pk
                if committee.level == Level.DEPARTMENTAL
                else cp.committee.region_id == committee.region_id
            )
            if below:
                by_committee[committee.pk].append(
                    LocalPresence(
                        copresidency=cp,
                        committee=cp.committee,
                        attended=(committee.pk, cp.person_id) in attended,
                    )
                )
    return by_committee


def committee_compliance(committee: Committee, *, year: int | None = None) -> Compliance:
    return overview([committee], year=year)[0]


def upper_level_attendance(committee: Committee, *, year: int | None = None) -> list[dict]:
    """For a CLE: whether each of its local-authority co-presidents sat at a meeting of the
    CDE and of the CRE above this year (INS-LOCAL-PRESENCE)."""
    year = year or timezone.localdate().year
    if committee.level != Level.LOCAL:
        return []
    cde = committee.parent
    cre = cde.parent if cde else None
    levels = [c for c in (cde, cre) if c is not None]
    copresidencies = list(
        CoPresidency.objects.active()
        .filter(committee=committee, side=CoPresidency.Side.LOCAL_AUTHORITY)
        .select_related("person")
    )
    sat = set(
        Invitation.objects.filter(
            meeting__committee__in=levels,
            meeting__date__year=year,
            meeting__status=Meeting.Status.CONVENED,
            attendance__in=SITTING,
            person_id__in=[cp.person_id for cp in copresidencies],
        ).values_list("meeting__committee_id", "person_id")
    )
    return [
        {
            "copresidency": cp,
            "levels": [(level, (level.pk, cp.person_id) in sat) for level in levels],
        }
        for cp in copresidencies
    ]
