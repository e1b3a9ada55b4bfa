"""Demo audits, reports and commitments of the Rhône (``manage.py seed_demo``).

On the demo committees of ``committees.demo``: the network bodies of the Rhône with their
users (the demo member persona acts for France Travail); a referral of the « CLE Beaujolais –
Val de Saône » waiting in the CDE's inbox; three requests voted by the CDE du Rhône at one
meeting (the meetings engine: weighted vote, quorum) — one accepted, one for a delegated body
in progress after its authority's agreement, one of France Travail whose recommendations are
followed (one overdue); reports owed to the committees, received and late; the commitments
the CDE monitors, one failure.

Everything goes through the services, so the rules are checked as in real use, with one
exception: the voting meeting is moved into the past once convened (no service moves a
meeting into the past; the demo needs a meeting already held). Idempotent: each piece is
looked up first and left as it is. Every person and figure is invented.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from audits.models import (
    Audit,
    AuditEvent,
    BodyKind,
    Commitment,
    CommitmentArea,
    Frequency,
    NetworkBody,
    Report,
    ReportObligation,
    ReportType,
)
from audits.models.reporting import add_months
from audits.services import audits as services
from audits.services import commitments as commitment_services
from audits.services import conduct
from audits.services import reporting as reporting_services
from audits.services.bodies import add_body_user, create_network_body
from committees.demo import seed_committees
from committees.models import Committee, CoPresidency
from cte_portal.core.demo import seed_users
from cte_portal.users.models import User
from meetings.models import Invitation, Meeting, Notification
from meetings.services import attendance, convocation, decisions, planning
from territories.models import Departement

CDE = "Comité départemental pour l'emploi du Rhône"
CLE = "CLE Beaujolais – Val de Saône"
MEETING_TITLE = "Séance plénière : demandes d'audit"
DEMO_DOMAIN = "cte-demo.example"

# A one-page PDF ("Document de démonstration"), small enough to live here.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Document de demonstration) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Invented key figures of a quarter (INS-REPORTING), the later quarters a little higher.
DEMO_FIGURES = {
    ReportType.COMMITMENT_CONTROLS: {
        "controls": 420,
        "failures": 63,
        "sanctions": 21,
        "remobilised": 17,
    },
    ReportType.ORIENTATIONS: {
        "orientations": 350,
        "to_france_travail": 210,
        "to_missions_locales": 60,
        "to_cap_emploi": 25,
        "to_departement": 55,
    },
}

BODIES = (
    # name, kind, delegating authority, the user acting for it (persona key or invented)
    ("France Travail — direction territoriale du Rhône", BodyKind.FRANCE_TRAVAIL, "", "member"),
    (
        "Mission locale Beaujolais – Val de Saône",
        BodyKind.MISSION_LOCALE,
        "",
        ("Karine", "Bouvier"),
    ),
    ("Cap emploi Rhône", BodyKind.CAP_EMPLOI, "", ("Laure", "Desmarais")),
    ("Département du Rhône", BodyKind.CONSEIL_DEPARTEMENTAL, "", ("Martine", "Vial")),
    (
        "Rhône Insertion Emploi",
        BodyKind.DELEGATED,
        "Département du Rhône",
        ("Nadia", "Ferrand"),
    ),
)


def _pdf(name: str) -> ContentFile:
    return ContentFile(DEMO_PDF, name=name)


def _invented(first: str, last: str, organisation: str) -> User:
    email = f"{slugify(first).replace('-', '')}.{slugify(last).replace('-', '')}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "organisation": organisation},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _bodies(rhone: Departement, personas: dict) -> dict[str, NetworkBody]:
    bodies = {}
    for name, kind, authority, person in BODIES:
        body = NetworkBody.objects.filter(name=name, departement=rhone).first()
        if body is None:
            body = create_network_body(
                name=name, kind=kind, departement=rhone, delegating_authority=authority
            )
        user = personas[person] if isinstance(person, str) else _invented(*person, name)
        if not body.users.filter(pk=user.pk).exists():
            add_body_user(body=body, user=user)
        bodies[kind] = body
    return bodies


def _chair(committee: Committee, side: str) -> User:
    return (
        CoPresidency.objects.active()
        .filter(committee=committee, side=side)
        .select_related("person")
        .first()
        .person
    )


# --- Audits -------------------------------------------------------------------------------------


def _referral(cle: Committee, bodies) -> Audit:
    body = bodies[BodyKind.MISSION_LOCALE]
    existing = Audit.objects.filter(requesting_committee=cle, audited_body=body).first()
    if existing:
        return existing
    return services.refer_audit(
        committee=cle,
        user=_chair(cle, CoPresidency.Side.STATE),
        audited_body=body,
        scope_missions="Repérage et accompagnement des jeunes sans emploi ni formation (NEET).",
        scope_quality="Délai d'accès au premier entretien ; ateliers collectifs.",
        facts=(
            "Les partenaires du comité local constatent qu'aucun atelier collectif n'a été "
            "proposé depuis six mois à Tarare et que le premier entretien est fixé à plus de "
            "huit semaines (relevés des permanences d'octobre à mars). Le comité local a voté "
            "la saisine du comité départemental."
        ),
        documents=[("Relevé des permanences", _pdf("releve-permanences.pdf"))],
    )


REQUESTS = (
    (
        BodyKind.CAP_EMPLOI,
        "Accompagnement vers l'emploi des personnes en situation de handicap.",
        "Les délais de prise en charge après orientation atteignent trois mois.",
    ),
    (
        BodyKind.DELEGATED,
        "Accompagnement socio-professionnel des allocataires du RSA (mission déléguée).",
        "Un tiers des allocataires orientés n'a pas signé de contrat d'engagement réciproque.",
    ),
    (
        BodyKind.FRANCE_TRAVAIL,
        "Accompagnement intensif des demandeurs d'emploi de longue durée.",
        "La fréquence des entretiens est inférieure à celle du socle commun de services.",
    ),
)


def _voting_meeting(cde: Committee, secretariat: User, audits, today: date) -> Meeting:
    """The CDE's meeting where the three requests were voted (held 120 days ago)."""
    meeting = Meeting.objects.filter(committee=cde, title=MEETING_TITLE).first()
    if meeting is not None:
        return meeting
    meeting = planning.create_meeting(
        committee=cde,
        user=secretariat,
        title=MEETING_TITLE,
        date=today + timedelta(days=1),
        start_time=time(9, 30),
        end_time=time(12, 0),
        place="Préfecture du Rhône, salle Jean Moulin",
    )
    for audit in audits:
        services.schedule_vote(audit=audit, meeting=meeting, user=secretariat)
    convocation.submit_for_validation(meeting=meeting, user=secretariat)
    for side in (CoPresidency.Side.STATE, CoPresidency.Side.LOCAL_AUTHORITY):
        convocation.validate_meeting(meeting=meeting, user=_chair(cde, side))
    # The one shortcut of the demo: the convened meeting is now in the past (it was held),
    # convened three weeks before.
    Meeting.objects.filter(pk=meeting.pk).update(
        date=today - timedelta(days=120),
        convened_at=timezone.now() - timedelta(days=141),
    )
    meeting.refresh_from_db()
    # Demo data is never e-mailed: what the seeding recorded counts as sent.
    Notification.objects.filter(meeting=meeting, sent_at__isnull=True).update(
        sent_at=timezone.now(), skipped=True
    )
    attendance.record_attendance(
        meeting=meeting,
        user=secretariat,
        entries=[
            attendance.AttendanceEntry(invitation_id=i.pk, attendance=Invitation.Attendance.PRESENT)
            for i in meeting.invitations.all()
        ],
    )
    return meeting


def _vote(meeting: Meeting, audit: Audit, secretariat: User, against: int = 0):
    """Every voting member votes for, but ``against`` of them (DEC-MAJORITY)."""
    audit.refresh_from_db()
    voters = list(meeting.invitations.filter(votes__gt=0).order_by("pk"))
    ballots = {i.pk: ("against" if n < against else "for") for n, i in enumerate(voters)}
    decision = decisions.record_decision(
        agenda_item=audit.agenda_item,
        user=secretariat,
        text=f"Le comité demande l'audit de {audit.audited_body.name}.",
        ballots=ballots,
    )
    return services.record_vote(audit=audit, decision=decision, user=secretariat)


def _voted_audits(cde: Committee, bodies, secretariat: User, today: date) -> list[Audit]:
    audits = []
    for kind, missions, facts in REQUESTS:
        body = bodies[kind]
        audit = Audit.objects.filter(committee=cde, audited_body=body, origin="committee").first()
        if audit is None:
            audit = services.request_audit(
                committee=cde,
                user=secretariat,
                audited_body=body,
                scope_missions=missions,
                facts=facts,
            )
        audits.append(audit)
    if all(a.state != Audit.State.REQUESTED for a in audits):
        return audits
    meeting = _voting_meeting(cde, secretariat, audits, today)
    accepted, delegated, france_travail = (
        _vote(meeting, audit, secretariat, against=index) for index, audit in enumerate(audits)
    )
    # The delegated body: the Département agreed, the audit is under way.
    services.record_agreement(
        audit=delegated,
        user=secretariat,
        authority="Département du Rhône",
        principle_agreed=True,
        modalities_agreed=True,
        modalities="Entretiens sur site et revue de 40 dossiers anonymisés, en avril et mai.",
        given_on=today - timedelta(days=100),
        document=_pdf("accord-departement.pdf"),
    )
    conduct.start_audit(
        audit=delegated,
        user=secretariat,
        auditor="Cabinet Territoires & Évaluation",
        started_on=today - timedelta(days=90),
        planned_end_on=today + timedelta(days=30),
    )
    # France Travail: the report is in; its recommendations are followed, one is overdue.
    conduct.start_audit(
        audit=france_travail,
        user=secretariat,
        auditor="Inspection régionale (DREETS Auvergne-Rhône-Alpes)",
        started_on=today - timedelta(days=110),
        planned_end_on=today - timedelta(days=45),
    )
    conduct.deliver_report(
        audit=france_travail,
        user=secretariat,
        document=_pdf("rapport-audit-france-travail.pdf"),
        delivered_on=today - timedelta(days=40),
        summary=(
            "L'accompagnement intensif respecte le socle commun dans deux agences sur trois ; "
            "l'agence de Vénissieux manque de conseillers dédiés."
        ),
    )
    for text, due, status in (
        ("Affecter deux conseillers dédiés à l'agence de Vénissieux.", -10, "in_progress"),
        ("Publier chaque trimestre la fréquence des entretiens par agence.", 60, "open"),
        ("Former les conseillers au diagnostic partagé.", 20, "done"),
    ):
        recommendation = conduct.add_recommendation(
            audit=france_travail,
            user=secretariat,
            text=text,
            due_on=today + timedelta(days=due),
            responsible_body=bodies[BodyKind.FRANCE_TRAVAIL],
        )
        if status != "open":
            conduct.update_recommendation(
                recommendation=recommendation,
                user=secretariat,
                status=status,
                evidence="Plan de formation de mars, 24 conseillers formés."
                if status == "done"
                else "Recrutement en cours.",
            )
    conduct.begin_follow_up(audit=france_travail, user=secretariat)
    for audit in (accepted, delegated, france_travail):
        _backdate(audit, meeting.date, today)
    return [accepted, delegated, france_travail]


def _backdate(audit: Audit, voted_on: date, today: date) -> None:
    """Demo only: the file's history as it would have happened, around the meeting."""
    audit.refresh_from_db()
    agreement = getattr(audit, "agreement", None) if audit.requires_agreement else None
    delivered = audit.report_delivered_on
    when = {
        "request": voted_on - timedelta(days=30),
        "schedule_vote": voted_on - timedelta(days=25),
        "accept": voted_on,
        "await_agreement": voted_on,
        "record_agreement": agreement.given_on if agreement else voted_on,
        "start": audit.started_on,
        "deliver_report": delivered,
        "add_recommendation": delivered,
        "follow_up": delivered + timedelta(days=3) if delivered else None,
        "update_recommendation": today - timedelta(days=5),
    }
    for event in audit.events.all():
        day = when.get(event.name)
        if day:
            AuditEvent.objects.filter(pk=event.pk).update(at=_at(day))
    Audit.objects.filter(pk=audit.pk).update(created_at=_at(when["request"]))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=timezone.get_current_timezone())


# --- Reports and commitments ----------------------------------------------------------------------


def _reports(cde, cle, bodies, today: date) -> None:
    first_quarter = add_months(today.replace(day=1), -12)
    plans = (
        # committee, body kind, report type, periods received (index of the quarter)
        (cde, BodyKind.FRANCE_TRAVAIL, ReportType.COMMITMENT_CONTROLS, (0, 1, 2)),
        (cde, BodyKind.CONSEIL_DEPARTEMENTAL, ReportType.ORIENTATIONS, (0, 1, 2, 3)),
        (cde, BodyKind.CAP_EMPLOI, ReportType.ORIENTATIONS, (0,)),
        (cle, BodyKind.MISSION_LOCALE, ReportType.COMMITMENT_CONTROLS, ()),
    )
    secretariat = User.objects.get(email="ddets.rhone@cte-demo.example")
    for committee, kind, report_type, received in plans:
        body = bodies[kind]
        obligation = ReportObligation.objects.filter(
            committee=committee, body=body, report_type=report_type
        ).first()
        if obligation is None:
            obligation = reporting_services.create_obligation(
                committee=committee,
                user=secretariat,
                report_type=report_type,
                body=body,
                frequency=Frequency.QUARTERLY,
                starts_on=first_quarter,
            )
        periods = obligation.periods(today)
        uploader = body.users.order_by("pk").first()
        for index in received:
            period = periods[index]
            if Report.objects.filter(obligation=obligation, period_start=period.start).exists():
                continue
            figures = {
                code: round(value * (1 + 0.06 * index))
                for code, value in DEMO_FIGURES[report_type].items()
            }
            report = reporting_services.submit_report(
                obligation=obligation,
                user=uploader,
                period_start=period.start,
                document=_pdf(f"compte-rendu-{period.start:%Y-%m}.pdf"),
                figures=figures,
            )
            # Demo only: received some days before it was due, not today.
            submitted = min(period.due_on - timedelta(days=8), today)
            Report.objects.filter(pk=report.pk).update(submitted_at=_at(submitted))


def _commitments(cde, bodies) -> None:
    secretariat = User.objects.get(email="ddets.rhone@cte-demo.example")
    rows = (
        (BodyKind.FRANCE_TRAVAIL, CommitmentArea.ORIENTATION_CRITERIA, "met", ""),
        (BodyKind.FRANCE_TRAVAIL, CommitmentArea.INDICATORS, "met", ""),
        (
            BodyKind.MISSION_LOCALE,
            CommitmentArea.SERVICE_BASE,
            "partial",
            "Le socle commun n'est pas proposé dans les antennes rurales.",
        ),
        (
            BodyKind.CAP_EMPLOI,
            CommitmentArea.INTEROPERABILITY,
            "failure",
            "Aucun échange de données avec le système d'information commun depuis janvier.",
        ),
        (BodyKind.CONSEIL_DEPARTEMENTAL, CommitmentArea.USERS_EVALUATION, "not_assessed", ""),
    )
    for kind, area, status, notes in rows:
        if Commitment.objects.filter(committee=cde, body=bodies[kind], area=area).exists():
            continue
        commitment_services.record_commitment(
            committee=cde,
            user=secretariat,
            body=bodies[kind],
            area=area,
            status=status,
            notes=notes,
        )


def seed_audits() -> dict:
    """Seed the demo audits, reports and commitments (idempotent); return the audits."""
    personas = seed_users()
    committees = seed_committees()
    cde, cle = committees[CDE], committees[CLE]
    today = timezone.localdate()
    bodies = _bodies(Departement.objects.get(code="69"), personas)
    referral = _referral(cle, bodies)
    voted = _voted_audits(cde, bodies, personas["ddets"], today)
    _reports(cde, cle, bodies, today)
    _commitments(cde, bodies)
    return {"referral": referral, "voted": voted}
