"""INS-OPEN-DATA: public pages without sign-in, CSV (UTF-8, comma, ISO dates) and JSON
downloads with their Table Schema, a read-only rate-limited public API — and never any
personal data."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from committees.models import Level
from committees.services.committees import create_committee
from committees.services.composition import add_copresident
from roadmaps.selectors.open_data import DATASETS
from roadmaps.services import roadmaps as services
from roadmaps.services.escalation import raise_subject
from roadmaps.services.indicators import record_value
from tests.roadmaps.world import build_roadmap, first_sheet, publish

pytestmark = pytest.mark.django_db


def _content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


@pytest.fixture
def published(world, roadmap, indicators):
    """The CLE's roadmap published with actors, indicators and values; a draft elsewhere."""
    sheet = first_sheet(roadmap)
    services.add_actor(
        sheet=sheet, membership=world.cle.memberships.get(), commitment="Repère les candidats."
    )
    specific = services.add_roadmap_indicator(
        sheet=sheet, name="Recrutements", unit="personnes", baseline=0, target=50
    )
    for month in (1, 2):
        period = date(2025, month, 1)
        record_value(
            committee=world.cle,
            user=world.ddets69,
            period=period,
            value=10 * month,
            result_indicator=indicators["returns"],
        )
        record_value(
            committee=world.cle,
            user=world.ddets69,
            period=period,
            value=4,
            result_indicator=indicators["returns"],
            category=indicators["young"],
        )
        record_value(
            committee=world.cle,
            user=world.ddets69,
            period=period,
            value=month,
            roadmap_indicator=specific,
        )
    publish(roadmap, world)
    # After publication: an unpublished specific indicator, and a draft roadmap elsewhere.
    hidden = services.add_roadmap_indicator(
        sheet=sheet, name="Indicateur en projet", unit="u", target=3
    )
    record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 3, 1),
        value=99,
        roadmap_indicator=hidden,
    )
    draft = build_roadmap(world.cde69, world.ddets69, title="Brouillon du CDE à ne pas publier")
    record_value(
        committee=world.cde69,
        user=world.ddets69,
        period=date(2025, 1, 1),
        value=777,
        result_indicator=indicators["returns"],
    )
    raise_subject(
        committee=world.cle,
        user=world.ddets69,
        title="Sujet interne",
        need_kind="support",
        need="Appui.",
        reason="Car.",
    )
    return {"roadmap": roadmap, "specific": specific, "hidden": hidden, "draft": draft}


def test_public_pages_need_no_sign_in(client, world, published):
    for url in (
        reverse("open_data:index"),
        reverse("open_data:committee", args=[world.cle.pk]),
        reverse("open_data:region", args=["84"]),
        reverse("open_data:departement", args=["69"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("open_data:committee", args=[world.cle.pk])).content.decode()
    assert "Fiche 1.1" in page
    assert "Mission locale Villefranche" in page
    assert "Retours à l&#x27;emploi durable" in page
    assert "Indicateur en projet" not in page


def test_an_unpublished_roadmap_has_no_public_page(client, world, published):
    assert client.get(reverse("open_data:committee", args=[world.cde69.pk])).status_code == 404
    assert "Brouillon du CDE" not in client.get(reverse("open_data:index")).content.decode()


def test_the_action_sheets_csv_is_streamed_utf8_comma_iso_dates(client, world, published):
    response = client.get(
        reverse("open_data:download", args=["fiches-action", "csv"]), {"region": "84"}
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(_content(response))))
    assert [c.name for c in DATASETS["fiches-action"]["columns"]] == list(rows[0])
    assert len(rows) == 1
    row = rows[0]
    assert row["comite_nom"] == "CLE Villefranche Beaujolais"
    assert row["comite_niveau"] == "CLE"
    assert row["departements"] == "69"
    assert date.fromisoformat(row["publiee_le"])
    assert row["acteurs"] == "Mission locale Villefranche : Repère les candidats."
    assert row["bonne_pratique"] == "false"


def test_the_indicator_csv_holds_published_values_only(client, world, published):
    response = client.get(reverse("open_data:download", args=["indicateurs", "csv"]))
    rows = list(csv.DictReader(io.StringIO(_content(response))))
    assert {row["comite_id"] for row in rows} == {str(world.cle.pk)}
    codes = {row["indicateur_code"] for row in rows}
    assert codes == {"retours-emploi", f"spec-{published['specific'].pk}"}
    by_category = [row for row in rows if row["categorie"] == "moins-26"]
    assert by_category[0]["typologie"] == "age"
    assert {row["date"] for row in rows} == {"2025-01-01", "2025-02-01"}
    assert "20" in {row["valeur"] for row in rows}


def test_the_json_download_follows_its_schema(client, world, published):
    for dataset in DATASETS:
        response = client.get(reverse("open_data:download", args=[dataset, "json"]))
        assert response.streaming
        document = json.loads(_content(response))
        assert document["licence"]["name"] == "etalab-2.0"
        schema = client.get(reverse("open_data:schema", args=[dataset])).json()
        names = [field["name"] for field in schema["fields"]]
        assert document["records"]
        for record in document["records"]:
            assert list(record) == names
        assert schema["licenses"][0]["title"].startswith("Licence Ouverte")
        types = {field["name"]: field["type"] for field in schema["fields"]}
        if dataset == "indicateurs":
            assert types["valeur"] == "number"
            assert isinstance(document["records"][0]["valeur"], float)
            assert types["date"] == "date"


def test_downloads_filter_by_committee_and_departement(client, world, published):
    other = client.get(
        reverse("open_data:download", args=["fiches-action", "csv"]), {"departement": "21"}
    )
    assert len(_content(other).splitlines()) == 1  # the header only
    mine = client.get(
        reverse("open_data:download", args=["indicateurs", "csv"]), {"comite": world.cle.pk}
    )
    assert len(_content(mine).splitlines()) > 1
    assert (
        client.get(
            reverse("open_data:download", args=["indicateurs", "csv"]), {"comite": "abc"}
        ).status_code
        == 404
    )
    assert client.get(reverse("open_data:download", args=["inconnu", "csv"])).status_code == 404


def test_no_personal_data_ever_appears_in_open_data(client, world, published):
    """Names, e-mails and phones of every person of the world: never in a public output."""
    people = [
        world.dreets,
        world.ddets69,
        world.ddets21,
        world.prefet,
        world.elu,
        world.member,
        world.outsider,
        world.admin,
        world.prefet69,
        world.president_cd,
    ]
    for person in people:
        # Distinctive values, so that no word of the portal's own text can match by chance.
        person.first_name = f"Prenomsecret{person.pk}"
        person.last_name = f"Nomsecret{person.pk}"
        person.phone = f"06 12 34 56 {person.pk:02d}"
        person.save()
    outputs = [
        client.get(reverse("open_data:index")),
        client.get(reverse("open_data:committee", args=[world.cle.pk])),
        client.get(reverse("open_data:region", args=["84"])),
        client.get(reverse("open_data:departement", args=["69"])),
        client.get(reverse("api-open-roadmap-list")),
        client.get(reverse("api-open-roadmap-detail", args=[published["roadmap"].pk])),
        client.get(reverse("api-open-value-list")),
    ]
    for dataset in DATASETS:
        outputs.append(client.get(reverse("open_data:download", args=[dataset, "csv"])))
        outputs.append(client.get(reverse("open_data:download", args=[dataset, "json"])))
        outputs.append(client.get(reverse("open_data:schema", args=[dataset])))
    texts = [_content(response) for response in outputs]
    assert all(response.status_code == 200 for response in outputs)
    for person in people:
        for secret in (person.email, person.last_name, person.get_full_name(), person.phone):
            for text in texts:
                assert secret not in text, f"{secret!r} leaked"
    assert "Sujet interne" not in "".join(texts)


def test_the_public_api_is_read_only_without_sign_in(client, world, published):
    listing = client.get(reverse("api-open-roadmap-list"), {"region": "84"})
    assert listing.status_code == 200
    assert [r["committee"] for r in listing.json()["results"]] == [world.cle.pk]
    detail = client.get(reverse("api-open-roadmap-detail", args=[published["roadmap"].pk])).json()
    assert detail["number"] == 1
    assert detail["snapshot"]["axes"][0]["sheets"][0]["title"] == "Fiche 1.1"
    values = client.get(reverse("api-open-value-list"), {"comite": world.cle.pk}).json()
    assert values["count"] == 6
    assert client.post(reverse("api-open-roadmap-list"), {}).status_code == 405
    assert (
        client.get(reverse("api-open-roadmap-detail", args=[published["draft"].pk])).status_code
        == 404
    )


@override_settings(CTE={**settings.CTE, "OPEN_DATA_API_RATE": "3/min"})
def test_the_public_api_and_downloads_are_rate_limited(client, world, published):
    url = reverse("api-open-roadmap-list")
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(reverse("open_data:download", args=["indicateurs", "csv"])).status_code == 429


@pytest.mark.parametrize("factor", [1, 10])
def test_the_regional_csv_keeps_a_flat_query_budget(
    client, world, indicators, factor, django_assert_max_num_queries
):
    for number in range(factor):
        committee = create_committee(
            level=Level.LOCAL, name=f"CLE {number}", region=world.ara, departements=[world.d69]
        )

        add_copresident(
            committee=committee,
            side="state",
            person=world.prefet,
            office="Préfète",
            started_on=date(2024, 9, 1),
        )
        roadmap = build_roadmap(committee, world.ddets69, axes=2, sheets_per_axis=2)
        publish(roadmap, world, copresidents=[world.prefet])
        for month in range(1, 7):
            record_value(
                committee=committee,
                user=world.ddets69,
                period=date(2025, month, 1),
                value=Decimal(month),
                result_indicator=indicators["returns"],
            )
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("open_data:download", args=["fiches-action", "csv"]), {"region": "84"}
        )
        sheets = _content(response)
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("open_data:download", args=["indicateurs", "csv"]), {"region": "84"}
        )
        values = _content(response)
    assert len(sheets.splitlines()) == 1 + factor * 4
    assert len(values.splitlines()) == 1 + factor * 6


@pytest.mark.parametrize("factor", [1, 5])
def test_the_territory_page_keeps_a_flat_query_budget(
    client, world, indicators, factor, django_assert_max_num_queries
):

    for number in range(factor):
        committee = create_committee(
            level=Level.LOCAL, name=f"CLE {number}", region=world.ara, departements=[world.d69]
        )
        add_copresident(
            committee=committee,
            side="state",
            person=world.prefet,
            office="Préfète",
            started_on=date(2024, 9, 1),
        )
        publish(build_roadmap(committee, world.ddets69), world, copresidents=[world.prefet])
        record_value(
            committee=committee,
            user=world.ddets69,
            period=date(2025, 1, 1),
            value=3,
            result_indicator=indicators["returns"],
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("open_data:departement", args=["69"]))
    assert len(response.context["dashboard"].committees) == factor
    panel = response.context["dashboard"].panels[0]
    assert panel.chart.series[0].points == {date(2025, 1, 1): Decimal(3 * factor)}
