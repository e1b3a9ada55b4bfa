"""Build one export of the regional map (INS-REGIONAL-MAP) into a file on disk.

``build_export`` computes the map once (one region at a time for the national roll-up), and
streams its tables to the XLSX or CSV writer, or renders the PDF. ``progress(percent)`` is
called as it goes; the task stores it on the job for the progress page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.text import slugify

from cte_portal.core.pdf import render_pdf
from regional_map.exports.figure import attribution, build_figure
from regional_map.exports.tables import (
    SYNTHESIS,
    metadata,
    national_synthesis_rows,
    region_table_rows,
    synthesis_rows,
)
from regional_map.exports.writers import CsvZipWriter, XlsxWriter
from regional_map.selectors import build_national_rollup, build_regional_map, iter_regional_maps
from territories.models import Departement, Region

WRITERS = {"xlsx": XlsxWriter, "csv": CsvZipWriter}
EXTENSIONS = {"xlsx": "xlsx", "csv": "zip", "pdf": "pdf"}
PDF_TEMPLATE = "regional_map/pdf.html"


@dataclass(frozen=True)
class ExportScope:
    """A region, one département of it, or France (both ``None``)."""

    region: Region | None = None
    departement: Departement | None = None

    @property
    def subject(self) -> str:
        if self.departement is not None:
            return f"Département {self.departement.name} ({self.departement.code})"
        if self.region is not None:
            return f"Région {self.region.name}"
        return "France entière (toutes les régions, Outre-mer compris)"

    @property
    def slug(self) -> str:
        if self.departement is not None:
            return f"{self.departement.code.lower()}-{slugify(self.departement.name)}"
        if self.region is not None:
            return slugify(self.region.name)
        return "france"


def filename(scope: ExportScope, fmt: str, when=None) -> str:
    when = timezone.localtime(when)
    return f"cartographie-comites-{scope.slug}-{when:%Y%m%d-%H%M}.{EXTENSIONS[fmt]}"


def build_export(
    *,
    scope: ExportScope,
    fmt: str,
    path: Path,
    progress: Callable[[int], None] = lambda percent: None,
) -> Path:
    """Write the export of ``scope`` in format ``fmt`` (xlsx, csv, pdf) to ``path``."""
    if fmt == "pdf":
        path.write_bytes(render_pdf(PDF_TEMPLATE, pdf_context(scope, progress)))
        progress(100)
        return path
    title = f"Cartographie des comités — {scope.subject}"
    if scope.region is None:
        rollup = build_national_rollup()
        writer = WRITERS[fmt](
            path,
            title=title,
            metadata=metadata(
                subject=scope.subject, generated_at=rollup.generated_at, edition=rollup.edition
            ),
        )
        for row in national_synthesis_rows(rollup):
            writer.row(SYNTHESIS.key, row)
        count = max(len(rollup.regions), 1)
        progress(10)
        for index, regional_map in enumerate(iter_regional_maps(), start=1):
            for key, row in region_table_rows(regional_map):
                writer.row(key, row)
            progress(10 + 85 * index // count)
    else:
        regional_map = build_regional_map(region=scope.region, departement=scope.departement)
        progress(30)
        writer = WRITERS[fmt](
            path,
            title=title,
            metadata=metadata(
                subject=scope.subject,
                generated_at=regional_map.generated_at,
                edition=regional_map.edition,
            ),
        )
        for row in synthesis_rows(regional_map):
            writer.row(SYNTHESIS.key, row)
        for key, row in region_table_rows(regional_map):
            writer.row(key, row)
        progress(90)
    writer.close()
    progress(100)
    return path


def committee_groups(regional_map) -> list[tuple[str, list]]:
    """The committees by group, under a heading each: the CRE and CDEs, then the CLEs by
    département (an inter-departmental CLE under its first one)."""
    groups = [
        (
            "Comité régional et comités départementaux",
            regional_map.committees[: 1 + len(regional_map.cdes)]
            if regional_map.cre
            else regional_map.cdes,
        )
    ]
    for entry in regional_map.departements:
        cles = [c for c in regional_map.cles if c.departement_codes[:1] == [entry.code]]
        groups.append((f"Comités locaux — {entry.label}", cles))
    orphans = [
        c
        for c in regional_map.cles
        if not c.departement_codes
        or c.departement_codes[0] not in {e.code for e in regional_map.departements}
    ]
    if orphans:
        groups.append(("Autres comités locaux", orphans))
    return [(title, committees) for title, committees in groups if committees]


def _running(text: str) -> str:
    # pdf/base.html puts the running title through ``escapejs`` into a CSS string, where
    # ``\u002D`` reads "u002D": non-breaking hyphens (U+2011) are left alone.
    return text.replace("-", "\u2011")


def pdf_context(scope: ExportScope, progress: Callable[[int], None] = lambda p: None) -> dict:
    """What the PDF shows: synthesis, the map, the tables (the commune-by-commune perimeters
    are in the XLSX and CSV exports, a PDF of thousands of rows helps nobody)."""
    if scope.region is None:
        rollup = build_national_rollup()
        progress(50)
        return {
            "running_title": "Cartographie des comités — France entière",
            "running_subtitle": f"Établie le {timezone.localtime(rollup.generated_at):%d/%m/%Y}",
            "scope": scope,
            "rollup": rollup,
            "committee_groups": [],
            "regional_map": None,
            "figure": build_figure(rollup.departements, title="Couverture par département"),
            "attribution": attribution(),
            "generated_at": rollup.generated_at,
            "edition": rollup.edition,
        }
    regional_map = build_regional_map(region=scope.region, departement=scope.departement)
    progress(50)
    return {
        "committee_groups": committee_groups(regional_map),
        "running_title": _running(f"Cartographie des comités — {regional_map.title}"),
        "running_subtitle": f"Établie le {timezone.localtime(regional_map.generated_at):%d/%m/%Y}",
        "scope": scope,
        "rollup": None,
        "regional_map": regional_map,
        "figure": build_figure(
            regional_map.departements, title=f"Couverture par département — {regional_map.title}"
        ),
        "attribution": attribution(),
        "generated_at": regional_map.generated_at,
        "edition": regional_map.edition,
    }
