#!/usr/bin/env python3
"""Derive the compact territorial reference file committed in ``territories/data/``.

The source is the npm package ``@etalab/decoupage-administratif`` 6.0.0 (COG 2026). Only what
the models need is kept, as tables of rows under a ``columns`` header, so that the gzip file
stays well under 1 MB and ``manage.py import_territories`` reads it without npm.

Usage::

    python scripts/derive_territories.py                      # npm pack into a temp dir
    python scripts/derive_territories.py /tmp/npm/package     # an unpacked package
    python scripts/derive_territories.py PKG --output out.json.gz

The output is deterministic (sorted rows, fixed key order, gzip mtime 0): deriving twice from
the same package gives the same bytes, so a diff of the committed file means the data changed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
FORMAT_VERSION = 1
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "territories" / "data" / "territories-cog-2026.json.gz"

METADATA = {
    "edition": f"COG 2026 (découpage administratif Etalab {VERSION})",
    "source": (
        f"npm {PACKAGE}@{VERSION} (https://github.com/datagouv/decoupage-administratif), "
        "d'après le Code officiel géographique de l'Insee, la liste des EPCI de la DGCL "
        "et les populations légales de l'Insee"
    ),
    "licence": "Données : Licence Ouverte / Open Licence (Etalab) ; paquet : MIT",
}

COLUMNS = {
    "regions": ["code", "name", "zone"],
    "departements": ["code", "name", "region", "zone"],
    "arrondissements": ["code", "name", "departement"],
    "epci": ["code", "name", "kind"],
    "ept": ["code", "name"],
    "communes": [
        "code",
        "name",
        "departement",
        "region",
        "arrondissement",
        "population",
        "epci",
        "ept",
    ],
    "arrondissements_municipaux": ["code", "name", "commune", "population"],
}


def npm_pack(workdir: Path) -> Path:
    """Fetch the package tarball with ``npm pack`` and unpack it; return the package folder."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = workdir.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def _data_dir(path: Path) -> Path:
    return path / "data" if (path / "data").is_dir() else path


def _load(data_dir: Path, name: str) -> list[dict]:
    with open(data_dir / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _members(groups: list[dict], kind: str) -> dict[str, str]:
    """Map each member commune code to its group code; a commune in two groups is an error."""
    owner: dict[str, str] = {}
    for group in groups:
        for member in group["membres"]:
            previous = owner.setdefault(member["code"], group["code"])
            if previous != group["code"]:
                raise SystemExit(
                    f"commune {member['code']} in two {kind}: {previous}, {group['code']}"
                )
    return owner


def derive(data_dir: Path) -> dict:
    regions = _load(data_dir, "regions")
    departements = _load(data_dir, "departements")
    arrondissements = _load(data_dir, "arrondissements")
    epcis = _load(data_dir, "epci")
    epts = _load(data_dir, "ept")
    every_commune = _load(data_dir, "communes")
    communes = [c for c in every_commune if c["type"] == "commune-actuelle"]
    municipal = [c for c in every_commune if c["type"] == "arrondissement-municipal"]
    epci_of = _members(epcis, "EPCI")
    ept_of = _members(epts, "EPT")

    tables = {
        "regions": [[r["code"], r["nom"], r["zone"]] for r in regions],
        "departements": [[d["code"], d["nom"], d["region"], d["zone"]] for d in departements],
        "arrondissements": [[a["code"], a["nom"], a["departement"]] for a in arrondissements],
        "epci": [[e["code"], e["nom"], e["type"]] for e in epcis],
        "ept": [[e["code"], e["nom"]] for e in epts],
        "communes": [
            [
                c["code"],
                c["nom"],
                c["departement"],
                c["region"],
                # Mayotte's communes carry an empty string: no arrondissement there.
                c.get("arrondissement") or None,
                c.get("population") or 0,
                epci_of.get(c["code"]),
                ept_of.get(c["code"]),
            ]
            for c in communes
        ],
        # Paris, Lyon, Marseille: the 45 arrondissements municipaux and their city.
        "arrondissements_municipaux": [
            [a["code"], a["nom"], a["commune"], a.get("population") or 0] for a in municipal
        ],
    }
    document: dict = {"format": FORMAT_VERSION, "metadata": METADATA}
    for name, rows in tables.items():
        document[name] = {"columns": COLUMNS[name], "rows": sorted(rows, key=lambda row: row[0])}
    return document


def write(document: dict, output: Path) -> bytes:
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0 and no file name in the header: the same data always gives the same bytes.
    compressed = gzip.compress(payload, compresslevel=9, mtime=0)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(compressed)
    return compressed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package",
        nargs="?",
        type=Path,
        help="unpacked package folder (or its data/ folder); default: npm pack into a temp dir",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    if args.package:
        document = derive(_data_dir(args.package))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            document = derive(_data_dir(npm_pack(Path(tmp))))
    compressed = write(document, args.output)
    counts = ", ".join(f"{name} {len(document[name]['rows'])}" for name in COLUMNS)
    print(f"{args.output}: {len(compressed):,} octets ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
