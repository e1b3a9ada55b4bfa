"""INS-CLE-PERIMETER: a commune belongs to at most one installed CLE. A CLE in preparation
whose perimeter takes communes of an installed CLE is flagged as soon as its perimeter is
saved — in its installation checklist, its warnings, the regional map and its exports — not
only when someone clicks « Installer »."""

import csv
import io
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from committees.selectors import committee_warnings, warning_counts
from committees.services.committees import installation_problems
from regional_map.exports.builder import ExportScope, build_export
from regional_map.selectors import build_regional_map
from tests.committees import builders
from tests.core.screens import pdf_text
from tests.factories.committees import dreets_agent, install

pytestmark = pytest.mark.django_db


@pytest.fixture
def overlap(territory):
    """An installed CLE over the arrondissement of Villefranche, and a CLE in preparation
    whose perimeter (the CC du Garon and the Beaujolais Pierres Dorées) takes two of its
    communes, Anse and Val d'Oingt."""
    installed = install(builders.make_cle(territory))
    draft = builders.make_cle(
        territory,
        name="CLE Sud-Ouest lyonnais",
        epcis=[territory.garon, territory.epci("200040574")],
    )
    return installed, draft


@pytest.fixture
def apart(territory):
    """The same CLE in preparation with the CC du Garon only: no commune in common."""
    install(builders.make_cle(territory))
    return builders.make_cle(territory, name="CLE Sud-Ouest lyonnais", epcis=[territory.garon])


def test_the_checklist_and_the_warnings_list_the_overlap_before_installation(overlap):
    installed, draft = overlap
    problems = installation_problems(draft)
    assert "2 commune(s) appartiennent déjà à un autre CLE installé :" in problems
    assert f"Anse (69009) — déjà dans « {installed.name} »" in problems
    warnings = committee_warnings(draft)
    assert f"Val d'Oingt (69024) — déjà dans « {installed.name} »" in [w.message for w in warnings]
    # The list pages count the same warnings in bulk.
    assert warning_counts([draft])[draft.pk] == len(warnings)


def test_no_overlap_nothing_flagged(apart):
    assert not any("CLE installé" in p for p in installation_problems(apart))
    assert warning_counts([apart])[apart.pk] == len(committee_warnings(apart))
    assert build_regional_map(region=apart.region).overlaps == []


def test_the_installation_page_shows_the_overlap_before_the_click(client, overlap, ddets_rhone):
    installed, draft = overlap
    client.force_login(ddets_rhone)
    html = unescape(client.get(reverse("committees:install", args=[draft.pk])).content.decode())
    assert "2 commune(s) appartiennent déjà à un autre CLE installé" in html
    assert f"Anse (69009) — déjà dans « {installed.name} »" in html


def test_the_regional_map_and_its_exports_show_the_overlap(client, overlap, territory, tmp_path):
    installed, draft = overlap
    regional_map = build_regional_map(region=territory.ara)
    assert [(o.committee_name, o.commune_code, o.installed_cle) for o in regional_map.overlaps] == [
        (draft.name, "69009", installed.name),
        (draft.name, "69024", installed.name),
    ]

    client.force_login(dreets_agent(territory.ara))
    html = unescape(client.get(reverse("regional_map:region", args=["84"])).content.decode())
    assert "Chevauchements de périmètres" in html
    assert "2 communes d'un comité local en préparation appartiennent déjà" in html

    scope = ExportScope(region=territory.ara)
    archive = zipfile.ZipFile(build_export(scope=scope, fmt="csv", path=tmp_path / "m.zip"))
    rows = list(
        csv.DictReader(
            io.StringIO(archive.read("chevauchements.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [(r["Comité local en préparation"], r["Code INSEE"]) for r in rows] == [
        (draft.name, "69009"),
        (draft.name, "69024"),
    ]
    assert rows[0]["Déjà couverte par le CLE installé"] == installed.name

    pdf = build_export(scope=scope, fmt="pdf", path=Path(tmp_path / "m.pdf")).read_bytes()
    text = " ".join(pdf_text(pdf).split())
    assert "Chevauchements de périmètres" in text
    assert "Anse (69009) déjà couverte par" in text
