"""INS-ROADMAP / INS-ROADMAP-SHAPE / INS-ACTION-SHEET / INS-CAR: the roadmap's content rules
and its lifecycle draft → submitted → approved → published, each rule with its success and
its refusal."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from committees.models import Committee, CoPresidency
from committees.models.rules import Category
from committees.services.composition import (
    add_copresident,
    add_member,
    end_copresidency,
    set_delegate,
)
from cte_portal.core.errors import RuleError
from roadmaps.models import ActionSheet, Approval, Roadmap, RoadmapVersion
from roadmaps.services import lifecycle
from roadmaps.services import roadmaps as services
from roadmaps.services.indicators import record_value
from roadmaps.services.progress import axis_progress, roadmap_progress
from roadmaps.services.versions import compare_snapshots
from tests.roadmaps.world import SHEET, axis_values, build_roadmap, first_sheet, publish

pytestmark = pytest.mark.django_db


# --- Creation (INS-ROADMAP: one current roadmap per committee) ---------------------------------


def test_a_committee_gets_one_draft_roadmap(world):
    roadmap = services.create_roadmap(
        committee=world.cle, user=world.ddets69, title="Feuille de route 2025"
    )
    assert roadmap.status == Roadmap.Status.DRAFT
    assert roadmap.created_by == world.ddets69


def test_a_second_roadmap_for_the_same_committee_is_refused(roadmap, world):
    with pytest.raises(RuleError, match="déjà une feuille de route"):
        services.create_roadmap(committee=world.cle, user=world.ddets69, title="Une autre")
    assert Roadmap.objects.filter(committee=world.cle).count() == 1


def test_a_dissolved_committee_cannot_start_a_roadmap(world):
    world.cle21.status = Committee.Status.DISSOLVED
    world.cle21.save()
    with pytest.raises(RuleError, match="dissous"):
        services.create_roadmap(committee=world.cle21, user=world.ddets21, title="Trop tard")
    assert not Roadmap.objects.filter(committee=world.cle21).exists()


def test_a_roadmap_needs_a_title(world):
    with pytest.raises(RuleError):
        services.create_roadmap(committee=world.cle, user=world.ddets69, title="  ")


# --- Axes (INS-ROADMAP-SHAPE) ------------------------------------------------------------------


def test_an_axis_states_its_diagnostic_stakes_and_objectives(roadmap):
    axis = services.add_axis(roadmap=roadmap, **axis_values("Mobilité"))
    assert axis.position == 2
    assert axis.diagnostic.startswith("Mobilité difficile")


def test_an_axis_without_diagnostic_is_refused(roadmap):
    values = {**axis_values("Sans diagnostic"), "diagnostic": ""}
    with pytest.raises(RuleError, match="diagnostic"):
        services.add_axis(roadmap=roadmap, **values)
    assert roadmap.axes.count() == 1


@override_settings(CTE={**settings.CTE, "ROADMAP_MAX_AXES": 2})
def test_beyond_the_axis_limit_the_portal_warns_but_accepts(roadmap):
    assert services.axis_limit_warning(roadmap) is None
    services.add_axis(roadmap=roadmap, **axis_values("Deux"))
    assert services.axis_limit_warning(roadmap) is None
    services.add_axis(roadmap=roadmap, **axis_values("Trois"))
    assert roadmap.axes.count() == 3
    assert "3 axes" in services.axis_limit_warning(roadmap)


def test_the_axis_limit_defaults_to_five(roadmap):
    for number in range(4):
        services.add_axis(roadmap=roadmap, **axis_values(f"Axe {number + 2}"))
    assert services.axis_limit_warning(roadmap) is None
    services.add_axis(roadmap=roadmap, **axis_values("Sixième"))
    assert "au-delà de 5" in services.axis_limit_warning(roadmap)


def test_an_axis_with_sheets_cannot_be_deleted_but_an_empty_one_can(roadmap):
    axis = roadmap.axes.get()
    with pytest.raises(RuleError, match="fiches action"):
        services.delete_axis(axis=axis)
    empty = services.add_axis(roadmap=roadmap, **axis_values("Vide"))
    services.delete_axis(axis=empty)
    assert list(roadmap.axes.all()) == [axis]


# --- Action sheets (INS-ACTION-SHEET) ----------------------------------------------------------


def test_an_action_sheet_states_problem_objective_public_and_results(roadmap):
    axis = roadmap.axes.get()
    sheet = services.add_action_sheet(
        axis=axis,
        title="Garage solidaire",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        **SHEET,
    )
    assert sheet.status == ActionSheet.Status.TO_LAUNCH
    assert sheet.position == 2


def test_an_action_sheet_without_public_territory_or_sector_is_accepted(roadmap):
    # INS-ROADMAP-SHAPE: roadmaps « pourront » have sheets per public, territory or sector.
    axis = roadmap.axes.get()
    values = {**SHEET, "target_public": ""}
    services.add_action_sheet(axis=axis, title="Sans cible", **values)
    assert axis.sheets.count() == 2


def test_a_sector_alone_is_enough_as_a_target(roadmap):
    values = {**SHEET, "target_public": "", "sector": "Logistique"}
    sheet = services.add_action_sheet(axis=roadmap.axes.get(), title="Filière", **values)
    assert sheet.sector == "Logistique"


def test_an_action_sheet_without_problem_is_refused(roadmap):
    with pytest.raises(RuleError, match="problème territorial"):
        services.add_action_sheet(axis=roadmap.axes.get(), title="X", **{**SHEET, "problem": ""})


def test_an_action_cannot_end_before_it_starts(roadmap):
    with pytest.raises(RuleError, match="précéder"):
        services.add_action_sheet(
            axis=roadmap.axes.get(),
            title="À l'envers",
            starts_on=date(2025, 6, 1),
            ends_on=date(2025, 1, 1),
            **SHEET,
        )


def test_a_completed_action_counts_for_a_hundred_percent(roadmap):
    sheet = first_sheet(roadmap)
    services.update_sheet_progress(sheet=sheet, status="done", progress=40)
    sheet.refresh_from_db()
    assert sheet.progress == 100


def test_an_action_to_launch_has_not_progressed(roadmap):
    with pytest.raises(RuleError, match="à lancer"):
        services.update_sheet_progress(sheet=first_sheet(roadmap), status="to_launch", progress=30)


def test_progress_is_a_percentage(roadmap):
    with pytest.raises(RuleError, match="de 0 à 100"):
        services.update_sheet_progress(
            sheet=first_sheet(roadmap), status="in_progress", progress=120
        )


def test_a_sheet_with_values_cannot_be_deleted(roadmap, world):

    sheet = first_sheet(roadmap)
    indicator = services.add_roadmap_indicator(
        sheet=sheet, name="Recrutements", unit="personnes", target=50
    )
    record_value(
        committee=world.cle,
        user=world.ddets69,
        period=date(2025, 1, 1),
        value=3,
        roadmap_indicator=indicator,
    )
    with pytest.raises(RuleError, match="abandonnée"):
        services.delete_action_sheet(sheet=sheet)
    with pytest.raises(RuleError):
        services.delete_roadmap_indicator(indicator=indicator)
    fresh = services.add_action_sheet(axis=sheet.axis, title="Sans valeur", **SHEET)
    services.delete_action_sheet(sheet=fresh)
    assert ActionSheet.objects.filter(pk=sheet.pk).exists()


def test_actors_are_organisations_with_their_commitment(roadmap, world):
    sheet = first_sheet(roadmap)
    membership = world.cle.memberships.get()
    actor = services.add_actor(
        sheet=sheet, membership=membership, commitment="Repère les candidats."
    )
    assert actor.organisation == "Mission locale Villefranche"
    other = services.add_actor(
        sheet=sheet, organisation="Garage solidaire", commitment="Prête des véhicules."
    )
    assert other.membership is None


def test_an_actor_needs_a_commitment_and_an_organisation(roadmap):
    sheet = first_sheet(roadmap)
    with pytest.raises(RuleError, match="engage"):
        services.add_actor(sheet=sheet, organisation="Garage", commitment="")
    with pytest.raises(RuleError, match="organisme"):
        services.add_actor(sheet=sheet, organisation="", commitment="Quelque chose")


def test_a_member_of_another_committee_is_not_an_actor_of_this_one(roadmap, world):

    foreign = add_member(
        committee=world.cle21,
        person=world.outsider,
        organisation="Mission locale de Dijon",
        category=Category.MISSIONS_LOCALES,
        mandate_start=date(2024, 9, 1),
    )
    with pytest.raises(RuleError, match="membre en fonction"):
        services.add_actor(sheet=first_sheet(roadmap), membership=foreign, commitment="Accueille.")


def test_a_specific_indicator_has_a_target(roadmap):
    sheet = first_sheet(roadmap)
    indicator = services.add_roadmap_indicator(
        sheet=sheet,
        name="Recrutements",
        unit="personnes",
        baseline=0,
        target=50,
        due_on=date(2025, 12, 31),
    )
    assert indicator.target == 50
    with pytest.raises(RuleError, match="cible"):
        services.add_roadmap_indicator(
            sheet=sheet, name="Sans cible", unit="personnes", target=None
        )


# --- Progress roll-up ----------------------------------------------------------------------------


def test_progress_rolls_up_from_sheets_to_axes_to_the_roadmap(world):
    roadmap = build_roadmap(world.cle, world.ddets69, axes=2, sheets_per_axis=2)
    axis1, axis2 = roadmap.axes.order_by("position")
    s11, s12 = axis1.sheets.order_by("position")
    s21, s22 = axis2.sheets.order_by("position")
    services.update_sheet_progress(sheet=s11, status="done", progress=0)  # 100
    services.update_sheet_progress(sheet=s12, status="in_progress", progress=50)
    services.update_sheet_progress(sheet=s21, status="in_progress", progress=20)
    services.update_sheet_progress(sheet=s22, status="abandoned", progress=0)  # not counted
    axis1.refresh_from_db()
    assert axis_progress(axis1.sheets.all()) == 75
    assert axis_progress(axis2.sheets.all()) == 20
    assert roadmap_progress([axis1.sheets.all(), axis2.sheets.all()]) == 48


# --- Submission ----------------------------------------------------------------------------------


def test_the_secretariat_submits_a_complete_draft(roadmap, world):
    submitted = lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    assert submitted.status == Roadmap.Status.SUBMITTED
    assert submitted.approval_round == 1


def test_a_roadmap_without_axis_cannot_be_submitted(world):
    roadmap = services.create_roadmap(committee=world.cle, user=world.ddets69, title="Vide")
    with pytest.raises(RuleError, match="aucun axe"):
        lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.DRAFT


def test_an_axis_without_action_sheet_blocks_the_submission(roadmap, world):
    services.add_axis(roadmap=roadmap, **axis_values("Sans fiche"))
    with pytest.raises(RuleError, match="aucune fiche action"):
        lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)


def test_a_committee_without_co_president_cannot_submit(world):
    roadmap = build_roadmap(world.cle21, world.ddets21)
    with pytest.raises(RuleError, match="aucun co-président"):
        lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets21)


def test_a_submitted_roadmap_cannot_be_submitted_again(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    with pytest.raises(RuleError, match="brouillon"):
        lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)


# --- Approval (every co-president) ---------------------------------------------------------------


def test_the_roadmap_is_approved_once_every_co_president_approved(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    after_one = lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    assert after_one.status == Roadmap.Status.SUBMITTED
    after_both = lifecycle.approve_roadmap(roadmap=roadmap, user=world.elu, comment="D'accord.")
    assert after_both.status == Roadmap.Status.APPROVED
    assert after_both.approved_at is not None


def test_only_co_presidents_approve(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    for person in (world.ddets69, world.member, world.admin, world.prefet69):
        with pytest.raises(RuleError, match="co-présidents"):
            lifecycle.approve_roadmap(roadmap=roadmap, user=person)
    assert not Approval.objects.exists()


def test_a_draft_waits_for_no_approval(roadmap, world):
    with pytest.raises(RuleError, match="n'attend pas"):
        lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)


def test_a_delegate_approves_for_the_co_president(roadmap, world):

    copresidency = CoPresidency.objects.get(committee=world.cle, person=world.elu)
    set_delegate(copresidency=copresidency, delegate=world.outsider)
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    approved = lifecycle.approve_roadmap(roadmap=roadmap, user=world.outsider)
    assert approved.status == Roadmap.Status.APPROVED


def test_asking_for_changes_needs_a_comment(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    with pytest.raises(RuleError, match="modifications"):
        lifecycle.request_changes(roadmap=roadmap, user=world.prefet, comment=" ")
    lifecycle.request_changes(roadmap=roadmap, user=world.prefet, comment="Préciser le public.")
    decision = Approval.objects.get()
    assert decision.decision == Approval.Decision.CHANGES_REQUESTED
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.SUBMITTED


def test_only_co_presidents_ask_for_changes(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    with pytest.raises(RuleError):
        lifecycle.request_changes(roadmap=roadmap, user=world.ddets69, comment="Je voudrais.")


def test_any_edit_after_an_approval_resets_the_approvals(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    services.update_axis(axis=roadmap.axes.get(), objectives="Des objectifs précisés.")
    roadmap.refresh_from_db()
    assert roadmap.approval_round == 2
    assert all(seat.decision is None for seat in lifecycle.decision_board(roadmap))
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.elu)
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.SUBMITTED  # the préfète must approve again


def test_an_edit_of_an_approved_roadmap_sends_it_back_to_the_co_presidents(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.elu)
    services.add_actor(
        sheet=first_sheet(roadmap),
        organisation="Garage solidaire",
        commitment="Prête des voitures.",
    )
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.SUBMITTED
    assert roadmap.approved_at is None


def test_an_edit_before_any_decision_keeps_the_round(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    services.update_roadmap(roadmap=roadmap, summary="Une synthèse.")
    roadmap.refresh_from_db()
    assert roadmap.approval_round == 1


def test_the_follow_up_of_an_action_does_not_reset_the_approvals(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    services.update_sheet_progress(sheet=first_sheet(roadmap), status="in_progress", progress=10)
    roadmap.refresh_from_db()
    assert roadmap.approval_round == 1
    assert any(seat.approved for seat in lifecycle.decision_board(roadmap))


def test_changes_requested_then_edit_then_both_approve(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.request_changes(roadmap=roadmap, user=world.elu, comment="Ajouter la mobilité.")
    services.add_axis(roadmap=roadmap, **axis_values("Mobilité"))
    services.add_action_sheet(
        axis=roadmap.axes.get(title="Mobilité"), title="Garage solidaire", **SHEET
    )
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.elu)
    roadmap = lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    assert roadmap.status == Roadmap.Status.APPROVED


# --- Publication, frozen versions, comparison -----------------------------------------------------


def test_publishing_freezes_a_version(roadmap, world):
    version = publish(roadmap, world)
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.PUBLISHED
    assert (version.number, roadmap.published_version) == (1, 1)
    assert version.snapshot["axes"][0]["sheets"][0]["title"] == "Fiche 1.1"


def test_an_unapproved_roadmap_cannot_be_published(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    with pytest.raises(RuleError, match="approuvée par tous"):
        lifecycle.publish_roadmap(roadmap=roadmap, user=world.ddets69)
    assert not RoadmapVersion.objects.exists()


def test_a_new_co_president_must_approve_before_publication(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.elu)
    add_copresident(
        committee=world.cle,
        side="local_authority",
        person=world.outsider,
        office="Maire d'Arnas",
        authority="Commune d'Arnas",
        started_on=date(2024, 9, 1),
    )
    with pytest.raises(RuleError, match="co-présidence a changé"):
        lifecycle.publish_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.outsider)
    assert lifecycle.publish_roadmap(roadmap=roadmap, user=world.ddets69).number == 1


def test_a_co_president_who_left_no_longer_counts(roadmap, world):
    lifecycle.submit_roadmap(roadmap=roadmap, user=world.ddets69)
    lifecycle.approve_roadmap(roadmap=roadmap, user=world.prefet)
    end_copresidency(
        copresidency=CoPresidency.objects.get(committee=world.cle, person=world.elu),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    roadmap.refresh_from_db()
    assert lifecycle.all_approved(roadmap)
    with pytest.raises(RuleError):
        lifecycle.approve_roadmap(roadmap=roadmap, user=world.elu)


def test_an_edit_after_publication_opens_a_revision_and_the_version_stays_frozen(roadmap, world):
    version = publish(roadmap, world)
    frozen = RoadmapVersion.objects.get(pk=version.pk).snapshot
    services.update_axis(axis=roadmap.axes.get(), title="Axe renommé")
    roadmap.refresh_from_db()
    assert roadmap.status == Roadmap.Status.DRAFT
    assert roadmap.is_revision
    assert RoadmapVersion.objects.get(pk=version.pk).snapshot == frozen
    assert frozen["axes"][0]["title"] == "Axe 1"


def test_a_published_version_refuses_to_be_rewritten(roadmap, world):
    version = publish(roadmap, world)
    version.snapshot = {"axes": []}
    with pytest.raises(ValueError, match="figée"):
        version.save()


def test_the_second_version_compares_with_the_first_axis_by_axis(world):
    roadmap = build_roadmap(world.cle, world.ddets69, axes=2)
    publish(roadmap, world)
    axis1, axis2 = roadmap.axes.order_by("position")
    services.update_axis(axis=axis1, objectives="Objectifs revus.")
    sheet = axis1.sheets.get()
    services.update_action_sheet(sheet=sheet, expected_results="60 recrutements.")
    services.delete_action_sheet(sheet=axis2.sheets.get())
    services.delete_axis(axis=axis2)
    new_axis = services.add_axis(roadmap=roadmap, **axis_values("Formation"))
    services.add_action_sheet(axis=new_axis, title="Préparation opérationnelle", **SHEET)
    second = publish(roadmap, world)
    assert second.number == 2
    first = lifecycle.previous_version(second)
    comparison = compare_snapshots(first.snapshot, second.snapshot)
    states = {axis.title: axis.state for axis in comparison.axes}
    assert states == {"Axe 1": "changed", "Formation": "added", "Axe 2": "removed"}
    changed = next(a for a in comparison.axes if a.title == "Axe 1")
    assert [c.label for c in changed.changes] == ["Objectifs"]
    assert changed.sheets[0].state == "changed"
    assert changed.sheets[0].changes[0].after == "60 recrutements."


def test_an_unchanged_version_shows_no_change(roadmap, world):
    version = publish(roadmap, world)
    assert not compare_snapshots(version.snapshot, version.snapshot).has_changes


def test_publication_opens_the_specific_indicators_to_open_data(roadmap, world):
    indicator = services.add_roadmap_indicator(
        sheet=first_sheet(roadmap), name="Recrutements", unit="personnes", target=50
    )
    assert indicator.first_published_at is None
    publish(roadmap, world)
    indicator.refresh_from_db()
    assert indicator.first_published_at is not None


# --- CAR (INS-CAR) -------------------------------------------------------------------------------


def test_a_departmental_roadmap_records_its_presentation_in_car(world):
    roadmap = build_roadmap(world.cde69, world.ddets69)
    version = publish(roadmap, world, copresidents=[world.prefet69, world.president_cd])
    presentation = lifecycle.record_car_presentation(
        roadmap=roadmap, user=world.ddets69, presented_on=date(2025, 2, 3), outcome="endorsed"
    )
    assert presentation.version == version


def test_a_local_roadmap_is_not_presented_in_car(roadmap, world):
    publish(roadmap, world)
    with pytest.raises(RuleError, match="sont présentées en CAR"):
        lifecycle.record_car_presentation(
            roadmap=roadmap, user=world.ddets69, presented_on=date(2025, 2, 3), outcome="endorsed"
        )


def test_only_a_published_roadmap_is_presented_in_car(world):
    roadmap = build_roadmap(world.cde69, world.ddets69)
    with pytest.raises(RuleError, match="Publiez"):
        lifecycle.record_car_presentation(
            roadmap=roadmap, user=world.ddets69, presented_on=date(2025, 2, 3), outcome="endorsed"
        )


def test_a_car_presentation_is_recorded_once_it_took_place(world):
    roadmap = build_roadmap(world.cde69, world.ddets69)
    publish(roadmap, world, copresidents=[world.prefet69, world.president_cd])
    with pytest.raises(RuleError, match="eu lieu"):
        lifecycle.record_car_presentation(
            roadmap=roadmap,
            user=world.ddets69,
            presented_on=timezone.localdate() + timedelta(days=3),
            outcome="endorsed",
        )
