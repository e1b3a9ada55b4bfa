"""INS-ESCALATION: a CLE raises to its CDE, a CDE to its CRE, a CRE to the national level;
the upper committee answers each subject once; the raising committee sees the answer."""

import pytest
from django.urls import reverse

from committees.models import Category, Committee, Level
from committees.services.committees import create_committee
from committees.services.composition import add_member
from cte_portal.core.errors import RuleError
from roadmaps.models import EscalatedSubject
from roadmaps.services.escalation import answer_subject, raise_subject
from tests.clients import login
from tests.factories.committees import START
from tests.factories.users import UserFactory
from tests.roadmaps.world import build_roadmap, first_sheet

pytestmark = pytest.mark.django_db

NEED = {
    "need_kind": "coordination",
    "need": "Coordonner les transports.",
    "reason": "Les lignes s'arrêtent à la limite.",
}


def test_a_cle_raises_a_subject_from_its_sheets_to_its_cde(world, roadmap):
    subject = raise_subject(
        committee=world.cle,
        user=world.ddets69,
        title="Transport",
        related_sheets=[first_sheet(roadmap)],
        **NEED,
    )
    assert subject.to_committee == world.cde69
    assert not subject.to_national
    assert list(subject.related_sheets.all()) == [first_sheet(roadmap)]


def test_a_free_standing_need_rises_without_sheet(world):
    subject = raise_subject(
        committee=world.cle, user=world.ddets69, title="Garde d'enfants", **NEED
    )
    assert subject.related_sheets.count() == 0


def test_a_cde_raises_to_its_cre_and_a_cre_to_the_national_level(world):
    assert (
        raise_subject(
            committee=world.cde69, user=world.ddets69, title="Formation", **NEED
        ).to_committee
        == world.cre
    )
    national = raise_subject(committee=world.cre, user=world.dreets, title="Moyens", **NEED)
    assert national.to_committee is None
    assert national.to_national


def test_a_committee_without_parent_cannot_raise(world):
    orphan = create_committee(
        level=Level.LOCAL, name="CLE sans CDE", region=world.ara, departements=[world.d01]
    )
    assert orphan.parent is None
    with pytest.raises(RuleError, match="départemental"):
        raise_subject(committee=orphan, user=world.admin, title="Perdu", **NEED)
    assert not EscalatedSubject.objects.exists()


def test_a_dissolved_parent_cannot_receive(world):
    Committee.objects.filter(pk=world.cde69.pk).update(status=Committee.Status.DISSOLVED)
    world.cle.refresh_from_db()
    with pytest.raises(RuleError, match="en activité"):
        raise_subject(committee=world.cle, user=world.ddets69, title="X", **NEED)


def test_the_related_sheets_belong_to_the_raising_committee(world):
    foreign = build_roadmap(world.cle21, world.ddets21)
    with pytest.raises(RuleError, match="appartenir"):
        raise_subject(
            committee=world.cle,
            user=world.ddets69,
            title="X",
            related_sheets=[first_sheet(foreign)],
            **NEED,
        )


def test_a_subject_states_what_and_why(world):
    with pytest.raises(RuleError, match="pourquoi"):
        raise_subject(committee=world.cle, user=world.ddets69, title="X", **{**NEED, "reason": ""})


def test_the_cde_accepts_with_the_sheet_of_its_roadmap_that_answers(world):
    subject = raise_subject(committee=world.cle, user=world.ddets69, title="Transport", **NEED)
    cde_roadmap = build_roadmap(world.cde69, world.ddets69)
    answered = answer_subject(
        subject=subject,
        user=world.ddets69,
        status="accepted",
        answering_sheet=first_sheet(cde_roadmap),
    )
    assert answered.status == EscalatedSubject.Status.ACCEPTED
    assert answered.answering_sheet == first_sheet(cde_roadmap)
    assert answered.answered_by == world.ddets69


def test_accepting_needs_a_sheet_of_the_receiving_committee(world, roadmap):
    subject = raise_subject(committee=world.cle, user=world.ddets69, title="Transport", **NEED)
    with pytest.raises(RuleError, match="fiche action"):
        answer_subject(subject=subject, user=world.ddets69, status="accepted")
    with pytest.raises(RuleError, match="comité qui reçoit"):
        answer_subject(
            subject=subject,
            user=world.ddets69,
            status="accepted",
            answering_sheet=first_sheet(roadmap),
        )
    subject.refresh_from_db()
    assert subject.status == EscalatedSubject.Status.PENDING


def test_redirecting_says_where_and_declining_says_why(world):
    subject = raise_subject(committee=world.cle, user=world.ddets69, title="Transport", **NEED)
    with pytest.raises(RuleError, match="réorienté"):
        answer_subject(subject=subject, user=world.ddets69, status="redirected")
    with pytest.raises(RuleError, match="motif"):
        answer_subject(subject=subject, user=world.ddets69, status="declined", answer=" ")
    declined = answer_subject(
        subject=subject, user=world.ddets69, status="declined", answer="Hors compétence."
    )
    assert declined.status == EscalatedSubject.Status.DECLINED


def test_a_subject_is_answered_once(world):
    subject = raise_subject(committee=world.cle, user=world.ddets69, title="Transport", **NEED)
    answer_subject(
        subject=subject,
        user=world.ddets69,
        status="redirected",
        answer="Vers la Région.",
        redirected_to=world.cre,
    )
    with pytest.raises(RuleError, match="déjà reçu"):
        answer_subject(subject=subject, user=world.ddets69, status="declined", answer="Non.")


def test_the_national_level_accepts_in_words(world):
    subject = raise_subject(committee=world.cre, user=world.dreets, title="Moyens", **NEED)
    with pytest.raises(RuleError):
        answer_subject(subject=subject, user=world.admin, status="accepted")
    answered = answer_subject(
        subject=subject,
        user=world.admin,
        status="accepted",
        answer="Inscrit au programme national.",
    )
    assert answered.status == EscalatedSubject.Status.ACCEPTED


def test_the_cde_inbox_answers_and_the_cle_sees_the_answer(client, world):
    subject = raise_subject(
        committee=world.cle, user=world.ddets69, title="Transport à la demande", **NEED
    )
    cde_roadmap = build_roadmap(world.cde69, world.ddets69)
    login(client, world.ddets69)
    inbox = client.get(reverse("roadmaps:subjects", args=[world.cde69.pk])).content.decode()
    assert "Transport à la demande" in inbox
    response = client.post(
        reverse("roadmaps:subject", args=[subject.pk]),
        {
            "status": "accepted",
            "answering_sheet": first_sheet(cde_roadmap).pk,
            "answer": "Pris en charge.",
        },
    )
    assert response.status_code == 302
    login(client, world.member)  # a member of the CLE
    page = client.get(reverse("roadmaps:subject", args=[subject.pk])).content.decode()
    assert "Retenu dans la feuille de route" in page
    assert first_sheet(cde_roadmap).title in page
    # The CDE's sheet is named, not linked: the CLE's member may not open the CDE's pages.
    cde_sheet_url = reverse("roadmaps:sheet", args=[first_sheet(cde_roadmap).pk])
    assert cde_sheet_url not in page
    assert client.get(cde_sheet_url).status_code == 404
    # The CDE's secretariat, who sees both sides, has the links.
    login(client, world.ddets69)
    assert (
        cde_sheet_url in client.get(reverse("roadmaps:subject", args=[subject.pk])).content.decode()
    )


def test_a_member_of_the_receiving_committee_only_reads_the_subject_without_dead_links(
    client, world, roadmap
):
    """A member of the CDE who does not sit in the CLE reads the subject raised to the CDE; the
    CLE's sheets are named and the breadcrumbs lead to the CDE's own subjects page."""
    subject = raise_subject(
        committee=world.cle,
        user=world.ddets69,
        title="Mobilité",
        related_sheets=[first_sheet(roadmap)],
        **NEED,
    )
    cde_member = UserFactory(email="membre.cde@example.fr")
    add_member(
        committee=world.cde69,
        person=cde_member,
        organisation="Chambre de commerce",
        category=Category.EMPLOYER_ORGS,
        mandate_start=START,
    )
    login(client, cde_member)
    page = client.get(reverse("roadmaps:subject", args=[subject.pk])).content.decode()
    assert first_sheet(roadmap).title in page
    assert reverse("roadmaps:sheet", args=[first_sheet(roadmap).pk]) not in page
    assert reverse("roadmaps:subjects", args=[world.cle.pk]) not in page
    assert reverse("roadmaps:subjects", args=[world.cde69.pk]) in page
    assert client.get(reverse("roadmaps:subjects", args=[world.cle.pk])).status_code == 404


def test_a_refused_answer_is_shown_on_the_form(client, world):
    subject = raise_subject(committee=world.cle, user=world.ddets69, title="Transport", **NEED)
    login(client, world.ddets69)
    response = client.post(
        reverse("roadmaps:subject", args=[subject.pk]), {"status": "declined", "answer": ""}
    )
    assert response.status_code == 200
    assert "motif" in response.content.decode()


def test_the_cle_secretariat_raises_through_the_screen(client, world, roadmap):
    login(client, world.ddets69)
    response = client.post(
        reverse("roadmaps:subject_add", args=[world.cle.pk]),
        {"title": "Mobilité", "related_sheets": [first_sheet(roadmap).pk], **NEED},
    )
    subject = EscalatedSubject.objects.get()
    assert response.url == reverse("roadmaps:subject", args=[subject.pk])


def test_the_national_inbox_is_the_admins(client, world):
    raise_subject(committee=world.cre, user=world.dreets, title="Un sujet national", **NEED)
    login(client, world.admin)
    assert "Un sujet national" in client.get(reverse("roadmaps:national_inbox")).content.decode()
