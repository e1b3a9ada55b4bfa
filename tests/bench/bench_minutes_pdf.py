"""How long the PDF of minutes takes: 30 people convened and present, 10 agenda items, each
with a decision (half of them weighted votes with every voter's ballot), follow-up actions.

Built through the services in a transaction that is rolled back at the end, so the benchmark
database is left as it was; the convocations and the render task queued on commit never run.
"""

import os
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock

RUNS = 7


def _departement_without_cde():
    from committees.models import Committee, Level
    from territories.models import Departement

    taken = Committee.objects.active().filter(level=Level.DEPARTMENTAL).values("departements")
    return (
        Departement.objects.current()
        .exclude(code__in=taken)
        .exclude(code__in=("67", "68", "2A", "2B", "69"))
        .select_related("region")
        .order_by("code")
        .first()
    )


def _build():
    from django.utils import timezone

    from committees.models import Category, CoPresidency, Level
    from committees.services.committees import create_committee
    from committees.services.composition import add_copresident, add_member
    from cte_portal.users.models import User
    from meetings.models import Decision, Invitation, Meeting
    from meetings.services import minutes as minutes_service
    from meetings.services.agenda import add_agenda_item
    from meetings.services.attendance import AttendanceEntry, record_attendance
    from meetings.services.convocation import submit_for_validation, validate_meeting
    from meetings.services.decisions import record_decision
    from meetings.services.follow_up import add_follow_up_action
    from meetings.services.invitations import invite_expert
    from meetings.services.planning import create_meeting

    departement = _departement_without_cde()
    committee = create_committee(
        level=Level.DEPARTMENTAL,
        name=f"CDE de banc d'essai ({departement.name})",
        region=departement.region,
        departements=[departement],
    )

    def person(n):
        return User.objects.create_user(
            email=f"bench-minutes-{n}@example.invalid",
            first_name=f"Prénom{n}",
            last_name=f"Nom-composé-{n}",
            organisation=f"Organisme {n}",
        )

    secretariat = person("secretariat")
    state = person("state")
    local = person("local")
    start = date(2024, 9, 1)
    add_copresident(
        committee=committee,
        side=CoPresidency.Side.STATE,
        person=state,
        office="Préfet",
        started_on=start,
    )
    add_copresident(
        committee=committee,
        side=CoPresidency.Side.LOCAL_AUTHORITY,
        person=local,
        office="Président du conseil départemental",
        authority="Département",
        started_on=start,
    )
    categories = [
        Category.STATE,
        Category.DEPARTEMENT,
        Category.EMPLOYEE_UNIONS,
        Category.EMPLOYER_ORGS,
        Category.FRANCE_TRAVAIL,
        Category.MISSIONS_LOCALES,
        Category.CAP_EMPLOI,
    ]
    for n in range(27):  # DEC-MAX: 27 appointed members for a CDE
        category = categories[n % len(categories)]
        add_member(
            committee=committee,
            person=person(n),
            organisation=f"Organisme représentant la catégorie {category} n° {n}",
            category=category,
            mandate_start=start,
            votes=(1 + n % 3) if category in categories[:4] else None,
        )
    meeting = create_meeting(
        committee=committee,
        user=secretariat,
        title="Séance plénière (banc d'essai)",
        date=timezone.localdate() + timedelta(days=10),
        start_time=clock(9, 0),
        end_time=clock(17, 0),
        place="Salle du conseil",
    )
    for n in range(10):
        add_agenda_item(
            meeting=meeting,
            title=f"Point {n + 1} : un intitulé assez long pour tenir sur une ligne et demie du PDF",
            description="Présentation du contexte, des enjeux et des propositions. " * 4,
            presenter=f"Service {n}",
            decision_expected=True,
            decision_by_vote=n % 2 == 0,
        )
    submit_for_validation(meeting=meeting, user=secretariat)
    validate_meeting(meeting=meeting, user=state)
    validate_meeting(meeting=meeting, user=local)
    meeting.refresh_from_db()
    invite_expert(meeting=meeting, person=person("expert"), agenda_item=None)
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    meeting.refresh_from_db()
    invitations = list(meeting.invitations.all())
    assert len(invitations) == 30, len(invitations)
    remote = {i.pk for i in invitations[::4]}
    record_attendance(
        meeting=meeting,
        user=secretariat,
        entries=[
            AttendanceEntry(
                invitation_id=i.pk,
                attendance=Invitation.Attendance.REMOTE
                if i.pk in remote
                else Invitation.Attendance.PRESENT,
            )
            for i in invitations
        ],
    )
    voters = [i for i in invitations if i.votes]
    for n, item in enumerate(meeting.agenda_items.all()):
        ballots = None
        if item.decision_by_vote:
            ballots = {
                i.pk: ("for", "against", "abstain")[(k + n) % 3] for k, i in enumerate(voters)
            }
        decision = record_decision(
            agenda_item=item,
            user=secretariat,
            method=Decision.Method.VOTE if ballots else Decision.Method.CONSENSUS,
            text=f"Le comité se prononce sur le point {n + 1} et en retient les propositions.",
            objections="" if ballots else "Réserve d'un membre sur le calendrier.",
            ballots=ballots,
        )
        add_follow_up_action(
            decision=decision,
            description=f"Mettre en œuvre la décision {n + 1}",
            owner=invitations[n].person,
            due_on=timezone.localdate() + timedelta(days=30),
        )
    minutes = minutes_service.draft_minutes(meeting=meeting, user=secretariat)
    # Minutes still holding the draft's blanks cannot be approved: the secretariat fills them.
    minutes = minutes_service.update_minutes(
        minutes=minutes,
        user=secretariat,
        body=minutes.body.replace(
            minutes_service.DRAFT_BLANK,
            "les membres échangent sur les propositions et en précisent le calendrier.",
        ),
    )
    minutes_service.approve_minutes(minutes=minutes, user=state)
    minutes_service.approve_minutes(minutes=minutes, user=local)
    minutes.refresh_from_db()
    return minutes, len(voters)


def _pdf_facts(content: bytes) -> tuple[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
        fonts = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    marianne = "Marianne embedded" if "Marianne" in fonts else "Marianne NOT embedded"
    return pages, marianne


def run():
    from django.db import transaction

    from meetings.services import minutes as minutes_service

    with transaction.atomic():
        started = time.perf_counter()
        minutes, voters = _build()
        yield f"set-up through the services (rolled back afterwards): {time.perf_counter() - started:.2f} s"
        yield f"minutes: 30 people convened and present, {voters} voters, 10 items, 10 decisions (5 weighted votes), 10 actions"
        minutes_service.render_minutes(minutes)  # warm-up: fonts, templates
        timings, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            content = minutes_service.render_minutes(minutes)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        pages, marianne = _pdf_facts(content)
        yield (
            f"render_minutes (WeasyPrint), {RUNS} runs: median {statistics.median(timings):.3f} s, "
            f"min {min(timings):.3f} s, max {max(timings):.3f} s; CPU time of the process: "
            f"median {statistics.median(cpu):.3f} s (what the load of other processes leaves out)"
        )
        yield f"PDF: {len(content) / 1024:.0f} KiB, {pages} pages, {marianne}"
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        yield f"load average while measuring: {load} (on {os.cpu_count()} CPU)"
        transaction.set_rollback(True)
