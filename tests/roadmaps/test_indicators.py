"""INS-INDICATORS: values over time with breakdowns, targets, CSV/XLSX imports checked line by
line, and the aggregation up the territory on the dashboards (with flat query budgets)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from committees.models import Level
from committees.services.committees import create_committee
from cte_portal.core.errors import RuleError
from roadmaps.models import IndicatorImport, IndicatorValue
from roadmaps.selectors.dashboards import committee_dashboard
from roadmaps.services import roadmaps as services
from roadmaps.services.indicators import (
    confirm_import,
    record_value,
    set_indicator_target,
    upload_values_file,
)
from tests.clients import login
from tests.roadmaps.world import build_roadmap, first_sheet

pytestmark = pytest.mark.django_db


def _value(world, committee, indicator, period, value, **kwargs):
    return record_value(
        committee=committee,
        user=world.ddets69,
        period=period,
        value=Decimal(value),
        result_indicator=indicator,
        **kwargs,
    )


# --- Values ------------------------------------------------------------------------------------


def test_a_value_is_entered_for_a_date_and_corrected_by_entering_it_again(world, indicators):
    _value(world, world.cle, indicators["returns"], date(2025, 1, 1), 10)
    _value(world, world.cle, indicators["returns"], date(2025, 1, 1), 12)
    value = IndicatorValue.objects.get()
    assert value.value == 12
    assert value.entered_by == world.ddets69


def test_a_value_breaks_down_only_by_the_indicator_typologies(world, indicators):
    _value(
        world, world.cle, indicators["returns"], date(2025, 1, 1), 4, category=indicators["young"]
    )
    with pytest.raises(RuleError, match="Taille d'entreprise"):
        _value(
            world,
            world.cle,
            indicators["returns"],
            date(2025, 1, 1),
            4,
            category=indicators["small"],
        )
    assert IndicatorValue.objects.count() == 1


def test_a_measured_value_is_not_dated_in_the_future(world, indicators):
    with pytest.raises(RuleError, match="futur"):
        _value(
            world, world.cle, indicators["returns"], timezone.localdate() + timedelta(days=40), 4
        )


def test_a_specific_indicator_gets_values_only_from_its_committee(world, roadmap):
    indicator = services.add_roadmap_indicator(
        sheet=first_sheet(roadmap), name="Recrutements", unit="p", target=50
    )
    record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 1, 1),
        value=3,
        roadmap_indicator=indicator,
    )
    with pytest.raises(RuleError, match="autre comité"):
        record_value(
            committee=world.cde69,
            user=world.ddets69,
            period=date(2025, 1, 1),
            value=3,
            roadmap_indicator=indicator,
        )


def test_an_inactive_common_indicator_takes_no_more_value(world, indicators):
    indicators["rate"].is_active = False
    indicators["rate"].save()
    with pytest.raises(RuleError, match="plus en vigueur"):
        _value(world, world.cle, indicators["rate"], date(2025, 1, 1), 40)


def test_a_committee_sets_a_target_for_a_common_indicator(world, indicators):
    target = set_indicator_target(
        committee=world.cle,
        indicator=indicators["returns"],
        target=Decimal(120),
        due_on=date(2026, 12, 31),
    )
    assert target.target == 120
    indicators["rate"].is_active = False
    indicators["rate"].save()
    with pytest.raises(RuleError):
        set_indicator_target(committee=world.cle, indicator=indicators["rate"], target=Decimal(50))


def test_the_value_form_enters_and_refuses(client, world, indicators):
    login(client, world.ddets69)
    url = reverse("roadmaps:indicators", args=[world.cle.pk])
    response = client.post(
        url, {"indicator": f"c:{indicators['returns'].pk}", "period": "2025-01-01", "value": "7"}
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "indicator": f"c:{indicators['returns'].pk}",
            "period": "2025-01-01",
            "value": "7",
            "category": indicators["small"].pk,
        },
    )
    assert "ne se ventile pas" in response.content.decode()
    assert IndicatorValue.objects.count() == 1


# --- Imports (CSV / XLSX) ----------------------------------------------------------------------


VALID_CSV = (
    "indicateur,date,valeur,typologie,categorie\n"
    "retours-emploi,2025-01-01,12,,\n"
    "retours-emploi,2025-01-01,5,age,moins-26\n"
    'taux-orientation,2025-02-01,"41,5",,\n'
)


def test_a_valid_csv_is_previewed_then_imported_with_who_and_when(world, indicators):
    upload = upload_values_file(
        committee=world.cle, user=world.ddets69, filename="valeurs.csv", content=VALID_CSV.encode()
    )
    assert upload.status == IndicatorImport.Status.PREVIEWED
    assert upload.errors == []
    assert IndicatorValue.objects.count() == 0  # nothing until confirmed
    count = confirm_import(indicator_import=upload, user=world.ddets69)
    assert count == 3
    upload.refresh_from_db()
    assert (upload.status, upload.imported_by, upload.uploaded_by) == (
        "imported",
        world.ddets69,
        world.ddets69,
    )
    assert upload.imported_at is not None
    assert IndicatorValue.objects.filter(source_import=upload).count() == 3
    assert IndicatorValue.objects.get(result_indicator=indicators["rate"]).value == Decimal("41.50")


def test_an_invalid_file_lists_its_errors_line_by_line_and_imports_nothing(world, indicators):
    content = (
        "indicateur;date;valeur;typologie;categorie\n"
        "retours-emploi;2025-01-01;12;;\n"
        "inconnu;2025-01-01;3;;\n"
        "retours-emploi;32/13/2025;3;;\n"
        "retours-emploi;2025-02-01;beaucoup;;\n"
        "retours-emploi;2025-02-01;4;taille;tpe\n"
        "retours-emploi;2025-01-01;13;;\n"
    )
    upload = upload_values_file(
        committee=world.cle, user=world.ddets69, filename="v.csv", content=content.encode()
    )
    assert upload.status == IndicatorImport.Status.INVALID
    lines = {error["line"]: " ".join(error["messages"]) for error in upload.errors}
    assert set(lines) == {3, 4, 5, 6, 7}
    assert "inconnu" in lines[3]
    assert "illisible" in lines[4]
    assert "pas un nombre" in lines[5]
    assert "ne se ventile pas" in lines[6]
    assert "doublon de la ligne 2" in lines[7]
    with pytest.raises(RuleError, match="sans erreur"):
        confirm_import(indicator_import=upload, user=world.ddets69)
    assert IndicatorValue.objects.count() == 0


def test_an_import_is_confirmed_once(world, indicators):
    upload = upload_values_file(
        committee=world.cle, user=world.ddets69, filename="v.csv", content=VALID_CSV.encode()
    )
    confirm_import(indicator_import=upload, user=world.ddets69)
    with pytest.raises(RuleError):
        confirm_import(indicator_import=upload, user=world.ddets69)


def test_a_file_without_the_expected_columns_is_refused(world, indicators):
    with pytest.raises(RuleError, match="Colonnes manquantes"):
        upload_values_file(
            committee=world.cle, user=world.ddets69, filename="v.csv", content=b"a,b\n1,2\n"
        )
    with pytest.raises(RuleError, match="CSV ou XLSX"):
        upload_values_file(committee=world.cle, user=world.ddets69, filename="v.ods", content=b"x")
    assert not IndicatorImport.objects.exists()


def test_an_xlsx_file_and_a_specific_indicator_import(world, indicators, roadmap):

    indicator = services.add_roadmap_indicator(
        sheet=first_sheet(roadmap), name="Recrutements", unit="p", target=50
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicateur", "date", "valeur", "typologie", "categorie"])
    sheet.append([f"spec-{indicator.pk}", date(2025, 3, 1), 9, None, None])
    sheet.append(["retours-emploi", "2025-03-01", 11.5, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = upload_values_file(
        committee=world.cle, user=world.ddets69, filename="v.xlsx", content=buffer.getvalue()
    )
    assert upload.errors == []
    confirm_import(indicator_import=upload, user=world.ddets69)
    assert IndicatorValue.objects.get(roadmap_indicator=indicator).value == 9


def test_the_import_screens_preview_then_import(client, world, indicators):
    login(client, world.ddets69)
    response = client.post(
        reverse("roadmaps:import_upload", args=[world.cle.pk]),
        {"file": SimpleUploadedFile("valeurs.csv", VALID_CSV.encode(), content_type="text/csv")},
    )
    upload = IndicatorImport.objects.get()
    assert response.url == reverse("roadmaps:import", args=[upload.pk])
    preview = client.get(response.url).content.decode()
    assert "Importer ces 3 valeurs" in preview
    assert IndicatorValue.objects.count() == 0
    client.post(response.url)
    assert IndicatorValue.objects.count() == 3


def test_the_template_lists_the_indicators_to_fill(client, world, indicators):
    login(client, world.ddets69)
    content = client.get(reverse("roadmaps:import_template", args=[world.cle.pk])).content.decode()
    assert content.splitlines()[0] == "indicateur,date,valeur,typologie,categorie"
    assert "retours-emploi" in content


# --- Aggregation up the territory ----------------------------------------------------------------


def test_a_cde_dashboard_sums_or_averages_over_its_cles(world, indicators):
    other_cle = create_committee(
        level=Level.LOCAL, name="CLE Lyon Est", region=world.ara, departements=[world.d69]
    )
    assert other_cle.parent == world.cde69
    january = date(2025, 1, 1)
    _value(world, world.cle, indicators["returns"], january, 10)
    _value(world, other_cle, indicators["returns"], january, 30)
    _value(world, world.cle, indicators["rate"], january, 40)
    _value(world, other_cle, indicators["rate"], january, 60)
    _value(world, world.cde69, indicators["returns"], january, 45)
    set_indicator_target(committee=world.cde69, indicator=indicators["returns"], target=Decimal(60))
    dashboard = committee_dashboard(world.cde69)
    returns, rate = dashboard.common
    own, children = returns.chart.series
    assert own.points == {january: Decimal(45)}
    assert children.points == {january: Decimal(40)}  # sum over the CLEs
    assert rate.chart.series[1].points == {january: Decimal(50)}  # average over the CLEs
    assert returns.chart.target == 60
    assert dashboard.children_count == 2


def test_a_cre_dashboard_aggregates_over_its_cdes(world, indicators):
    _value(world, world.cde69, indicators["returns"], date(2025, 1, 1), 45)
    dashboard = committee_dashboard(world.cre)
    assert dashboard.common[0].chart.series[1].points == {date(2025, 1, 1): Decimal(45)}
    assert dashboard.children_label == "Ensemble des CDE"


def test_breakdowns_show_the_latest_date(world, indicators):
    for month, young, adults in ((1, 3, 7), (2, 4, 9)):
        _value(
            world,
            world.cle,
            indicators["returns"],
            date(2025, month, 1),
            young,
            category=indicators["young"],
        )
        _value(
            world,
            world.cle,
            indicators["returns"],
            date(2025, month, 1),
            adults,
            category=indicators["adults"],
        )
    breakdown = committee_dashboard(world.cle).common[0].breakdown
    assert breakdown.period == date(2025, 2, 1)
    assert [value for _label, value in breakdown.bars] == [4, 9]
    assert "Moins de 26 ans : 4" in breakdown.description()


def test_each_chart_has_an_accessible_name_and_a_table(client, world, indicators):
    _value(world, world.cle, indicators["returns"], date(2025, 1, 1), 10)
    _value(world, world.cle, indicators["returns"], date(2025, 2, 1), 14)
    login(client, world.member)
    html = client.get(reverse("roadmaps:dashboard", args=[world.cle.pk])).content.decode()
    assert 'role="img"' in html
    assert 'aria-labelledby="chart-c' in html
    assert "<caption>Retours à l&#x27;emploi durable : valeurs par date</caption>" in html
    assert "01/02/2025" in html


@pytest.mark.parametrize("factor", [1, 10])
def test_the_dashboard_has_a_flat_query_budget(
    client, world, indicators, factor, django_assert_max_num_queries
):
    roadmap = build_roadmap(world.cde69, world.ddets69, axes=2, sheets_per_axis=factor)
    cles = [
        create_committee(
            level=Level.LOCAL, name=f"CLE {n}", region=world.ara, departements=[world.d69]
        )
        for n in range(factor)
    ]
    specific = [
        services.add_roadmap_indicator(
            sheet=sheet, name=f"Spécifique {sheet.pk}", unit="u", target=10
        )
        for sheet in roadmap.axes.first().sheets.all()
    ]
    values = []
    for month in range(1, 13):
        period = date(2024, month, 1)
        for committee in [world.cde69, *cles]:
            values.append(
                IndicatorValue(
                    committee=committee,
                    result_indicator=indicators["returns"],
                    period=period,
                    value=month,
                )
            )
            values.append(
                IndicatorValue(
                    committee=committee,
                    result_indicator=indicators["returns"],
                    period=period,
                    value=month,
                    category=indicators["young"],
                )
            )
        for indicator in specific:
            values.append(
                IndicatorValue(
                    committee=world.cde69, roadmap_indicator=indicator, period=period, value=month
                )
            )
    IndicatorValue.objects.bulk_create(values)
    login(client, world.ddets69)
    # session, user, visibility, committee, roadmap, axes, sheets, indicators, values,
    # targets, children count and aggregate, specific indicators.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("roadmaps:dashboard", args=[world.cde69.pk]))
    assert response.status_code == 200
    assert len(response.context["dashboard"].specific) == factor


@pytest.mark.parametrize("factor", [1, 10])
def test_the_values_page_has_a_flat_query_budget(
    client, world, indicators, factor, django_assert_max_num_queries
):
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            committee=world.cle,
            result_indicator=indicators["returns"],
            period=date(2024, 1, 1) + timedelta(days=31 * n),
            value=n,
        )
        for n in range(factor * 5)
    )
    login(client, world.ddets69)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("roadmaps:indicators", args=[world.cle.pk])).status_code == 200
