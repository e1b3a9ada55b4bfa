"""Who may do what, in both directions. The facts (staff assignments, co-presidencies,
memberships) are created and ended through the committees services, which derive the guardian
object permissions; a roadmap's permissions are its committee's.

Refusals: an object outside the user's scope is a 404, a forbidden action on a visible object
is a 403, and nothing changes either way."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import CoPresidency, StaffAssignment
from committees.services.composition import end_copresidency, end_membership
from committees.services.staff import end_staff_assignment, start_staff_assignment
from roadmaps import permissions as perms
from roadmaps.models import Approval, Axis, EscalatedSubject, IndicatorValue, Roadmap
from roadmaps.services import lifecycle
from roadmaps.services.escalation import raise_subject
from roadmaps.services.exports import request_pdf_export
from tests.clients import login
from tests.roadmaps.world import SHEET, axis_values, build_roadmap, first_sheet

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - timedelta(days=1)


# --- The predicates follow the committee's derived permissions, both ways -----------------------


def test_the_ddets_of_the_departement_runs_the_roadmap_until_the_assignment_ends(world, roadmap):
    assert perms.can_edit_roadmap(world.ddets69, roadmap)
    assert perms.can_submit_roadmap(world.ddets69, roadmap)
    assert not perms.can_approve_roadmap(world.ddets69, roadmap)
    assignment = StaffAssignment.objects.get(user=world.ddets69)
    end_staff_assignment(assignment=assignment, ended_on=YESTERDAY)
    fresh = type(world.ddets69).objects.get(pk=world.ddets69.pk)  # no cached permissions
    assert not perms.can_view_roadmap(fresh, roadmap)
    assert not perms.can_edit_roadmap(fresh, roadmap)


def test_a_newly_assigned_ddets_agent_gains_the_secretariat(world, roadmap):
    newcomer = type(world.outsider).objects.get(pk=world.outsider.pk)
    assert not perms.can_edit_roadmap(newcomer, roadmap)
    start_staff_assignment(
        user=newcomer, service="ddets", departement=world.d69, started_on=date(2025, 1, 1)
    )
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert perms.can_edit_roadmap(newcomer, roadmap)


def test_a_co_president_approves_until_the_co_presidency_ends(world, roadmap):
    assert perms.can_approve_roadmap(world.prefet, roadmap)
    assert perms.can_view_roadmap(world.prefet, roadmap)
    assert not perms.can_edit_roadmap(world.prefet, roadmap)
    end_copresidency(
        copresidency=CoPresidency.objects.get(committee=world.cle, person=world.prefet),
        ended_on=YESTERDAY,
    )
    fresh = type(world.prefet).objects.get(pk=world.prefet.pk)
    assert not perms.can_approve_roadmap(fresh, roadmap)


def test_a_member_reads_but_neither_edits_nor_approves_and_loses_sight_when_the_mandate_ends(
    world, roadmap
):
    assert perms.can_view_roadmap(world.member, roadmap)
    assert not perms.can_edit_roadmap(world.member, roadmap)
    assert not perms.can_approve_roadmap(world.member, roadmap)
    end_membership(membership=world.cle.memberships.get(), ended_on=YESTERDAY, reason="Démission")
    fresh = type(world.member).objects.get(pk=world.member.pk)
    assert not perms.can_view_roadmap(fresh, roadmap)


def test_the_dreets_sees_the_local_roadmaps_of_the_region_and_runs_the_cre(world, roadmap):
    assert perms.can_view_roadmap(world.dreets, roadmap)
    assert not perms.can_edit_roadmap(world.dreets, roadmap)
    cre_roadmap = build_roadmap(world.cre, world.dreets)
    assert perms.can_edit_roadmap(world.dreets, cre_roadmap)
    assert not perms.can_edit_roadmap(world.ddets69, cre_roadmap)


def test_an_admin_edits_everything_but_is_no_co_president(world, roadmap):
    assert perms.can_edit_roadmap(world.admin, roadmap)
    assert not perms.can_approve_roadmap(world.admin, roadmap)


def test_an_outsider_and_another_departement_see_nothing(world, roadmap):
    for person in (world.outsider, world.ddets21):
        assert not perms.can_view_roadmap(person, roadmap)
        assert not Roadmap.objects.visible_to(person).filter(pk=roadmap.pk).exists()


def test_car_presentations_are_for_departmental_and_regional_secretariats(world, roadmap):
    cde_roadmap = build_roadmap(world.cde69, world.ddets69)
    assert perms.can_record_car_presentation(world.ddets69, cde_roadmap)
    assert not perms.can_record_car_presentation(world.ddets69, roadmap)
    assert not perms.can_record_car_presentation(world.prefet69, cde_roadmap)


def test_the_follow_up_is_for_state_services_and_admins(world):
    assert perms.can_follow_up(world.ddets69)
    assert perms.can_follow_up(world.dreets)
    assert perms.can_follow_up(world.admin)
    assert not perms.can_follow_up(world.prefet)
    assert not perms.can_follow_up(world.member)


# --- Screens: 404 outside the scope, 403 for a forbidden action, nothing changed ---------------


def _post_urls(roadmap):
    axis = roadmap.axes.get()
    sheet = first_sheet(roadmap)
    return [
        (reverse("roadmaps:edit", args=[roadmap.pk]), {"title": "Piratée"}),
        (reverse("roadmaps:axis_add", args=[roadmap.pk]), axis_values("Piraté")),
        (reverse("roadmaps:axis_edit", args=[axis.pk]), axis_values("Piraté")),
        (reverse("roadmaps:axis_delete", args=[axis.pk]), {}),
        (
            reverse("roadmaps:sheet_add", args=[axis.pk]),
            {"title": "Pirate", **SHEET, "status": "to_launch", "progress": 0},
        ),
        (
            reverse("roadmaps:sheet_edit", args=[sheet.pk]),
            {"title": "Pirate", **SHEET, "status": "to_launch", "progress": 0, "axis": axis.pk},
        ),
        (
            reverse("roadmaps:sheet_progress", args=[sheet.pk]),
            {"status": "in_progress", "progress": 50},
        ),
        (reverse("roadmaps:sheet_delete", args=[sheet.pk]), {}),
        (reverse("roadmaps:actor_add", args=[sheet.pk]), {"organisation": "X", "commitment": "Y"}),
        (
            reverse("roadmaps:indicator_add", args=[sheet.pk]),
            {"name": "X", "unit": "u", "target": 3, "direction": "increase"},
        ),
        (reverse("roadmaps:good_practice_mark", args=[sheet.pk]), {}),
        (reverse("roadmaps:submit", args=[roadmap.pk]), {}),
        (reverse("roadmaps:publish", args=[roadmap.pk]), {}),
        (
            reverse("roadmaps:car_add", args=[roadmap.pk]),
            {"presented_on": "2025-01-01", "outcome": "noted"},
        ),
        (
            reverse("roadmaps:subject_add", args=[roadmap.committee_id]),
            {"title": "X", "need_kind": "support", "need": "Y", "reason": "Z"},
        ),
        (
            reverse("roadmaps:indicators", args=[roadmap.committee_id]),
            {"indicator": "", "period": "2025-01-01", "value": 1},
        ),
        (reverse("roadmaps:target_set", args=[roadmap.committee_id]), {}),
        (reverse("roadmaps:import_upload", args=[roadmap.committee_id]), {}),
    ]


def _snapshot(roadmap):
    roadmap.refresh_from_db()
    return (
        roadmap.status,
        roadmap.title,
        roadmap.approval_round,
        list(Axis.objects.filter(roadmap=roadmap).values_list("title", "diagnostic")),
        list(roadmap.axes.get().sheets.values_list("title", "status", "progress")),
        EscalatedSubject.objects.count(),
        IndicatorValue.objects.count(),
        Approval.objects.count(),
    )


def test_a_foreign_ddets_agent_gets_404_everywhere_and_changes_nothing(client, world, roadmap):
    before = _snapshot(roadmap)
    login(client, world.ddets21)
    for url, data in _post_urls(roadmap):
        assert client.post(url, data).status_code == 404, url
    for url in (
        reverse("roadmaps:detail", args=[roadmap.pk]),
        reverse("roadmaps:sheet", args=[first_sheet(roadmap).pk]),
        reverse("roadmaps:dashboard", args=[world.cle.pk]),
        reverse("roadmaps:indicators", args=[world.cle.pk]),
        reverse("roadmaps:subjects", args=[world.cle.pk]),
        reverse("roadmaps:committee", args=[world.cle.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert _snapshot(roadmap) == before


def test_a_member_gets_403_for_every_write_and_changes_nothing(client, world, roadmap):
    before = _snapshot(roadmap)
    login(client, world.member)
    for url, data in _post_urls(roadmap):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("roadmaps:detail", args=[roadmap.pk])).status_code == 200
    assert _snapshot(roadmap) == before


def test_a_co_president_cannot_edit_and_the_secretariat_cannot_approve(client, world, roadmap):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    before = _snapshot(roadmap)
    login(client, world.prefet)
    for url, data in _post_urls(roadmap):
        assert client.post(url, data).status_code == 403, url
    login(client, world.ddets69)
    assert client.post(reverse("roadmaps:approve", args=[roadmap.pk])).status_code == 403
    assert (
        client.post(
            reverse("roadmaps:request_changes", args=[roadmap.pk]), {"comment": "x"}
        ).status_code
        == 403
    )
    login(client, world.admin)
    assert client.post(reverse("roadmaps:approve", args=[roadmap.pk])).status_code == 403
    assert _snapshot(roadmap) == before


def test_a_co_president_of_another_committee_cannot_approve(client, world, roadmap):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    login(client, world.prefet69)  # co-presides the CDE, sees the CLE as… nothing: 404
    response = client.post(reverse("roadmaps:approve", args=[roadmap.pk]))
    assert response.status_code in (403, 404)
    assert not Approval.objects.exists()


def test_someone_who_cannot_answer_a_subject_gets_403(client, world, roadmap):
    subject = raise_subject(
        committee=world.cle,
        user=world.ddets69,
        title="Mobilité",
        need_kind="means",
        need="Des moyens.",
        reason="Car.",
    )
    login(client, world.member)  # sees the CLE, not the CDE's inbox
    assert client.get(reverse("roadmaps:subject", args=[subject.pk])).status_code == 200
    assert (
        client.post(
            reverse("roadmaps:subject", args=[subject.pk]), {"status": "declined", "answer": "Non."}
        ).status_code
        == 403
    )
    login(client, world.ddets21)
    assert client.get(reverse("roadmaps:subject", args=[subject.pk])).status_code == 404
    subject.refresh_from_db()
    assert subject.status == EscalatedSubject.Status.PENDING


def test_the_national_inbox_and_the_follow_up_refuse_others(client, world):
    login(client, world.ddets69)
    assert client.get(reverse("roadmaps:national_inbox")).status_code == 403
    login(client, world.member)
    assert client.get(reverse("roadmaps:follow_up")).status_code == 403


def test_an_export_belongs_to_its_requester(client, world, roadmap):

    export = request_pdf_export(roadmap=roadmap, user=world.ddets69)
    login(client, world.prefet)  # sees the roadmap, did not ask for this export
    assert client.get(reverse("roadmaps:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("roadmaps:export_download", args=[export.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, roadmap):
    response = client.get(reverse("roadmaps:detail", args=[roadmap.pk]))
    assert response.status_code == 302
    assert "/compte/connexion/" in response.url
