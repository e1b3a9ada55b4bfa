"""Preparing and convening a meeting: INS-COMPOSITION invitations, DEC-JOINT validation,
iCalendar convocations (stable UID, SEQUENCE, REQUEST/CANCEL), answers (DEC-PROXY)."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from committees.models import Commission, Level
from committees.models.rules import Category
from committees.services.committees import create_committee, dissolve_committee
from committees.services.composition import add_commission_member, end_copresidency, set_delegate
from cte_portal.core.errors import RuleError
from meetings.models import Invitation, Meeting, Notification, Validation
from meetings.services.agenda import add_agenda_item
from meetings.services.answers import answer_convocation
from meetings.services.convocation import submit_for_validation, validate_meeting
from meetings.services.invitations import invite_expert, remove_invitation
from meetings.services.notifications import deliver
from meetings.services.planning import cancel_meeting, create_meeting, update_meeting
from tests.factories.committees import CoPresidencyFactory
from tests.factories.meetings import (
    Answer,
    convene,
    future_day,
    invitation_of,
    make_meeting,
    start,
)
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def ics_of(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "invitation.ics"
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def event_of(calendar):
    return next(c for c in calendar.walk("VEVENT"))


# --- Invitations (INS-COMPOSITION) --------------------------------------------------------------


def test_copresidents_and_permanent_members_are_invited_by_default(scene):
    meeting = make_meeting(scene)
    invited = {i.person: i for i in meeting.invitations.all()}
    assert set(invited) == {
        scene.state,
        scene.local,
        *(m.person for m in scene.voters.values()),
        *(m.person for m in scene.network.values()),
    }
    assert scene.substitute.person not in invited  # a substitute sits only when asked
    assert invited[scene.state].is_state_copresident and invited[scene.state].votes == 1
    assert invited[scene.state].role == Invitation.Role.COPRESIDENT
    # DEC-VOTERS: France Travail sits without a vote.
    assert invited[scene.person(Category.FRANCE_TRAVAIL)].votes == 0
    assert invited[scene.person(Category.EMPLOYEE_UNIONS)].votes == 1


def test_a_commission_meeting_convenes_the_commission_members(scene):
    commission = scene.committee.commissions.get(kind=Commission.Kind.IAE)
    add_commission_member(
        commission=commission,
        person=scene.person(Category.DEPARTEMENT),
        organisation="Conseil départemental",
    )
    add_commission_member(
        commission=commission, person=UserFactory(email="siae@example.fr"), organisation="SIAE"
    )
    meeting = make_meeting(scene, commission=commission, title="Commission IAE")
    assert meeting.kind == Meeting.Kind.COMMISSION
    people = {i.person.email: i for i in meeting.invitations.all()}
    assert set(people) == {
        scene.state.email,
        scene.local.email,
        "departement@example.fr",
        "siae@example.fr",
    }
    assert people["departement@example.fr"].votes == 1  # their seat in the committee
    assert people["siae@example.fr"].votes == 0


def test_the_yearly_plenary_convenes_the_cle_copresidents(scene):
    # INS-MEETINGS: the CDE's plenary with the presidents of its CLEs.
    cle = create_committee(
        level=Level.LOCAL,
        name="CLE Beaujolais",
        region=scene.territories.ara,
        departements=[scene.territories.d69],
        parent=scene.committee,
    )
    mayor = UserFactory(email="maire@example.fr")
    CoPresidencyFactory(
        committee=cle, local_authority=True, person=mayor, authority="CA Villefranche"
    )
    meeting = make_meeting(scene, with_local_copresidents=True)
    invitation = invitation_of(meeting, mayor)
    assert invitation.role == Invitation.Role.LOCAL_COPRESIDENT
    assert invitation.votes == 0


def test_a_cle_has_no_plenary_with_cle_copresidents(scene):
    cle = create_committee(
        level=Level.LOCAL,
        name="CLE Beaujolais",
        region=scene.territories.ara,
        departements=[scene.territories.d69],
    )
    with pytest.raises(RuleError, match="concerne les CRE et les CDE"):
        create_meeting(
            committee=cle,
            user=scene.secretariat,
            title="Plénière",
            date=future_day(),
            start_time=time(9),
            end_time=time(10),
            place="Mairie",
            with_local_copresidents=True,
        )
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": timezone.localdate() - timedelta(days=1)}, "déjà passée"),
        ({"place": "", "visio_url": ""}, "lieu"),
        ({"start_time": time(12), "end_time": time(11)}, "fin"),
        ({"title": "  "}, "intitulé"),
    ],
)
def test_a_meeting_needs_a_future_date_a_place_and_a_consistent_schedule(scene, changes, message):
    fields = {
        "title": "Réunion",
        "date": future_day(),
        "start_time": time(9),
        "end_time": time(11),
        "place": "Préfecture",
        **changes,
    }
    with pytest.raises(RuleError, match=message):
        create_meeting(committee=scene.committee, user=scene.secretariat, **fields)
    assert not Meeting.objects.exists()


def test_a_dissolved_committee_does_not_meet(scene):
    dissolve_committee(committee=scene.committee, dissolved_on=timezone.localdate())
    with pytest.raises(RuleError, match="dissous"):
        make_meeting(scene, items=0)


def test_a_visio_only_meeting_is_accepted(scene):
    meeting = make_meeting(scene, place="", visio_url="https://webconf.numerique.gouv.fr/abc")
    assert meeting.visio_url


def test_an_expert_is_invited_for_an_item_without_a_vote(scene):
    meeting = make_meeting(scene)
    item = meeting.agenda_items.first()
    expert = UserFactory(email="expert@example.fr")
    invitation = invite_expert(
        meeting=meeting, person=expert, agenda_item=item, organisation="PaQte"
    )
    assert invitation.role == Invitation.Role.EXPERT and invitation.votes == 0
    assert invitation.agenda_item == item
    with pytest.raises(RuleError, match="déjà invitée"):
        invite_expert(meeting=meeting, person=expert)


def test_members_cannot_be_removed_only_experts(scene):
    meeting = make_meeting(scene)
    with pytest.raises(RuleError, match="de droit"):
        remove_invitation(invitation=invitation_of(meeting, scene.state))
    expert = UserFactory(email="expert@example.fr")
    remove_invitation(invitation=invite_expert(meeting=meeting, person=expert))
    assert not meeting.invitations.filter(person=expert).exists()


def test_an_audit_request_item_is_always_a_vote(scene):
    # INS-CONSENSUS
    meeting = make_meeting(scene, items=0)
    item = add_agenda_item(
        meeting=meeting, title="Demande d'audit de la mission locale", is_audit_request=True
    )
    assert item.decision_by_vote and item.decision_expected


# --- Joint validation (DEC-JOINT) -----------------------------------------------------------------


def test_submission_needs_an_agenda(scene):
    meeting = make_meeting(scene, items=0)
    with pytest.raises(RuleError, match="aucun point"):
        submit_for_validation(meeting=meeting, user=scene.secretariat)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_submission_needs_both_copresidencies(scene):

    meeting = make_meeting(scene)
    end_copresidency(copresidency=scene.local_cp, ended_on=timezone.localdate())
    with pytest.raises(RuleError, match="pour convoquer conjointement"):
        submit_for_validation(meeting=meeting, user=scene.secretariat)


def test_the_convocation_goes_out_only_when_every_copresident_validated(
    scene, django_capture_on_commit_callbacks
):
    meeting = make_meeting(scene)
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_validation(meeting=meeting, user=scene.secretariat)
    assert {m.to[0] for m in mail.outbox} == {scene.state.email, scene.local.email}
    assert all("Validation de l'ordre du jour" in m.subject for m in mail.outbox)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        validate_meeting(meeting=meeting, user=scene.state)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PENDING_VALIDATION
    assert mail.outbox == []  # DEC-JOINT: one validation is not enough
    assert not meeting.invitations.filter(convocation_sent_at__isnull=False).exists()

    with django_capture_on_commit_callbacks(execute=True):
        validate_meeting(meeting=meeting, user=scene.local)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED and meeting.convened_at
    invited = set(meeting.invitations.values_list("person__email", flat=True))
    assert {m.to[0] for m in mail.outbox} == invited
    # The sending date of each convocation is recorded.
    assert not meeting.invitations.filter(convocation_sent_at__isnull=True).exists()
    message = next(m for m in mail.outbox if m.to == [scene.person(Category.STATE).email])
    assert message.subject.startswith("Convocation : CDE du Rhône")
    assert "Point 1" in message.body and "/reponse/" in message.body
    calendar = ics_of(message)
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert event["UID"] == meeting.ics_uid and event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART").tzinfo is not None
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Paris"
    assert "Préfecture du Rhône" in str(event["LOCATION"])


def test_the_secretariat_cannot_validate_for_the_copresidents(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    with pytest.raises(RuleError, match="co-présidents"):
        validate_meeting(meeting=meeting, user=scene.secretariat)
    assert not Validation.objects.exists()


def test_a_copresident_validates_a_version_once(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    validate_meeting(meeting=meeting, user=scene.state)
    with pytest.raises(RuleError, match="déjà validé"):
        validate_meeting(meeting=meeting, user=scene.state)
    assert Validation.objects.count() == 1


def test_nothing_is_validated_before_submission(scene):
    meeting = make_meeting(scene)
    with pytest.raises(RuleError, match="Aucune validation"):
        validate_meeting(meeting=meeting, user=scene.state)


def test_a_delegate_validates_for_their_copresident(scene):
    delegate = UserFactory(email="sous-prefet@rhone.gouv.fr")
    set_delegate(copresidency=scene.state_cp, delegate=delegate)
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    (validation,) = validate_meeting(meeting=meeting, user=delegate)
    assert validation.copresidency == scene.state_cp and validation.validated_by == delegate
    with pytest.raises(RuleError, match="déjà validé"):
        validate_meeting(meeting=meeting, user=scene.state)


def test_a_change_after_validation_asks_again_and_sends_an_update(
    scene, django_capture_on_commit_callbacks
):
    meeting = convene(scene, make_meeting(scene))
    uid = meeting.ics_uid
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_agenda_item(meeting=meeting, title="Point ajouté : emploi des jeunes")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PENDING_VALIDATION and meeting.version == 2
    # The co-presidents are asked again; members hear nothing before they validate.
    assert {m.to[0] for m in mail.outbox} == {scene.state.email, scene.local.email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        validate_meeting(meeting=meeting, user=scene.state)
        validate_meeting(meeting=meeting, user=scene.local)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED and meeting.ics_sequence == 1
    assert len(mail.outbox) == meeting.invitations.count()
    message = mail.outbox[0]
    assert message.subject.startswith("Convocation mise à jour")
    assert "emploi des jeunes" in message.body
    event = event_of(ics_of(message))
    assert event["UID"] == uid and event["SEQUENCE"] == 1


def test_a_change_of_date_after_validation_asks_again(scene):
    meeting = convene(scene, make_meeting(scene))
    update_meeting(meeting=meeting, user=scene.secretariat, date=future_day(25))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PENDING_VALIDATION and meeting.version == 2


def test_a_change_before_submission_needs_no_validation(scene):
    meeting = make_meeting(scene)
    add_agenda_item(meeting=meeting, title="Encore un point")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.version == 1


def test_a_change_before_anyone_validated_keeps_the_version(scene):
    meeting = make_meeting(scene)
    submit_for_validation(meeting=meeting, user=scene.secretariat)
    add_agenda_item(meeting=meeting, title="Point ajouté avant toute validation")
    meeting.refresh_from_db()
    assert meeting.version == 1
    assert Notification.objects.filter(kind=Notification.Kind.VALIDATION_REQUEST).count() == 2
    validate_meeting(meeting=meeting, user=scene.state)
    add_agenda_item(meeting=meeting, title="Point ajouté après une validation")
    meeting.refresh_from_db()
    assert meeting.version == 2  # the State's validation was for version 1


def test_removing_an_expert_after_the_convocation_cancels_for_them_only(
    scene, django_capture_on_commit_callbacks
):
    meeting = make_meeting(scene)
    expert = UserFactory(email="expert@example.fr")
    invitation = invite_expert(meeting=meeting, person=expert)
    with django_capture_on_commit_callbacks(execute=True):
        convene(scene, meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remove_invitation(invitation=invitation)
    meeting.refresh_from_db()
    assert meeting.ics_sequence == 0  # the others' convocations stand
    assert [m.to for m in mail.outbox] == [[expert.email]]
    assert ics_of(mail.outbox[0])["METHOD"] == "CANCEL"


def test_the_agenda_no_longer_changes_once_the_meeting_started(scene):
    meeting = start(convene(scene, make_meeting(scene)))
    with pytest.raises(RuleError, match="commencé"):
        add_agenda_item(meeting=meeting, title="Trop tard")


def test_cancelling_a_convened_meeting_sends_a_cancel(scene, django_capture_on_commit_callbacks):
    meeting = convene(scene, make_meeting(scene))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Grève des transports")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.ics_sequence == 1
    assert len(mail.outbox) == meeting.invitations.count()
    calendar = ics_of(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    event = event_of(calendar)
    assert event["STATUS"] == "CANCELLED" and event["UID"] == meeting.ics_uid
    assert event["SEQUENCE"] == 1
    assert "Grève des transports" in mail.outbox[0].body


def test_cancelling_needs_a_reason(scene):
    meeting = make_meeting(scene)
    with pytest.raises(RuleError, match="motif"):
        cancel_meeting(meeting=meeting, user=scene.secretariat, reason="")


def test_a_superseded_convocation_is_not_sent(scene, django_capture_on_commit_callbacks):
    """An update queued but not yet sent when a newer one is queued: only the newer goes."""

    meeting = convene(scene, make_meeting(scene))  # not executed: queued only
    stale = Notification.objects.filter(kind=Notification.Kind.CONVOCATION).first()
    cancel_meeting(meeting=meeting, user=scene.secretariat, reason="Report")
    assert deliver(stale.pk) == "skipped"
    assert mail.outbox == []


def test_an_expert_invited_after_the_convocation_receives_it(
    scene, django_capture_on_commit_callbacks
):
    meeting = convene(scene, make_meeting(scene))
    expert = UserFactory(email="expert@example.fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite_expert(meeting=meeting, person=expert)
    assert [m.to for m in mail.outbox] == [[expert.email]]
    assert invitation_of(meeting, expert).convocation_sent_at is not None


# --- Answers (DEC-PROXY, DEC-REMOTE) ---------------------------------------------------------------


def test_a_member_answers_present_or_remote(scene):
    meeting = convene(scene, make_meeting(scene))
    invitation = invitation_of(meeting, scene.person(Category.STATE))
    answer_convocation(invitation=invitation, answer=Answer.REMOTE, comment="En visio")
    invitation.refresh_from_db()
    assert invitation.answer == Answer.REMOTE and invitation.answered_at


def test_nobody_answers_before_the_convocation(scene):
    meeting = make_meeting(scene)
    with pytest.raises(RuleError, match="n'attend pas"):
        answer_convocation(invitation=invitation_of(meeting, scene.state), answer=Answer.PRESENT)


def test_answers_close_when_the_meeting_starts(scene):
    meeting = start(convene(scene, make_meeting(scene)))
    with pytest.raises(RuleError, match="closes"):
        answer_convocation(invitation=invitation_of(meeting, scene.state), answer=Answer.PRESENT)


def test_a_member_is_represented_by_their_substitute(scene):
    meeting = convene(scene, make_meeting(scene))
    invitation = invitation_of(meeting, scene.person(Category.DEPARTEMENT))
    answer_convocation(invitation=invitation, answer=Answer.SUBSTITUTE)
    invitation.refresh_from_db()
    assert invitation.substitute == scene.substitute


def test_a_member_without_substitute_cannot_answer_substitute(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="suppléant"):
        answer_convocation(
            invitation=invitation_of(meeting, scene.person(Category.STATE)),
            answer=Answer.SUBSTITUTE,
        )


def test_a_voting_member_gives_a_proxy_to_another_voting_member(scene):
    meeting = convene(scene, make_meeting(scene))
    giver = invitation_of(meeting, scene.person(Category.EMPLOYEE_UNIONS))
    holder = invitation_of(meeting, scene.person(Category.EMPLOYER_ORGS))
    answer_convocation(invitation=giver, answer=Answer.PROXY, proxy_to=holder)
    giver.refresh_from_db()
    assert giver.proxy_to == holder


def test_at_most_one_proxy_held_per_member(scene):
    # DEC-PROXY default
    meeting = convene(scene, make_meeting(scene))
    holder = invitation_of(meeting, scene.person(Category.EMPLOYER_ORGS))
    answer_convocation(
        invitation=invitation_of(meeting, scene.person(Category.EMPLOYEE_UNIONS)),
        answer=Answer.PROXY,
        proxy_to=holder,
    )
    second = invitation_of(meeting, scene.person(Category.STATE))
    with pytest.raises(RuleError, match="ne peut en détenir plus de"):
        answer_convocation(invitation=second, answer=Answer.PROXY, proxy_to=holder)
    second.refresh_from_db()
    assert second.answer == Answer.PENDING and second.proxy_to is None


def test_the_proxy_limit_is_a_setting(scene, settings):
    settings.CTE = {**settings.CTE, "MAX_PROXIES_PER_MEMBER": 2}
    meeting = convene(scene, make_meeting(scene))
    holder = invitation_of(meeting, scene.person(Category.EMPLOYER_ORGS))
    for category in (Category.EMPLOYEE_UNIONS, Category.STATE):
        answer_convocation(
            invitation=invitation_of(meeting, scene.person(category)),
            answer=Answer.PROXY,
            proxy_to=holder,
        )
    assert holder.proxies_held.count() == 2


def test_a_member_without_vote_gives_no_proxy(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="voix délibérative"):
        answer_convocation(
            invitation=invitation_of(meeting, scene.person(Category.FRANCE_TRAVAIL)),
            answer=Answer.PROXY,
            proxy_to=invitation_of(meeting, scene.person(Category.STATE)),
        )


def test_a_proxy_goes_to_a_voting_member_only(scene):
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="voix délibérative"):
        answer_convocation(
            invitation=invitation_of(meeting, scene.person(Category.STATE)),
            answer=Answer.PROXY,
            proxy_to=invitation_of(meeting, scene.person(Category.FRANCE_TRAVAIL)),
        )


def test_a_substitute_sits_before_any_proxy(scene):
    # DEC-PROXY default: the Département's member has a substitute.
    meeting = convene(scene, make_meeting(scene))
    with pytest.raises(RuleError, match="suppléant siège en priorité"):
        answer_convocation(
            invitation=invitation_of(meeting, scene.person(Category.DEPARTEMENT)),
            answer=Answer.PROXY,
            proxy_to=invitation_of(meeting, scene.person(Category.STATE)),
        )


def test_a_member_who_gave_a_proxy_cannot_hold_one(scene):
    meeting = convene(scene, make_meeting(scene))
    unions = invitation_of(meeting, scene.person(Category.EMPLOYEE_UNIONS))
    employers = invitation_of(meeting, scene.person(Category.EMPLOYER_ORGS))
    answer_convocation(invitation=unions, answer=Answer.PROXY, proxy_to=employers)
    with pytest.raises(RuleError, match="ne siégera pas"):
        answer_convocation(
            invitation=invitation_of(meeting, scene.person(Category.STATE)),
            answer=Answer.PROXY,
            proxy_to=unions,
        )
