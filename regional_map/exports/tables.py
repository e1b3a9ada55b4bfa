"""The tables of the regional map exports, shared by the XLSX and CSV writers.

Six tables (INS-REGIONAL-MAP): the synthesis (per département, then the region or France),
the committees with their co-presidencies and perimeters, the CLE perimeters commune by
commune with INSEE codes, the communes no installed CLE covers, the former instances
(INS-REPLACES), and the communes of CLEs in preparation already in an installed CLE. Rows are produced lazily: the perimeter table streams from the database.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from regional_map.selectors import (
    CommitteeEntry,
    Coverage,
    NationalRollup,
    RegionalMap,
    perimeter_rows,
)


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str  # sheet name (31 characters at most) and CSV file name stem
    headers: tuple[str, ...]
    widths: tuple[int, ...]


SYNTHESIS = TableSpec(
    "synthese",
    "Synthèse",
    (
        "Niveau",
        "Code",
        "Territoire",
        "Région",
        "CRE installé",
        "CDE",
        "CLE installés",
        "CLE en préparation",
        "Communes",
        "Communes couvertes",
        "Communes non couvertes",
        "Population",
        "Population couverte",
        "Part de la population couverte (%)",
        "Instances supprimées",
        "Instances intégrées",
    ),
    (12, 8, 32, 28, 8, 6, 8, 8, 10, 10, 10, 12, 12, 10, 10, 10),
)
COMMITTEES = TableSpec(
    "comites",
    "Comités",
    (
        "Région",
        "Niveau",
        "Comité",
        "Statut",
        "Département(s)",
        "Collectivité (CDE)",
        "Articulation avec le CREFOP",
        "Date d'installation",
        "Arrêté préfectoral",
        "Co-présidence État",
        "Co-présidence collectivités",
        "Arrondissements",
        "EPCI",
        "EPT",
        "Communes ajoutées une à une",
        "Nombre de communes",
        "Population",
        "Révision du périmètre due le",
        "Révision échue",
        "CLE interdépartemental",
        "Avis écrits",
        "Instances supprimées",
        "Instances intégrées",
    ),
    (24, 6, 36, 14, 24, 24, 20, 12, 30, 40, 40, 30, 40, 20, 30, 10, 12, 12, 8, 8, 40, 10, 10),
)
PERIMETERS = TableSpec(
    "perimetres",
    "Périmètres des CLE",
    (
        "Région",
        "CLE",
        "Statut du CLE",
        "Code INSEE",
        "Commune",
        "Département",
        "Code EPCI",
        "EPCI",
        "Population",
    ),
    (24, 36, 14, 10, 30, 10, 12, 40, 12),
)
UNCOVERED = TableSpec(
    "non_couvertes",
    "Communes non couvertes",
    ("Région", "Département", "Code EPCI", "EPCI", "Code INSEE", "Commune", "Population"),
    (24, 10, 12, 40, 10, 30, 12),
)
FORMER = TableSpec(
    "instances",
    "Instances antérieures",
    ("Région", "Comité", "Niveau", "Statut du comité", "Nature", "Instance", "Sort"),
    (24, 36, 6, 14, 36, 36, 30),
)
OVERLAPS = TableSpec(
    "chevauchements",
    "Chevauchements de périmètres",
    (
        "Région",
        "Comité local en préparation",
        "Code INSEE",
        "Commune",
        "Déjà couverte par le CLE installé",
    ),
    (24, 36, 10, 30, 36),
)
TABLES = (SYNTHESIS, COMMITTEES, PERIMETERS, UNCOVERED, FORMER, OVERLAPS)


def metadata(*, subject: str, generated_at: datetime, edition: str) -> list[tuple[str, str]]:
    """Every export carries its date and the territorial edition it used."""
    local = timezone.localtime(generated_at)
    return [
        ("Document", "Cartographie des comités territoriaux pour l'emploi"),
        ("Territoire", subject),
        ("Établie le", f"{local:%d/%m/%Y à %H:%M}"),
        ("Référentiel territorial", edition),
        (
            "Note",
            "Une commune est couverte si elle appartient à un CLE installé ; un CLE "
            "interdépartemental compte dans chacun de ses départements.",
        ),
    ]


def _coverage_values(coverage: Coverage) -> list:
    return [
        bool(coverage.cre_installed),
        coverage.cde_count,
        coverage.cle_installed,
        coverage.cle_draft,
        coverage.commune_count,
        coverage.covered_communes,
        coverage.uncovered_communes,
        coverage.population,
        coverage.covered_population,
        coverage.population_share,
        coverage.removed,
        coverage.integrated,
    ]


def synthesis_rows(regional_map: RegionalMap) -> Iterator[list]:
    region = regional_map.region.name
    for entry in regional_map.departements:
        yield ["Département", entry.code, entry.name, region, *_coverage_values(entry)]
    if regional_map.departement is None:
        yield [
            "Région",
            regional_map.region.code,
            region,
            region,
            *_coverage_values(regional_map.totals),
        ]


def national_synthesis_rows(rollup: NationalRollup) -> Iterator[list]:
    for region in rollup.regions:
        for entry in region.departements:
            yield ["Département", entry.code, entry.name, region.name, *_coverage_values(entry)]
        yield ["Région", region.code, region.name, region.name, *_coverage_values(region)]
    yield ["France", "", "France entière", "", *_coverage_values(rollup.totals)]


def _people(copresidents) -> str:
    parts = []
    for c in copresidents:
        text = f"{c.name} — {c.office}"
        if c.authority:
            text += f" ({c.authority})"
        if c.delegate:
            text += f", délégataire : {c.delegate}"
        parts.append(text)
    return " ; ".join(parts)


def committee_row(region: str, c: CommitteeEntry) -> list:
    return [
        region,
        c.level_short,
        c.name,
        c.status_label,
        c.departement_label,
        c.authority_label,
        c.crefop_mode_label,
        c.installed_on,
        c.arrete_reference,
        _people(c.state_copresidents),
        _people(c.local_copresidents),
        " ; ".join(c.arrondissements),
        " ; ".join(c.epcis),
        " ; ".join(c.epts),
        " ; ".join(c.communes),
        c.commune_count if c.level == "local" else None,
        c.population if c.level == "local" else None,
        c.perimeter_review_due_on,
        c.perimeter_review_is_due if c.perimeter_review_due_on else None,
        c.is_interdepartmental if c.level == "local" else None,
        " ; ".join(
            f"{o.authority} ({o.given_on:%d/%m/%Y}"
            + (f", {o.departement}" if o.departement else "")
            + f") — {o.subject_label}"
            for o in c.written_opinions
        ),
        c.removed_count,
        c.integrated_count,
    ]


def region_table_rows(regional_map: RegionalMap) -> Iterator[tuple[str, list]]:
    """(table key, row) for every table but the synthesis, in table order."""
    region = regional_map.region.name
    for committee in regional_map.committees:
        yield COMMITTEES.key, committee_row(region, committee)
    for row in perimeter_rows(regional_map):
        yield (
            PERIMETERS.key,
            [
                region,
                row.committee_name,
                row.committee_status_label,
                row.code,
                row.name,
                row.departement,
                row.epci_code,
                row.epci_name,
                row.population,
            ],
        )
    for commune in regional_map.uncovered:
        yield (
            UNCOVERED.key,
            [
                region,
                commune.departement,
                commune.epci_code,
                commune.epci_name,
                commune.code,
                commune.name,
                commune.population,
            ],
        )
    for former in regional_map.former_instances:
        yield (
            FORMER.key,
            [
                region,
                former.committee_name,
                former.committee_level,
                former.committee_status_label,
                former.kind_label,
                former.name,
                former.outcome_label,
            ],
        )
    for overlap in regional_map.overlaps:
        yield (
            OVERLAPS.key,
            [
                region,
                overlap.committee_name,
                overlap.commune_code,
                overlap.commune_name,
                overlap.installed_cle,
            ],
        )


def text_value(value) -> str:
    """How a value reads in a CSV cell or a PDF table: French dates, oui/non."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)
