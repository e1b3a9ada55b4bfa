"""The audit tests' world: the meetings tests' CDE of the Rhône (``build_scene``), two CLEs
under it with their co-presidents, a CDE of the Ain, network bodies with their users, and the
personas of DOMAIN §4. Every write goes through the services, so permissions are derived as in
production. Votes are held through the meetings engine (``vote``).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits.models import Audit, BodyKind, Frequency, NetworkBody, ReportType
from audits.models.reporting import add_months
from audits.services import audits as services
from audits.services import conduct, reporting
from audits.services.bodies import add_body_user, create_network_body
from committees.models import CoPresidency, Level
from committees.services.committees import create_committee, set_perimeter
from meetings.models import Decision, Invitation, Meeting
from meetings.services.attendance import AttendanceEntry, record_attendance
from meetings.services.decisions import record_decision
from tests.committees.composition_helpers import copresident
from tests.factories.committees import dreets_agent
from tests.factories.meetings import Scene, build_scene, convene, make_meeting, start
from tests.factories.users import UserFactory

Attendance = Invitation.Attendance


def pdf(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def today():
    return timezone.localdate()


@dataclass
class World:
    scene: Scene
    cde: object
    secretariat: object
    state: object  # CDE co-president (State)
    local: object  # CDE co-president (conseil départemental)
    voter: object  # a CDE member with a vote: sees the committee, not its audits
    cle_a: object
    cle_a_chair: object
    cle_a_local_chair: object
    cle_b: object
    cle_b_chair: object
    cde_ain: object
    ddets_ain: object
    dreets: object
    admin: object
    outsider: object
    ft: NetworkBody
    ml: NetworkBody
    cap: NetworkBody
    cd: NetworkBody
    delegated: NetworkBody
    ft_user: object
    ml_user: object
    delegated_user: object
    foreign_body: NetworkBody  # a Mission locale of the Ain


def build_world() -> World:
    scene = build_scene()
    t = scene.territories
    cde = scene.committee
    cle_a = create_committee(
        level=Level.LOCAL, name="CLE Villefranche", region=t.ara, departements=[t.d69]
    )
    set_perimeter(committee=cle_a, epcis=[t.epci_villefranche])
    cle_b = create_committee(
        level=Level.LOCAL, name="CLE Beaujolais", region=t.ara, departements=[t.d69]
    )
    set_perimeter(committee=cle_b, epcis=[t.epci_beaujolais])
    assert cle_a.parent_id == cde.pk and cle_b.parent_id == cde.pk
    cle_a_chair = UserFactory(email="sous-prefete@rhone.gouv.fr", organisation="Préfecture")
    cle_a_local_chair = UserFactory(email="presidente@agglo-villefranche.fr")
    copresident(cle_a, CoPresidency.Side.STATE, person=cle_a_chair, office="Sous-préfète")
    copresident(
        cle_a,
        CoPresidency.Side.LOCAL_AUTHORITY,
        person=cle_a_local_chair,
        office="Présidente de l'agglomération",
        authority="CA Villefranche Beaujolais Saône",
    )
    cle_b_chair = UserFactory(email="president@cc-beaujolais.fr")
    copresident(
        cle_b,
        CoPresidency.Side.LOCAL_AUTHORITY,
        person=cle_b_chair,
        office="Président de la CC",
        authority="CC Beaujolais Pierres Dorées",
    )
    cde_ain = create_committee(
        level=Level.DEPARTMENTAL, name="CDE de l'Ain", region=t.ara, departements=[t.d01]
    )
    ft = create_network_body(
        name="France Travail — direction territoriale du Rhône",
        kind=BodyKind.FRANCE_TRAVAIL,
        departement=t.d69,
    )
    ml = create_network_body(
        name="Mission locale Beaujolais", kind=BodyKind.MISSION_LOCALE, departement=t.d69
    )
    cap = create_network_body(name="Cap emploi Rhône", kind=BodyKind.CAP_EMPLOI, departement=t.d69)
    cd = create_network_body(
        name="Département du Rhône", kind=BodyKind.CONSEIL_DEPARTEMENTAL, departement=t.d69
    )
    delegated = create_network_body(
        name="Rhône Insertion Emploi",
        kind=BodyKind.DELEGATED,
        departement=t.d69,
        delegating_authority="Département du Rhône",
    )
    foreign_body = create_network_body(
        name="Mission locale de Bourg-en-Bresse", kind=BodyKind.MISSION_LOCALE, departement=t.d01
    )
    ft_user = UserFactory(email="agent@francetravail.fr", organisation="France Travail")
    ml_user = UserFactory(email="directrice@ml-beaujolais.fr", organisation="Mission locale")
    delegated_user = UserFactory(email="direction@rhone-insertion.fr")
    add_body_user(body=ft, user=ft_user)
    add_body_user(body=ml, user=ml_user)
    add_body_user(body=delegated, user=delegated_user)
    return World(
        scene=scene,
        cde=cde,
        secretariat=scene.secretariat,
        state=scene.state,
        local=scene.local,
        voter=scene.voters["employer_orgs"].person,
        cle_a=cle_a,
        cle_a_chair=cle_a_chair,
        cle_a_local_chair=cle_a_local_chair,
        cle_b=cle_b,
        cle_b_chair=cle_b_chair,
        cde_ain=cde_ain,
        ddets_ain=scene.other_ddets,
        dreets=dreets_agent(t.ara, email="agent@dreets-ara.gouv.fr"),
        admin=UserFactory(email="admin@dgefp.gouv.fr", admin=True),
        outsider=scene.outsider,
        ft=ft,
        ml=ml,
        cap=cap,
        cd=cd,
        delegated=delegated,
        ft_user=ft_user,
        ml_user=ml_user,
        delegated_user=delegated_user,
        foreign_body=foreign_body,
    )


# --- Building audits ---------------------------------------------------------------------------


def request(world: World, body=None, **kwargs) -> Audit:
    """A request of the CDE, by its secretariat."""
    return services.request_audit(
        committee=world.cde,
        user=kwargs.pop("user", world.secretariat),
        audited_body=body or world.ft,
        scope_missions=kwargs.pop("scope_missions", "Accompagnement intensif des jeunes"),
        facts=kwargs.pop("facts", "Délais d'accès à un conseiller de plus de huit semaines."),
        **kwargs,
    )


def referral(world: World, cle=None, body=None, **kwargs) -> Audit:
    """A CLE's referral to the CDE, by its State co-president."""
    cle = cle or world.cle_a
    return services.refer_audit(
        committee=cle,
        user=kwargs.pop("user", world.cle_a_chair if cle == world.cle_a else world.cle_b_chair),
        audited_body=body or world.ml,
        scope_missions=kwargs.pop("scope_missions", "Repérage des jeunes NEET"),
        facts=kwargs.pop("facts", "Aucun atelier collectif depuis six mois sur le territoire."),
        **kwargs,
    )


def held_meeting_with(world: World, audit: Audit) -> Meeting:
    """A CDE meeting with the request on its agenda, convened, under way, everyone present."""
    meeting = make_meeting(world.scene, items=0)
    services.schedule_vote(audit=audit, meeting=meeting, user=world.secretariat)
    meeting = start(convene(world.scene, meeting))
    entries = [
        AttendanceEntry(invitation_id=i.pk, attendance=Attendance.PRESENT)
        for i in meeting.invitations.all()
    ]
    record_attendance(meeting=meeting, user=world.secretariat, entries=entries)
    return meeting


def vote(world: World, audit: Audit, *, adopt: bool = True) -> Decision:
    """The CDE votes on the request (weighted vote, quorum: the meetings engine)."""
    meeting = held_meeting_with(world, audit)
    audit.refresh_from_db()
    voters = meeting.invitations.filter(votes__gt=0)
    choice = "for" if adopt else "against"
    return record_decision(
        agenda_item=audit.agenda_item,
        user=world.secretariat,
        text="Le comité se prononce sur la demande d'audit.",
        ballots={i.pk: choice for i in voters},
    )


def accepted(world: World, audit: Audit | None = None) -> Audit:
    audit = audit or request(world)
    decision = vote(world, audit)
    return services.record_vote(audit=audit, decision=decision, user=world.secretariat)


def in_progress(world: World, audit: Audit | None = None) -> Audit:
    audit = accepted(world, audit)
    if audit.requires_agreement:
        services.record_agreement(
            audit=audit,
            user=world.secretariat,
            authority="Département du Rhône",
            principle_agreed=True,
            modalities_agreed=True,
            given_on=today(),
            document=pdf("accord.pdf"),
        )
    return conduct.start_audit(
        audit=audit,
        user=world.secretariat,
        auditor="Inspection générale des affaires sociales",
        started_on=today(),
        planned_end_on=today() + timedelta(days=60),
    )


def delivered(world: World, audit: Audit | None = None) -> Audit:
    audit = in_progress(world, audit)
    return conduct.deliver_report(
        audit=audit,
        user=world.secretariat,
        document=pdf("rapport.pdf"),
        delivered_on=today(),
        summary="Des délais d'accompagnement à réduire.",
    )


def recommend(world: World, audit: Audit, *, days: int = 30, body=None):
    return conduct.add_recommendation(
        audit=audit,
        user=world.secretariat,
        text="Réduire le délai du premier rendez-vous à quinze jours.",
        due_on=today() + timedelta(days=days),
        responsible_body=body or audit.audited_body,
    )


# --- Reports owed by network bodies --------------------------------------------------------------

CONTROLS = ReportType.COMMITMENT_CONTROLS
CONTROL_FIGURES = {"controls": 120, "failures": 14, "sanctions": 6, "remobilised": 5}


def year_ago():
    return add_months(today().replace(day=1), -12)


def owe(world, *, committee=None, body=None, report_type=CONTROLS, **kwargs):
    return reporting.create_obligation(
        committee=committee or world.cde,
        user=world.secretariat,
        report_type=report_type,
        body=body or world.ft,
        frequency=kwargs.pop("frequency", Frequency.QUARTERLY),
        starts_on=kwargs.pop("starts_on", year_ago()),
        **kwargs,
    )


def submit(world, obligation, *, start=None, user=None, figures=None, document="default"):
    return reporting.submit_report(
        obligation=obligation,
        user=user or world.ft_user,
        period_start=start or obligation.starts_on,
        document=pdf("compte-rendu.pdf") if document == "default" else document,
        figures=CONTROL_FIGURES if figures is None else figures,
    )
