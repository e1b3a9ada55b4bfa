"""Writes on funders and funders' conferences (INS-FUNDERS).

- A committee keeps a directory of funders, each with a contact person who gets an account
  (``invite_person``): the contact reads and comments the conferences their funder joins.
- A conference belongs to a committee that is not dissolved; its level is the committee's.
- Held as a meeting: the meeting is one of the committee's, of the nature « Conférence des
  financeurs », not cancelled and linked to no other conference; the conference's date is then
  the meeting's, and its decisions and minutes are the meeting's (the minutes workflow of
  ``committees.services.minutes``: drafted, approved by every co-president, PDF) — the
  conference keeps no text of its own beside them.

Views check the ``funders.permissions`` predicates, then call one function here, catch
``RuleError`` and show its French messages.
"""

from datetime import date

from django.db import transaction

from committees.models import Committee
from committees.services.composition import invite_person
from cte_portal.core.errors import RuleError
from funders.models import ConferenceComment, Funder, FunderKind, FundersConference
from funders.models.vocabulary import normalize
from meetings.models import Meeting

MAX_COMMENT_LENGTH = 5000


def _check_alive(committee: Committee) -> None:
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : il ne réunit plus ses financeurs.")


# --- Funders ------------------------------------------------------------------------------------


def _check_funder_fields(*, committee: Committee, kind: str, name: str, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise RuleError("Indiquez le nom du financeur.", field="name")
    if kind not in FunderKind.values:
        raise RuleError("Choisissez la nature du financeur.", field="kind")
    others = Funder.objects.filter(committee=committee).exclude(pk=exclude_pk)
    if any(normalize(n) == normalize(name) for n in others.values_list("name", flat=True)):
        raise RuleError(
            f"Le financeur « {name} » figure déjà dans le répertoire du comité.", field="name"
        )
    return name


@transaction.atomic
def add_funder(
    *,
    committee: Committee,
    kind: str,
    name: str,
    contact_email: str,
    contact_first_name: str,
    contact_last_name: str,
    contact_job_title: str = "",
    contact_phone: str = "",
) -> Funder:
    """The secretariat adds a funder of the kinds INS-FUNDERS names, with its contact person
    (an account is created and invited when the e-mail is new)."""
    _check_alive(committee)
    name = _check_funder_fields(committee=committee, kind=kind, name=name)
    if not (contact_email or "").strip():
        raise RuleError("Indiquez l'adresse électronique du contact.", field="contact_email")
    contact = invite_person(
        email=contact_email,
        first_name=contact_first_name,
        last_name=contact_last_name,
        organisation=name,
        job_title=contact_job_title,
    )
    return Funder.objects.create(
        committee=committee,
        kind=kind,
        name=name,
        contact=contact,
        contact_phone=(contact_phone or "").strip(),
    )


@transaction.atomic
def update_funder(
    *,
    funder: Funder,
    kind: str,
    name: str,
    contact_email: str,
    contact_first_name: str = "",
    contact_last_name: str = "",
    contact_job_title: str = "",
    contact_phone: str = "",
) -> Funder:
    """Rename a funder, change its nature or its contact person."""
    funder = Funder.objects.select_for_update().get(pk=funder.pk)
    funder.name = _check_funder_fields(
        committee=funder.committee, kind=kind, name=name, exclude_pk=funder.pk
    )
    funder.kind = kind
    if (contact_email or "").strip().lower() != funder.contact.email.lower():
        funder.contact = invite_person(
            email=contact_email,
            first_name=contact_first_name,
            last_name=contact_last_name,
            organisation=funder.name,
            job_title=contact_job_title,
        )
    funder.contact_phone = (contact_phone or "").strip()
    funder.save()
    return funder


# --- Conferences --------------------------------------------------------------------------------


def _check_meeting(meeting: Meeting | None, committee: Committee, conference=None) -> None:
    if meeting is None:
        return
    if meeting.committee_id != committee.pk:
        raise RuleError("Cette réunion n'est pas une réunion de ce comité.", field="meeting")
    if meeting.kind != Meeting.Kind.FUNDERS:
        raise RuleError(
            "La réunion liée doit être de nature « Conférence des financeurs ».", field="meeting"
        )
    if meeting.is_cancelled:
        raise RuleError("Cette réunion est annulée.", field="meeting")
    linked = FundersConference.objects.filter(meeting=meeting)
    if conference is not None:
        linked = linked.exclude(pk=conference.pk)
    if linked.exists():
        raise RuleError(
            "Cette réunion est déjà liée à une autre conférence des financeurs.", field="meeting"
        )


def _check_conference_fields(
    *, committee: Committee, title: str, year: int, day: date | None, meeting, funders, texts
) -> None:
    if not (title or "").strip():
        raise RuleError("Indiquez l'intitulé de la conférence.", field="title")
    day = meeting.date if meeting is not None else day
    if day is None:
        raise RuleError("Indiquez la date de la conférence.", field="date")
    if year is None or abs(int(year) - day.year) > 1:
        raise RuleError(
            "L'année de la conférence correspond à sa date (à un an près).", field="year"
        )
    foreign = [f for f in funders if f.committee_id != committee.pk]
    if foreign:
        raise RuleError(
            "Seuls les financeurs du répertoire du comité participent à sa conférence.",
            field="funders",
        )
    if meeting is not None and any((t or "").strip() for t in texts):
        raise RuleError(
            "La conférence est tenue en réunion : ses décisions et son compte rendu sont ceux "
            "de la réunion, rédigés et approuvés depuis la page de la réunion.",
            field="minutes",
        )


@transaction.atomic
def create_conference(
    *,
    committee: Committee,
    user,
    title: str,
    year: int,
    date: date | None = None,
    meeting: Meeting | None = None,
    funders=(),
    decisions: str = "",
    minutes: str = "",
) -> FundersConference:
    """INS-FUNDERS: the secretariat convenes a funders' conference of the committee, held as
    one of its meetings or on its own."""
    _check_alive(committee)
    funders = list(funders)
    _check_meeting(meeting, committee)
    _check_conference_fields(
        committee=committee,
        title=title,
        year=year,
        day=date,
        meeting=meeting,
        funders=funders,
        texts=(decisions, minutes),
    )
    conference = FundersConference.objects.create(
        committee=committee,
        level=committee.level,
        title=title.strip(),
        year=year,
        date=meeting.date if meeting is not None else date,
        meeting=meeting,
        decisions=(decisions or "").strip(),
        minutes=(minutes or "").strip(),
        created_by=user,
    )
    conference.funders.set(funders)
    return conference


@transaction.atomic
def update_conference(
    *,
    conference: FundersConference,
    title: str,
    year: int,
    date: date | None = None,
    meeting: Meeting | None = None,
    funders=(),
    decisions: str = "",
    minutes: str = "",
) -> FundersConference:
    """Edit a conference; linking it to a meeting hands its minutes to the meeting's workflow,
    unlinking it keeps the meeting's date as its own."""
    conference = FundersConference.objects.select_for_update().get(pk=conference.pk)
    committee = conference.committee
    _check_alive(committee)
    funders = list(funders)
    if meeting is None and date is None and conference.meeting_id:
        date = conference.meeting.date  # unlinked: the meeting's date stays the conference's
    _check_meeting(meeting, committee, conference)
    _check_conference_fields(
        committee=committee,
        title=title,
        year=year,
        day=date,
        meeting=meeting,
        funders=funders,
        texts=(decisions, minutes),
    )
    if conference.lines.exclude(funder__in=funders).exists():
        raise RuleError(
            "Un financeur qui porte des lignes de financement de la conférence y participe : "
            "retirez d'abord ses lignes.",
            field="funders",
        )
    conference.title = title.strip()
    conference.year = year
    conference.date = meeting.date if meeting is not None else date
    conference.meeting = meeting
    conference.decisions = (decisions or "").strip()
    conference.minutes = (minutes or "").strip()
    conference.save()
    conference.funders.set(funders)
    return conference


@transaction.atomic
def add_comment(*, conference: FundersConference, user, body: str) -> ConferenceComment:
    """A co-president, a funder's contact or the secretariat comments a conference."""
    body = (body or "").strip()
    if not body:
        raise RuleError("Le commentaire est vide.", field="body")
    if len(body) > MAX_COMMENT_LENGTH:
        raise RuleError(
            f"Un commentaire tient en {MAX_COMMENT_LENGTH} caractères au plus.", field="body"
        )
    return ConferenceComment.objects.create(conference=conference, author=user, body=body)
