"""Across committees: the good-practice catalogue (INS-GOOD-PRACTICES) and the follow-up of
local roadmaps by DDETS and DREETS (INS-FOLLOW-UP)."""

import pytest
from django.urls import reverse

from committees.models import Level
from committees.services.committees import create_committee
from cte_portal.core.errors import RuleError
from roadmaps.services import lifecycle
from roadmaps.services import roadmaps as services
from roadmaps.services.escalation import raise_subject
from tests.clients import login
from tests.roadmaps.world import build_roadmap, first_sheet

pytestmark = pytest.mark.django_db

PRACTICE = {
    "impact": "Vingt recrutements en un an.",
    "financial_cost": "10 000 €",
    "human_cost": "Un conseiller à mi-temps",
    "organisational_cost": "Un comité de suivi mensuel",
    "scale_up_needs": "Un garage partenaire.",
}


# --- Good practices -------------------------------------------------------------------------------


def test_an_action_under_way_is_marked_as_a_good_practice(world, roadmap):
    sheet = first_sheet(roadmap)
    services.update_sheet_progress(sheet=sheet, status="in_progress", progress=60)
    practice = services.mark_good_practice(sheet=sheet, user=world.ddets69, **PRACTICE)
    assert practice.marked_by == world.ddets69
    again = services.mark_good_practice(
        sheet=sheet, user=world.ddets69, **{**PRACTICE, "impact": "Trente."}
    )
    assert again.pk == practice.pk and again.impact == "Trente."


def test_an_action_not_yet_launched_has_no_proven_impact(world, roadmap):
    with pytest.raises(RuleError, match="fait ses preuves"):
        services.mark_good_practice(sheet=first_sheet(roadmap), user=world.ddets69, **PRACTICE)


def test_a_good_practice_states_its_costs(world, roadmap):
    sheet = first_sheet(roadmap)
    services.update_sheet_progress(sheet=sheet, status="done", progress=100)
    with pytest.raises(RuleError, match="coût humain"):
        services.mark_good_practice(
            sheet=sheet, user=world.ddets69, **{**PRACTICE, "human_cost": ""}
        )


def test_the_catalogue_spans_every_territory_for_everyone_signed_in(client, world, roadmap):
    sheet = first_sheet(roadmap)
    services.update_sheet_progress(sheet=sheet, status="done", progress=100)
    practice = services.mark_good_practice(sheet=sheet, user=world.ddets69, **PRACTICE)
    login(client, world.ddets21)  # another region: cannot see the CLE, sees its good practice
    listing = client.get(reverse("roadmaps:good_practices")).content.decode()
    assert sheet.title in listing
    detail = client.get(reverse("roadmaps:good_practice", args=[practice.pk]))
    assert detail.status_code == 200
    assert "Un garage partenaire." in detail.content.decode()
    assert (
        client.get(reverse("roadmaps:good_practices"), {"q": "introuvable"})
        .context["page"]
        .paginator.count
        == 0
    )
    assert (
        client.get(reverse("roadmaps:good_practices"), {"region": "27"})
        .context["page"]
        .paginator.count
        == 0
    )
    assert (
        client.get(reverse("roadmaps:good_practices"), {"region": "84", "q": "garage"})
        .context["page"]
        .paginator.count
        == 1
    )
    client.logout()
    assert client.get(reverse("roadmaps:good_practices")).status_code == 302


def test_marking_through_the_screen_is_for_the_secretariat(client, world, roadmap):
    sheet = first_sheet(roadmap)
    services.update_sheet_progress(sheet=sheet, status="in_progress", progress=60)
    login(client, world.member)
    assert (
        client.post(reverse("roadmaps:good_practice_mark", args=[sheet.pk]), PRACTICE).status_code
        == 403
    )
    login(client, world.ddets69)
    assert (
        client.post(reverse("roadmaps:good_practice_mark", args=[sheet.pk]), PRACTICE).status_code
        == 302
    )
    client.post(reverse("roadmaps:good_practice_unmark", args=[sheet.pk]))
    sheet.refresh_from_db()
    assert not hasattr(sheet, "good_practice")


# --- Follow-up ------------------------------------------------------------------------------------


def test_the_ddets_follows_every_cle_of_its_departement(client, world):
    roadmap = build_roadmap(world.cle, world.ddets69, axes=2)
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    silent = create_committee(
        level=Level.LOCAL, name="CLE Lyon Est", region=world.ara, departements=[world.d69]
    )
    raise_subject(
        committee=world.cle,
        user=world.ddets69,
        title="X",
        need_kind="support",
        need="Y",
        reason="Z",
    )
    login(client, world.ddets69)
    rows = {
        row.committee.name: row for row in client.get(reverse("roadmaps:follow_up")).context["rows"]
    }
    assert set(rows) == {"CLE Villefranche Beaujolais", silent.name}
    assert rows["CLE Villefranche Beaujolais"].state == "submitted"
    assert rows["CLE Villefranche Beaujolais"].axis_count == 2
    assert rows["CLE Villefranche Beaujolais"].pending_subjects == 1
    assert rows[silent.name].state == "none"


def test_the_dreets_follows_the_cles_of_its_region_only(client, world):
    login(client, world.dreets)
    names = {
        row.committee.name for row in client.get(reverse("roadmaps:follow_up")).context["rows"]
    }
    assert names == {"CLE Villefranche Beaujolais"}


def test_an_admin_filters_by_departement(client, world):
    login(client, world.admin)
    everything = {
        row.committee.name for row in client.get(reverse("roadmaps:follow_up")).context["rows"]
    }
    assert everything == {"CLE Villefranche Beaujolais", "CLE Dijon Métropole"}
    filtered = client.get(reverse("roadmaps:follow_up"), {"departement": "21"}).context["rows"]
    assert [row.committee.name for row in filtered] == ["CLE Dijon Métropole"]


@pytest.mark.parametrize("factor", [1, 10])
def test_the_follow_up_has_a_flat_query_budget(
    client, world, factor, django_assert_max_num_queries
):
    for number in range(factor * 2):
        committee = create_committee(
            level=Level.LOCAL, name=f"CLE {number}", region=world.ara, departements=[world.d69]
        )
        build_roadmap(committee, world.ddets69, axes=2)
    login(client, world.ddets69)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("roadmaps:follow_up"))
    assert len(response.context["rows"]) == factor * 2 + 1
