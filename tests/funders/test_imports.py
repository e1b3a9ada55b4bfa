"""Import of an offer map from XLSX or CSV (INS-FUNDERS): a preview, errors line by line in
French with the line number, nothing imported until the whole file is valid."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cte_portal.core.errors import RuleError
from funders.models import CoFinancing, FundingLine, FundingLineImport
from funders.services.imports import confirm_offer_import, model_csv, model_xlsx, upload_offer_file
from territories.models import Commune
from tests.funders.files import GOOD_ROWS, bad_rows, csv_bytes, xlsx_bytes
from tests.funders.world import funder, line

pytestmark = pytest.mark.django_db


def _upload(conference, user, name, content):
    return upload_offer_file(conference=conference, user=user, filename=name, content=content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("offre.csv", csv_bytes(GOOD_ROWS)),
        ("offre-virgules.csv", csv_bytes(GOOD_ROWS, delimiter=",")),
        ("offre.xlsx", xlsx_bytes(GOOD_ROWS)),
        ("offre-natif.xlsx", xlsx_bytes(GOOD_ROWS, native=True)),
    ],
)
def test_a_valid_file_is_previewed_then_imported(world, cde_conference, funders, name, content):
    offer_import = _upload(cde_conference, world.ddets69, name, content)
    assert offer_import.status == FundingLineImport.Status.PREVIEWED
    assert offer_import.errors == []
    assert [row["line"] for row in offer_import.rows] == [2, 3, 4]
    assert not FundingLine.objects.exists()  # a preview only

    count = confirm_offer_import(offer_import=offer_import, user=world.ddets69)
    assert count == 3
    lines = {line.scheme: line for line in FundingLine.objects.all()}
    fse = lines["FSE+ — accompagnement global"]
    assert fse.amount_committed == Decimal("1250000.10")
    assert fse.amount_available == Decimal("312500.20")
    assert fse.places == 400 and fse.public == "rsa" and fse.scheme_kind == "support"
    assert fse.is_cofinanced and fse.own_share == Decimal("60.00")
    assert CoFinancing.objects.get(line=fse).partner == funders["departement"]
    permis = lines["Aide au permis de conduire"]
    assert not permis.covers_whole_perimeter
    assert [e.pk for e in permis.epcis.all()] == ["200040590"]
    assert [c.name for c in permis.communes.all()] == ["Tarare"]
    assert permis.amount_available == Decimal("12000.50")
    assert fse.source_import == offer_import
    offer_import.refresh_from_db()
    assert offer_import.status == FundingLineImport.Status.IMPORTED
    assert offer_import.imported_by == world.ddets69


@pytest.mark.parametrize(
    ("name", "content"),
    [("offre.csv", csv_bytes(bad_rows())), ("offre.xlsx", xlsx_bytes(bad_rows()))],
)
def test_an_invalid_line_refuses_the_whole_file_with_its_line_number(
    world, cde_conference, funders, name, content
):
    offer_import = _upload(cde_conference, world.ddets69, name, content)
    assert offer_import.status == FundingLineImport.Status.INVALID
    assert offer_import.errors == [
        {"line": 3, "messages": ["montant engagé « 45 000,555 » a plus de deux décimales"]}
    ]
    assert offer_import.rows == []
    with pytest.raises(RuleError):
        confirm_offer_import(offer_import=offer_import, user=world.ddets69)
    assert not FundingLine.objects.exists()


def test_every_error_of_every_line_is_listed_in_french(world, cde_conference, funders):
    rows = [dict(row) for row in GOOD_ROWS]
    rows[0].update({"Financeur": "Inconnu SA", "Début": "32/13/2026", "Public": "Martiens"})
    rows[1].update({"Territoire": "Paris", "Type de dispositif": "Fusée"})
    rows[2].update({"Fin": "01/01/2020", "Places": "douze", "Cofinanceurs": "Ville : 30"})
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(rows))
    errors = {error["line"]: error["messages"] for error in offer_import.errors}
    assert set(errors) == {2, 3, 4}
    assert "financeur « Inconnu SA » absent du répertoire du comité" in errors[2]
    assert "public « Martiens » inconnu" in errors[2]
    assert "date de début « 32/13/2026 » illisible (attendu JJ/MM/AAAA)" in errors[2]
    assert "type de dispositif « Fusée » inconnu" in errors[3]
    assert "territoire inconnu dans le périmètre du comité : Paris" in errors[3]
    assert "places « douze » n'est pas un nombre entier positif" in errors[4]
    assert not FundingLine.objects.exists()


def test_rule_errors_are_the_same_as_the_form(world, cde_conference, funders):
    rows = [dict(GOOD_ROWS[2])]
    rows[0].update({"Début": "01/09/2026", "Fin": "31/08/2026", "Cofinanceurs": "Ville : 30"})
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(rows))
    messages = offer_import.errors[0]["messages"]
    assert "la fin précède le début" in messages
    assert "ligne cofinancée : indiquez la part du financeur" in messages


def test_duplicates_in_the_file_and_with_the_offer_are_refused(world, cde_conference, funders):
    line(
        cde_conference,
        funders["caf"],
        scheme="Places de crèche à vocation d'insertion (AVIP)",
        scheme_kind="childcare",
        public="single_parents",
        covers_whole_perimeter=False,
        communes=[world.territory.communes["69264"]],
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 8, 31),
    )
    rows = [GOOD_ROWS[0], GOOD_ROWS[0], GOOD_ROWS[2]]
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(rows))
    assert offer_import.errors == [
        {"line": 3, "messages": ["doublon de la ligne 2"]},
        {"line": 4, "messages": ["cette ligne figure déjà dans l'offre de la conférence"]},
    ]
    assert FundingLine.objects.count() == 1


def test_empty_lines_keep_the_line_numbers_of_the_spreadsheet(world, cde_conference, funders):
    rows = [GOOD_ROWS[0], {}, dict(bad_rows()[1])]
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(rows))
    assert offer_import.errors[0]["line"] == 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("offre.txt", b"x", "XLSX ou CSV"),
        ("offre.xlsx", b"not a zip", "ne peut pas être lu"),
        ("offre.csv", "Financeur;Dispositif\n".encode("latin-1"), "Colonnes manquantes"),
        ("offre.csv", "Financeur;Début\nÉtat;x\n".encode("latin-1"), "UTF-8"),
        ("offre.csv", csv_bytes([]), "aucune ligne"),
        ("offre.csv", b"", "vide"),
    ],
)
def test_unreadable_files_are_refused_and_not_recorded(
    world, cde_conference, funders, name, content, message
):
    with pytest.raises(RuleError) as error:
        _upload(cde_conference, world.ddets69, name, content)
    assert message in error.value.messages[0]
    assert error.value.field == "file"
    assert not FundingLineImport.objects.exists()


def test_a_file_is_imported_only_once(world, cde_conference, funders):
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(GOOD_ROWS))
    confirm_offer_import(offer_import=offer_import, user=world.ddets69)
    with pytest.raises(RuleError):
        confirm_offer_import(offer_import=offer_import, user=world.ddets69)
    assert FundingLine.objects.count() == 3


def test_a_change_between_preview_and_confirmation_imports_nothing(world, cde_conference, funders):
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(GOOD_ROWS))
    # Between the preview and the confirmation, Tarare (line 3) left the reference.
    Commune.objects.filter(pk="69243").update(is_current=False)
    with pytest.raises(RuleError) as error:
        confirm_offer_import(offer_import=offer_import, user=world.ddets69)
    assert error.value.messages[0].startswith("Ligne 3 : ")
    assert "Rien n'a été importé" in error.value.messages[-1]
    assert not FundingLine.objects.exists()


def test_the_model_files_name_every_column_and_the_accepted_values(cde_conference, funders):

    assert model_csv().lstrip("\ufeff").startswith("Financeur;Dispositif;Type de dispositif")
    workbook = load_workbook(BytesIO(model_xlsx(cde_conference)))
    assert workbook.sheetnames == ["Lignes de financement", "Valeurs acceptées"]
    values = [row[1] for row in workbook["Valeurs acceptées"].iter_rows(values_only=True)]
    assert "CAF du Rhône" in values and "Bénéficiaires du RSA" in values


def test_funders_of_another_committee_are_unknown(world, cde_conference, funders):
    funder(world.cde75, "Ville de Paris", "communes_epci")
    rows = [dict(GOOD_ROWS[0], Financeur="Ville de Paris")]
    offer_import = _upload(cde_conference, world.ddets69, "offre.csv", csv_bytes(rows))
    assert offer_import.status == FundingLineImport.Status.INVALID
