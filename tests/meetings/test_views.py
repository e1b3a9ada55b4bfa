"""The meeting screens: every action gated (404 outside the scope, 403 for a forbidden action,
nothing changed), forms showing the services' refusals, query budgets that stay flat."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, Level
from committees.models.rules import Category
from committees.services.committees import create_committee
from meetings.models import Decision, Invitation, Meeting, Minutes, Validation
from meetings.services import minutes as minutes_service
from meetings.services.agenda import add_agenda_item
from meetings.services.answers import answer_convocation
from meetings.services.calendar import create_calendar_feed, find_feed
from meetings.services.decisions import record_decision
from meetings.services.invitations import invite_expert
from tests.factories.meetings import (
    Answer,
    Attendance,
    attend,
    convene,
    future_day,
    held_today,
    invitation_of,
    make_meeting,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

P = Attendance.PRESENT


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


# --- Visibility (404) and actions (403) ------------------------------------------------------------


def test_a_draft_is_seen_by_the_secretariat_and_copresidents_only(client, scene):
    meeting = make_meeting(scene)
    for user in (scene.secretariat, scene.state, scene.local):
        assert as_user(client, user).get(url("detail", meeting.pk)).status_code == 200
    for user in (scene.person(Category.STATE), scene.outsider, scene.other_ddets):
        assert as_user(client, user).get(url("detail", meeting.pk)).status_code == 404


def test_a_convened_meeting_is_seen_by_members_not_by_outsiders(client, scene):
    meeting = convene(scene, make_meeting(scene))
    member = scene.person(Category.FRANCE_TRAVAIL)
    response = as_user(client, member).get(url("detail", meeting.pk))
    assert response.status_code == 200
    assert "Répondre à la convocation" in response.content.decode()
    for user in (scene.outsider, scene.other_ddets):
        assert as_user(client, user).get(url("detail", meeting.pk)).status_code == 404


def test_an_invited_expert_sees_the_meeting_not_the_committee(client, scene):
    meeting = make_meeting(scene)
    expert = UserFactory(email="expert@example.fr")
    invite_expert(meeting=meeting, person=expert)
    assert as_user(client, expert).get(url("detail", meeting.pk)).status_code == 404
    convene(scene, meeting)
    assert client.get(url("detail", meeting.pk)).status_code == 200
    assert client.get(url("committee_list", scene.committee.pk)).status_code == 404


def test_only_the_secretariat_creates_a_meeting(client, scene):
    create = url("create", scene.committee.pk)
    assert as_user(client, scene.person(Category.STATE)).get(create).status_code == 403
    assert as_user(client, scene.state).post(create, {}).status_code == 403
    assert as_user(client, scene.other_ddets).get(create).status_code == 404
    assert not Meeting.objects.exists()
    response = as_user(client, scene.secretariat).post(
        create,
        {
            "title": "Plénière d'automne",
            "kind": "plenary",
            "date": future_day().isoformat(),
            "start_time": "14:00",
            "end_time": "16:30",
            "place": "Hôtel du département",
            "visio_url": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == url("detail", meeting.pk)
    assert meeting.created_by == scene.secretariat


def test_a_refusal_of_the_service_is_shown_on_the_form(client, scene):
    response = as_user(client, scene.secretariat).post(
        url("create", scene.committee.pk),
        {
            "title": "Plénière",
            "kind": "plenary",
            "date": future_day().isoformat(),
            "start_time": "14:00",
            "end_time": "16:30",
            "place": "",
            "visio_url": "",
        },
    )
    assert response.status_code == 200
    assert "Indiquez un lieu" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_secretariat_edits_the_agenda_others_cannot(client, scene):
    meeting = make_meeting(scene)
    add = url("item_add", meeting.pk)
    data = {"title": "Bilan de l'IAE", "duration_minutes": 20, "presenter": "DDETS"}
    assert as_user(client, scene.state).post(add, data).status_code == 403
    assert as_user(client, scene.other_ddets).post(add, data).status_code == 404
    assert meeting.agenda_items.count() == 2
    assert as_user(client, scene.secretariat).post(add, data).status_code == 302
    assert meeting.agenda_items.count() == 3
    item = meeting.agenda_items.get(title="Bilan de l'IAE")
    client.post(url("item_move", meeting.pk, item.pk), {"sens": "haut"})
    item.refresh_from_db()
    assert item.position == 2
    client.post(url("item_delete", meeting.pk, item.pk))
    assert meeting.agenda_items.count() == 2


def test_submission_and_validation_through_the_screens(client, scene):
    meeting = make_meeting(scene)
    assert as_user(client, scene.state).post(url("submit", meeting.pk)).status_code == 403
    as_user(client, scene.secretariat).post(url("submit", meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PENDING_VALIDATION
    # The secretariat cannot validate for the co-presidents (DEC-JOINT).
    assert client.post(url("validate", meeting.pk)).status_code == 403
    assert not Validation.objects.exists()
    response = as_user(client, scene.state).get(url("detail", meeting.pk))
    assert "Valider l'ordre du jour et la convocation" in response.content.decode()
    response = client.post(url("validate", meeting.pk), follow=True)
    assert "la convocation attend" in response.content.decode()
    as_user(client, scene.local).post(url("validate", meeting.pk))
    meeting.refresh_from_db()
    assert meeting.is_convened


def test_a_member_answers_with_a_proxy_and_the_limit_shows_on_the_form(client, scene):
    meeting = convene(scene, make_meeting(scene))
    holder = invitation_of(meeting, scene.person(Category.EMPLOYER_ORGS))
    answer_convocation(
        invitation=invitation_of(meeting, scene.person(Category.EMPLOYEE_UNIONS)),
        answer=Answer.PROXY,
        proxy_to=holder,
    )
    member = scene.person(Category.STATE)
    response = as_user(client, member).post(
        url("answer", meeting.pk), {"answer": "proxy", "proxy_to": holder.pk}
    )
    assert response.status_code == 200
    assert "ne peut en détenir plus de" in response.content.decode()
    assert invitation_of(meeting, member).answer == ""
    response = client.post(url("answer", meeting.pk), {"answer": "remote"})
    assert response.status_code == 302
    assert invitation_of(meeting, member).answer == Answer.REMOTE


def test_only_the_person_convened_answers(client, scene):
    meeting = convene(scene, make_meeting(scene))
    assert as_user(client, scene.secretariat).get(url("answer", meeting.pk)).status_code == 403
    assert as_user(client, scene.outsider).get(url("answer", meeting.pk)).status_code == 404


def test_the_answer_form_offers_the_substitute_to_a_member_who_has_one(client, scene):
    meeting = convene(scene, make_meeting(scene))
    response = as_user(client, scene.person(Category.DEPARTEMENT)).get(url("answer", meeting.pk))
    html = response.content.decode()
    assert "Représenté par mon suppléant" in html
    response = as_user(client, scene.person(Category.FRANCE_TRAVAIL)).get(url("answer", meeting.pk))
    html = response.content.decode()
    assert "Pouvoir donné" not in html  # no vote, no proxy (DEC-PROXY)
    assert "suppléant" not in html.split("Votre réponse")[1]


def test_attendance_is_recorded_by_the_secretariat_only(client, scene):
    meeting = held_today(scene)
    target = url("attendance", meeting.pk)
    state_invitation = invitation_of(meeting, scene.state)
    data = {f"inv{state_invitation.pk}-attendance": "present"}
    assert as_user(client, scene.state).post(target, data).status_code == 403
    assert as_user(client, scene.outsider).post(target, data).status_code == 404
    state_invitation.refresh_from_db()
    assert state_invitation.attendance == ""
    response = as_user(client, scene.secretariat).get(target)
    assert response.status_code == 200 and "Quorum non atteint" in response.content.decode()
    data = {f"inv{i.pk}-attendance": "present" for i in meeting.invitations.all()}
    assert client.post(target, data).status_code == 302
    assert not meeting.invitations.exclude(attendance="present").exists()
    assert "Quorum atteint" in client.get(target).content.decode()


def test_the_attendance_form_shows_the_refusal_and_saves_nothing(client, scene):
    meeting = held_today(scene)
    unions = invitation_of(meeting, scene.person(Category.EMPLOYEE_UNIONS))
    response = as_user(client, scene.secretariat).post(
        url("attendance", meeting.pk), {f"inv{unions.pk}-attendance": "represented"}
    )
    assert response.status_code == 200
    assert "qui détient son pouvoir" in response.content.decode()
    unions.refresh_from_db()
    assert unions.attendance == ""


def test_the_live_quorum_preview_saves_nothing(client, scene):
    meeting = held_today(scene)
    data = {f"inv{i.pk}-attendance": "remote" for i in meeting.invitations.all()}
    assert (
        as_user(client, scene.state).post(url("quorum_preview", meeting.pk), data).status_code
        == 403
    )
    response = as_user(client, scene.secretariat).post(url("quorum_preview", meeting.pk), data)
    assert response.json()["reached"] is True
    assert response.json()["counted"] == 6
    assert not meeting.invitations.exclude(attendance="").exists()


def test_a_vote_is_recorded_through_the_screen(client, scene):
    meeting = held_today(scene)
    voters = [scene.state, scene.local, scene.person(Category.STATE)]
    attend(scene, meeting, dict.fromkeys(voters, P))
    item = meeting.agenda_items.first()
    target = url("decision_add", meeting.pk, item.pk)
    response = as_user(client, scene.secretariat).get(target)
    html = response.content.decode()
    assert "Quorum atteint" in html and "Vote de Claire Préfète" in html
    data = {"method": "vote", "text": "Adoption du plan", "objections": ""}
    data |= {f"ballot_{invitation_of(meeting, p).pk}": "for" for p in voters}
    assert client.post(target, data).status_code == 302
    decision = Decision.objects.get()
    assert decision.votes_for == 3 and decision.outcome == Decision.Outcome.ADOPTED
    assert as_user(client, scene.state).post(target, data).status_code == 403
    assert Decision.objects.count() == 1


def test_a_vote_without_quorum_shows_the_refusal(client, scene):
    meeting = held_today(scene)
    attend(scene, meeting, {scene.state: P})
    item = meeting.agenda_items.first()
    data = {
        "method": "vote",
        "text": "Adoption",
        "objections": "",
        f"ballot_{invitation_of(meeting, scene.state).pk}": "for",
    }
    response = as_user(client, scene.secretariat).post(
        url("decision_add", meeting.pk, item.pk), data
    )
    assert response.status_code == 200
    assert "le quorum n&#x27;est pas atteint" in response.content.decode()
    assert not Decision.objects.exists()


def test_follow_up_actions_through_the_screens(client, scene):
    meeting = held_today(scene)
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Adopté"
    )
    owner = invitation_of(meeting, scene.person(Category.FRANCE_TRAVAIL))
    data = {
        "description": "Transmettre les chiffres",
        "owner": owner.pk,
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    assert (
        as_user(client, scene.state)
        .post(url("action_add", meeting.pk, decision.pk), data)
        .status_code
        == 403
    )
    assert (
        as_user(client, scene.secretariat)
        .post(url("action_add", meeting.pk, decision.pk), data)
        .status_code
        == 302
    )
    action = decision.actions.get()
    # The owner marks it done; another member may not.
    assert (
        as_user(client, scene.state).post(url("action_done", meeting.pk, action.pk)).status_code
        == 403
    )
    assert (
        as_user(client, owner.person).post(url("action_done", meeting.pk, action.pk)).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.done_on is not None


def test_minutes_through_the_screens(client, scene, django_capture_on_commit_callbacks):
    meeting = held_today(scene)
    record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Plan adopté"
    )
    assert as_user(client, scene.state).post(url("minutes_draft", meeting.pk)).status_code == 403
    as_user(client, scene.secretariat).post(url("minutes_draft", meeting.pk))
    minutes = Minutes.objects.get()
    response = client.post(url("minutes_edit", meeting.pk), {"body": "Échanges nourris."})
    assert response.status_code == 302
    # Members do not read minutes before they are approved.
    member = scene.person(Category.STATE)
    html = as_user(client, member).get(url("minutes", meeting.pk)).content.decode()
    assert "Échanges nourris" not in html
    assert client.post(url("minutes_approve", meeting.pk)).status_code == 403
    assert as_user(client, member).get(url("minutes_pdf_status", meeting.pk)).status_code == 404
    as_user(client, scene.state).post(url("minutes_approve", meeting.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(client, scene.local).post(
            url("minutes_approve", meeting.pk), follow=True
        )
    assert "PDF" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.is_approved and minutes.pdf_status == Minutes.PdfStatus.READY
    status = as_user(client, member).get(url("minutes_pdf_status", meeting.pk)).json()
    assert status["status"] == "ready" and status["url"]
    pdf = client.get(url("minutes_pdf", meeting.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert as_user(client, scene.outsider).get(url("minutes_pdf", meeting.pk)).status_code == 404


def test_the_ics_download(client, scene):
    meeting = make_meeting(scene)
    assert as_user(client, scene.secretariat).get(url("ics", meeting.pk)).status_code == 404
    convene(scene, meeting)
    response = client.get(url("ics", meeting.pk))
    assert response["Content-Type"].startswith("text/calendar")
    assert meeting.ics_uid in response.content.decode()


# --- Members' space and calendar feed --------------------------------------------------------------


def test_members_see_their_meetings_and_minutes(client, scene):
    convene(scene, make_meeting(scene, title="Réunion à venir"))
    make_meeting(scene, title="Brouillon invisible")
    member = scene.person(Category.STATE)
    html = as_user(client, member).get(url("mine")).content.decode()
    assert "Réunion à venir" in html and "Brouillon invisible" not in html


def test_the_personal_calendar_feed_is_secret_and_revocable(client, scene):
    meeting = convene(scene, make_meeting(scene, title="Séance au calendrier"))
    member = scene.person(Category.STATE)
    as_user(client, member).post(url("calendar_create"))
    page = client.get(url("mine")).content.decode()
    feed_url = re.search(r'id="calendar-url"[^>]*value="([^"]+)"', page).group(1)
    assert "/reunions/agenda/" in feed_url
    assert feed_url not in client.get(url("mine")).content.decode()  # shown once
    client.logout()
    response = client.get(feed_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert meeting.ics_uid in body and "Séance au calendrier" in body
    assert client.get(url("calendar_feed", "not-the-key")).status_code == 404
    as_user(client, member).post(url("calendar_revoke"))
    client.logout()
    assert client.get(feed_url).status_code == 404


def test_a_new_feed_revokes_the_old_one(client, scene):

    member = scene.person(Category.STATE)
    _, first = create_calendar_feed(user=member)
    _, second = create_calendar_feed(user=member)
    assert find_feed(first) is None and find_feed(second) is not None


# --- Compliance overview --------------------------------------------------------------------------


def test_the_overview_is_for_state_services(client, scene):
    assert as_user(client, scene.person(Category.STATE)).get(url("overview")).status_code == 403
    response = as_user(client, scene.secretariat).get(url("overview"))
    assert response.status_code == 200


# --- Query budgets --------------------------------------------------------------------------------


def _grow(scene, meeting, count: int):
    """``count`` more experts and agenda items on ``meeting``."""
    for index in range(count):
        invite_expert(
            meeting=meeting, person=UserFactory(email=f"expert{meeting.pk}-{index}@example.fr")
        )
        add_agenda_item(meeting=meeting, title=f"Point {index}", decision_expected=True)


@pytest.mark.parametrize("grow", [0, 10])
def test_detail_query_budget(client, scene, django_assert_max_num_queries, grow):
    meeting = make_meeting(scene)
    _grow(scene, meeting, grow)
    convene(scene, meeting)
    as_user(client, scene.secretariat)
    with django_assert_max_num_queries(15):  # issue 15: main pages ≤ 15
        assert client.get(url("detail", meeting.pk)).status_code == 200


@pytest.mark.parametrize("grow", [1, 10])
def test_committee_list_query_budget(client, scene, django_assert_max_num_queries, grow):
    for index in range(grow):
        make_meeting(scene, items=0, days=10 + index, title=f"Réunion {index}")
    as_user(client, scene.secretariat)
    with django_assert_max_num_queries(14):
        assert client.get(url("committee_list", scene.committee.pk)).status_code == 200


@pytest.mark.parametrize("grow", [1, 10])
def test_my_meetings_query_budget(client, scene, django_assert_max_num_queries, grow):
    for index in range(grow):
        convene(scene, make_meeting(scene, items=1, days=10 + index))
    as_user(client, scene.person(Category.STATE))
    with django_assert_max_num_queries(6):
        response = client.get(url("mine"))
    assert response.content.decode().count("/reponse/") == grow


@pytest.mark.parametrize("grow", [0, 10])
def test_attendance_query_budget(client, scene, django_assert_max_num_queries, grow):
    meeting = make_meeting(scene)
    _grow(scene, meeting, grow)
    convene(scene, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    as_user(client, scene.secretariat)
    with django_assert_max_num_queries(12):
        assert client.get(url("attendance", meeting.pk)).status_code == 200


@pytest.mark.parametrize("grow", [0, 10])
def test_minutes_query_budget(client, scene, django_assert_max_num_queries, grow):
    meeting = make_meeting(scene)
    _grow(scene, meeting, grow)
    convene(scene, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    attend(scene, meeting, dict.fromkeys([i.person for i in meeting.invitations.all()], P))
    for item in meeting.agenda_items.all():
        record_decision(agenda_item=item, user=scene.secretariat, text=f"Décision {item.pk}")
    minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    as_user(client, scene.secretariat)
    with django_assert_max_num_queries(23):
        assert client.get(url("minutes", meeting.pk)).status_code == 200


@pytest.mark.parametrize("grow", [1, 10])
def test_overview_query_budget(client, scene, django_assert_max_num_queries, grow):

    for index in range(grow):
        create_committee(
            level=Level.LOCAL,
            name=f"CLE {index}",
            region=scene.territories.ara,
            departements=[scene.territories.d69],
        )

    Committee.objects.update(status=Committee.Status.INSTALLED)
    as_user(client, scene.secretariat)
    with django_assert_max_num_queries(8):
        response = client.get(url("overview") + "?tous=1")
    assert response.content.decode().count("/reunions/comite/") >= grow


def test_mail_is_not_sent_for_views_that_only_read(client, scene):
    meeting = convene(scene, make_meeting(scene))
    mail.outbox.clear()
    as_user(client, scene.person(Category.STATE)).get(url("detail", meeting.pk))
    assert mail.outbox == []
    assert Invitation.objects.filter(meeting=meeting).count() == 9
