"""The roadmap screens: every page renders for the people who may see it, forms show the
services' refusals in French without saving anything, and list pages keep a flat query
budget as rows grow."""

from datetime import date

import pytest
from django.urls import reverse

from committees.models import Level
from committees.services.committees import create_committee
from roadmaps.models import ActionSheet, Axis, EscalatedSubject, NationalOrientation, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services import roadmaps as services
from roadmaps.services.escalation import raise_subject
from roadmaps.services.indicators import record_value
from tests.clients import login
from tests.roadmaps.world import SHEET, axis_values, build_roadmap, first_sheet, publish

pytestmark = pytest.mark.django_db


def test_every_page_of_a_roadmap_renders_for_its_secretariat(client, world, roadmap, indicators):
    sheet = first_sheet(roadmap)
    indicator = services.add_roadmap_indicator(
        sheet=sheet, name="Recrutements", unit="personnes", target=50
    )
    record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 1, 1),
        value=4,
        roadmap_indicator=indicator,
    )
    record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 1, 1),
        value=12,
        result_indicator=indicators["returns"],
    )
    record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 1, 1),
        value=5,
        result_indicator=indicators["returns"],
        category=indicators["young"],
    )
    version = publish(roadmap, world)
    services.update_axis(axis=roadmap.axes.get(), title="Axe revu")
    subject = raise_subject(
        committee=world.cle,
        user=world.ddets69,
        title="Mobilité",
        need_kind="means",
        need="Un financement.",
        reason="Pas de transport.",
        related_sheets=[sheet],
    )
    login(client, world.ddets69)
    urls = [
        reverse("roadmaps:list"),
        reverse("roadmaps:detail", args=[roadmap.pk]),
        reverse("roadmaps:edit", args=[roadmap.pk]),
        reverse("roadmaps:axis_add", args=[roadmap.pk]),
        reverse("roadmaps:axis_edit", args=[roadmap.axes.get().pk]),
        reverse("roadmaps:sheet_add", args=[roadmap.axes.get().pk]),
        reverse("roadmaps:sheet", args=[sheet.pk]),
        reverse("roadmaps:sheet_edit", args=[sheet.pk]),
        reverse("roadmaps:actor_add", args=[sheet.pk]),
        reverse("roadmaps:indicator_add", args=[sheet.pk]),
        reverse("roadmaps:indicator_edit", args=[indicator.pk]),
        reverse("roadmaps:good_practice_mark", args=[sheet.pk]),
        reverse("roadmaps:versions", args=[roadmap.pk]),
        reverse("roadmaps:version", args=[roadmap.pk, version.number]),
        reverse("roadmaps:compare", args=[roadmap.pk, 0]),
        reverse("roadmaps:subjects", args=[world.cle.pk]),
        reverse("roadmaps:subject_add", args=[world.cle.pk]),
        reverse("roadmaps:subject", args=[subject.pk]),
        reverse("roadmaps:subjects", args=[world.cde69.pk]),
        reverse("roadmaps:indicators", args=[world.cle.pk]),
        reverse("roadmaps:target_set", args=[world.cle.pk]),
        reverse("roadmaps:import_upload", args=[world.cle.pk]),
        reverse("roadmaps:import_template", args=[world.cle.pk]),
        reverse("roadmaps:dashboard", args=[world.cle.pk]),
        reverse("roadmaps:dashboard", args=[world.cde69.pk]),
        reverse("roadmaps:good_practices"),
        reverse("roadmaps:follow_up"),
        reverse("roadmaps:committee", args=[world.cde69.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_a_committee_without_roadmap_offers_to_start_it(client, world):
    login(client, world.ddets69)
    response = client.get(reverse("roadmaps:committee", args=[world.cle.pk]))
    assert "Créer la feuille de route" in response.content.decode()
    response = client.post(
        reverse("roadmaps:committee", args=[world.cle.pk]),
        {
            "title": "Feuille de route 2025",
            "summary": "",
            "orientations": "",
            "users_participation": "",
        },
    )
    roadmap = Roadmap.objects.get(committee=world.cle)
    assert response.url == reverse("roadmaps:detail", args=[roadmap.pk])
    assert (
        client.get(reverse("roadmaps:committee", args=[world.cle.pk])).url
        == roadmap.get_absolute_url()
    )


def test_a_refused_rule_shows_its_french_message_and_saves_nothing(client, world, roadmap):
    login(client, world.ddets69)
    axis = roadmap.axes.get()
    response = client.post(
        reverse("roadmaps:sheet_add", args=[axis.pk]),
        {
            "title": "Dates inversées",
            "problem": "Un problème.",
            "objective": "Un objectif.",
            "expected_results": "Des résultats.",
            "starts_on": "2025-06-01",
            "ends_on": "2025-01-01",
            "status": "to_launch",
            "progress": 0,
        },
    )
    assert response.status_code == 200
    assert "La fin de l&#x27;action ne peut précéder son début." in response.content.decode()
    assert axis.sheets.count() == 1


def test_the_secretariat_drafts_and_submits_through_the_screens(client, world):
    login(client, world.ddets69)
    client.post(reverse("roadmaps:committee", args=[world.cle.pk]), {"title": "FdR"})
    roadmap = Roadmap.objects.get(committee=world.cle)
    client.post(
        reverse("roadmaps:axis_add", args=[roadmap.pk]), {**axis_values("Mobilité"), "position": ""}
    )
    axis = Axis.objects.get(roadmap=roadmap)
    response = client.post(
        reverse("roadmaps:sheet_add", args=[axis.pk]),
        {"title": "Garage solidaire", **SHEET, "status": "to_launch", "progress": 0},
    )
    sheet = ActionSheet.objects.get(axis=axis)
    assert response.url == reverse("roadmaps:sheet", args=[sheet.pk])
    client.post(reverse("roadmaps:submit", args=[roadmap.pk]))
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.SUBMITTED


def test_co_presidents_decide_through_the_screens(client, world, roadmap):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    login(client, world.elu)
    response = client.post(reverse("roadmaps:request_changes", args=[roadmap.pk]), {"comment": ""})
    assert response.status_code == 200  # the comment is required
    client.post(reverse("roadmaps:request_changes", args=[roadmap.pk]), {"comment": "Préciser."})
    detail = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert "Modifications demandées" in detail
    assert "Préciser." in detail
    client.post(reverse("roadmaps:approve", args=[roadmap.pk]), {"comment": ""})
    login(client, world.prefet)
    client.post(reverse("roadmaps:approve", args=[roadmap.pk]), {"comment": "Bien."})
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.APPROVED
    login(client, world.ddets69)
    client.post(reverse("roadmaps:publish", args=[roadmap.pk]))
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.PUBLISHED


def test_the_axis_warning_shows_beyond_the_limit(client, world, roadmap):
    for number in range(5):
        services.add_axis(roadmap=roadmap, **axis_values(f"Axe {number + 2}"))
    login(client, world.ddets69)
    assert (
        "au-delà de 5" in client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    )


def test_orientations_above_show_on_a_local_roadmap(client, world, roadmap):

    NationalOrientation.objects.create(title="Plein emploi", text="Accompagner chacun.")
    cde_roadmap = build_roadmap(world.cde69, world.ddets69, title="Feuille de route du CDE")
    publish(cde_roadmap, world, copresidents=[world.prefet69, world.president_cd])
    login(client, world.ddets69)
    html = client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert "Plein emploi" in html
    assert "CDE du Rhône" in html and "version 1" in html


# --- Query budgets (flat as rows grow) -----------------------------------------------------------


def _grow(world, roadmap, factor: int):
    for a in range(factor):
        axis = services.add_axis(roadmap=roadmap, **axis_values(f"Axe supplémentaire {a}"))
        for s in range(3):
            sheet = services.add_action_sheet(axis=axis, title=f"Fiche {a}.{s}", **SHEET)
            services.add_actor(sheet=sheet, organisation="Garage", commitment="Prête.")


@pytest.mark.parametrize("factor", [1, 10])
def test_the_roadmap_page_has_a_flat_query_budget(
    client, world, roadmap, factor, django_assert_max_num_queries
):
    _grow(world, roadmap, factor)
    login(client, world.ddets69)
    # session + user, the user's committee permissions (one query for every check, issue 15),
    # roadmap, axes, sheets, decisions, orientations, versions, CAR, exports, subjects.
    with django_assert_max_num_queries(15):
        assert client.get(reverse("roadmaps:detail", args=[roadmap.pk])).status_code == 200


@pytest.mark.parametrize("factor", [1, 10])
def test_the_list_has_a_flat_query_budget(client, world, factor, django_assert_max_num_queries):

    for number in range(factor * 3):
        committee = create_committee(
            level=Level.LOCAL, name=f"CLE {number}", region=world.ara, departements=[world.d69]
        )
        build_roadmap(committee, world.ddets69, axes=1)
    login(client, world.ddets69)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("roadmaps:list")).status_code == 200


@pytest.mark.parametrize("factor", [1, 10])
def test_the_sheet_page_has_a_flat_query_budget(
    client, world, roadmap, factor, django_assert_max_num_queries
):
    sheet = first_sheet(roadmap)
    for number in range(factor * 2):
        services.add_actor(
            sheet=sheet, organisation=f"Organisme {number}", commitment="Engagement."
        )
        indicator = services.add_roadmap_indicator(
            sheet=sheet, name=f"Indicateur {number}", unit="u", target=10
        )
        for month in range(1, 4):
            record_value(
                committee=world.cle,
                user=world.ddets69,
                period=date(2025, month, 1),
                value=month,
                roadmap_indicator=indicator,
            )
    login(client, world.ddets69)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("roadmaps:sheet", args=[sheet.pk])).status_code == 200


@pytest.mark.parametrize("factor", [1, 10])
def test_the_subjects_inbox_has_a_flat_query_budget(
    client, world, factor, django_assert_max_num_queries
):
    build_roadmap(world.cle, world.ddets69)
    for number in range(factor * 3):
        raise_subject(
            committee=world.cle,
            user=world.ddets69,
            title=f"Sujet {number}",
            need_kind="support",
            need="Un appui.",
            reason="Parce que.",
        )
    login(client, world.ddets69)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("roadmaps:subjects", args=[world.cde69.pk])).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(reverse("roadmaps:subjects", args=[world.cle.pk])).status_code == 200
    assert EscalatedSubject.objects.count() == factor * 3


@pytest.mark.parametrize("factor", [1, 10])
def test_the_good_practice_catalogue_has_a_flat_query_budget(
    client, world, factor, django_assert_max_num_queries
):
    roadmap = build_roadmap(world.cle, world.ddets69, axes=1, sheets_per_axis=factor * 2)
    for sheet in ActionSheet.objects.filter(axis__roadmap=roadmap):
        services.update_sheet_progress(sheet=sheet, status="in_progress", progress=30)
        services.mark_good_practice(
            sheet=sheet,
            user=world.ddets69,
            impact="Vingt recrutements.",
            financial_cost="10 000 €",
            human_cost="Un ETP",
            organisational_cost="Réunions mensuelles",
            scale_up_needs="Un garage partenaire.",
        )
    login(client, world.outsider)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("roadmaps:good_practices"), {"q": "recrutements"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == factor * 2
