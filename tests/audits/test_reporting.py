"""INS-REPORTING: who owes which report to which committee, how often; the bodies' users upload
(document and key figures); the committee sees what was received, what is late, the figures
over time. Each rule with its success and its refusal; screens and API with the same rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from audits import selectors
from audits.models import NATIONAL, Frequency, Report, ReportObligation, ReportType
from audits.models.reporting import add_months
from audits.services import reporting as services
from audits.services.bodies import add_body_user, create_network_body
from cte_portal.core.errors import RuleError
from tests.audits.world import CONTROL_FIGURES, CONTROLS, owe, pdf, submit, today, year_ago

pytestmark = pytest.mark.django_db

ORIENTATIONS = ReportType.ORIENTATIONS


# --- Who owes what, to whom (the rules as data) -------------------------------------------------


def test_commitment_controls_are_owed_to_every_level_by_ft_cd_and_missions_locales(world):
    for committee in (world.cde, world.cle_a):
        for body in (world.ft, world.cd, world.ml):
            assert owe(world, committee=committee, body=body).committee == committee
    national = services.create_obligation(
        committee=None,
        user=world.admin,
        report_type=CONTROLS,
        body=world.ft,
        frequency=Frequency.YEARLY,
        starts_on=year_ago(),
    )
    assert national.recipient_label == "Comité national pour l'emploi"
    assert NATIONAL in national.rule.levels


def test_cap_emploi_does_not_owe_the_commitment_controls(world):
    with pytest.raises(RuleError, match="est dû par") as refusal:
        owe(world, body=world.cap)
    assert refusal.value.field == "body"
    assert not ReportObligation.objects.exists()


def test_orientations_are_owed_to_the_cde_and_the_national_level_only(world):
    assert owe(world, body=world.cap, report_type=ORIENTATIONS)
    with pytest.raises(RuleError, match="pas dû à ce niveau"):
        owe(world, committee=world.cle_a, body=world.ml, report_type=ORIENTATIONS)
    with pytest.raises(RuleError, match="est dû par"):
        owe(world, body=world.delegated, report_type=ORIENTATIONS)
    assert ReportObligation.objects.count() == 1


def test_an_obligation_is_declared_once_and_for_a_body_of_the_territory(world):
    owe(world)
    with pytest.raises(RuleError, match="déjà"):
        owe(world)
    with pytest.raises(RuleError, match="territoire"):
        owe(world, body=world.foreign_body)
    assert ReportObligation.objects.count() == 1


def test_the_periods_follow_the_frequency_from_the_first_month(world):
    obligation = owe(world, starts_on=year_ago().replace(day=17), frequency=Frequency.QUARTERLY)
    assert obligation.starts_on.day == 1
    periods = obligation.periods(today())
    assert [p.start for p in periods] == [add_months(year_ago(), 3 * i) for i in range(5)]
    first = periods[0]
    assert first.end == add_months(first.start, 3) - timedelta(days=1)
    assert first.due_on == first.end + timedelta(days=30)


# --- Uploads -------------------------------------------------------------------------------------


def test_the_body_uploads_a_report_with_its_key_figures(world):
    obligation = owe(world)
    report = submit(world, obligation)
    assert {f.code: f.value for f in report.figures.all()} == {
        code: Decimal(value) for code, value in CONTROL_FIGURES.items()
    }
    assert report.period_end == obligation.periods()[0].end
    again = submit(world, obligation, figures={**CONTROL_FIGURES, "controls": 130})
    assert again.pk == report.pk and Report.objects.count() == 1  # replaced, history kept
    assert report.figures.get(code="controls").value == 130
    assert Report.history.filter(id=report.pk).count() == 2


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({k: v for k, v in CONTROL_FIGURES.items() if k != "sanctions"}, "Indiquez"),
        ({**CONTROL_FIGURES, "sanctions": -1}, "négatif"),
        ({**CONTROL_FIGURES, "sanctions": "beaucoup"}, "nombre"),
        ({**CONTROL_FIGURES, "unknown": 3}, "inconnus"),
    ],
)
def test_the_key_figures_are_complete_known_numbers(world, figures, message):
    obligation = owe(world)
    with pytest.raises(RuleError, match=message):
        submit(world, obligation, figures=figures)
    assert not Report.objects.exists()


def test_a_report_is_for_a_period_of_the_calendar_that_has_begun_and_has_a_document(world):
    obligation = owe(world)
    with pytest.raises(RuleError, match="calendrier"):
        submit(world, obligation, start=obligation.starts_on + timedelta(days=1))
    with pytest.raises(RuleError, match="calendrier"):
        submit(world, obligation, start=add_months(today().replace(day=1), 3))
    with pytest.raises(RuleError, match="Joignez"):
        submit(world, obligation, document=None)
    services.end_obligation(obligation=obligation)
    with pytest.raises(RuleError, match="plus dû"):
        submit(world, obligation)
    assert not Report.objects.exists()


def test_the_committee_sees_received_late_due_and_current_periods(world):
    obligation = owe(world)
    submit(world, obligation, start=add_months(year_ago(), 3))
    rows = selectors.period_rows(
        ReportObligation.objects.prefetch_related("reports").get(), today=today()
    )
    statuses = [r.status for r in reversed(rows)]
    last_due = rows[1].period.due_on
    expected_last = "late" if last_due < today() else "due"
    assert statuses == ["late", "received", "late", expected_last, "current"]
    summary = selectors.summarize(ReportObligation.objects.prefetch_related("reports").get())
    assert summary.received == 1 and summary.late == statuses.count("late")
    assert summary.last_report.period_start == add_months(year_ago(), 3)


def test_figures_over_time(world):
    obligation = owe(world)
    for index, controls in enumerate((100, 110, 125)):
        submit(
            world,
            obligation,
            start=add_months(year_ago(), 3 * index),
            figures={**CONTROL_FIGURES, "controls": controls},
        )
    table = selectors.figures_over_time(
        ReportObligation.objects.prefetch_related("reports__figures").get()
    )
    assert [f.code for f in table["figures"]] == [
        "controls",
        "failures",
        "sanctions",
        "remobilised",
    ]
    assert [row["values"][0] for row in table["rows"]] == [100, 110, 125]


# --- Screens ------------------------------------------------------------------------------------


def test_the_body_user_uploads_through_the_form(world, client):
    obligation = owe(world)
    client.force_login(world.ft_user)
    url = reverse("audits:report_submit", args=[obligation.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "period_start": obligation.starts_on.isoformat(),
        "document": pdf(),
        **{f"figure_{k}": v for k, v in CONTROL_FIGURES.items()},
    }
    response = client.post(url, {**data, "figure_sanctions": ""})
    assert response.status_code == 200 and not Report.objects.exists()
    response = client.post(url, {**data, "document": pdf()})
    assert response.status_code == 302 and Report.objects.count() == 1
    page = client.get(reverse("audits:obligation", args=[obligation.pk]))
    assert page.status_code == 200
    assert page.context["table"]["rows"][0]["values"][0] == 120


def test_only_the_body_users_upload_and_outsiders_see_nothing(world, client):
    obligation = owe(world)
    url = reverse("audits:report_submit", args=[obligation.pk])
    for user, status in (
        (world.secretariat, 403),  # sees the obligation, does not owe it
        (world.voter, 403),
        (world.ml_user, 404),  # another body
        (world.ddets_ain, 404),
        (world.outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, {}).status_code == status
        page = client.get(reverse("audits:obligation", args=[obligation.pk]))
        assert page.status_code == (200 if status == 403 else 404)
    assert not Report.objects.exists()


def test_the_secretariat_declares_obligations_and_members_do_not(world, client):
    url = reverse("audits:obligation_create", args=[world.cde.pk])
    data = {
        "report_type": CONTROLS,
        "body": world.ft.pk,
        "frequency": Frequency.QUARTERLY,
        "starts_on": year_ago().isoformat(),
        "grace_days": 30,
    }
    client.force_login(world.voter)
    assert client.post(url, data).status_code == 403
    client.force_login(world.ddets_ain)
    assert client.post(url, data).status_code == 404
    client.force_login(world.secretariat)
    response = client.post(url, {**data, "body": world.cap.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(url, data).status_code == 302
    assert ReportObligation.objects.count() == 1
    page = client.get(reverse("audits:committee_reports", args=[world.cde.pk]))
    assert page.status_code == 200 and page.context["late_total"] >= 1


@pytest.mark.parametrize("factor", [1, 10])
def test_the_report_lists_have_flat_query_budgets(
    world, client, factor, django_assert_max_num_queries
):

    for number in range(2 * factor):
        body = create_network_body(
            name=f"Mission locale {number}",
            kind="mission_locale",
            departement=world.cde.departements.get(),
        )
        add_body_user(body=body, user=world.ft_user)
        obligation = owe(world, body=body)
        submit(world, obligation)
        submit(world, obligation, start=add_months(year_ago(), 3))
    client.force_login(world.secretariat)
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("audits:committee_reports", args=[world.cde.pk])).status_code == 200
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audits:reports")).status_code == 200
    client.force_login(world.ft_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audits:reports"))
    assert len(response.context["rows"]) == 2 * factor
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/report-obligations/").status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/reports/")
    assert response.json()["count"] == 4 * factor


# --- API ------------------------------------------------------------------------------------


def test_the_api_lists_and_takes_reports_under_the_same_rules(world, client):
    obligation = owe(world)
    data = {
        "obligation": obligation.pk,
        "period_start": obligation.starts_on.isoformat(),
        "document": pdf(),
        "figures": '{"controls": 120, "failures": 14, "sanctions": 6, "remobilised": 5}',
    }
    client.force_login(world.secretariat)
    assert client.post("/api/v1/reports/", data).status_code == 403
    client.force_login(world.ml_user)
    response = client.post("/api/v1/reports/", {**data, "document": pdf()})
    assert response.status_code == 400 and "obligation" in response.json()["errors"]
    client.force_login(world.ft_user)
    bad = client.post("/api/v1/reports/", {**data, "document": pdf(), "figures": '{"controls": 1}'})
    assert bad.status_code == 400 and not Report.objects.exists()
    response = client.post("/api/v1/reports/", {**data, "document": pdf()})
    assert response.status_code == 201, response.json()
    assert response.json()["figures"]["controls"] == "120.00"
    statuses = client.get("/api/v1/report-obligations/").json()["results"]
    assert statuses[0]["status"]["received"] == 1
    client.force_login(world.outsider)
    assert client.get("/api/v1/reports/").json()["count"] == 0
    assert client.get(f"/api/v1/reports/{response.json()['id']}/").status_code == 404
    client.force_login(world.voter)  # a member of the committee reads what it received
    assert client.get("/api/v1/reports/").json()["count"] == 1
