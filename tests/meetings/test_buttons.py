"""No dead ends on the meeting screens (issue 13): a button offered is a button allowed, for
each role and each stage of a meeting; destructive actions ask for confirmation (a page that
works without JavaScript); locked forms show read-only instead of failing on save; a
co-president's refusal keeps the comment typed (DEC-JOINT)."""

from html.parser import HTMLParser

import pytest
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.urls import reverse

from committees.models.rules import Category
from meetings.models import AgendaItem, ChangeRequest, Decision, Meeting
from meetings.services import minutes as minutes_service
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.decisions import record_decision
from meetings.services.invitations import invite_expert
from meetings.services.minutes import DRAFT_BLANK
from meetings.tasks import render_minutes_pdf
from tests.factories.meetings import (
    Attendance,
    attend,
    convene,
    held_today,
    invitation_of,
    make_meeting,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

P = Attendance.PRESENT


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


class Page(HTMLParser):
    """The post forms (action, fields, submit buttons) and the links of a page."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "data": {}, "buttons": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["data"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self._form is not None and attrs.get("type") == "submit":
            self._form["buttons"].append((attrs.get("name"), attrs.get("value")))
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def errors_of(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level >= constants.ERROR]


def completed_minutes(scene, meeting):
    minutes = minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    return minutes_service.update_minutes(
        minutes=minutes,
        user=scene.secretariat,
        body=minutes.body.replace(DRAFT_BLANK, "les membres échangent."),
    )


def stages(scene) -> dict[str, Meeting]:
    """A meeting at each stage of its life."""
    draft = make_meeting(scene, title="Brouillon")
    invite_expert(
        meeting=draft,
        person=UserFactory(email="experte@example.fr"),
        agenda_item=draft.agenda_items.first(),
        organisation="CAF du Rhône",
    )
    pending = make_meeting(scene, title="En validation")
    submit_for_validation(meeting=pending, user=scene.secretariat)
    validate_meeting(meeting=pending, user=scene.state)
    convened = convene(scene, make_meeting(scene, title="Convoquée"))
    voters = [scene.state, scene.local, scene.person(Category.STATE)]

    def held(title):
        meeting = held_today(scene, title=title)
        attend(scene, meeting, dict.fromkeys(voters, P))
        record_decision(
            agenda_item=meeting.agenda_items.first(),
            user=scene.secretariat,
            method=Decision.Method.VOTE,
            text="Le comité adopte le plan.",
            ballots={invitation_of(meeting, p).pk: "for" for p in voters},
        )
        return meeting

    in_session = held("En séance")
    flagged = held("Votes à vérifier")
    attend(scene, flagged, dict.fromkeys([*voters, scene.person(Category.DEPARTEMENT)], P))
    drafted = held("Compte rendu rédigé")
    minutes_service.draft_minutes(meeting=drafted, user=scene.secretariat)  # with blanks
    completed = held("Compte rendu complété")
    completed_minutes(scene, completed)
    approved = held("Compte rendu approuvé")
    minutes = completed_minutes(scene, approved)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    return {
        "draft": draft,
        "pending": pending,
        "convened": convened,
        "in_session": in_session,
        "flagged": flagged,
        "drafted": drafted,
        "completed": completed,
        "approved": approved,
    }


SKIPPED_LINKS = (".ics", "/documents/", "/pdf/")


def test_a_button_offered_is_a_button_allowed(client, scene):
    """For each role and each stage, every form posted from the meeting's page and its
    minutes' page is accepted (a redirect, no refusal), and every page it links to inside the
    meeting opens ready to use (not read-only); a confirmation page's button works too."""
    meetings = stages(scene)
    roles = {
        "secretariat": scene.secretariat,
        "state": scene.state,
        "local": scene.local,
        "member": scene.person(Category.STATE),
    }
    checked = 0
    for role, user in roles.items():
        client.force_login(user)
        for stage, meeting in meetings.items():
            prefix = f"/reunions/{meeting.pk}/"
            for page_url in (url("detail", meeting.pk), url("minutes", meeting.pk)):
                response = client.get(page_url)
                if response.status_code == 404:  # a draft the member does not see
                    assert role == "member" and stage in ("draft", "pending")
                    continue
                assert response.status_code == 200, (role, stage, page_url)
                page = parse(response)
                for form in page.forms:
                    if not form["action"].startswith(prefix):
                        continue
                    for name, value in form["buttons"] or [(None, None)]:
                        data = dict(form["data"])
                        if name:
                            data[name] = value
                        with transaction.atomic():
                            posted = client.post(form["action"], data)
                            context = (role, stage, form["action"], errors_of(posted))
                            assert posted.status_code == 302, context
                            assert not errors_of(posted), context
                            transaction.set_rollback(True)
                        checked += 1
                for link in page.links:
                    if not link.startswith(prefix) or link.split("#")[0] in (
                        page_url,
                        url("detail", meeting.pk),
                        url("minutes", meeting.pk),
                    ):
                        continue
                    if any(part in link for part in SKIPPED_LINKS):
                        continue
                    opened = client.get(link)
                    assert opened.status_code == 200, (role, stage, link)
                    assert "Lecture seule" not in opened.content.decode(), (role, stage, link)
                    checked += 1
                    confirm = [f for f in parse(opened).forms if "confirmer" in f["data"]]
                    for form in confirm:
                        with transaction.atomic():
                            posted = client.post(link, form["data"])
                            context = (role, stage, link, errors_of(posted))
                            assert posted.status_code == 302, context
                            assert not errors_of(posted), context
                            transaction.set_rollback(True)
    assert checked > 50


# --- Destructive actions ask for confirmation --------------------------------------------------


def test_removing_an_agenda_item_asks_for_confirmation(client, scene):
    meeting = make_meeting(scene)
    item = meeting.agenda_items.first()
    client.force_login(scene.secretariat)
    page = client.get(url("item_delete", meeting.pk, item.pk))
    assert page.status_code == 200
    assert "Retirer le point 1 « Point 1 »" in page.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()  # asking changes nothing
    response = client.post(url("item_delete", meeting.pk, item.pk), {"confirmer": "oui"})
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_deleting_a_decision_asks_for_confirmation(client, scene):
    meeting = held_today(scene)
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Erreur de saisie"
    )
    client.force_login(scene.secretariat)
    page = client.get(url("decision_delete", meeting.pk, decision.pk))
    assert page.status_code == 200 and "Erreur de saisie" in page.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()
    client.post(url("decision_delete", meeting.pk, decision.pk), {"confirmer": "oui"})
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_confirmation_pages_are_refused_to_others(client, scene):
    meeting = held_today(scene)
    decision = record_decision(
        agenda_item=meeting.agenda_items.first(), user=scene.secretariat, text="Adoptée"
    )
    client.force_login(scene.state)  # a co-president does not manage the record
    assert client.get(url("decision_delete", meeting.pk, decision.pk)).status_code == 403
    client.force_login(scene.outsider)
    assert client.get(url("decision_delete", meeting.pk, decision.pk)).status_code == 404
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_second_decision_is_confirmed_on_the_page(client, scene):
    meeting = held_today(scene)
    item = meeting.agenda_items.first()
    record_decision(agenda_item=item, user=scene.secretariat, text="Première décision")
    client.force_login(scene.secretariat)
    data = {"method": "consensus", "text": "Décision corrigée", "objections": ""}
    page = client.post(url("decision_add", meeting.pk, item.pk), data)
    content = page.content.decode()
    assert page.status_code == 200 and "Ce point a déjà une décision" in content
    assert "Décision corrigée" in content  # what was typed is kept
    assert Decision.objects.get(agenda_item=item).text == "Première décision"
    response = client.post(url("decision_add", meeting.pk, item.pk), {**data, "remplacer": "oui"})
    assert response.status_code == 302
    assert Decision.objects.get(agenda_item=item).text == "Décision corrigée"


# --- Locked forms are read-only ---------------------------------------------------------------


def test_a_started_meetings_form_is_read_only(client, scene):
    meeting = held_today(scene)
    client.force_login(scene.secretariat)
    page = client.get(url("edit", meeting.pk))
    content = page.content.decode()
    assert page.status_code == 200 and "Lecture seule" in content
    assert "Enregistrer</button>" not in content and "disabled" in content
    response = client.post(url("edit", meeting.pk), {"title": "Autre titre"})
    assert response.status_code == 200  # shown again, read-only; nothing saved, no crash
    meeting.refresh_from_db()
    assert meeting.title != "Autre titre"


def test_approved_minutes_are_read_only(client, scene):
    meeting = held_today(scene)
    minutes = completed_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    minutes_service.approve_minutes(minutes=minutes, user=scene.local)
    client.force_login(scene.secretariat)
    for name in ("minutes_edit", "attendance"):
        page = client.get(url(name, meeting.pk))
        assert page.status_code == 200 and "Lecture seule" in page.content.decode()
    response = client.post(url("minutes_edit", meeting.pk), {"body": "Réécrit"})
    assert response.status_code == 200
    minutes.refresh_from_db()
    assert minutes.body != "Réécrit"


# --- Co-presidents refuse with a comment (DEC-JOINT) ---------------------------------------------


def test_a_copresident_refuses_the_agenda_from_the_page(client, scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    client.force_login(scene.local)
    detail = client.get(url("detail", meeting.pk)).content.decode()
    assert url("request_changes", meeting.pk) in detail
    response = client.post(
        url("request_changes", meeting.pk), {"comment": "Ajouter un point sur la mobilité."}
    )
    assert response.status_code == 302
    page = client.get(url("detail", meeting.pk)).content.decode()
    # The new state, and only the buttons that still apply.
    assert "Modifications demandées" in page and "Ajouter un point sur la mobilité." in page
    assert url("request_changes", meeting.pk) not in page
    assert url("validate", meeting.pk) in page
    client.force_login(scene.secretariat)
    assert (
        "Ajouter un point sur la mobilité."
        in client.get(url("detail", meeting.pk)).content.decode()
    )


def test_a_refusal_comment_is_kept_when_refused(client, scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    client.force_login(scene.state)
    comment = "Revoir l'ordre des points, merci."
    response = client.post(url("request_changes", meeting.pk), {"comment": comment})
    content = response.content.decode()
    assert response.status_code == 200
    assert "déjà validé" in content and comment.replace("'", "&#x27;") in content
    assert not ChangeRequest.objects.exists()


def test_only_copresidents_refuse(client, scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    client.force_login(scene.secretariat)
    assert client.post(url("request_changes", meeting.pk), {"comment": "x"}).status_code == 403
    minutes_meeting = held_today(scene)
    completed_minutes(scene, minutes_meeting)
    member = scene.person(Category.STATE)
    client.force_login(member)
    response = client.post(url("minutes_request_changes", minutes_meeting.pk), {"comment": "x"})
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_a_copresident_refuses_the_minutes_from_the_page(client, scene):
    meeting = held_today(scene)
    completed_minutes(scene, meeting)
    client.force_login(scene.state)
    response = client.post(
        url("minutes_request_changes", meeting.pk), {"comment": "Ajouter les chiffres."}
    )
    assert response.status_code == 302
    page = client.get(url("minutes", meeting.pk)).content.decode()
    assert "Modifications demandées" in page and "Ajouter les chiffres." in page
    assert url("minutes_request_changes", meeting.pk) not in page
    assert url("minutes_approve", meeting.pk) in page


def test_minutes_with_blanks_offer_no_approval(client, scene):
    meeting = held_today(scene)
    minutes_service.draft_minutes(meeting=meeting, user=scene.secretariat)
    client.force_login(scene.state)
    page = client.get(url("minutes", meeting.pk)).content.decode()
    assert "passages à compléter" in page
    assert url("minutes_approve", meeting.pk) not in page
    response = client.post(url("minutes_approve", meeting.pk))
    assert "passages à compléter" in " ".join(errors_of(response))


# --- Long tasks never block a request ------------------------------------------------------------


def test_the_approval_returns_at_once_and_the_page_shows_the_pdfs_progress(client, scene):
    """The last approval queues the PDF (after the commit) instead of rendering it in the
    request; the minutes' page and its status address show the progress, then the link."""
    meeting = held_today(scene)
    minutes = completed_minutes(scene, meeting)
    minutes_service.approve_minutes(minutes=minutes, user=scene.state)
    client.force_login(scene.local)
    response = client.post(url("minutes_approve", meeting.pk))
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.is_approved and not minutes.pdf  # nothing rendered in the request
    assert minutes.pdf_status == minutes.PdfStatus.PENDING
    page = client.get(url("minutes", meeting.pk)).content.decode()
    assert "En attente de génération" in page and url("minutes_pdf_status", meeting.pk) in page
    assert url("minutes_approve", meeting.pk) not in page  # nothing left to approve
    assert client.get(url("minutes_pdf_status", meeting.pk)).json()["status"] == "pending"
    assert render_minutes_pdf.run(minutes.pk) == "rendered"  # the worker's turn
    status = client.get(url("minutes_pdf_status", meeting.pk)).json()
    assert status["status"] == "ready" and status["url"] == url("minutes_pdf", meeting.pk)
    assert url("minutes_pdf", meeting.pk) in client.get(url("minutes", meeting.pk)).content.decode()
