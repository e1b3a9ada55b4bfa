"""The regional map on the real territorial reference (COG 2026, ~35,000 communes).

The committed file is imported once for this module (the only one that does: it takes a
while) and removed afterwards. CLEs are built from the Rhône's real arrondissements and EPCI.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from committees.models import Level, SpecialAuthority
from committees.services.committees import create_committee, set_perimeter
from regional_map.exports.builder import ExportScope, build_export
from regional_map.selectors import build_regional_map
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
from tests.factories.committees import dreets_agent
from tests.regional_map.scenario import install

# Rhône (69), COG 2026: 266 communes, 1,914,667 inhabitants, arrondissements 691 and 692.
RHONE_COMMUNES = 266
RHONE_POPULATION = 1_914_667
# The CC de la Vallée du Garon (246900757): five communes of the arrondissement of Lyon.
VALLEE_DU_GARON = [
    ("69027", "Brignais", 12_503),
    ("69043", "Chaponost", 9_382),
    ("69133", "Millery", 4_299),
    ("69136", "Montagny", 3_218),
    ("69268", "Vourles", 3_332),
]


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_territories", verbosity=0)
    yield
    with django_db_blocker.unblock():
        models = (
            MunicipalArrondissement,
            Commune,
            Arrondissement,
            Epci,
            Ept,
            Departement,
            Region,
            TerritorialEdition,
        )
        for model in models:
            model.objects.all().delete()


@pytest.fixture
def ara(reference, db):
    return Region.objects.get(code="84")


def _cle(name, **perimeter):
    committee = create_committee(
        level=Level.LOCAL,
        name=name,
        region=Region.objects.get(code="84"),
        departements=[Departement.objects.get(code="69")],
    )
    return install(set_perimeter(committee=committee, **perimeter))


def _rhone(regional_map):
    return next(d for d in regional_map.departements if d.code == "69")


def test_rhone_covered_by_cles_of_its_two_arrondissements_leaves_no_commune(ara):
    _cle("CLE Lyon et sa région", arrondissements=["691"])
    _cle("CLE Beaujolais", arrondissements=["692"])
    regional_map = build_regional_map(region=ara)
    rhone = _rhone(regional_map)
    assert (rhone.commune_count, rhone.population) == (RHONE_COMMUNES, RHONE_POPULATION)
    assert (rhone.covered_communes, rhone.uncovered_communes) == (RHONE_COMMUNES, 0)
    assert rhone.population_share == 100.0
    assert rhone.uncovered_groups == []
    ain = next(d for d in regional_map.departements if d.code == "01")
    assert ain.covered_communes == 0 and ain.uncovered_communes == ain.commune_count == 391
    assert regional_map.totals.commune_count == Commune.objects.current().filter(region=ara).count()
    assert regional_map.edition.startswith("COG 2026")


def test_rhone_without_the_vallee_du_garon_lists_exactly_its_five_communes(ara, client, tmp_path):
    _cle("CLE Beaujolais", arrondissements=["692"])
    lyon_without_garon = Commune.objects.filter(arrondissement="691").exclude(epci="246900757")
    _cle("CLE Lyon", communes=list(lyon_without_garon.values_list("code", flat=True)))
    rhone = _rhone(build_regional_map(region=ara))
    assert rhone.uncovered_communes == 5
    [group] = rhone.uncovered_groups
    assert (group.code, group.name) == ("246900757", "CC de la Vallée du Garon (CCVG)")
    assert [(c.code, c.name, c.population) for c in group.communes] == VALLEE_DU_GARON
    assert rhone.covered_population == RHONE_POPULATION - 32_734
    assert rhone.population_share == 98.3

    # The page of the Rhône and its XLSX export say the same.
    client.force_login(dreets_agent(ara))
    html = client.get(reverse("regional_map:departement", args=["84", "69"])).content.decode()
    assert re.findall(r'data-commune="(\w+)"', html) == [code for code, _, _ in VALLEE_DU_GARON]
    path = build_export(
        scope=ExportScope(region=ara, departement=Departement.objects.get(code="69")),
        fmt="xlsx",
        path=tmp_path / "rhone.xlsx",
    )
    workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    rows = [list(r) for r in workbook["Synthèse"].iter_rows(values_only=True)]
    headers = next(r for r in rows if r and r[0] == "Niveau")
    [rhone_row] = [dict(zip(headers, r, strict=False)) for r in rows if r and r[0] == "Département"]
    assert (rhone_row["Communes"], rhone_row["Communes non couvertes"]) == (RHONE_COMMUNES, 5)
    assert rhone_row["Population couverte"] == RHONE_POPULATION - 32_734
    uncovered = list(workbook["Communes non couvertes"].iter_rows(values_only=True))[1:]
    assert [(r[4], r[5], r[6]) for r in uncovered] == VALLEE_DU_GARON


def test_rhone_has_two_cdes_and_alsace_a_single_one_on_the_real_reference(ara):
    """DEC-SPECIAL-CDE / INS-CDE-RHONE / INS-CDE-SINGLE."""
    rhone, bas_rhin, haut_rhin = (Departement.objects.get(code=c) for c in ("69", "67", "68"))
    create_committee(
        level=Level.DEPARTMENTAL, name="CDE du Rhône", region=ara, departements=[rhone]
    )
    create_committee(
        level=Level.DEPARTMENTAL,
        name="CDE de la Métropole de Lyon",
        region=ara,
        departements=[rhone],
        special_authority=SpecialAuthority.METROPOLE_LYON,
    )
    grand_est = Region.objects.get(code="44")
    create_committee(
        level=Level.DEPARTMENTAL,
        name="CDE de la Collectivité européenne d'Alsace",
        region=grand_est,
        departements=[bas_rhin, haut_rhin],
        special_authority=SpecialAuthority.CEA,
    )
    assert len(_rhone(build_regional_map(region=ara)).cdes) == 2
    grand_est_map = build_regional_map(region=grand_est)
    assert [c.name for c in grand_est_map.cdes] == ["CDE de la Collectivité européenne d'Alsace"]
    by_code = {d.code: d for d in grand_est_map.departements}
    assert [c.name for c in by_code["67"].cdes] == [c.name for c in by_code["68"].cdes]
    assert len(by_code) == 10  # Grand Est's ten départements, each with its coverage
