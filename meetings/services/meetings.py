"""Writes on meetings: preparation, joint validation and convocation, answers, attendance,
decisions and follow-up actions.

- DEC-JOINT: the agenda and the convocation go out only when every co-president (or their
  delegate) has validated the current version; a change after validation opens a new version,
  asks for validation again, and sends an update (iCalendar SEQUENCE + 1) once validated.
- INS-COMPOSITION: invited by default are the co-presidents and the permanent members (the
  commission's members for a commission meeting), plus experts invited per agenda item.
- DEC-PROXY: a substitute sits first; otherwise a proxy to another voting member, at most
  ``MAX_PROXIES_PER_MEMBER`` (one) held per member.
- DEC-QUORUM / DEC-MAJORITY / DEC-REMOTE / DEC-VOTES: see ``committees.services.deliberation``.
- INS-CONSENSUS: consensus by default; an audit request is always voted.

Views call one function, catch ``RuleError`` and show its French messages.
"""

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from committees.models import (
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    Level,
    Membership,
)
from cte_portal.core.conf import cte_setting
from cte_portal.core.errors import RuleError
from meetings.models import (
    AgendaDocument,
    AgendaItem,
    Ballot,
    Decision,
    FollowUpAction,
    Invitation,
    Meeting,
    Notification,
    Validation,
)
from meetings.services import deliberation
from meetings.services.notifications import copresident_user_ids, notify

Kind = Notification.Kind
Answer = Invitation.Answer
Attendance = Invitation.Attendance

# Fields whose change alters what the convocation says (DEC-JOINT).
CONVOCATION_FIELDS = ("title", "kind", "date", "start_time", "end_time", "place", "visio_url")
AGENDA_FIELDS = (
    "title",
    "description",
    "presenter",
    "duration_minutes",
    "decision_expected",
    "decision_by_vote",
    "is_audit_request",
)


def _today() -> date:
    return timezone.localdate()


def max_proxies() -> int:
    return cte_setting("MAX_PROXIES_PER_MEMBER")


# --- Reading helpers --------------------------------------------------------------------------

ROLE_RANK = {
    Invitation.Role.COPRESIDENT: 0,
    Invitation.Role.MEMBER: 1,
    Invitation.Role.LOCAL_COPRESIDENT: 2,
    Invitation.Role.EXPERT: 3,
}


def by_role(invitations) -> list[Invitation]:
    """Co-presidents first, then members, CLE co-presidents and experts, by organisation."""
    return sorted(
        invitations, key=lambda i: (ROLE_RANK.get(i.role, 9), -i.votes, i.organisation, i.pk)
    )


def active_copresidencies(committee: Committee):
    return CoPresidency.objects.active().filter(committee=committee).order_by("side", "pk")


def pending_validations(meeting: Meeting) -> list[CoPresidency]:
    """DEC-JOINT: the active co-presidencies that have not validated the current version."""
    done = set(
        meeting.validations.filter(version=meeting.version).values_list(
            "copresidency_id", flat=True
        )
    )
    return [cp for cp in active_copresidencies(meeting.committee) if cp.pk not in done]


def copresidencies_of(user, committee: Committee) -> list[CoPresidency]:
    """The active co-presidencies ``user`` holds on ``committee``, in person or as delegate."""
    if not (user and user.is_authenticated):
        return []
    return list(active_copresidencies(committee).filter(Q(person=user) | Q(delegate=user)))


def local_committees_below(committee: Committee):
    """The CLEs whose co-presidents join the yearly plenary (INS-MEETINGS): the CLEs of a
    CDE, every CLE of a CRE's region."""
    local = Committee.objects.active().filter(level=Level.LOCAL)
    if committee.level == Level.DEPARTMENTAL:
        return local.filter(parent=committee)
    if committee.level == Level.REGIONAL:
        return local.filter(region_id=committee.region_id)
    return local.none()


@dataclass(frozen=True)
class Invitee:
    person_id: int
    role: str
    organisation: str = ""
    membership_id: int | None = None
    copresidency_id: int | None = None
    votes: int = 0
    side: str = ""
    is_state_copresident: bool = False


def default_invitees(meeting: Meeting) -> list[Invitee]:
    """INS-COMPOSITION: co-presidents and permanent members (a commission's members for a
    commission meeting), plus the CLE co-presidents for a plenary that welcomes them."""
    committee = meeting.committee
    invitees: dict[int, Invitee] = {}
    for cp in active_copresidencies(committee):
        invitees.setdefault(
            cp.person_id,
            Invitee(
                person_id=cp.person_id,
                role=Invitation.Role.COPRESIDENT,
                organisation=cp.authority or cp.office,
                copresidency_id=cp.pk,
                votes=cp.votes,  # DEC-VOTERS: the co-presidents vote
                side=cp.balance_side,
                is_state_copresident=cp.side == CoPresidency.Side.STATE,
            ),
        )
    memberships = Membership.objects.active().filter(
        committee=committee, role=Membership.Role.TITULAR
    )
    if meeting.commission_id:
        seats = {m.person_id: m for m in memberships}
        for member in CommissionMember.objects.filter(commission_id=meeting.commission_id):
            seat = seats.get(member.person_id)
            invitees.setdefault(
                member.person_id,
                Invitee(
                    person_id=member.person_id,
                    role=Invitation.Role.MEMBER,
                    organisation=member.organisation,
                    membership_id=seat.pk if seat else None,
                    votes=seat.votes if seat and seat.has_vote else 0,
                    side=seat.balance_side if seat else "",
                ),
            )
    else:
        for m in memberships.filter(is_permanent=True):
            invitees.setdefault(
                m.person_id,
                Invitee(
                    person_id=m.person_id,
                    role=Invitation.Role.MEMBER,
                    organisation=m.organisation,
                    membership_id=m.pk,
                    votes=m.votes if m.has_vote else 0,
                    side=m.balance_side,
                ),
            )
    if meeting.with_local_copresidents:
        for cp in CoPresidency.objects.active().filter(
            committee__in=local_committees_below(committee)
        ):
            invitees.setdefault(
                cp.person_id,
                Invitee(
                    person_id=cp.person_id,
                    role=Invitation.Role.LOCAL_COPRESIDENT,
                    organisation=cp.authority or cp.office,
                    copresidency_id=cp.pk,
                ),
            )
    return list(invitees.values())


def sync_invitations(meeting: Meeting) -> None:
    """Bring the default invitations in line with the composition. Before the convocation
    goes out, people who left are removed; after, nobody convened is dropped silently."""
    wanted = {i.person_id: i for i in default_invitees(meeting)}
    existing = {inv.person_id: inv for inv in meeting.invitations.all()}
    for person_id, invitee in wanted.items():
        invitation = existing.get(person_id)
        fields = {
            "role": invitee.role,
            "organisation": invitee.organisation,
            "membership_id": invitee.membership_id,
            "copresidency_id": invitee.copresidency_id,
            "votes": invitee.votes,
            "side": invitee.side,
            "is_state_copresident": invitee.is_state_copresident,
        }
        if invitation is None:
            Invitation.objects.create(meeting=meeting, person_id=person_id, **fields)
        elif invitation.role != Invitation.Role.EXPERT or invitee.votes:
            changed = [k for k, v in fields.items() if getattr(invitation, k) != v]
            if changed:
                for key in changed:
                    setattr(invitation, key, fields[key])
                invitation.save(update_fields=changed)
    if meeting.convened_at is None:
        meeting.invitations.exclude(role=Invitation.Role.EXPERT).exclude(
            person_id__in=list(wanted)
        ).delete()


# --- Preparation ------------------------------------------------------------------------------


def _check_schedule(*, day: date, start_time: time, end_time: time, place: str, visio_url: str):
    if end_time <= start_time:
        raise RuleError("L'heure de fin doit suivre l'heure de début.", field="end_time")
    if not (place or "").strip() and not (visio_url or "").strip():
        raise RuleError("Indiquez un lieu, un lien de visioconférence, ou les deux.", field="place")
    if day < _today():
        raise RuleError("La date de la réunion est déjà passée.", field="date")


def _check_editable(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise RuleError("Cette réunion est annulée : elle ne peut plus être modifiée.")
    if meeting.has_started:
        raise RuleError(
            "La réunion a commencé : sa convocation et son ordre du jour ne changent plus."
        )


@transaction.atomic
def create_meeting(
    *,
    committee: Committee,
    user,
    title: str,
    date: date,
    start_time: time,
    end_time: time,
    kind: str = Meeting.Kind.PLENARY,
    place: str = "",
    visio_url: str = "",
    commission: Commission | None = None,
    with_local_copresidents: bool = False,
) -> Meeting:
    """The secretariat prepares a meeting (draft). Invited by default: INS-COMPOSITION."""
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : il ne se réunit plus.")
    if commission is not None and commission.committee_id != committee.pk:
        raise RuleError("Cette commission n'appartient pas à ce comité.", field="commission")
    if kind == Meeting.Kind.COMMISSION and commission is None:
        raise RuleError(
            "Choisissez la commission ou le groupe de travail qui se réunit.", field="commission"
        )
    if commission is not None:
        kind = Meeting.Kind.COMMISSION
    if with_local_copresidents and committee.level == Level.LOCAL:
        raise RuleError(
            "La plénière avec les co-présidents des comités locaux concerne les CRE et les CDE "
            "(INS-MEETINGS).",
            field="with_local_copresidents",
        )
    _check_schedule(
        day=date, start_time=start_time, end_time=end_time, place=place, visio_url=visio_url
    )
    if not title.strip():
        raise RuleError("Indiquez l'intitulé de la réunion.", field="title")
    meeting = Meeting.objects.create(
        committee=committee,
        commission=commission,
        kind=kind,
        title=title.strip(),
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        visio_url=visio_url.strip(),
        with_local_copresidents=with_local_copresidents,
        created_by=user,
    )
    sync_invitations(meeting)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _convocation_changed(meeting: Meeting) -> None:
    """DEC-JOINT: a change to a convocation already validated (in part or in full) opens a
    new version that every co-president validates again; the update is sent when they have.
    While nobody has validated the submitted version yet, it simply changes."""
    validated = meeting.validations.filter(version=meeting.version).exists()
    if meeting.status == Meeting.Status.CONVENED or (
        meeting.status == Meeting.Status.PENDING_VALIDATION and validated
    ):
        meeting.version += 1
        meeting.status = Meeting.Status.PENDING_VALIDATION
        meeting.submitted_at = timezone.now()
        meeting.save(update_fields=["version", "status", "submitted_at", "updated_at"])
        notify(
            meeting=meeting,
            kind=Kind.VALIDATION_REQUEST,
            recipients=copresident_user_ids(meeting.committee),
            key=f"v{meeting.version}",
        )


@transaction.atomic
def update_meeting(*, meeting: Meeting, user, **fields) -> Meeting:
    """Change the date, time, place or title; after submission this asks for validation
    again (DEC-JOINT)."""
    allowed = {*CONVOCATION_FIELDS, "with_local_copresidents"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    meeting = _lock(meeting)
    _check_editable(meeting)
    changed = {k: v for k, v in fields.items() if getattr(meeting, k) != v}
    if not changed:
        return meeting
    for key, value in changed.items():
        setattr(meeting, key, value.strip() if isinstance(value, str) else value)
    if meeting.with_local_copresidents and meeting.committee.level == Level.LOCAL:
        raise RuleError(
            "La plénière avec les co-présidents des comités locaux concerne les CRE et les CDE "
            "(INS-MEETINGS).",
            field="with_local_copresidents",
        )
    _check_schedule(
        day=meeting.date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        visio_url=meeting.visio_url,
    )
    if not meeting.title:
        raise RuleError("Indiquez l'intitulé de la réunion.", field="title")
    meeting.save()
    if "with_local_copresidents" in changed:
        sync_invitations(meeting)
    if set(changed) & set(CONVOCATION_FIELDS) or "with_local_copresidents" in changed:
        _convocation_changed(meeting)
    return meeting


def _clean_item_fields(fields: dict) -> dict:
    # INS-CONSENSUS: an audit request is always a vote, and always expects a decision.
    if fields.get("is_audit_request"):
        fields["decision_expected"] = True
        fields["decision_by_vote"] = True
    if fields.get("decision_by_vote"):
        fields["decision_expected"] = True
    if "title" in fields:
        fields["title"] = fields["title"].strip()
        if not fields["title"]:
            raise RuleError("Indiquez l'intitulé du point.", field="title")
    if fields.get("duration_minutes") is not None and fields["duration_minutes"] < 1:
        raise RuleError("La durée est d'au moins une minute.", field="duration_minutes")
    return fields


@transaction.atomic
def add_agenda_item(*, meeting: Meeting, title: str, **fields) -> AgendaItem:
    unknown = set(fields) - set(AGENDA_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    meeting = _lock(meeting)
    _check_editable(meeting)
    fields = _clean_item_fields({"title": title, **fields})
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position, **fields)
    _convocation_changed(meeting)
    return item


@transaction.atomic
def update_agenda_item(*, item: AgendaItem, **fields) -> AgendaItem:
    unknown = set(fields) - set(AGENDA_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    meeting = _lock(item.meeting)
    _check_editable(meeting)
    fields = _clean_item_fields(fields)
    changed = [k for k, v in fields.items() if getattr(item, k) != v]
    if not changed:
        return item
    for key in changed:
        setattr(item, key, fields[key])
    item.save(update_fields=changed)
    _convocation_changed(meeting)
    return item


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    _check_editable(meeting)
    if item.decisions.exists():
        raise RuleError("Ce point porte des décisions : il ne peut être supprimé.")
    item.delete()
    for position, other in enumerate(meeting.agenda_items.order_by("position", "pk"), start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    _convocation_changed(meeting)


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, up: bool) -> AgendaItem:
    meeting = _lock(item.meeting)
    _check_editable(meeting)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return item
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    _convocation_changed(meeting)
    item.refresh_from_db()
    return item


@transaction.atomic
def add_agenda_document(*, item: AgendaItem, title: str, file) -> AgendaDocument:
    """A supporting document for an item. Documents do not change the convocation itself:
    they need no new validation (DEC-JOINT covers the agenda and the convocation)."""
    if item.meeting.is_cancelled:
        raise RuleError("Cette réunion est annulée.")
    if not title.strip():
        raise RuleError("Indiquez le titre du document.", field="title")
    return AgendaDocument.objects.create(agenda_item=item, title=title.strip(), file=file)


@transaction.atomic
def invite_expert(
    *, meeting: Meeting, person, agenda_item: AgendaItem | None = None, organisation: str = ""
) -> Invitation:
    """INS-COMPOSITION: an expert or another network member invited for an agenda item,
    without a deliberative vote (DEC-VOTERS). Invited after the convocation went out, they
    receive it at once: the agenda itself did not change."""
    meeting = _lock(meeting)
    _check_editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise RuleError("Ce point n'est pas à l'ordre du jour.", field="agenda_item")
    if meeting.invitations.filter(person=person).exists():
        raise RuleError("Cette personne est déjà invitée.", field="email")
    invitation = Invitation.objects.create(
        meeting=meeting,
        person=person,
        role=Invitation.Role.EXPERT,
        organisation=(organisation or getattr(person, "organisation", "")).strip(),
        agenda_item=agenda_item,
    )
    if meeting.is_convened:
        notify(
            meeting=meeting,
            kind=Kind.CONVOCATION,
            recipients=[person],
            key=str(meeting.ics_sequence),
        )
    return invitation


@transaction.atomic
def remove_invitation(*, invitation: Invitation) -> None:
    """Only invited experts are removed; members and co-presidents are convened by right."""
    meeting = _lock(invitation.meeting)
    invitation = Invitation.objects.get(pk=invitation.pk)
    _check_editable(meeting)
    if invitation.role != Invitation.Role.EXPERT:
        raise RuleError(
            "Les co-présidents et les membres permanents sont convoqués de droit "
            "(INS-COMPOSITION) : seul un invité peut être retiré."
        )
    if invitation.proxies_held.exists() or invitation.ballots.exists():
        raise RuleError("Cette invitation est déjà utilisée : elle ne peut être retirée.")
    if meeting.convened_at and invitation.convocation_sent_at:
        # A CANCEL for this person only, at the current SEQUENCE: the others' convocations
        # (perhaps still on their way) are not superseded.
        notify(
            meeting=meeting,
            kind=Kind.CANCELLATION,
            recipients=[invitation.person_id],
            key=str(meeting.ics_sequence),
        )
    invitation.delete()


# --- Joint validation and convocation (DEC-JOINT) ----------------------------------------------


@transaction.atomic
def submit_for_validation(*, meeting: Meeting, user) -> Meeting:
    """The secretariat asks every co-president to validate the agenda and convocation."""
    meeting = _lock(meeting)
    _check_editable(meeting)
    if meeting.status != Meeting.Status.DRAFT:
        raise RuleError("Cette réunion a déjà été soumise aux co-présidents.")
    problems = []
    if not meeting.agenda_items.exists():
        problems.append("L'ordre du jour ne comporte aucun point.")
    sides = {cp.side for cp in active_copresidencies(meeting.committee)}
    if CoPresidency.Side.STATE not in sides or CoPresidency.Side.LOCAL_AUTHORITY not in sides:
        problems.append(
            "Le comité doit avoir ses deux co-présidences, État et collectivités, pour convoquer "
            "conjointement (DEC-COPRESIDENCY, DEC-JOINT)."
        )
    if problems:
        raise RuleError(problems)
    sync_invitations(meeting)
    meeting.status = Meeting.Status.PENDING_VALIDATION
    meeting.submitted_at = timezone.now()
    meeting.save(update_fields=["status", "submitted_at", "updated_at"])
    notify(
        meeting=meeting,
        kind=Kind.VALIDATION_REQUEST,
        recipients=copresident_user_ids(meeting.committee),
        key=f"v{meeting.version}",
    )
    return meeting


@transaction.atomic
def validate_meeting(*, meeting: Meeting, user) -> list[Validation]:
    """DEC-JOINT: a co-president (or their delegate) validates the current version of the
    agenda and convocation. When every co-president has, the convocation goes out (after
    the commit): the first time a REQUEST, afterwards an update with SEQUENCE + 1."""
    meeting = _lock(meeting)
    _check_editable(meeting)
    if meeting.status != Meeting.Status.PENDING_VALIDATION:
        raise RuleError("Aucune validation n'est attendue pour cette réunion.")
    held = copresidencies_of(user, meeting.committee)
    if not held:
        raise RuleError("Seuls les co-présidents ou leurs délégataires valident.")
    pending = {cp.pk for cp in pending_validations(meeting)}
    todo = [cp for cp in held if cp.pk in pending]
    if not todo:
        raise RuleError("Vous avez déjà validé cette version de l'ordre du jour.")
    validations = [
        Validation.objects.create(
            meeting=meeting, copresidency=cp, version=meeting.version, validated_by=user
        )
        for cp in todo
    ]
    if not pending_validations(meeting):
        _convene(meeting)
    return validations


def _convene(meeting: Meeting) -> None:
    first = meeting.convened_at is None
    if first:
        sync_invitations(meeting)
        meeting.convened_at = timezone.now()
    else:
        meeting.ics_sequence += 1
    meeting.status = Meeting.Status.CONVENED
    meeting.save(update_fields=["status", "convened_at", "ics_sequence", "updated_at"])
    notify(
        meeting=meeting,
        kind=Kind.CONVOCATION if first else Kind.UPDATE,
        recipients=list(meeting.invitations.values_list("person_id", flat=True)),
        key=str(meeting.ics_sequence),
    )


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, user, reason: str) -> Meeting:
    """Cancel a meeting. Once convened, everyone invited receives a METHOD:CANCEL update."""
    meeting = _lock(meeting)
    if meeting.is_cancelled:
        raise RuleError("Cette réunion est déjà annulée.")
    if meeting.has_started:
        raise RuleError("La réunion a commencé : elle ne peut plus être annulée.")
    if not reason.strip():
        raise RuleError("Indiquez le motif de l'annulation.", field="reason")
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = reason.strip()
    if meeting.convened_at:
        meeting.ics_sequence += 1
    meeting.save()
    if meeting.convened_at:
        notify(
            meeting=meeting,
            kind=Kind.CANCELLATION,
            recipients=list(meeting.invitations.values_list("person_id", flat=True)),
            key=str(meeting.ics_sequence),
        )
    return meeting


# --- Answers (DEC-PROXY) ----------------------------------------------------------------------


def active_substitutes(invitation: Invitation):
    if not invitation.membership_id:
        return Membership.objects.none()
    return Membership.objects.active().filter(
        substitute_for_id=invitation.membership_id, role=Membership.Role.SUBSTITUTE
    )


def proxy_candidates(invitation: Invitation):
    """DEC-PROXY: the other voting members of the meeting who could hold this proxy."""
    return (
        invitation.meeting.invitations.filter(votes__gt=0)
        .exclude(pk=invitation.pk)
        .select_related("person")
    )


def _check_proxy(invitation: Invitation, holder: Invitation | None) -> Invitation:
    if not invitation.has_vote:
        raise RuleError(
            "Seul un membre à voix délibérative donne pouvoir (DEC-PROXY, DEC-VOTERS).",
            field="proxy_to",
        )
    if cte_setting("PROXY_ONLY_WITHOUT_SUBSTITUTE") and active_substitutes(invitation).exists():
        raise RuleError(
            "Votre suppléant siège en priorité (DEC-PROXY) : choisissez « représenté par mon "
            "suppléant ».",
            field="proxy_to",
        )
    if holder is None:
        raise RuleError("Choisissez le membre à qui vous donnez pouvoir.", field="proxy_to")
    holder = Invitation.objects.select_for_update().get(pk=holder.pk)
    if holder.meeting_id != invitation.meeting_id or holder.pk == invitation.pk:
        raise RuleError("Ce membre n'est pas convoqué à cette réunion.", field="proxy_to")
    if not holder.has_vote:
        raise RuleError(
            "Le pouvoir se donne à un autre membre à voix délibérative (DEC-PROXY).",
            field="proxy_to",
        )
    if holder.answer in (Answer.PROXY, Answer.ABSENT, Answer.SUBSTITUTE):
        raise RuleError(
            "Ce membre ne siégera pas lui-même : il ne peut recevoir de pouvoir (DEC-PROXY).",
            field="proxy_to",
        )
    held = (
        Invitation.objects.filter(proxy_to=holder, answer=Answer.PROXY)
        .exclude(pk=invitation.pk)
        .count()
    )
    if held >= max_proxies():
        raise RuleError(
            f"Ce membre détient déjà {held} pouvoir(s) : un membre ne peut en détenir plus de "
            f"{max_proxies()} (DEC-PROXY).",
            field="proxy_to",
        )
    return holder


@transaction.atomic
def answer_convocation(
    *,
    invitation: Invitation,
    answer: str,
    substitute: Membership | None = None,
    proxy_to: Invitation | None = None,
    comment: str = "",
) -> Invitation:
    """The person convened answers: present, remote (DEC-REMOTE), absent, represented by
    their substitute, or proxy to another voting member (DEC-PROXY). They may change their
    answer until the meeting starts."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    if not meeting.is_convened:
        raise RuleError("Cette réunion n'attend pas de réponse.")
    if meeting.has_started:
        raise RuleError("La réunion a commencé : les réponses sont closes.")
    if answer not in Answer.values or answer == Answer.PENDING:
        raise RuleError("Choisissez votre réponse.", field="answer")
    invitation.substitute = None
    invitation.proxy_to = None
    if answer == Answer.SUBSTITUTE:
        substitutes = active_substitutes(invitation)
        if substitute is None and substitutes.count() == 1:
            substitute = substitutes.get()
        if substitute is None or not substitutes.filter(pk=substitute.pk).exists():
            raise RuleError(
                "Vous n'avez pas de suppléant en fonction : donnez pouvoir à un autre membre ou "
                "indiquez votre absence (DEC-PROXY).",
                field="substitute",
            )
        invitation.substitute = substitute
    elif answer == Answer.PROXY:
        invitation.proxy_to = _check_proxy(invitation, proxy_to)
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.answer_comment = comment.strip()[:500]
    invitation.save()
    return invitation


# --- Attendance and quorum (DEC-QUORUM) ---------------------------------------------------------


def _check_in_session(meeting: Meeting) -> None:
    if not meeting.is_convened:
        raise RuleError("Cette réunion n'a pas été convoquée.")
    if meeting.date > _today():
        raise RuleError("La réunion n'a pas encore eu lieu.")


def _check_minutes_open(meeting: Meeting) -> None:
    from meetings.services.minutes import minutes_changed

    minutes_changed(meeting)


def seat_for(invitation: Invitation, *, at=None) -> deliberation.Seat:
    """The engine's view of one invitation (``at``: a moment; members who left before it no
    longer sit)."""
    represented = invitation.attendance == Attendance.REPRESENTED
    left = invitation.left_at is not None and (at is None or invitation.left_at <= at)
    return deliberation.Seat(
        key=invitation.pk,
        votes=invitation.votes,
        presence=invitation.attendance,
        is_state_copresident=invitation.is_state_copresident,
        substitute_sits=represented and invitation.substitute_id is not None,
        proxy_holder=invitation.proxy_to_id
        if represented and not invitation.substitute_id
        else None,
        left=left,
    )


def meeting_quorum(meeting: Meeting, invitations=None) -> deliberation.Quorum:
    """DEC-QUORUM, live: from the attendance recorded so far."""
    invitations = list(meeting.invitations.all()) if invitations is None else invitations
    return deliberation.quorum([seat_for(i) for i in invitations], max_proxies=max_proxies())


@dataclass(frozen=True)
class AttendanceEntry:
    invitation_id: int
    attendance: str
    substitute_id: int | None = None
    proxy_to_id: int | None = None
    left: bool = False


def _apply_attendance(meeting: Meeting, invitations: dict, entries, *, now) -> list[str]:
    """Apply ``entries`` onto ``invitations`` (in memory); return the French problems."""
    problems = []
    for entry in entries:
        invitation = invitations.get(entry.invitation_id)
        if invitation is None:
            problems.append("Une ligne ne correspond à aucune personne convoquée.")
            continue
        if entry.attendance not in Attendance.values:
            problems.append(f"{invitation.person} : présence inconnue.")
            continue
        invitation.attendance = entry.attendance
        if entry.attendance == Attendance.REPRESENTED:
            invitation.substitute_id = entry.substitute_id
            invitation.proxy_to_id = None if entry.substitute_id else entry.proxy_to_id
        if entry.left and entry.attendance in (Attendance.PRESENT, Attendance.REMOTE):
            invitation.left_at = invitation.left_at or now
        else:
            invitation.left_at = None
    holders: dict[int, int] = {}
    for invitation in invitations.values():
        if invitation.attendance != Attendance.REPRESENTED:
            continue
        name = str(invitation.person)
        if invitation.substitute_id:
            substitutes = set(active_substitutes(invitation).values_list("pk", flat=True))
            if invitation.substitute_id not in substitutes:
                problems.append(f"{name} : ce suppléant n'est pas le sien (DEC-PROXY).")
            continue
        holder = invitations.get(invitation.proxy_to_id)
        if not invitation.has_vote:
            problems.append(
                f"{name} : sans voix délibérative, il ne peut être représenté par pouvoir ; "
                "indiquez « absent » ou « excusé »."
            )
        elif holder is None or holder.pk == invitation.pk or not holder.has_vote:
            problems.append(
                f"{name} : indiquez son suppléant ou le membre à voix délibérative qui détient "
                "son pouvoir (DEC-PROXY)."
            )
        else:
            holders[holder.pk] = holders.get(holder.pk, 0) + 1
            if holders[holder.pk] > max_proxies():
                problems.append(
                    f"{holder.person} détient plus de {max_proxies()} pouvoir(s) (DEC-PROXY)."
                )
    return problems


def preview_quorum(meeting: Meeting, entries) -> deliberation.Quorum:
    """The quorum the page shows while the secretariat fills the attendance in, before
    saving: the same engine on the entries overlaid on the recorded attendance."""
    invitations = {i.pk: i for i in meeting.invitations.all()}
    _apply_attendance(meeting, invitations, entries, now=timezone.now())
    return meeting_quorum(meeting, list(invitations.values()))


@transaction.atomic
def record_attendance(*, meeting: Meeting, user, entries) -> deliberation.Quorum:
    """The secretariat records who is present, remote, represented (by their substitute or
    a proxy), absent or excused, and who left during the meeting; returns the quorum."""
    meeting = _lock(meeting)
    _check_in_session(meeting)
    _check_minutes_open(meeting)
    invitations = {i.pk: i for i in meeting.invitations.select_for_update()}
    problems = _apply_attendance(meeting, invitations, entries, now=timezone.now())
    if problems:
        raise RuleError(problems)
    for invitation in invitations.values():
        invitation.save(update_fields=["attendance", "substitute", "proxy_to", "left_at"])
    return meeting_quorum(meeting, list(invitations.values()))


# --- Decisions (INS-CONSENSUS, DEC-MAJORITY) ---------------------------------------------------


def _participation(invitation: Invitation, invitations: dict) -> str:
    if invitation.attendance == Attendance.REMOTE:
        return "à distance"
    if invitation.attendance == Attendance.REPRESENTED:
        if invitation.substitute_id:
            return f"représenté par son suppléant ({invitation.substitute.person})"
        holder = invitations.get(invitation.proxy_to_id)
        return f"pouvoir à {holder.person}" if holder else "représenté"
    return "présent"


@transaction.atomic
def record_decision(
    *,
    agenda_item: AgendaItem,
    user,
    text: str,
    method: str | None = None,
    objections: str = "",
    ballots: dict[int, str] | None = None,
) -> Decision:
    """Record a decision on an agenda item.

    - INS-CONSENSUS: by consensus (the default), the text agreed and the objections noted;
      an audit request is always a vote.
    - DEC-QUORUM: a vote needs the quorum, at the moment it is taken (members who left no
      longer count).
    - DEC-MAJORITY / DEC-VOTES: each voting member's choice weighted by their votes; see
      ``deliberation.tally``.
    """
    meeting = _lock(agenda_item.meeting)
    _check_in_session(meeting)
    _check_minutes_open(meeting)
    method = method or (
        Decision.Method.VOTE if agenda_item.decision_by_vote else Decision.Method.CONSENSUS
    )
    if method not in Decision.Method.values:
        raise RuleError("Mode de décision inconnu.", field="method")
    if agenda_item.is_audit_request and method != Decision.Method.VOTE:
        raise RuleError(
            "Une demande d'audit est toujours votée (INS-CONSENSUS, INS-AUDIT).", field="method"
        )
    if not text.strip():
        raise RuleError("Indiquez le texte de la décision.", field="text")
    invitations = {
        i.pk: i for i in meeting.invitations.select_related("person", "substitute__person")
    }
    seats = [seat_for(i) for i in invitations.values()]
    quorum = deliberation.quorum(seats, max_proxies=max_proxies())
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        method=method,
        text=text.strip(),
        objections=objections.strip(),
        recorded_by=user,
        quorum_counted=quorum.counted,
        quorum_total=quorum.total,
        quorum_reached=quorum.reached,
    )
    if method == Decision.Method.CONSENSUS:
        decision.outcome = Decision.Outcome.ADOPTED
        decision.result_note = "Adoptée par consensus (INS-CONSENSUS)."
        decision.save()
    else:
        ballots = {int(k): v for k, v in (ballots or {}).items() if v}
        try:
            _, result = deliberation.deliberate(seats, ballots, max_proxies=max_proxies())
        except deliberation.DeliberationError as exc:
            raise RuleError(exc.messages) from None
        decision.outcome = Decision.Outcome.ADOPTED if result.adopted else Decision.Outcome.REJECTED
        decision.votes_for = result.votes_for
        decision.votes_against = result.votes_against
        decision.votes_abstain = result.votes_abstain
        decision.casting_vote_used = result.casting_vote_used
        decision.result_note = result.note[:255]
        decision.save()
        Ballot.objects.bulk_create(
            [
                Ballot(
                    decision=decision,
                    invitation=invitations[key],
                    choice=choice,
                    weight=invitations[key].votes,
                    participation=_participation(invitations[key], invitations)[:160],
                )
                for key, choice in ballots.items()
            ]
        )
    return decision


@transaction.atomic
def delete_decision(*, decision: Decision) -> None:
    meeting = _lock(decision.meeting)
    _check_minutes_open(meeting)
    decision.delete()


@transaction.atomic
def add_follow_up_action(
    *, decision: Decision, description: str, owner, due_on: date
) -> FollowUpAction:
    """A follow-up action with an owner (a person convened to the meeting) and a due date."""
    meeting = _lock(decision.meeting)
    _check_minutes_open(meeting)
    if not description.strip():
        raise RuleError("Décrivez l'action.", field="description")
    if not meeting.invitations.filter(person=owner).exists():
        raise RuleError(
            "Le responsable de l'action est choisi parmi les personnes convoquées.", field="owner"
        )
    if due_on < meeting.date:
        raise RuleError("L'échéance ne peut précéder la réunion.", field="due_on")
    return FollowUpAction.objects.create(
        decision=decision, description=description.strip(), owner=owner, due_on=due_on
    )


@transaction.atomic
def complete_action(*, action: FollowUpAction, done_on: date | None = None) -> FollowUpAction:
    if action.done_on:
        raise RuleError("Cette action est déjà réalisée.")
    action.done_on = done_on or _today()
    action.save(update_fields=["done_on"])
    return action
