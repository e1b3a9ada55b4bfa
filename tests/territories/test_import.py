"""``import_territories``: the real COG 2026 file, idempotence, refusals, a newer edition.

The whole of France is imported once for the module (``france``) and committed, so that each
test does not pay for it; every test still runs in its own rolled-back transaction on top.
"""

import gzip
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    Epci,
    Ept,
    MunicipalArrondissement,
    Region,
    TerritorialEdition,
)
from territories.services import DEFAULT_FILE, TerritoryFileError, import_territories
from tests.territories.cog_sample import real_document, sample_document, write_document

# children first
MODELS = (MunicipalArrondissement, Commune, Epci, Ept, Arrondissement, Departement, Region)

# COG 2026 as published in @etalab/decoupage-administratif 6.0.0.
REAL_COUNTS = {
    Region: 26,  # 13 metropolitan + 5 DROM + 8 COM listed as regions
    Departement: 109,  # 96 metropolitan + 5 DROM + 8 COM
    Arrondissement: 333,
    Epci: 1255,
    Ept: 11,
    Commune: 34969,
    MunicipalArrondissement: 45,  # Paris 20, Lyon 9, Marseille 16
}


def _wipe():
    # Plain DELETEs: the ORM's collector would fetch 35,000 communes to look for committees
    # pointing at them (there are none here; the foreign keys would refuse it otherwise).
    with connection.cursor() as cursor:
        for model in (TerritorialEdition, *MODELS):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture(scope="module")
def france(django_db_setup, django_db_blocker):
    """The whole committed file, imported once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        _wipe()
        report = import_territories()
    yield report
    with django_db_blocker.unblock():
        _wipe()


def _snapshot() -> dict:
    """Counts, in force or not, and a few rows as tuples: what must not move on a refusal."""
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "current": {model.__name__: model.objects.current().count() for model in MODELS},
        "lyon": Commune.objects.filter(code="69123").values_list().get(),
        "rhone": Departement.objects.filter(code="69").values_list().get(),
        "editions": list(TerritorialEdition.objects.values_list("pk", "checksum")),
    }


# --- The real file ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_real_file_counts(france):
    for model, expected in REAL_COUNTS.items():
        assert model.objects.current().count() == expected, model.__name__
    assert france.counts["communes"].created == 34969
    assert france.counts["regions"].created == 26
    assert france.changed
    assert Epci.objects.filter(kind=Epci.Kind.MET69).count() == 1
    edition = TerritorialEdition.objects.latest()
    assert edition.label == "COG 2026 (découpage administratif Etalab 6.0.0)"
    assert edition.checksum == hashlib.sha256(DEFAULT_FILE.read_bytes()).hexdigest()


@pytest.mark.django_db
def test_real_file_special_codes(france):
    corse_du_sud = Departement.objects.get(code="2A")
    haute_corse = Departement.objects.get(code="2B")
    assert corse_du_sud.name == "Corse-du-Sud"
    assert haute_corse.name == "Haute-Corse"
    assert corse_du_sud.region_id == haute_corse.region_id == "94"
    assert Region.objects.get(code="94").name == "Corse"

    mayotte = Departement.objects.get(code="976")
    assert (mayotte.name, mayotte.region_id, mayotte.zone) == ("Mayotte", "06", "drom")
    # Mayotte's communes have no arrondissement: stored as NULL, not "".
    assert Commune.objects.get(code="97611").arrondissement_id is None

    rhone = Departement.objects.get(code="69")
    assert (rhone.name, rhone.region.name) == ("Rhône", "Auvergne-Rhône-Alpes")

    ajaccio = Commune.objects.get(code="2A004")
    assert (ajaccio.name, ajaccio.departement_id, ajaccio.region_id) == ("Ajaccio", "2A", "94")
    # A COM is both a region and a département of the same code.
    assert Departement.objects.get(code="975").region_id == "975"


@pytest.mark.django_db
def test_real_file_groupings(france):
    lyon = Commune.objects.select_related("epci", "arrondissement").get(code="69123")
    assert lyon.epci.kind == Epci.Kind.MET69
    assert lyon.epci.name == "Métropole de Lyon"
    assert lyon.arrondissement.code == "691"
    assert lyon.population > 500_000
    assert Commune.objects.get(code="93066").ept.name == "Plaine Commune"
    assert Commune.objects.filter(ept__isnull=False).count() > 100
    # The Métropole de Lyon covers the Rhône's communes around Lyon, not Villefranche.
    assert Commune.objects.get(code="69264").epci.kind == Epci.Kind.CA
    # A few island communes belong to no EPCI.
    assert Commune.objects.filter(epci__isnull=True, departement__zone="metro").exists()


@pytest.mark.django_db
def test_second_run_changes_nothing_and_says_so(france):
    before = _snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = import_territories()
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert not report.changed
    assert report.counts["communes"].unchanged == 34969
    assert all(c.created == c.updated == c.retired == 0 for c in report.counts.values())
    assert "Aucun changement" in report.lines()[-1]
    assert _snapshot() == before


@pytest.mark.django_db
def test_command_reports_in_french(france):
    out = io.StringIO()
    call_command("import_territories", stdout=out)
    output = out.getvalue()
    assert "COG 2026" in output
    assert "communes : 0 ajout(s), 0 mise(s) à jour, 0 retrait(s), 34969 sans changement" in output
    assert "Aucun changement" in output
    quiet = io.StringIO()
    call_command("import_territories", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""


# --- Refusals ---------------------------------------------------------------------------------


def _gzip(content: bytes, tmp_path):
    path = tmp_path / "territoires.json.gz"
    path.write_bytes(gzip.compress(content, mtime=0))
    return path


def _without_column(document, table, column):
    index = document[table]["columns"].index(column)
    document[table]["columns"].pop(index)
    for row in document[table]["rows"]:
        row.pop(index)
    return document


def _set(document, table, code, column, value):
    index = document[table]["columns"].index(column)
    for row in document[table]["rows"]:
        if row[0] == code:
            row[index] = value
    return document


MALFORMED = {
    "bad-json": (
        lambda tmp: _gzip(b'{"format": 1, "metadata": {"edition": ', tmp),
        r"JSON invalide, ligne 1, colonne \d+",
    ),
    "truncated-gzip": (
        lambda tmp: (
            (tmp / "t.json.gz").write_bytes(DEFAULT_FILE.read_bytes()[:5000]) and tmp / "t.json.gz"
        ),
        "gzip est illisible ou tronqué",
    ),
    "missing-file": (lambda tmp: tmp / "absent.json.gz", "Impossible de lire le fichier"),
    "wrong-format": (
        lambda tmp: _gzip(json.dumps({"format": 2}).encode(), tmp),
        "Format de fichier non pris en charge",
    ),
    "missing-column": (
        lambda tmp: write_document(
            _without_column(real_document(), "communes", "population"), tmp / "f.json.gz"
        ),
        "Table « communes » : colonne\\(s\\) obligatoire\\(s\\) absente\\(s\\) : population",
    ),
    "unknown-departement": (
        lambda tmp: write_document(
            _set(real_document(), "communes", "69123", "departement", "99"), tmp / "f.json.gz"
        ),
        r"communes, ligne \d+ \(code 69123\), champ « departement » : "
        r"département « 99 » absent du fichier",
    ),
    "negative-population": (
        lambda tmp: write_document(
            _set(real_document(), "communes", "2A004", "population", -3), tmp / "f.json.gz"
        ),
        r"\(code 2A004\), champ « population » : population hors limites \(-3\)",
    ),
    "empty-code": (
        lambda tmp: write_document(
            _set(real_document(), "regions", "84", "code", " "), tmp / "f.json.gz"
        ),
        r"regions, ligne \d+, champ « code » : code vide ou absent",
    ),
    "unknown-epci-kind": (
        lambda tmp: write_document(
            _set(real_document(), "epci", "200046977", "kind", "SIVOM"), tmp / "f.json.gz"
        ),
        r"epci, ligne \d+ \(code 200046977\), champ « kind » : « SIVOM » n'est pas parmi",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_file_is_rejected_and_nothing_changes(france, tmp_path, case):
    make_file, message = MALFORMED[case]
    path = make_file(tmp_path)
    before = _snapshot()
    with pytest.raises(TerritoryFileError, match=message):
        import_territories(path=path)
    assert _snapshot() == before


@pytest.mark.django_db
def test_command_refuses_a_malformed_file(france, tmp_path):
    path = write_document(
        _set(sample_document(), "communes", "69123", "departement", "99"), tmp_path / "f.json.gz"
    )
    before = _snapshot()
    with pytest.raises(CommandError, match="(?s)Import refusé, base inchangée.*« 99 » absent"):
        call_command("import_territories", file=path, stdout=io.StringIO())
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(france, tmp_path, monkeypatch):
    document = _set(real_document(), "regions", "84", "name", "Région renommée")
    document = _set(document, "communes", "69123", "population", 1)
    before = _snapshot()

    def fail(**kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(TerritorialEdition.objects, "create", fail)
    with pytest.raises(RuntimeError):
        import_territories(path=write_document(document, tmp_path / "f.json.gz"))
    assert _snapshot() == before
    assert Region.objects.get(code="84").name == "Auvergne-Rhône-Alpes"


# --- A newer edition --------------------------------------------------------------------------


def _next_edition(document: dict) -> dict:
    """What a new COG brings: a merger, a new commune, a renamed region, an EPT dissolved."""
    document["metadata"]["edition"] = "COG 2027 (essai)"
    communes = document["communes"]
    columns = communes["columns"]
    rows = {row[0]: row for row in communes["rows"]}
    # Bron merges into Villeurbanne (commune nouvelle): Bron is retired, Villeurbanne grows.
    bron = rows.pop("69029")
    villeurbanne = dict(zip(columns, rows["69266"], strict=True))
    villeurbanne.update(name="Villeurbanne-Bron", population=villeurbanne["population"] + bron[5])
    rows["69266"] = [villeurbanne[c] for c in columns]
    # A new commune in a new EPCI.
    document["epci"]["rows"].append(["200099999", "CC Nouvelle", "CC"])
    rows["01999"] = ["01999", "Nouvelle-Commune", "01", "84", "012", 120, "200099999", None]
    # The EPT Plaine Commune disappears: its communes have no EPT any more.
    ept_at = columns.index("ept")
    for row in rows.values():
        if row[ept_at] == "200057867":
            row[ept_at] = None
    document["ept"]["rows"] = [r for r in document["ept"]["rows"] if r[0] != "200057867"]
    document["regions"]["rows"] = [
        [r[0], "Auvergne-Rhône-Alpes (2027)", r[2]] if r[0] == "84" else r
        for r in document["regions"]["rows"]
    ]
    communes["rows"] = sorted(rows.values())
    return document


@pytest.mark.django_db
def test_newer_edition_creates_updates_and_retires(france, tmp_path):
    plaine_commune = set(Commune.objects.filter(ept="200057867").values_list("code", flat=True))
    assert len(plaine_commune) == 8
    path = write_document(_next_edition(real_document()), tmp_path / "cog-2027.json.gz")

    report = import_territories(path=path)

    counts = report.counts
    assert (counts["regions"].updated, counts["regions"].unchanged) == (1, 25)
    assert (counts["epci"].created, counts["epci"].unchanged) == (1, 1255)
    assert (counts["ept"].retired, counts["ept"].unchanged) == (1, 10)
    assert counts["communes"].created == 1
    assert counts["communes"].retired == 1
    assert counts["communes"].updated == 1 + len(plaine_commune)  # Villeurbanne + the 8 communes
    assert counts["communes"].unchanged == 34969 - 1 - 1 - len(plaine_commune)
    assert counts["departements"].unchanged == 109
    assert report.changed and report.edition_recorded

    # Retired rows are kept, out of force, never deleted.
    bron = Commune.objects.get(code="69029")
    assert not bron.is_current
    assert bron.epci_id == "200046977"
    assert not Ept.objects.get(code="200057867").is_current
    assert Commune.objects.current().count() == 34969
    assert Commune.objects.count() == 34970
    villeurbanne = Commune.objects.get(code="69266")
    assert villeurbanne.name == "Villeurbanne-Bron"
    assert villeurbanne.population > 200_000
    new = Commune.objects.select_related("epci").get(code="01999")
    assert (new.epci.name, new.epci.kind, new.is_current) == ("CC Nouvelle", "CC", True)
    assert not Commune.objects.filter(code__in=plaine_commune, ept__isnull=False).exists()
    assert Region.objects.get(code="84").name == "Auvergne-Rhône-Alpes (2027)"
    assert TerritorialEdition.objects.latest().label == "COG 2027 (essai)"

    # Going back to the 2026 file brings the retired rows back into force.
    back = import_territories()
    assert back.counts["communes"].updated == 1 + 1 + len(plaine_commune)  # + Bron back
    assert back.counts["communes"].retired == 1  # the commune that 2026 does not know
    assert back.counts["ept"].updated == 1
    assert Commune.objects.get(code="69029").is_current


@pytest.mark.django_db
def test_small_file_on_top_of_france_retires_the_rest(france, tmp_path):
    """A file is the whole reference: what it does not list is no longer in force."""
    report = import_territories(
        path=write_document(sample_document(["69123", "2A004"]), tmp_path / "petit.json.gz")
    )
    assert report.counts["communes"].unchanged == 2
    assert report.counts["communes"].retired == 34967
    assert report.counts["departements"].retired == 107
    assert set(Commune.objects.current().values_list("code", flat=True)) == {"69123", "2A004"}
    assert Commune.objects.count() == 34969


@pytest.fixture
def empty_reference(france):
    """No territory at all, inside the test's transaction only (rolled back afterwards)."""
    _wipe()


@pytest.mark.django_db
def test_small_hand_made_editions_on_an_empty_reference(empty_reference, tmp_path):
    first = sample_document(["69123", "69264", "2A004"])
    report = import_territories(path=write_document(first, tmp_path / "v1.json.gz"))
    assert {key: c.created for key, c in report.counts.items()} == {
        "regions": 2,
        "departements": 2,
        "arrondissements": 4,  # every arrondissement of the Rhône and of Corse-du-Sud
        "epci": 3,
        "ept": 0,
        "communes": 3,
        "arrondissements_municipaux": 9,  # Lyon's
    }
    assert TerritorialEdition.objects.count() == 1

    second = sample_document(["69123", "2A004", "2B033"])
    _set(second, "communes", "69123", "population", 520_000)
    report = import_territories(path=write_document(second, tmp_path / "v2.json.gz"))
    communes = report.counts["communes"]
    assert (communes.created, communes.updated, communes.retired, communes.unchanged) == (
        1,
        1,
        1,
        1,
    )
    assert report.counts["departements"].created == 1  # 2B
    assert report.counts["epci"].retired == 1  # Villefranche's CA, absent from v2
    assert Commune.objects.get(code="69123").population == 520_000
    assert not Commune.objects.get(code="69264").is_current
    assert Commune.objects.get(code="2B033").departement.region_id == "94"
    assert TerritorialEdition.objects.count() == 2


# --- Outre-mer and arrondissements municipaux (DEC-OUTRE-MER, DEC-CLE-PERIMETER) ---------------


@pytest.mark.django_db
def test_real_file_holds_the_drom_communes_and_the_municipal_arrondissements(france):
    """DEC-OUTRE-MER: the five DROM and their communes load with the rest of France;
    DEC-CLE-PERIMETER: Paris, Lyon and Marseille come with their arrondissements municipaux."""
    for code, region in (("971", "01"), ("972", "02"), ("973", "03"), ("974", "04"), ("976", "06")):
        departement = Departement.objects.get(code=code)
        assert (departement.region_id, departement.zone) == (region, "drom")
        assert Commune.objects.current().filter(departement=departement).exists()
    assert Commune.objects.get(code="97411").name == "Saint-Denis"
    by_city = {
        city: MunicipalArrondissement.objects.filter(commune_id=city).count()
        for city in ("75056", "69123", "13055")
    }
    assert by_city == {"75056": 20, "69123": 9, "13055": 16}
    paris_18 = MunicipalArrondissement.objects.get(code="75118")
    assert paris_18.name == "Paris 18e Arrondissement"
    assert paris_18.population > 100_000


@pytest.mark.django_db
def test_a_municipal_arrondissement_of_an_unknown_city_is_refused(france, tmp_path):
    """DEC-CLE-PERIMETER: an arrondissement municipal must name a commune of the file."""
    document = sample_document(["69123"])
    document["arrondissements_municipaux"]["rows"].append(["13201", "Marseille 1er", "13055", 1])
    before = _snapshot()
    with pytest.raises(TerritoryFileError, match=r"commune « 13055 » absent du fichier"):
        import_territories(path=write_document(document, tmp_path / "f.json.gz"))
    assert _snapshot() == before


@pytest.mark.django_db
def test_an_edition_without_municipal_arrondissements_still_imports(empty_reference, tmp_path):
    """An edition derived before the table existed loads; it neither creates nor retires
    arrondissements municipaux (DEC-CLE-PERIMETER)."""
    document = sample_document(["69123"])
    del document["arrondissements_municipaux"]
    report = import_territories(path=write_document(document, tmp_path / "old.json.gz"))
    assert "arrondissements_municipaux" not in report.counts
    assert Commune.objects.current().filter(code="69123").exists()
    assert not MunicipalArrondissement.objects.exists()
