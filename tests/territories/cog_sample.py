"""A few real communes cut out of the committed reference file, for fast territory tests.

``sample_document()`` keeps the chosen communes with their départements (and every
arrondissement of those), regions, EPCI and EPT, in the file format of ``import_territories``;
``load_sample()`` writes it to a temporary file and imports it through the real service.
"""

import gzip
import json
from functools import cache
from pathlib import Path

from territories.services import DEFAULT_FILE, ImportReport, import_territories

# Rhône (Lyon and the Métropole, Villefranche), Ain, both Corsican départements, Mayotte (no
# arrondissement), Paris and Saint-Denis (EPT Plaine Commune).
SAMPLE_COMMUNES = (
    "69123",  # Lyon
    "69266",  # Villeurbanne
    "69029",  # Bron
    "69264",  # Villefranche-sur-Saône
    "01053",  # Bourg-en-Bresse
    "2A004",  # Ajaccio
    "2B033",  # Bastia
    "97611",  # Mamoudzou
    "75056",  # Paris
    "93066",  # Saint-Denis
)


@cache
def _real_document() -> str:
    with gzip.open(DEFAULT_FILE, "rt", encoding="utf-8") as handle:
        return handle.read()


def real_document() -> dict:
    """A fresh copy of the committed file's content, free to modify."""
    return json.loads(_real_document())


def _rows(document: dict, table: str) -> list[dict]:
    columns = document[table]["columns"]
    return [dict(zip(columns, row, strict=True)) for row in document[table]["rows"]]


def sample_document(commune_codes=SAMPLE_COMMUNES) -> dict:
    document = real_document()
    communes = [c for c in _rows(document, "communes") if c["code"] in set(commune_codes)]
    departements = {c["departement"] for c in communes}
    keep = {
        "communes": {c["code"] for c in communes},
        "departements": departements,
        "regions": {c["region"] for c in communes},
        "arrondissements": {
            a["code"]
            for a in _rows(document, "arrondissements")
            if a["departement"] in departements
        },
        "epci": {c["epci"] for c in communes if c["epci"]},
        "ept": {c["ept"] for c in communes if c["ept"]},
        "arrondissements_municipaux": {
            a["code"]
            for a in _rows(document, "arrondissements_municipaux")
            if a["commune"] in {c["code"] for c in communes}
        },
    }
    for table, codes in keep.items():
        document[table]["rows"] = [row for row in document[table]["rows"] if row[0] in codes]
    return document


def write_document(document: dict, path: Path) -> Path:
    path.write_bytes(gzip.compress(json.dumps(document, ensure_ascii=False).encode(), mtime=0))
    return path


def load_sample(directory: Path, commune_codes=SAMPLE_COMMUNES) -> ImportReport:
    path = write_document(sample_document(commune_codes), directory / "sample.json.gz")
    return import_territories(path=path)
