"""Meetings already held, entered after the fact (committees exist since July 2024, INS-DATES):
the agenda, the attendance, the decisions and the approved minutes are recorded as for any
meeting (DEC-QUORUM, DEC-MAJORITY, DEC-JOINT), nothing is sent, and a future meeting cannot
be entered that way. Through the services, the screens and the API."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from committees.models.rules import Category
from cte_portal.core.errors import RuleError
from meetings.models import Ballot, Decision, Meeting, Minutes, MinutesApproval, Notification
from meetings.services.agenda import add_agenda_item
from meetings.services.convocation import submit_for_validation
from meetings.services.dates import meeting_date_warnings
from meetings.services.decisions import record_decision
from meetings.services.minutes import DRAFT_BLANK, approve_minutes
from meetings.services.past import record_held_meeting, record_outside_approval
from meetings.services.planning import create_meeting
from tests.clients import login
from tests.factories.meetings import (
    Attendance,
    attend,
    drafted_minutes,
    held_today,
    invitation_of,
    make_meeting,
)

pytestmark = pytest.mark.django_db

P = Attendance.PRESENT
LAST_AUTUMN = date(2024, 11, 14)


def past_meeting(scene, *, day=LAST_AUTUMN, items=("Feuille de route 2025", "Demande d'audit")):
    meeting = create_meeting(
        committee=scene.committee,
        user=scene.secretariat,
        title="Séance plénière d'automne",
        date=day,
        start_time=time(9, 30),
        end_time=time(12, 0),
        place="Préfecture du Rhône",
        entered_after_the_fact=True,
    )
    for index, title in enumerate(items):
        add_agenda_item(
            meeting=meeting,
            title=title,
            decision_expected=True,
            is_audit_request=index == 1,
        )
    return meeting


def test_a_past_meeting_goes_end_to_end_without_any_email(
    scene, django_capture_on_commit_callbacks
):
    # INS-DATES: entered after the fact; DEC-QUORUM, DEC-MAJORITY, DEC-JOINT still apply.
    meeting = past_meeting(scene)
    assert meeting.status == Meeting.Status.DRAFT and meeting.entered_after_the_fact
    record_held_meeting(meeting=meeting, user=scene.secretariat)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED
    assert meeting.convened_at is None  # no convocation went out from the portal
    assert meeting.status_label == "Tenue (saisie a posteriori)"
    v = scene
    attend(
        scene,
        meeting,
        {
            v.state: P,
            v.local: P,
            v.person(Category.STATE): P,
            v.person(Category.EMPLOYER_ORGS): P,
        },
    )
    roadmap, audit = meeting.agenda_items.all()
    consensus = record_decision(agenda_item=roadmap, user=scene.secretariat, text="Adoptée")
    assert consensus.outcome == Decision.Outcome.ADOPTED and consensus.quorum_reached
    vote = record_decision(
        agenda_item=audit,
        user=scene.secretariat,
        text="Audit de l'opérateur",
        ballots={
            invitation_of(meeting, v.state).pk: Ballot.Choice.FOR,
            invitation_of(meeting, v.local).pk: Ballot.Choice.FOR,
            invitation_of(meeting, v.person(Category.STATE)).pk: Ballot.Choice.AGAINST,
        },
    )
    assert vote.outcome == Decision.Outcome.ADOPTED and (vote.votes_for, vote.votes_against) == (
        2,
        1,
    )
    minutes = drafted_minutes(scene, meeting)
    approve_minutes(minutes=minutes, user=scene.state)
    # Whatever would be sent after the commit runs here: nothing must go out.
    with django_capture_on_commit_callbacks(execute=True):
        record_outside_approval(
            minutes=minutes,
            copresidency=scene.local_cp,
            approved_on=date(2025, 1, 20),
            user=scene.secretariat,
        )
    minutes.refresh_from_db()
    assert minutes.is_approved and minutes.pdf_status == Minutes.PdfStatus.READY
    recorded = MinutesApproval.objects.get(minutes=minutes, copresidency=scene.local_cp)
    assert recorded.approved_by == scene.local and recorded.recorded_by == scene.secretariat
    assert timezone.localdate(recorded.approved_at) == date(2025, 1, 20)
    assert mail.outbox == []
    assert not Notification.objects.filter(meeting=meeting).exists()


def test_members_see_the_past_meeting_once_recorded_as_held(scene, client):
    member = scene.person(Category.STATE)
    meeting = past_meeting(scene)
    login(client, member)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    record_held_meeting(meeting=meeting, user=scene.secretariat)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert "saisie a posteriori" in page.content.decode()
    assert "Séance plénière d&#x27;automne" in client.get(reverse("meetings:mine")).content.decode()


def test_a_future_meeting_cannot_be_entered_after_the_fact(scene):
    # INS-DATES: only a meeting that has ended is entered after the fact.
    with pytest.raises(RuleError) as refusal:
        past_meeting(scene, day=timezone.localdate() + timedelta(days=3))
    assert refusal.value.field == "date"
    assert not Meeting.objects.exists()


def test_a_meeting_later_today_cannot_be_entered_after_the_fact(scene):
    with pytest.raises(RuleError):
        create_meeting(
            committee=scene.committee,
            user=scene.secretariat,
            title="Plus tard",
            date=timezone.localdate(),
            start_time=time(23, 58),
            end_time=time(23, 59),
            place="Préfecture",
            entered_after_the_fact=True,
        )


def test_a_past_date_without_the_after_the_fact_mark_is_refused_with_a_hint(scene):
    with pytest.raises(RuleError) as refusal:
        create_meeting(
            committee=scene.committee,
            user=scene.secretariat,
            title="Oubli",
            date=LAST_AUTUMN,
            start_time=time(9, 0),
            end_time=time(10, 0),
            place="Préfecture",
        )
    assert "saisie a posteriori" in refusal.value.messages[0]


def test_a_past_meeting_is_not_submitted_for_a_convocation(scene):
    meeting = past_meeting(scene)
    with pytest.raises(RuleError):
        submit_for_validation(meeting=meeting, user=scene.secretariat)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert mail.outbox == []


def test_recording_as_held_needs_an_agenda(scene):
    meeting = past_meeting(scene, items=())
    with pytest.raises(RuleError) as refusal:
        record_held_meeting(meeting=meeting, user=scene.secretariat)
    assert "ordre du jour" in refusal.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_a_convened_meeting_is_not_recorded_as_held_without_convocation(scene):
    meeting = make_meeting(scene)
    with pytest.raises(RuleError):
        record_held_meeting(meeting=meeting, user=scene.secretariat)


def test_the_agenda_of_a_meeting_recorded_as_held_no_longer_changes(scene):
    meeting = past_meeting(scene)
    record_held_meeting(meeting=meeting, user=scene.secretariat)
    with pytest.raises(RuleError):
        add_agenda_item(meeting=meeting, title="Ajout tardif")
    assert meeting.agenda_items.count() == 2


def test_the_quorum_still_applies_to_a_past_meeting(scene):
    # DEC-QUORUM: a vote without quorum is refused, entered after the fact or not.
    meeting = past_meeting(scene)
    record_held_meeting(meeting=meeting, user=scene.secretariat)
    attend(scene, meeting, {scene.state: P})
    audit = meeting.agenda_items.get(is_audit_request=True)
    with pytest.raises(RuleError):
        record_decision(
            agenda_item=audit,
            user=scene.secretariat,
            text="Audit",
            ballots={invitation_of(meeting, scene.state).pk: Ballot.Choice.FOR},
        )
    assert not Decision.objects.exists()


def test_an_outside_approval_is_refused_for_a_meeting_convened_in_the_portal(scene):
    meeting = held_today(scene)
    minutes = drafted_minutes(scene, meeting)
    with pytest.raises(RuleError):
        record_outside_approval(
            minutes=minutes,
            copresidency=scene.local_cp,
            approved_on=timezone.localdate(),
            user=scene.secretariat,
        )
    assert not minutes.approvals.exists()


def test_an_outside_approval_cannot_precede_the_meeting_nor_be_given_twice(scene):
    meeting = past_meeting(scene)
    record_held_meeting(meeting=meeting, user=scene.secretariat)
    minutes = drafted_minutes(scene, meeting)
    with pytest.raises(RuleError) as refusal:
        record_outside_approval(
            minutes=minutes,
            copresidency=scene.local_cp,
            approved_on=LAST_AUTUMN - timedelta(days=1),
            user=scene.secretariat,
        )
    assert refusal.value.field == "approved_on"
    record_outside_approval(
        minutes=minutes,
        copresidency=scene.local_cp,
        approved_on=LAST_AUTUMN,
        user=scene.secretariat,
    )
    with pytest.raises(RuleError):
        record_outside_approval(
            minutes=minutes,
            copresidency=scene.local_cp,
            approved_on=LAST_AUTUMN,
            user=scene.secretariat,
        )
    assert minutes.approvals.count() == 1


# --- INS-DATES: a warning, never a refusal ------------------------------------------------------


def test_a_meeting_before_july_2024_is_entered_with_a_warning(scene):
    # INS-DATES: metropolitan committees are installed from July 2024.
    meeting = past_meeting(scene, day=date(2024, 6, 20))
    assert meeting.pk  # not refused
    (warning,) = meeting_date_warnings(meeting.committee, meeting.date)
    assert "01/07/2024" in warning
    assert meeting_date_warnings(scene.committee, date(2024, 7, 2)) == []


def test_outre_mer_committees_start_in_september_2024(scene):
    # INS-DATES: September 2024 in the Outre-mer.
    region = scene.committee.region
    region.zone = "drom"
    region.save()
    scene.committee.refresh_from_db()
    (warning,) = meeting_date_warnings(scene.committee, date(2024, 8, 20))
    assert "01/09/2024" in warning and "outre-mer" in warning
    assert meeting_date_warnings(scene.committee, date(2024, 9, 2)) == []


def test_a_meeting_before_the_committee_installation_is_warned(scene):
    scene.committee.installed_on = date(2024, 10, 1)
    assert meeting_date_warnings(scene.committee, date(2024, 9, 15))
    assert meeting_date_warnings(scene.committee, date(2024, 10, 1)) == []


# --- Through the screens --------------------------------------------------------------------------


def test_a_past_meeting_through_the_screens(client, scene, django_capture_on_commit_callbacks):
    # INS-DATES: entered after the fact, nothing sent; DEC-QUORUM, DEC-JOINT still apply.
    login(client, scene.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:create", args=[scene.committee.pk]),
            {
                "title": "Plénière d'installation",
                "kind": "plenary",
                "date": "2024-06-27",
                "start_time": "14:00",
                "end_time": "16:30",
                "place": "Hôtel du département",
                "visio_url": "",
                "entered_after_the_fact": "on",
            },
            follow=True,
        )
        meeting = Meeting.objects.get()
        assert meeting.entered_after_the_fact and meeting.status == Meeting.Status.DRAFT
        page = response.content.decode()
        assert "01/07/2024" in page  # INS-DATES: a warning, the meeting is created
        assert "Enregistrer la réunion comme tenue" in page
        assert "Soumettre aux co-présidents" not in page
        client.post(
            reverse("meetings:item_add", args=[meeting.pk]),
            {"title": "Installation du comité", "duration_minutes": 30, "decision_expected": "on"},
        )
        client.post(reverse("meetings:record_held", args=[meeting.pk]))
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CONVENED
        data = {f"inv{i.pk}-attendance": "present" for i in meeting.invitations.all()}
        assert (
            client.post(reverse("meetings:attendance", args=[meeting.pk]), data).status_code == 302
        )
        item = meeting.agenda_items.get()
        client.post(
            reverse("meetings:decision_add", args=[meeting.pk, item.pk]),
            {"method": "consensus", "text": "Le comité est installé.", "objections": ""},
        )
        assert Decision.objects.get().outcome == Decision.Outcome.ADOPTED
        client.post(reverse("meetings:minutes_draft", args=[meeting.pk]))
        draft = Minutes.objects.get(meeting=meeting)
        client.post(
            reverse("meetings:minutes_edit", args=[meeting.pk]),
            {"body": draft.body.replace(DRAFT_BLANK, "le comité approuve son installation.")},
        )
        minutes_page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
        # Nothing is sent for this meeting: no approval request by e-mail is offered.
        assert "Demander l'approbation" not in minutes_page
        assert "Enregistrer une approbation donnée à l&#x27;époque" in minutes_page or (
            "Enregistrer une approbation donnée à l'époque" in minutes_page
        )
        for copresidency in (scene.state_cp, scene.local_cp):
            client.post(
                reverse("meetings:minutes_outside_approval", args=[meeting.pk]),
                {"copresidency": copresidency.pk, "approved_on": "2024-09-12"},
            )
    minutes = Minutes.objects.get()
    assert (
        minutes.is_approved and minutes.approvals.filter(recorded_by=scene.secretariat).count() == 2
    )
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "approbation antérieure enregistrée par le secrétariat" in page
    assert mail.outbox == []


def test_a_future_meeting_marked_after_the_fact_is_refused_on_the_form(client, scene):
    response = login(client, scene.secretariat).post(
        reverse("meetings:create", args=[scene.committee.pk]),
        {
            "title": "Plénière",
            "kind": "plenary",
            "date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "start_time": "14:00",
            "end_time": "16:30",
            "place": "Hôtel du département",
            "visio_url": "",
            "entered_after_the_fact": "on",
        },
    )
    assert response.status_code == 200
    assert "Une réunion à venir ne peut être saisie a posteriori" in response.content.decode()
    assert not Meeting.objects.exists()


def test_only_the_secretariat_records_a_past_meeting_as_held(client, scene):
    meeting = past_meeting(scene)
    target = reverse("meetings:record_held", args=[meeting.pk])
    assert login(client, scene.state).post(target).status_code == 403
    assert login(client, scene.outsider).post(target).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_only_the_secretariat_records_an_outside_approval(client, scene):
    meeting = past_meeting(scene)
    record_held_meeting(meeting=meeting, user=scene.secretariat)
    minutes = drafted_minutes(scene, meeting)
    target = reverse("meetings:minutes_outside_approval", args=[meeting.pk])
    data = {"copresidency": scene.local_cp.pk, "approved_on": "2024-12-01"}
    assert login(client, scene.state).post(target, data).status_code == 403
    assert not minutes.approvals.exists()


# --- Through the API --------------------------------------------------------------------------------


def test_a_past_meeting_through_the_api(scene, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(scene.secretariat)
    base = "/api/v1/meetings/"
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            base,
            {
                "committee": scene.committee.pk,
                "title": "Séance de décembre",
                "date": "2024-12-12",
                "start_time": "09:30",
                "end_time": "12:00",
                "place": "Préfecture",
                "entered_after_the_fact": True,
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        body = created.json()
        assert body["entered_after_the_fact"] and body["warnings"] == []
        pk = body["id"]
        api.post(f"{base}{pk}/agenda-items/", {"title": "Plan d'action 2025"}, format="json")
        held = api.post(f"{base}{pk}/record-held/")
        assert held.status_code == 200 and held.json()["status"] == "convened"
        invitations = held.json()["invitations"]
        entries = [{"invitation": i["id"], "attendance": "present"} for i in invitations]
        assert (
            api.post(f"{base}{pk}/attendance/", {"entries": entries}, format="json").status_code
            == 200
        )
        item = held.json()["agenda_items"][0]["id"]
        decided = api.post(
            f"{base}{pk}/decisions/", {"agenda_item": item, "text": "Plan adopté"}, format="json"
        )
        assert decided.status_code == 201
        assert api.post(f"{base}{pk}/minutes/").status_code == 201
        draft = Minutes.objects.get(meeting_id=pk).body
        # The blanks of the draft completed: the minutes can be approved.
        completed = api.post(
            f"{base}{pk}/minutes/",
            {"body": draft.replace(DRAFT_BLANK, "le plan 2025 est présenté.")},
            format="json",
        )
        assert completed.status_code == 201
        for copresidency in (scene.state_cp, scene.local_cp):
            approved = api.post(
                f"{base}{pk}/minutes/outside-approvals/",
                {"copresidency": copresidency.pk, "approved_on": "2025-01-15"},
                format="json",
            )
            assert approved.status_code == 200, approved.json()
    assert approved.json()["minutes"]["approved_at"]
    assert mail.outbox == []


def test_the_api_refuses_a_future_meeting_after_the_fact(scene):
    api = APIClient()
    api.force_authenticate(scene.secretariat)
    response = api.post(
        "/api/v1/meetings/",
        {
            "committee": scene.committee.pk,
            "title": "Séance",
            "date": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "start_time": "09:30",
            "end_time": "12:00",
            "place": "Préfecture",
            "entered_after_the_fact": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "saisie a posteriori" in response.json()["errors"]["date"][0]
    assert not Meeting.objects.exists()
