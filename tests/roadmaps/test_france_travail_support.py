"""France Travail's methodological support to the roadmaps (INS-ROADMAP, instruction fiche 2
§2.1): its agents named on a committee contribute to the roadmap and to the follow-up of the
indicators; other members only read. And action sheets « pourront » name a public, a territory
or a sector (INS-ROADMAP-SHAPE): never required."""

from datetime import date

import pytest
from django.urls import reverse

from committees.models import Category
from committees.services.composition import add_member, end_membership
from cte_portal.core.errors import RuleError
from roadmaps import permissions as perms
from roadmaps.models import ActionSheet, Axis, IndicatorValue
from roadmaps.services import roadmaps as services
from tests.clients import login
from tests.factories.committees import START
from tests.factories.users import UserFactory
from tests.roadmaps.world import SHEET, axis_values, first_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def france_travail(world):
    agent = UserFactory(email="agence.villefranche@example.fr", organisation="France Travail")
    add_member(
        committee=world.cle,
        person=agent,
        organisation="France Travail — agence de Villefranche-sur-Saône",
        category=Category.FRANCE_TRAVAIL,
        mandate_start=START,
    )
    return type(agent).objects.get(pk=agent.pk)


def test_ins_roadmap_a_france_travail_agent_of_the_committee_contributes(
    world, roadmap, france_travail
):
    assert perms.can_edit_roadmap(france_travail, roadmap)
    assert perms.can_enter_indicator_values(france_travail, world.cle)
    # Methodological support: neither the secretariat's submission nor the co-presidents' say.
    assert not perms.can_submit_roadmap(france_travail, roadmap)
    assert not perms.can_publish_roadmap(france_travail, roadmap)
    assert not perms.can_approve_roadmap(france_travail, roadmap)


def test_ins_roadmap_the_france_travail_agent_edits_sheets_and_enters_values(
    client, world, roadmap, france_travail, indicators
):
    login(client, france_travail)
    axis = roadmap.axes.get()
    sheet = first_sheet(roadmap)
    response = client.post(
        reverse("roadmaps:axis_add", args=[roadmap.pk]), axis_values("Recrutements")
    )
    assert response.status_code == 302
    assert Axis.objects.filter(roadmap=roadmap, title="Recrutements").exists()
    response = client.post(
        reverse("roadmaps:sheet_progress", args=[sheet.pk]),
        {"status": "in_progress", "progress": 40},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.progress == 40
    response = client.post(
        reverse("roadmaps:indicators", args=[world.cle.pk]),
        {"indicator": f"c:{indicators['returns'].pk}", "period": "2025-01-01", "value": "12"},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(committee=world.cle, value=12).exists()
    assert axis.pk  # the first axis is still there


def test_ins_roadmap_other_members_and_other_committees_france_travail_only_read(
    client, world, roadmap, france_travail, indicators
):
    # A Mission locale member of the same CLE: reads, 403 on writes.
    login(client, world.member)
    sheet = first_sheet(roadmap)
    assert perms.can_view_roadmap(world.member, roadmap)
    assert not perms.can_edit_roadmap(world.member, roadmap)
    response = client.post(
        reverse("roadmaps:sheet_progress", args=[sheet.pk]),
        {"status": "in_progress", "progress": 40},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("roadmaps:indicators", args=[world.cle.pk]),
        {"indicator": f"c:{indicators['returns'].pk}", "period": "2025-01-01", "value": "12"},
    )
    assert response.status_code == 403
    # The France Travail agent of the CLE has no hand on another committee's roadmap.
    assert not perms.can_enter_indicator_values(france_travail, world.cle21)
    sheet.refresh_from_db()
    assert sheet.progress == 0
    assert not IndicatorValue.objects.exists()


def test_ins_roadmap_the_support_ends_with_the_seat(world, roadmap, france_travail):
    seat = world.cle.memberships.get(person=france_travail)
    end_membership(membership=seat, ended_on=date(2025, 6, 30), reason="Mutation")
    fresh = type(france_travail).objects.get(pk=france_travail.pk)
    assert not perms.can_edit_roadmap(fresh, roadmap)
    assert not perms.can_enter_indicator_values(fresh, world.cle)


# --- INS-ROADMAP-SHAPE: public, territory and sector are optional ----------------------------------


def test_ins_roadmap_shape_an_action_sheet_may_name_no_public_territory_or_sector(roadmap):
    axis = roadmap.axes.get()
    values = {key: value for key, value in SHEET.items() if key != "target_public"}
    sheet = services.add_action_sheet(axis=axis, title="Coopération des acteurs", **values)
    assert ActionSheet.objects.get(pk=sheet.pk).has_targets is False


def test_ins_action_sheet_still_needs_its_problem_objective_and_results(roadmap):
    axis = roadmap.axes.get()
    before = ActionSheet.objects.count()
    with pytest.raises(RuleError) as error:
        services.add_action_sheet(axis=axis, title="Sans objectif", **{**SHEET, "objective": " "})
    assert "objectif" in str(error.value)
    assert ActionSheet.objects.count() == before


def test_ins_escalation_the_sheet_offers_raising_a_subject_only_to_the_secretariat(
    client, world, roadmap, france_travail
):
    """Raising a subject is the secretariat's (INS-ESCALATION): the France Travail contributor
    edits the sheet but is not offered a button that would answer 403."""
    sheet_url = reverse("roadmaps:sheet", args=[first_sheet(roadmap).pk])
    raise_url = reverse("roadmaps:subject_add", args=[world.cle.pk])
    login(client, france_travail)
    page = client.get(sheet_url).content.decode()
    assert "Modifier la fiche" in page
    assert raise_url not in page
    assert client.get(raise_url).status_code == 403
    login(client, world.ddets69)
    assert raise_url in client.get(sheet_url).content.decode()
    assert client.get(raise_url).status_code == 200
