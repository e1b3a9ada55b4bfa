"""The questions a funders' conference asks of its offer map (INS-FUNDERS), read only.

- totals per funder, per public, per scheme and per kind of scheme, and the share each carries;
- co-financed lines whose shares do not add up to 100 %;
- lines ending within six months;
- overlaps: two funders paying for the same public and territory with the same kind of scheme
  over the same period (unless one names the other as co-financer: that is a co-financing);
- gaps: publics and territories of the roadmaps' action sheets that no funding line covers.

Amounts of a line are what its funder commits; its co-financing describes the financing plan
of the scheme. Every sum is a ``Decimal`` sum of ``Decimal`` amounts; shares are rounded half
up to the hundredth only for display, from the exact sums.

``OfferMap.build`` reads everything in a fixed number of queries, whatever the number of lines.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Prefetch
from django.utils import timezone

from committees.models import Committee, Level
from funders.models import CoFinancing, FundersConference, FundingLine, Public
from funders.models.offer import HUNDRED
from funders.models.vocabulary import normalize, publics_named_in
from funders.selectors.charts import AmountChart
from funders.services.perimeter import perimeter_communes
from roadmaps.selectors.funding import open_action_sheets

ZERO = Decimal("0.00")
ENDING_MONTHS = 6
WHOLE = "__whole__"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def share_of(part: Decimal, total: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``total``, rounded half up to the hundredth."""
    if not total:
        return None
    return (part * HUNDRED / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Total:
    key: str
    label: str
    committed: Decimal = ZERO
    available: Decimal = ZERO
    lines: int = 0
    places: int = 0
    people: int = 0
    share: Decimal | None = None
    detail: str = ""

    def add(self, line: FundingLine) -> None:
        self.committed += line.amount_committed
        self.available += line.amount_available
        self.lines += 1
        self.places += line.places or 0
        self.people += line.people or 0


@dataclass
class Breakdown:
    """A table of totals (and its chart): by funder, public, scheme or kind of scheme."""

    key: str
    title: str
    column: str
    rows: list[Total]
    total: Total

    @property
    def shares_sum(self) -> Decimal:
        return sum((r.share or ZERO for r in self.rows), ZERO)


@dataclass
class CofinancingGap:
    line: FundingLine
    total: Decimal

    @property
    def difference(self) -> Decimal:
        return HUNDRED - self.total


@dataclass
class Overlap:
    first: FundingLine
    second: FundingLine
    territory: str
    period: tuple[date, date]


@dataclass
class SheetCoverage:
    sheet: object
    committee: Committee
    publics: list[str]  # labels of the vocabulary
    public_text: str
    public_recognised: bool
    territory_text: str
    territory_label: str
    territory_recognised: bool
    lines: list[FundingLine] = field(default_factory=list)
    public_covered: bool = False
    territory_covered: bool = False

    @property
    def covered(self) -> bool:
        return bool(self.lines)

    @property
    def status(self) -> str:
        if self.lines:
            return "Couverte"
        if not self.public_covered and not self.territory_covered:
            return "Ni le public ni le territoire ne sont couverts"
        if not self.public_covered:
            return "Public non couvert"
        if not self.territory_covered:
            return "Territoire non couvert"
        return "Public et territoire couverts séparément, jamais ensemble"


@dataclass
class Gap:
    label: str
    sheets: list


class _Territories:
    """Resolve lines and action sheets to sets of communes of the committee's perimeter."""

    def __init__(self, committee: Committee):
        self.committee = committee
        communes = list(perimeter_communes(committee).select_related("epci"))
        self.communes = {c.code: c for c in communes}
        self.epci_communes: dict[str, set[str]] = defaultdict(set)
        self.epci_names: dict[str, str] = {}
        for commune in communes:
            if commune.epci_id:
                self.epci_communes[commune.epci_id].add(commune.code)
                self.epci_names[commune.epci_id] = commune.epci.name
        self.departement_names = {normalize(d.name) for d in committee.departements.all()} | {
            normalize(committee.region.name)
        }

    def of_line(self, line: FundingLine) -> set[str] | str:
        if line.covers_whole_perimeter:
            return WHOLE
        codes = {c.code for c in line.communes.all()}
        for epci in line.epcis.all():
            codes |= self.epci_communes.get(epci.code, set())
        return codes

    def resolve_text(self, text: str) -> tuple[set[str] | str | None, str]:
        """A free territory text: (communes, label), WHOLE for the whole perimeter, None when
        no territory of the perimeter is recognised in it."""
        key = normalize(text)
        padded = f" {key} "
        if (
            not key
            or key in ("tout le territoire", "departement", "tout le departement", "perimetre")
            or any(f" {name} " in padded for name in self.departement_names)
        ):
            # « Département du Rhône hors Métropole »: the committee's whole perimeter.
            return WHOLE, "Tout le périmètre"
        codes, names = set(), []
        for code, name in self.epci_names.items():
            short = normalize(name)
            for prefix in ("ca ", "cc ", "cu ", "metropole de ", "metropole du "):
                short = short.removeprefix(prefix)
            if f" {normalize(name)} " in padded or f" {short} " in padded:
                codes |= self.epci_communes[code]
                names.append(name)
        for code, commune in self.communes.items():
            if code not in codes and f" {normalize(commune.name)} " in padded:
                codes.add(code)
                names.append(commune.name)
        if not codes:
            return None, text
        return codes, ", ".join(sorted(names))


def _intersects(a, b) -> bool:
    if a == WHOLE or b == WHOLE:
        return True
    return bool(a & b)


def _same_public(a: FundingLine, b: FundingLine) -> bool:
    if a.public != b.public:
        return False
    return a.public != Public.OTHER or normalize(a.public_detail) == normalize(b.public_detail)


def _names_as_cofinancer(line: FundingLine, other: FundingLine) -> bool:
    name = normalize(other.funder.name)
    return any(
        c.partner_id == other.funder_id or normalize(c.partner_name) == name
        for c in line.cofinancings.all()
    )


@dataclass
class OfferMap:
    conference: FundersConference
    lines: list[FundingLine]
    today: date

    @classmethod
    def build(cls, conference: FundersConference, *, today: date | None = None) -> "OfferMap":
        lines = list(
            FundingLine.objects.filter(conference=conference)
            .select_related("funder")
            .prefetch_related(
                Prefetch("cofinancings", queryset=CoFinancing.objects.select_related("partner")),
                "epcis",
                "communes",
            )
            .order_by("funder__name", "scheme", "pk")
        )
        return cls(conference, lines, today or timezone.localdate())

    # --- Totals and shares ---------------------------------------------------------------

    @cached_property
    def total(self) -> Total:
        total = Total("total", "Total")
        for line in self.lines:
            total.add(line)
        total.share = HUNDRED if total.committed else None
        return total

    def _breakdown(self, key: str, title: str, column: str, group) -> Breakdown:
        rows: dict[str, Total] = {}
        for line in self.lines:
            group_key, label, detail = group(line)
            rows.setdefault(group_key, Total(group_key, label, detail=detail)).add(line)
        ordered = sorted(rows.values(), key=lambda r: (-r.committed, r.label))
        for row in ordered:
            row.share = share_of(row.committed, self.total.committed)
        return Breakdown(key, title, column, ordered, self.total)

    @cached_property
    def by_funder(self) -> Breakdown:
        return self._breakdown(
            "financeurs",
            "Montants engagés par financeur",
            "Financeur",
            lambda line: (str(line.funder_id), line.funder.name, line.funder.get_kind_display()),
        )

    @cached_property
    def by_public(self) -> Breakdown:
        def group(line):
            if line.public == Public.OTHER:
                return f"other:{normalize(line.public_detail)}", line.public_label, ""
            return line.public, line.get_public_display(), ""

        return self._breakdown("publics", "Montants engagés par public", "Public", group)

    @cached_property
    def by_scheme(self) -> Breakdown:
        return self._breakdown(
            "dispositifs",
            "Montants engagés par dispositif",
            "Dispositif",
            lambda line: (normalize(line.scheme), line.scheme, line.get_scheme_kind_display()),
        )

    @cached_property
    def by_scheme_kind(self) -> Breakdown:
        return self._breakdown(
            "types",
            "Montants engagés par type de dispositif",
            "Type de dispositif",
            lambda line: (line.scheme_kind, line.get_scheme_kind_display(), ""),
        )

    @property
    def breakdowns(self) -> list[Breakdown]:
        return [self.by_funder, self.by_public, self.by_scheme, self.by_scheme_kind]

    # --- Anomalies -----------------------------------------------------------------------

    @cached_property
    def incomplete_cofinancing(self) -> list[CofinancingGap]:
        """Co-financed lines whose shares (the funder's and the co-financers') do not add up
        to exactly 100 %."""
        gaps = []
        for line in self.lines:
            if not line.is_cofinanced:
                continue
            total = (line.own_share or ZERO) + sum((c.share for c in line.cofinancings.all()), ZERO)
            if total != HUNDRED:
                gaps.append(CofinancingGap(line, total))
        return gaps

    @cached_property
    def ending_soon(self) -> list[FundingLine]:
        """Lines ending between today and six months from today."""
        limit = add_months(self.today, ENDING_MONTHS)
        return sorted(
            (line for line in self.lines if self.today <= line.ends_on <= limit),
            key=lambda line: (line.ends_on, line.funder.name),
        )

    @cached_property
    def territories(self) -> _Territories:
        return _Territories(self.conference.committee)

    @cached_property
    def overlaps(self) -> list[Overlap]:
        groups: dict[tuple, list[FundingLine]] = defaultdict(list)
        for line in self.lines:
            groups[(line.public, normalize(line.public_detail), line.scheme_kind)].append(line)
        found = []
        for group in groups.values():
            for index, first in enumerate(group):
                for second in group[index + 1 :]:
                    if first.funder_id == second.funder_id or not _same_public(first, second):
                        continue
                    if first.ends_on < second.starts_on or second.ends_on < first.starts_on:
                        continue
                    if _names_as_cofinancer(first, second) or _names_as_cofinancer(second, first):
                        continue
                    a, b = self.territories.of_line(first), self.territories.of_line(second)
                    if not _intersects(a, b):
                        continue
                    found.append(
                        Overlap(
                            first,
                            second,
                            self._territory_label(a, b),
                            (
                                max(first.starts_on, second.starts_on),
                                min(first.ends_on, second.ends_on),
                            ),
                        )
                    )
        return found

    def _territory_label(self, a, b) -> str:
        if a == WHOLE and b == WHOLE:
            return "Tout le périmètre"
        common = b if a == WHOLE else a if b == WHOLE else a & b
        names = sorted(self.territories.communes[c].name for c in common)
        if len(names) > 5:
            return f"{', '.join(names[:5])} et {len(names) - 5} autre(s) commune(s)"
        return ", ".join(names)

    # --- Gaps against the roadmaps -------------------------------------------------------

    @cached_property
    def roadmap_committees(self) -> list[Committee]:
        """The committee, and for a departmental conference its local committees too
        (INS-ROADMAP: the departmental level takes the local needs into account)."""
        committee = self.conference.committee
        committees = [committee]
        if committee.level == Level.DEPARTMENTAL:
            committees += list(
                Committee.objects.active().filter(parent=committee, level=Level.LOCAL)
            )
        return committees

    @cached_property
    def sheets(self) -> list:
        # Done or abandoned sheets no longer need funding; a sheet aimed only at a sector
        # names no public or territory to compare.
        return list(
            open_action_sheets(committees=self.roadmap_committees).exclude(
                target_public="", target_territory=""
            )
        )

    @cached_property
    def _local_perimeters(self) -> dict[int, set[str]]:
        """Communes of each local committee whose roadmap counts (one query)."""
        local = [c.pk for c in self.roadmap_committees if c.level == Level.LOCAL]
        if not local:
            return {}
        through = Committee.communes.through
        result: dict[int, set[str]] = defaultdict(set)
        for committee_id, code in through.objects.filter(committee_id__in=local).values_list(
            "committee_id", "commune_id"
        ):
            result[committee_id].add(code)
        return result

    def _sheet_territory(self, sheet, committee: Committee):
        resolved, label = self.territories.resolve_text(sheet.target_territory)
        if resolved == WHOLE and committee.pk != self.conference.committee_id:
            # A local committee's sheet without a territory: the local committee's perimeter.
            return self._local_perimeters.get(committee.pk, set()) or WHOLE, committee.name, True
        if resolved is None:
            return None, label, False
        return resolved, label, True

    @cached_property
    def coverage(self) -> list[SheetCoverage]:
        territories = [(line, self.territories.of_line(line)) for line in self.lines]
        result = []
        for sheet in self.sheets:
            committee = sheet.axis.roadmap.committee
            publics = publics_named_in(sheet.target_public)
            recognised = bool(publics) or not sheet.target_public.strip()
            sheet_territory, territory_label, territory_ok = self._sheet_territory(sheet, committee)
            coverage = SheetCoverage(
                sheet=sheet,
                committee=committee,
                publics=[Public(p).label for p in sorted(publics)],
                public_text=sheet.target_public,
                public_recognised=recognised,
                territory_text=sheet.target_territory,
                territory_label=territory_label,
                territory_recognised=territory_ok,
            )
            for line, line_territory in territories:
                public_ok = self._public_matches(line, sheet.target_public, publics)
                # An unrecognised territory is covered only by lines on the whole perimeter.
                territory_match = (
                    line_territory == WHOLE
                    if sheet_territory is None
                    else _intersects(line_territory, sheet_territory)
                )
                coverage.public_covered |= public_ok
                coverage.territory_covered |= territory_match
                if public_ok and territory_match:
                    coverage.lines.append(line)
            result.append(coverage)
        return result

    @staticmethod
    def _public_matches(line: FundingLine, text: str, publics: set[str]) -> bool:
        if line.public == Public.ALL or not text.strip():
            return True
        if publics:
            return line.public in publics
        # A public the vocabulary does not know: compared with the lines' own precision.
        detail = normalize(line.public_detail)
        return bool(detail) and (detail in normalize(text) or normalize(text) in detail)

    @cached_property
    def public_gaps(self) -> list[Gap]:
        """Publics named by action sheets that no line funds, wherever it is."""
        funded = {line.public for line in self.lines}
        if Public.ALL in funded:
            return []
        gaps: dict[str, list] = defaultdict(list)
        for item in self.coverage:
            if not item.public_text.strip():
                continue
            publics = publics_named_in(item.public_text)
            if publics:
                for public in publics - funded:
                    gaps[Public(public).label].append(item.sheet)
            elif not any(
                self._public_matches(line, item.public_text, set()) for line in self.lines
            ):
                gaps[item.public_text.strip()].append(item.sheet)
        return [Gap(label, sheets) for label, sheets in sorted(gaps.items())]

    @cached_property
    def territory_gaps(self) -> list[Gap]:
        """Territories named by action sheets that no line covers, whatever its public."""
        gaps: dict[str, list] = defaultdict(list)
        for item in self.coverage:
            if item.territory_text.strip() and not item.territory_covered:
                gaps[item.territory_label].append(item.sheet)
        return [Gap(label, sheets) for label, sheets in sorted(gaps.items())]

    @cached_property
    def uncovered_sheets(self) -> list[SheetCoverage]:
        return [item for item in self.coverage if not item.covered]

    # --- Charts ---------------------------------------------------------------------------

    @property
    def charts(self):
        return [
            AmountChart.from_breakdown(breakdown)
            for breakdown in (self.by_funder, self.by_public, self.by_scheme_kind)
        ]
