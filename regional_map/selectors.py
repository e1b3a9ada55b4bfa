"""The regional map of committees (INS-REGIONAL-MAP), computed from the database.

Each DREETS sends the ministry the map of the committees installed in its region: the CRE, the
CDEs (DEC-SPECIAL-CDE cases included), every CLE with its co-presidency and perimeter, and the
former instances removed or integrated (INS-REPLACES). ``build_regional_map`` computes it for
a region, or for one département's part of it (what a DDETS agent sees), together with the
coverage of the territory by installed CLEs (INS-CLE-PERIMETER: a commune belongs to at most
one installed CLE, so "covered" is simply "in an installed CLE").
``build_national_rollup`` puts every region side by side, Outre-mer included, for admins.

Reads only, in a fixed number of queries whatever the number of committees or communes
(``tests/regional_map/test_map.py`` holds the budget). Access is decided by the
callers with ``can_view_regional_map`` / ``can_export_departement`` / ``can_view_national_map``.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from committees.models import (
    Committee,
    CoPresidency,
    CrefopMode,
    FormerInstance,
    Level,
    SpecialAuthority,
    StaffAssignment,
    WrittenOpinion,
)
from committees.models.rules import LEVEL_SHORT
from cte_portal.core.permissions import is_admin, is_signed_in
from territories.cache import current_departements_of, edition_label
from territories.models import Commune, Departement, Region

NO_EPCI = "Communes hors EPCI à fiscalité propre"
NO_EDITION = "référentiel territorial non importé"

_COMMUNES = Committee.communes.through
_LOCAL_INSTALLED = {
    "committee__level": Level.LOCAL,
    "committee__status": Committee.Status.INSTALLED,
}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- What the map is made of --------------------------------------------------------------------


@dataclass
class Coverage:
    """Counts of a territory (département, region, France): its communes and population, the
    part covered by installed CLEs, its committees and the former instances they replaced.

    ``removed`` and ``integrated`` count the former instances of *installed* committees
    (INS-REPLACES); drafts are listed with theirs but not counted yet.
    """

    commune_count: int = 0
    population: int = 0
    covered_communes: int = 0
    covered_population: int = 0
    cre_installed: int = 0
    cde_count: int = 0
    cle_installed: int = 0
    cle_draft: int = 0
    removed: int = 0
    integrated: int = 0

    @property
    def uncovered_communes(self) -> int:
        return self.commune_count - self.covered_communes

    @property
    def uncovered_population(self) -> int:
        return self.population - self.covered_population

    @property
    def population_share(self) -> float | None:
        """Population covered by an installed CLE, in percent (one decimal)."""
        return _share(self.covered_population, self.population)

    @property
    def commune_share(self) -> float | None:
        return _share(self.covered_communes, self.commune_count)

    @property
    def coverage_band(self) -> int:
        """0 (nothing covered) to 5 (every commune covered), for the map's colours."""
        share = self.commune_share
        if not share:
            return 0
        if self.uncovered_communes == 0:
            return 5
        return min(4, 1 + int(share // 25))


@dataclass(frozen=True)
class CoPresidentEntry:
    side: str
    side_label: str
    name: str
    office: str
    authority: str
    delegate: str


@dataclass(frozen=True)
class FormerInstanceEntry:
    committee_name: str
    committee_level: str
    committee_status_label: str
    kind_label: str
    name: str
    outcome: str
    outcome_label: str


@dataclass(frozen=True)
class OpinionEntry:
    subject_label: str
    authority: str
    given_on: date
    departement: str


@dataclass
class CommitteeEntry:
    pk: int
    level: str
    level_short: str
    name: str
    status: str
    status_label: str
    installed_on: date | None
    arrete_reference: str
    departements: list[tuple[str, str]]
    authority_label: str
    crefop_mode_label: str
    copresidents: list[CoPresidentEntry]
    arrondissements: list[str]
    epcis: list[str]
    epts: list[str]
    communes: list[str]
    commune_count: int
    population: int
    perimeter_review_due_on: date | None
    perimeter_review_is_due: bool
    former_instances: list[FormerInstanceEntry]
    written_opinions: list[OpinionEntry]
    url: str = ""  # the committee page, set by the views
    # DEC-OUTRE-MER: a DROM's single committee, regional and departmental at once.
    outre_mer_single: bool = False

    @property
    def is_installed(self) -> bool:
        return self.status == Committee.Status.INSTALLED

    @property
    def is_interdepartmental(self) -> bool:
        # INS-WRITTEN-OPINIONS: a CLE whose communes lie in more than one département.
        return self.level == Level.LOCAL and len(self.departements) > 1

    @property
    def departement_codes(self) -> list[str]:
        return [code for code, _ in self.departements]

    @property
    def departement_label(self) -> str:
        return ", ".join(f"{name} ({code})" for code, name in self.departements)

    @property
    def state_copresidents(self) -> list[CoPresidentEntry]:
        return [c for c in self.copresidents if c.side == CoPresidency.Side.STATE]

    @property
    def local_copresidents(self) -> list[CoPresidentEntry]:
        return [c for c in self.copresidents if c.side == CoPresidency.Side.LOCAL_AUTHORITY]

    @property
    def removed_count(self) -> int:
        return sum(f.outcome == FormerInstance.Outcome.REMOVED for f in self.former_instances)

    @property
    def integrated_count(self) -> int:
        return sum(f.outcome == FormerInstance.Outcome.INTEGRATED for f in self.former_instances)


@dataclass(frozen=True)
class UncoveredCommune:
    code: str
    name: str
    population: int
    departement: str
    epci_code: str
    epci_name: str


@dataclass
class EpciGroup:
    """Uncovered communes of one EPCI (or outside any EPCI) in one département."""

    code: str
    name: str
    communes: list[UncoveredCommune] = field(default_factory=list)

    @property
    def population(self) -> int:
        return sum(c.population for c in self.communes)


@dataclass
class DepartementEntry(Coverage):
    code: str = ""
    name: str = ""
    zone: str = ""
    cdes: list[CommitteeEntry] = field(default_factory=list)
    uncovered_groups: list[EpciGroup] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Overlap:
    """A commune of a CLE not yet installed that another installed CLE already covers: a
    commune belongs to at most one installed CLE, so the perimeter must change before the
    installation. Shown as soon as the perimeter is saved."""

    committee_pk: int
    committee_name: str
    commune_code: str
    commune_name: str
    installed_cle: str


@dataclass
class RegionalMap:
    """The map of a region, or of one département's part of it (``departement`` set)."""

    region: Region
    departement: Departement | None
    generated_at: datetime
    edition: str
    today: date
    cre: CommitteeEntry | None
    cdes: list[CommitteeEntry]
    cles: list[CommitteeEntry]
    departements: list[DepartementEntry]
    totals: Coverage
    overlaps: list[Overlap] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.departement is not None:
            return f"{self.departement.name} ({self.departement.code}) — {self.region.name}"
        return self.region.name

    @property
    def committees(self) -> list[CommitteeEntry]:
        return [*([self.cre] if self.cre else []), *self.cdes, *self.cles]

    @property
    def interdepartmental_cles(self) -> list[CommitteeEntry]:
        return [c for c in self.cles if c.is_interdepartmental]

    @property
    def former_instances(self) -> list[FormerInstanceEntry]:
        return [f for c in self.committees for f in c.former_instances]

    @property
    def uncovered(self) -> Iterator[UncoveredCommune]:
        for entry in self.departements:
            for group in entry.uncovered_groups:
                yield from group.communes


# --- Building it --------------------------------------------------------------------------------


def territorial_edition() -> str:
    """The edition of the territorial reference in the database: every export names it."""
    return edition_label() or NO_EDITION


def _committee_queryset(region: Region, departement: Departement | None, today: date):
    queryset = Committee.objects.active().filter(region=region)
    if departement is not None:
        # A DDETS agent's part: the CRE of the region (which they see) and the committees
        # whose territory includes their département.
        queryset = queryset.filter(Q(level=Level.REGIONAL) | Q(departements=departement))
        queryset = queryset.distinct()
    return queryset.prefetch_related(
        Prefetch("departements", queryset=Departement.objects.order_by("code")),
        Prefetch(
            "copresidencies",
            queryset=CoPresidency.objects.active(today)
            .select_related("person", "delegate")
            .order_by("side", "started_on", "pk"),
            to_attr="active_copresidencies",
        ),
        "perimeter_arrondissements",
        "perimeter_epcis",
        "perimeter_epts",
        "perimeter_communes",
        "former_instances",
        Prefetch(
            "written_opinions",
            queryset=WrittenOpinion.objects.select_related("departement").order_by("given_on"),
        ),
    )


def _label(territory) -> str:
    return f"{territory.name} ({territory.code})"


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _entry(committee: Committee, today: date) -> CommitteeEntry:
    status_label = committee.get_status_display()
    authority = ""
    if committee.outre_mer_single:  # DEC-OUTRE-MER
        authority = "Comité unique régional et départemental (outre-mer)"
    elif committee.level == Level.DEPARTMENTAL:
        authority = SpecialAuthority(committee.special_authority).label
    return CommitteeEntry(
        pk=committee.pk,
        level=committee.level,
        level_short=LEVEL_SHORT[committee.level],
        name=committee.name,
        status=committee.status,
        status_label=status_label,
        installed_on=committee.installed_on,
        arrete_reference=committee.arrete_reference,
        departements=[(d.code, d.name) for d in committee.departements.all()],
        authority_label=authority,
        crefop_mode_label=CrefopMode(committee.crefop_mode).label if committee.crefop_mode else "",
        copresidents=[
            CoPresidentEntry(
                side=c.side,
                side_label=c.get_side_display(),
                name=_person(c.person),
                office=c.office,
                authority=c.authority,
                delegate=_person(c.delegate),
            )
            for c in committee.active_copresidencies
        ],
        arrondissements=sorted(_label(a) for a in committee.perimeter_arrondissements.all()),
        epcis=sorted(_label(e) for e in committee.perimeter_epcis.all()),
        epts=sorted(_label(e) for e in committee.perimeter_epts.all()),
        communes=sorted(_label(c) for c in committee.perimeter_communes.all()),
        commune_count=committee.commune_count,
        population=committee.population,
        perimeter_review_due_on=committee.perimeter_review_due_on,
        perimeter_review_is_due=committee.perimeter_review_is_due(today),
        former_instances=[
            FormerInstanceEntry(
                committee_name=committee.name,
                committee_level=LEVEL_SHORT[committee.level],
                committee_status_label=status_label,
                kind_label=f.get_kind_display(),
                name=f.name,
                outcome=f.outcome,
                outcome_label=f.get_outcome_display(),
            )
            for f in sorted(committee.former_instances.all(), key=lambda f: (f.kind, f.name))
        ],
        outre_mer_single=committee.outre_mer_single,
        written_opinions=[
            OpinionEntry(
                subject_label=o.get_subject_display(),
                authority=o.authority,
                given_on=o.given_on,
                departement=_label(o.departement) if o.departement else "",
            )
            for o in committee.written_opinions.all()
        ],
    )


def _count_committee(coverage: Coverage, entry: CommitteeEntry) -> None:
    if entry.level == Level.REGIONAL:
        coverage.cre_installed += entry.is_installed
    elif entry.level == Level.DEPARTMENTAL:
        coverage.cde_count += 1
        if entry.outre_mer_single:  # DEC-OUTRE-MER: it is the region's committee too
            coverage.cre_installed += entry.is_installed
    elif entry.is_installed:
        coverage.cle_installed += 1
    else:
        coverage.cle_draft += 1
    if entry.is_installed:
        coverage.removed += entry.removed_count
        coverage.integrated += entry.integrated_count


def build_regional_map(
    *, region: Region, departement: Departement | None = None, today: date | None = None
) -> RegionalMap:
    """INS-REGIONAL-MAP: the committees of ``region`` (or of one of its départements) with
    their co-presidencies, perimeters and former instances, and the coverage of its communes
    by installed CLEs, per département and in total. About a dozen queries, whatever the size."""
    today = today or timezone.localdate()
    if departement is not None and departement.region_id != region.code:
        raise ValueError("Le département n'appartient pas à cette région.")
    entries = [_entry(c, today) for c in _committee_queryset(region, departement, today)]
    entries.sort(key=lambda e: (e.departement_codes[:1], e.name, e.pk))
    cre = next((e for e in entries if e.level == Level.REGIONAL), None)
    cdes = [e for e in entries if e.level == Level.DEPARTMENTAL]
    cles = [e for e in entries if e.level == Level.LOCAL]

    by_code = {
        d.code: DepartementEntry(code=d.code, name=d.name, zone=d.zone)
        for d in current_departements_of(region.code)
        if departement is None or d.code == departement.code
    }
    totals = Coverage()
    for entry in entries:
        if entry.level == Level.REGIONAL:
            if departement is None:
                _count_committee(totals, entry)
            else:  # a département's part does not count the SPER the CRE replaced
                totals.cre_installed += entry.is_installed
            continue
        _count_committee(totals, entry)
        for code in entry.departement_codes:
            if code in by_code:
                _count_committee(by_code[code], entry)
                if entry.level == Level.DEPARTMENTAL:
                    by_code[code].cdes.append(entry)

    drafts = {c.pk for c in cles if not c.is_installed}
    overlaps = _add_coverage(region, departement, by_code, totals, drafts)
    return RegionalMap(
        overlaps=overlaps,
        region=region,
        departement=departement,
        generated_at=timezone.now(),
        edition=territorial_edition(),
        today=today,
        cre=cre,
        cdes=cdes,
        cles=cles,
        departements=list(by_code.values()),
        totals=totals,
    )


def _add_coverage(
    region, departement, by_code: dict[str, DepartementEntry], totals, drafts: set[int]
) -> list[Overlap]:
    """Communes and population per département, covered or not by an installed CLE, and the
    communes of the CLEs in preparation (``drafts``) that an installed CLE already covers: two
    queries, the second one only for the communes of the installed and draft CLEs."""
    communes = Commune.objects.current().filter(region=region)
    # A CLE may cross the regional boundary (DEC-CLE-PERIMETER): a commune of the region is
    # covered whatever the region of its CLE, so only the commune side is filtered on region.
    perimeter_rows = _COMMUNES.objects.filter(
        Q(committee__status=Committee.Status.INSTALLED) | Q(committee_id__in=drafts),
        commune__region=region,
        committee__level=Level.LOCAL,
    )
    if departement is not None:
        communes = communes.filter(departement=departement)
        perimeter_rows = perimeter_rows.filter(commune__departement=departement)
    installed_in: dict[str, str] = {}  # commune → the installed CLE covering it
    in_drafts = []
    for commune, committee_pk, committee_name, status, commune_name in perimeter_rows.order_by(
        "committee__name", "commune__name"
    ).values_list(
        "commune_id", "committee_id", "committee__name", "committee__status", "commune__name"
    ):
        if status == Committee.Status.INSTALLED:
            installed_in.setdefault(commune, committee_name)
        else:
            in_drafts.append((committee_pk, committee_name, commune, commune_name))
    covered = set(installed_in)
    groups: dict[tuple[str, str], EpciGroup] = {}
    rows = communes.order_by("departement_id", "epci__name", "name", "code").values_list(
        "code", "name", "population", "departement_id", "epci_id", "epci__name"
    )
    for code, name, population, departement_code, epci_code, epci_name in rows:
        entry = by_code.get(departement_code)
        if entry is None:  # a current commune of a département no longer current
            continue
        entry.commune_count += 1
        entry.population += population
        if code in covered:
            entry.covered_communes += 1
            entry.covered_population += population
            continue
        key = (departement_code, epci_code or "")
        if key not in groups:
            groups[key] = EpciGroup(code=epci_code or "", name=epci_name or NO_EPCI)
            entry.uncovered_groups.append(groups[key])
        groups[key].communes.append(
            UncoveredCommune(
                code=code,
                name=name,
                population=population,
                departement=departement_code,
                epci_code=epci_code or "",
                epci_name=epci_name or NO_EPCI,
            )
        )
    for entry in by_code.values():
        # Communes outside any EPCI (islands, Paris…) come last in their département.
        entry.uncovered_groups.sort(key=lambda g: (not g.code, g.name))
        totals.commune_count += entry.commune_count
        totals.population += entry.population
        totals.covered_communes += entry.covered_communes
        totals.covered_population += entry.covered_population
    return [
        Overlap(pk, name, commune, commune_name, installed_in[commune])
        for pk, name, commune, commune_name in in_drafts
        if commune in installed_in
    ]


@dataclass(frozen=True)
class PerimeterRow:
    """One commune of one CLE's perimeter (the "commune by commune" table of the exports)."""

    committee_id: int
    committee_name: str
    committee_status_label: str
    code: str
    name: str
    departement: str
    epci_code: str
    epci_name: str
    population: int


def perimeter_rows(regional_map: RegionalMap, *, chunk_size: int = 2000) -> Iterator[PerimeterRow]:
    """Every commune of every CLE of the map, streamed from one query (INSEE codes)."""
    cles = {c.pk: c for c in regional_map.cles}
    if not cles:
        return
    rows = _COMMUNES.objects.filter(
        committee__region=regional_map.region,
        committee__level=Level.LOCAL,
        committee__status__in=[Committee.Status.DRAFT, Committee.Status.INSTALLED],
    )
    if regional_map.departement is not None:
        rows = rows.filter(committee__departements=regional_map.departement)
    rows = rows.order_by("committee__name", "committee_id", "commune_id").values_list(
        "committee_id",
        "commune_id",
        "commune__name",
        "commune__departement_id",
        "commune__epci_id",
        "commune__epci__name",
        "commune__population",
    )
    for committee_id, code, name, departement, epci_code, epci_name, population in rows.iterator(
        chunk_size=chunk_size
    ):
        cle = cles.get(committee_id)
        if cle is None:
            continue
        yield PerimeterRow(
            committee_id=committee_id,
            committee_name=cle.name,
            committee_status_label=cle.status_label,
            code=code,
            name=name,
            departement=departement,
            epci_code=epci_code or "",
            epci_name=epci_name or NO_EPCI,
            population=population,
        )


# --- National roll-up ---------------------------------------------------------------------------


@dataclass
class RegionRollup(Coverage):
    code: str = ""
    name: str = ""
    zone: str = ""
    departements: list[DepartementEntry] = field(default_factory=list)


@dataclass
class NationalRollup:
    generated_at: datetime
    edition: str
    regions: list[RegionRollup]
    totals: Coverage

    @property
    def departements(self) -> list[DepartementEntry]:
        return [d for r in self.regions for d in r.departements]


def build_national_rollup() -> NationalRollup:
    """INS-REGIONAL-MAP for admins: every region side by side, Outre-mer included, with the
    same counts as the regional maps, in a fixed number of grouped queries."""
    regions = {
        r.code: RegionRollup(code=r.code, name=r.name, zone=r.zone)
        for r in Region.objects.current().order_by("code")
    }
    departements: dict[str, DepartementEntry] = {}
    region_of: dict[str, str] = {}
    for d in Departement.objects.current().filter(region__in=list(regions)).order_by("code"):
        departements[d.code] = DepartementEntry(code=d.code, name=d.name, zone=d.zone)
        regions[d.region_id].departements.append(departements[d.code])
        region_of[d.code] = d.region_id

    communes = Commune.objects.current().values("departement_id")
    for row in communes.annotate(n=Count("code"), population=Sum("population")):
        if row["departement_id"] in departements:
            departements[row["departement_id"]].commune_count = row["n"]
            departements[row["departement_id"]].population = row["population"] or 0
    # ``IN (subquery)``: the database lists the covered communes once (an EXISTS per
    # commune was 200 times slower on SQLite with 35,000 communes).
    covered = _COMMUNES.objects.filter(**_LOCAL_INSTALLED).values("commune_id")
    for row in (
        Commune.objects.current()
        .filter(code__in=covered)
        .values("departement_id")
        .annotate(n=Count("code"), population=Sum("population"))
    ):
        if row["departement_id"] in departements:
            departements[row["departement_id"]].covered_communes = row["n"]
            departements[row["departement_id"]].covered_population = row["population"] or 0

    # Committees per département (a CLE across two départements counts in both) ...
    per_departement = (
        Committee.departements.through.objects.filter(
            committee__status__in=[Committee.Status.DRAFT, Committee.Status.INSTALLED],
            committee__level__in=[Level.DEPARTMENTAL, Level.LOCAL],
        )
        .values(
            "departement_id",
            "committee__level",
            "committee__status",
            "committee__outre_mer_single",
        )
        .annotate(n=Count("committee_id"))
    )
    for row in per_departement:
        _add_committee_counts(departements.get(row["departement_id"]), row, "committee__")
    # ... and per region, each committee once.
    per_region = (
        Committee.objects.active()
        .values("region_id", "level", "status", "outre_mer_single")
        .annotate(n=Count("pk"))
    )
    for row in per_region:
        _add_committee_counts(regions.get(row["region_id"]), row, "")

    installed = FormerInstance.objects.filter(committee__status=Committee.Status.INSTALLED)
    for row in installed.values("committee__region_id", "outcome").annotate(n=Count("pk")):
        _add_former(regions.get(row["committee__region_id"]), row)
    for row in (
        installed.exclude(committee__level=Level.REGIONAL)
        .values("committee__departements", "outcome")
        .annotate(n=Count("pk"))
    ):
        _add_former(departements.get(row["committee__departements"]), row)

    totals = Coverage()
    for region in regions.values():
        for entry in region.departements:
            for name in ("commune_count", "population", "covered_communes", "covered_population"):
                setattr(region, name, getattr(region, name) + getattr(entry, name))
        for name in Coverage.__dataclass_fields__:
            setattr(totals, name, getattr(totals, name) + getattr(region, name))
    return NationalRollup(
        generated_at=timezone.now(),
        edition=territorial_edition(),
        regions=list(regions.values()),
        totals=totals,
    )


def _add_committee_counts(coverage: Coverage | None, row: dict, prefix: str) -> None:
    if coverage is None:
        return
    level, status, n = row[f"{prefix}level"], row[f"{prefix}status"], row["n"]
    if level == Level.REGIONAL:
        coverage.cre_installed += n if status == Committee.Status.INSTALLED else 0
    elif level == Level.DEPARTMENTAL:
        coverage.cde_count += n
        if row.get(f"{prefix}outre_mer_single") and status == Committee.Status.INSTALLED:
            # DEC-OUTRE-MER: a DROM's single committee is its regional committee as well.
            coverage.cre_installed += n
    elif status == Committee.Status.INSTALLED:
        coverage.cle_installed += n
    else:
        coverage.cle_draft += n


def _add_former(coverage: Coverage | None, row: dict) -> None:
    if coverage is None:
        return
    if row["outcome"] == FormerInstance.Outcome.REMOVED:
        coverage.removed += row["n"]
    else:
        coverage.integrated += row["n"]


def iter_regional_maps(today: date | None = None) -> Iterator[RegionalMap]:
    """Each current region's map in turn (national exports hold one region in memory)."""
    for region in Region.objects.current().order_by("code"):
        yield build_regional_map(region=region, today=today)


def map_scopes(user) -> tuple[list[Region], list[Departement]]:
    """The regions whose whole map ``user`` may open (DREETS agents, admins: all) and the
    départements whose part they may open (DDETS agents), for the index page."""
    if not is_signed_in(user):
        return [], []
    if is_admin(user):
        return list(Region.objects.current().order_by("code")), []
    assignments = StaffAssignment.objects.active().filter(user=user)
    regions = Region.objects.filter(
        code__in=assignments.filter(service=StaffAssignment.Service.DREETS).values("region_id")
    ).order_by("code")
    departements = (
        Departement.objects.filter(
            code__in=assignments.filter(service=StaffAssignment.Service.DDETS).values(
                "departement_id"
            )
        )
        .exclude(region__in=regions)
        .select_related("region")
        .order_by("code")
    )
    return list(regions), list(departements)


def has_part_in_region(user, region: Region) -> bool:
    """Whether ``user`` is a DDETS agent of one of the region's départements: they may see
    their part of the map, not the whole (403 rather than 404 on the region's map)."""
    if not is_signed_in(user):
        return False
    return (
        StaffAssignment.objects.active()
        .filter(user=user, service=StaffAssignment.Service.DDETS, departement__region=region)
        .exists()
    )
