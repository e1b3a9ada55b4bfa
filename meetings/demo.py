"""Demo meetings (``manage.py seed_demo``), after the demo committees.

For the CDE du Rhône: the yearly plenary with the CLE co-presidents, held, with attendance, a
consensus decision, follow-up actions and minutes approved by both co-presidents with their
PDF; a meeting of the inclusion & IAE commission whose minutes wait for the Département's
approval; a plenary convened in three weeks (the France Travail persona has not answered yet);
a technical meeting whose agenda waits for the Département's validation (DEC-JOINT). For the
CLE Beaujolais – Val de Saône: a meeting with a weighted vote on an audit request, tied and
settled by the State co-president's casting vote (DEC-MAJORITY), minutes approved and their
PDF. For the CDE du Rhône again, its autumn 2024 plenary, held before the portal existed and
entered after the fact: no convocation sent, the préfet replaced by his representative (« le
préfet ou son représentant »), who votes in his place and settles a tie, and minutes whose approvals, given at
the next meeting, the secretariat recorded.

Everything goes through the services, except one thing no service does: moving a meeting into
the past once it has been convened (the demo needs meetings that took place). Demo e-mails are
never sent: the notifications the seeding records are marked as skipped. Idempotent: a meeting
that exists (same committee and title) is left as it is.
"""

from datetime import date, time, timedelta

from django.utils import timezone

from committees.demo import seed_committees
from committees.models import Category, Commission, Committee, Level
from cte_portal.core.demo import seed_users
from meetings.models import Decision, Invitation, Meeting, Notification
from meetings.services import agenda as agenda_service
from meetings.services import answers as answer_service
from meetings.services import attendance as attendance_service
from meetings.services import convocation as convocation_service
from meetings.services import decisions as decision_service
from meetings.services import follow_up as follow_up_service
from meetings.services import minutes as minutes_service
from meetings.services import past as past_service
from meetings.services import planning as planning_service
from meetings.services import review as review_service

CDE = "Comité départemental pour l'emploi du Rhône"
CLE = "CLE Beaujolais – Val de Saône"
P, R, REP, E = (
    Invitation.Attendance.PRESENT,
    Invitation.Attendance.REMOTE,
    Invitation.Attendance.REPRESENTED,
    Invitation.Attendance.EXCUSED,
)
DELEGATE = Invitation.Attendance.DELEGATE


def _committees() -> dict[str, Committee]:
    found = {c.name: c for c in Committee.objects.filter(name__in=[CDE, CLE])}
    if len(found) < 2:
        seed_committees()
        found = {c.name: c for c in Committee.objects.filter(name__in=[CDE, CLE])}
    return found


def _member(committee: Committee, category: str):
    return (
        committee.memberships.active()
        .filter(category=category, role="titular")
        .select_related("person")
        .first()
        .person
    )


def _copresident(committee: Committee, side: str):
    return (
        committee.copresidencies.active().filter(side=side).select_related("person").first().person
    )


def _prepare(committee, secretariat, *, title, items, days=1, **fields) -> Meeting:
    meeting = planning_service.create_meeting(
        committee=committee,
        user=secretariat,
        title=title,
        date=timezone.localdate() + timedelta(days=days),
        start_time=fields.pop("start_time", time(9, 30)),
        end_time=fields.pop("end_time", time(12, 0)),
        **fields,
    )
    for item in items:
        agenda_service.add_agenda_item(meeting=meeting, **item)
    return meeting


def _convene(meeting, secretariat, state, local) -> Meeting:
    convocation_service.submit_for_validation(meeting=meeting, user=secretariat)
    convocation_service.validate_meeting(meeting=meeting, user=state)
    convocation_service.validate_meeting(meeting=meeting, user=local)
    meeting.refresh_from_db()
    return meeting


def _into_the_past(meeting: Meeting, days_ago: int) -> Meeting:
    """Demo only: the meeting took place ``days_ago`` days ago, convened three weeks before."""
    day = timezone.localdate() - timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        date=day, convened_at=timezone.now() - timedelta(days=days_ago + 21)
    )
    meeting.refresh_from_db()
    return meeting


def _attend(meeting, secretariat, statuses: dict, proxies=None) -> None:
    proxies = proxies or {}
    invitations = {i.person_id: i for i in meeting.invitations.all()}
    entries = []
    for person_id, invitation in invitations.items():
        holder = proxies.get(person_id)
        entries.append(
            attendance_service.AttendanceEntry(
                invitation_id=invitation.pk,
                attendance=statuses.get(person_id, E),
                proxy_to_id=invitations[holder].pk if holder else None,
            )
        )
    attendance_service.record_attendance(meeting=meeting, user=secretariat, entries=entries)


def _complete(minutes, secretariat, summaries: list[str]):
    """The secretariat writes the summary of each agenda item over the draft's blanks."""
    body = minutes.body
    for summary in summaries:
        body = body.replace(minutes_service.DRAFT_BLANK, summary, 1)
    return minutes_service.update_minutes(minutes=minutes, user=secretariat, body=body)


def _ids(*people) -> list[int]:
    return [p.pk for p in people]


def _yearly_plenary(cde, personas) -> Meeting | None:
    title = "Séance plénière annuelle avec les présidents des comités locaux"
    if cde.meetings.filter(title=title).exists():
        return None
    ddets, prefect, elected = personas["ddets"], personas["prefect"], personas["elected"]
    meeting = _prepare(
        cde,
        ddets,
        title=title,
        place="Hôtel du Département du Rhône, salle du conseil",
        visio_url="https://webconf.numerique.gouv.fr/cde-rhone-pleniere",
        with_local_copresidents=True,
        items=[
            {
                "title": "Feuille de route départementale 2026",
                "presenter": "DDETS du Rhône",
                "duration_minutes": 45,
                "decision_expected": True,
                "description": "Axes, fiches actions et indicateurs proposés par les CLE.",
            },
            {
                "title": "Retour des comités locaux",
                "presenter": "Présidents des CLE",
                "duration_minutes": 40,
            },
            {
                "title": "Calendrier des réunions",
                "presenter": "Secrétariat",
                "duration_minutes": 10,
            },
        ],
    )
    meeting = _convene(meeting, ddets, prefect, elected)
    meeting = _into_the_past(meeting, days_ago=40)
    state_member = _member(cde, Category.STATE)
    departement = _member(cde, Category.DEPARTEMENT)
    unions = _member(cde, Category.EMPLOYEE_UNIONS)
    employers = _member(cde, Category.EMPLOYER_ORGS)
    local_copresidents = list(
        meeting.invitations.filter(role=Invitation.Role.LOCAL_COPRESIDENT).values_list(
            "person_id", flat=True
        )
    )
    statuses = {
        prefect.pk: P,
        elected.pk: P,
        state_member.pk: P,
        departement.pk: R,
        unions.pk: REP,
        employers.pk: P,
        personas["member"].pk: P,
        _member(cde, Category.MISSIONS_LOCALES).pk: P,
    }
    statuses |= dict.fromkeys(local_copresidents[:1], P)
    _attend(meeting, ddets, statuses, proxies={unions.pk: employers.pk})
    roadmap, feedback, _ = meeting.agenda_items.all()
    decision = decision_service.record_decision(
        agenda_item=roadmap,
        user=ddets,
        text="Le comité adopte la feuille de route départementale 2026 et ses quatre axes.",
        objections="Les organisations syndicales souhaitent un indicateur sur la qualité des emplois.",
    )
    follow_up_service.add_follow_up_action(
        decision=decision,
        description="Proposer un indicateur de qualité des emplois retrouvés",
        owner=state_member,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    follow_up_service.add_follow_up_action(
        decision=decision,
        description="Transmettre les tableaux de bord de l'accompagnement aux CLE",
        owner=personas["member"],
        due_on=timezone.localdate() - timedelta(days=5),
    )
    decision_service.record_decision(
        agenda_item=feedback,
        user=ddets,
        text="Les CLE remonteront au CDE les freins à la mobilité identifiés sur leur territoire.",
    )
    minutes = minutes_service.draft_minutes(meeting=meeting, user=ddets)
    minutes = _complete(
        minutes,
        ddets,
        [
            "les membres saluent la démarche ascendante des CLE ; les organisations syndicales "
            "demandent un indicateur sur la qualité des emplois retrouvés.",
            "les CLE présentent les freins à la mobilité relevés sur leur territoire.",
            "le calendrier des réunions de l'année est arrêté, avec une plénière en décembre.",
        ],
    )
    minutes_service.approve_minutes(minutes=minutes, user=prefect)
    minutes_service.approve_minutes(minutes=minutes, user=elected)
    minutes_service.render_and_store(minutes.pk)
    return meeting


def _iae_commission(cde, personas) -> Meeting | None:
    title = "Commission inclusion et IAE : conventionnement des SIAE"
    if cde.meetings.filter(title=title).exists():
        return None
    ddets, prefect, elected = personas["ddets"], personas["prefect"], personas["elected"]
    commission = cde.commissions.filter(kind=Commission.Kind.IAE).first()
    if commission is None:
        return None
    meeting = _prepare(
        cde,
        ddets,
        title=title,
        commission=commission,
        place="DDETS du Rhône, salle 3",
        items=[
            {
                "title": "Avis sur le conventionnement des ateliers et chantiers d'insertion",
                "presenter": "DDETS du Rhône",
                "decision_expected": True,
            }
        ],
    )
    meeting = _convene(meeting, ddets, prefect, elected)
    meeting = _into_the_past(meeting, days_ago=12)
    _attend(meeting, ddets, {prefect.pk: P, elected.pk: R})
    decision_service.record_decision(
        agenda_item=meeting.agenda_items.get(),
        user=ddets,
        text="Avis favorable au conventionnement de trois ateliers et chantiers d'insertion.",
    )
    minutes = minutes_service.draft_minutes(meeting=meeting, user=ddets)
    minutes = _complete(
        minutes,
        ddets,
        ["la DDETS présente les trois ateliers et chantiers d'insertion et leurs publics."],
    )
    minutes_service.approve_minutes(minutes=minutes, user=prefect)
    minutes_service.request_approval(minutes=minutes, user=ddets)
    # The Département's co-president refuses this version and says what to change.
    review_service.request_minutes_changes(
        minutes=minutes,
        user=elected,
        comment=(
            "Merci de préciser le nombre de postes en insertion de chaque atelier et l'avis "
            "du Département sur le financement au titre du fonds départemental d'insertion."
        ),
    )
    return meeting


def _spring_plenary(cde, personas) -> Meeting | None:
    title = "Séance plénière de printemps"
    if cde.meetings.filter(title=title).exists():
        return None
    ddets, prefect, elected = personas["ddets"], personas["prefect"], personas["elected"]
    meeting = _prepare(
        cde,
        ddets,
        title=title,
        days=21,
        start_time=time(14, 0),
        end_time=time(17, 0),
        place="Préfecture du Rhône, salle Jean Moulin",
        items=[
            {
                "title": "Point d'étape de la feuille de route",
                "presenter": "DDETS du Rhône",
                "duration_minutes": 30,
            },
            {
                "title": "Critères d'orientation des bénéficiaires du RSA",
                "presenter": "Département du Rhône",
                "duration_minutes": 45,
                "decision_expected": True,
                "decision_by_vote": True,
            },
        ],
    )
    meeting = _convene(meeting, ddets, prefect, elected)
    unions = meeting.invitations.get(person=_member(cde, Category.EMPLOYEE_UNIONS))
    employers = meeting.invitations.get(person=_member(cde, Category.EMPLOYER_ORGS))
    answer_service.answer_convocation(
        invitation=meeting.invitations.get(person=prefect), answer=Invitation.Answer.PRESENT
    )
    answer_service.answer_convocation(
        invitation=meeting.invitations.get(person=elected), answer=Invitation.Answer.REMOTE
    )
    answer_service.answer_convocation(invitation=employers, answer=Invitation.Answer.PRESENT)
    answer_service.answer_convocation(
        invitation=unions, answer=Invitation.Answer.PROXY, proxy_to=employers
    )
    return meeting


def _technical(cde, personas) -> Meeting | None:
    title = "Instance technique : diagnostic territorial"
    if cde.meetings.filter(title=title).exists():
        return None
    ddets, prefect = personas["ddets"], personas["prefect"]
    meeting = _prepare(
        cde,
        ddets,
        title=title,
        kind=Meeting.Kind.TECHNICAL,
        days=45,
        visio_url="https://webconf.numerique.gouv.fr/cde-rhone-technique",
        items=[
            {"title": "Diagnostic des freins à l'emploi", "presenter": "France Travail"},
            {"title": "Offre de mobilité solidaire", "presenter": "Département du Rhône"},
        ],
    )
    convocation_service.submit_for_validation(meeting=meeting, user=ddets)
    convocation_service.validate_meeting(
        meeting=meeting, user=prefect
    )  # the Département's is pending: it asks for a change to the agenda
    review_service.request_agenda_changes(
        meeting=meeting,
        user=personas["elected"],
        comment=(
            "Ajouter un point sur l'accès aux modes de garde des parents en recherche d'emploi, "
            "présenté par la CAF."
        ),
    )
    return meeting


def _cle_audit_vote(cle, personas) -> Meeting | None:
    title = "Réunion du comité local : demande d'audit"
    if cle.meetings.filter(title=title).exists():
        return None
    ddets = personas["ddets"]
    state = _copresident(cle, "state")
    local = _copresident(cle, "local_authority")
    meeting = _prepare(
        cle,
        ddets,
        title=title,
        place="Mairie de Villefranche-sur-Saône",
        items=[
            {
                "title": "Saisine du CDE d'une demande d'audit de l'accompagnement des jeunes",
                "presenter": "Sous-préfète de Villefranche-sur-Saône",
                "is_audit_request": True,  # INS-AUDIT: always a vote
            },
            {"title": "Plan d'action mobilité", "presenter": "CA Villefranche Beaujolais Saône"},
        ],
    )
    meeting = _convene(meeting, ddets, state, local)
    meeting = _into_the_past(meeting, days_ago=25)
    communes = list(
        cle.memberships.active()
        .filter(category=Category.COMMUNES_EPCI, role="titular")
        .values_list("person_id", flat=True)
    )
    state_seat = _member(cle, Category.STATE)
    voters = [state.pk, local.pk, state_seat.pk, *communes]
    _attend(meeting, ddets, dict.fromkeys(voters, P))
    invitations = {i.person_id: i.pk for i in meeting.invitations.all()}
    audit, mobility = meeting.agenda_items.all()
    # DEC-VOTES: the State's seat holds two votes. 3 for (State), 3 against (communes and the
    # local co-president): the State co-president's vote settles the tie (DEC-MAJORITY).
    choices = {state.pk: "for", state_seat.pk: "for", local.pk: "against"}
    choices |= dict.fromkeys(communes, "against")
    decision_service.record_decision(
        agenda_item=audit,
        user=ddets,
        method=Decision.Method.VOTE,
        text="Le comité local saisit le CDE d'une demande d'audit de l'accompagnement des jeunes.",
        ballots={invitations[pid]: choice for pid, choice in choices.items()},
    )
    decision_service.record_decision(
        agenda_item=mobility,
        user=ddets,
        text="Le plan d'action mobilité est adopté ; il sera présenté au CDE.",
    )
    minutes = minutes_service.draft_minutes(meeting=meeting, user=ddets)
    minutes = _complete(
        minutes,
        ddets,
        [
            "les communes constatent des ruptures de parcours des jeunes suivis ; l'État "
            "rappelle que la demande d'audit est votée.",
            "le plan d'action mobilité est présenté par le Département.",
        ],
    )
    minutes_service.approve_minutes(minutes=minutes, user=state)
    minutes_service.approve_minutes(minutes=minutes, user=local)
    minutes_service.render_and_store(minutes.pk)
    return meeting


PREFECT_REPRESENTATIVE = "M. Olivier Garnier, secrétaire général de la préfecture du Rhône"


def _after_the_fact_plenary(cde, personas) -> Meeting | None:
    """A meeting of autumn 2024, entered after the fact (nothing sent), where the préfet's
    representative sits and votes for him (DEC-COPRESIDENCY, DEC-MAJORITY)."""
    title = "Séance plénière d'automne 2024"
    if cde.meetings.filter(title=title).exists():
        return None
    ddets, prefect, elected = personas["ddets"], personas["prefect"], personas["elected"]
    day = date(2024, 10, 15)
    meeting = planning_service.create_meeting(
        committee=cde,
        user=ddets,
        title=title,
        date=day,
        start_time=time(14, 0),
        end_time=time(17, 0),
        place="Préfecture du Rhône, salle Jean Moulin",
        entered_after_the_fact=True,
    )
    for item in (
        {
            "title": "Diagnostic territorial partagé",
            "presenter": "DDETS du Rhône",
            "duration_minutes": 45,
            "decision_expected": True,
        },
        {
            "title": "Création d'un groupe de travail sur la mobilité",
            "presenter": "Département du Rhône",
            "duration_minutes": 30,
            "decision_by_vote": True,
        },
    ):
        agenda_service.add_agenda_item(meeting=meeting, **item)
    past_service.record_held_meeting(meeting=meeting, user=ddets)
    state_member = _member(cde, Category.STATE)
    departement = _member(cde, Category.DEPARTEMENT)
    unions = _member(cde, Category.EMPLOYEE_UNIONS)
    employers = _member(cde, Category.EMPLOYER_ORGS)
    statuses = {
        prefect.pk: DELEGATE,
        elected.pk: P,
        state_member.pk: P,
        departement.pk: P,
        unions.pk: P,
        employers.pk: E,
        personas["member"].pk: P,
    }
    invitations = {i.person_id: i for i in meeting.invitations.all()}
    attendance_service.record_attendance(
        meeting=meeting,
        user=ddets,
        entries=[
            attendance_service.AttendanceEntry(
                invitation_id=invitation.pk,
                attendance=statuses.get(person_id, E),
                delegate_name=PREFECT_REPRESENTATIVE if person_id == prefect.pk else "",
            )
            for person_id, invitation in invitations.items()
        ],
    )
    diagnostic, mobility = meeting.agenda_items.all()
    decision_service.record_decision(
        agenda_item=diagnostic,
        user=ddets,
        text="Le comité partage le diagnostic territorial et ses cinq priorités.",
    )
    choices = {
        prefect.pk: "for",  # cast by the préfet's representative: a 2–2 tie he settles
        state_member.pk: "for",
        elected.pk: "against",
        departement.pk: "against",
        unions.pk: "abstain",
    }
    decision_service.record_decision(
        agenda_item=mobility,
        user=ddets,
        method=Decision.Method.VOTE,
        text="Un groupe de travail sur la mobilité est créé ; il rendra ses travaux au printemps.",
        ballots={invitations[pid].pk: choice for pid, choice in choices.items()},
    )
    minutes = minutes_service.draft_minutes(meeting=meeting, user=ddets)
    minutes = minutes_service.update_minutes(
        minutes=minutes,
        user=ddets,
        body=minutes.body.replace(
            minutes_service.DRAFT_BLANK,
            "le diagnostic et la proposition de groupe de travail sont présentés et débattus.",
            1,
        ).replace(
            minutes_service.DRAFT_BLANK,
            "le Département souhaite élargir le groupe aux autorités organisatrices de la mobilité.",
        ),
    )
    for copresidency in cde.copresidencies.active():
        past_service.record_outside_approval(
            minutes=minutes, copresidency=copresidency, approved_on=date(2024, 12, 10), user=ddets
        )
    minutes_service.render_and_store(minutes.pk)
    return meeting


def _bureau(cde, personas) -> Meeting | None:
    """A meeting submitted to the co-presidents, awaiting both (their landing pages)."""
    title = "Bureau du comité : préparation de la séance d'automne"
    if cde.meetings.filter(title=title).exists():
        return None
    ddets = personas["ddets"]
    meeting = _prepare(
        cde,
        ddets,
        title=title,
        kind=Meeting.Kind.STRATEGIC,
        days=30,
        place="Préfecture du Rhône, salle du conseil",
        items=[
            {"title": "Ordre du jour de la séance d'automne", "presenter": "DDETS du Rhône"},
            {"title": "Point d'étape de la feuille de route", "presenter": "DDETS du Rhône"},
        ],
    )
    convocation_service.submit_for_validation(meeting=meeting, user=ddets)
    return meeting


def _cre_to_prepare(personas) -> Meeting | None:
    """A regional meeting the DREETS still prepares (a draft, on their landing page)."""
    cre = Committee.objects.filter(level=Level.REGIONAL, region_id="84").first()
    title = "Séance plénière régionale de fin d'année"
    if cre is None or cre.meetings.filter(title=title).exists():
        return None
    return _prepare(
        cre,
        personas["dreets"],
        title=title,
        days=60,
        place="DREETS Auvergne-Rhône-Alpes, Lyon",
        items=[{"title": "Bilan des comités départementaux", "presenter": "DREETS"}],
    )


def _cle_to_prepare(cle, personas) -> Meeting | None:
    """A local meeting the DDETS still prepares (a draft, on their landing page)."""
    title = "Réunion du comité local : plan mobilité"
    if cle.meetings.filter(title=title).exists():
        return None
    return _prepare(
        cle,
        personas["ddets"],
        title=title,
        days=35,
        place="Mairie de Villefranche-sur-Saône",
        items=[{"title": "Plan de mobilité solidaire", "presenter": "DDETS du Rhône"}],
    )


def seed_meetings() -> list[Meeting]:
    """Seed the demo meetings (idempotent); return the ones created now."""
    personas = seed_users()
    committees = _committees()
    cde, cle = committees[CDE], committees[CLE]
    if cde.level != Level.DEPARTMENTAL:  # pragma: no cover - a renamed demo committee
        return []
    created = [
        meeting
        for meeting in (
            _yearly_plenary(cde, personas),
            _iae_commission(cde, personas),
            _spring_plenary(cde, personas),
            _technical(cde, personas),
            _cle_audit_vote(cle, personas),
            _after_the_fact_plenary(cde, personas),
            _bureau(cde, personas),
            _cre_to_prepare(personas),
            _cle_to_prepare(cle, personas),
        )
        if meeting is not None
    ]
    # Demo data is never e-mailed: what the seeding recorded counts as sent.
    now = timezone.now()
    Notification.objects.filter(meeting__in=created, sent_at__isnull=True).update(
        sent_at=now, skipped=True
    )
    for meeting in created:
        if meeting.convened_at:
            meeting.refresh_from_db()
            meeting.invitations.filter(convocation_sent_at__isnull=True).update(
                convocation_sent_at=meeting.convened_at, last_sent_sequence=meeting.ics_sequence
            )
    return created
