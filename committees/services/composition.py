"""Writes on co-presidencies, members, commissions, rules of procedure and CREFOP rotation."""

import math
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from committees.models import (
    RULES_HEADINGS,
    SOCIAL_PARTNERS,
    VOTING_CATEGORIES,
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    CrefopRotation,
    Level,
    Membership,
    RulesOfProcedure,
    Side,
    SpecialAuthority,
)
from committees.models.procedure import required_headings
from committees.models.rules import (
    INVITED_ONLY,
    MAX_COUNTED_CATEGORIES,
    NOT_PERMANENT_CATEGORIES,
    Category,
    has_mandate,
    outre_mer_single_rule,
)
from committees.permissions import sync_committee_permissions
from committees.services.committees import (
    active_copresidencies,
    active_memberships,
    appointed_members,
    ensure_not_dissolved,
    max_members,
)
from cte_portal.core.conf import cte_setting
from cte_portal.core.errors import RuleError
from cte_portal.core.request_memo import memoise
from cte_portal.users.services import invite_user
from territories.models import Departement, Epci, Ept, Region

User = get_user_model()


# --- People -----------------------------------------------------------------------------------


def invite_person(
    *, email: str, first_name: str, last_name: str, organisation: str = "", job_title: str = ""
) -> User:
    """Return the user with this e-mail, creating it when absent and e-mailing an invitation
    to choose a password (``cte_portal.users.services.invite_user``)."""
    user, _created = invite_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        job_title=job_title,
    )
    return user


# --- Co-presidencies (DEC-COPRESIDENCY) -------------------------------------------------------


def _max_per_side(committee: Committee, side: str) -> int | None:
    """Regional and departmental: one préfet and one president. The CEA and Corse CDEs have
    two préfets (DEC-SPECIAL-CDE). A CLE has one or more local-authority co-presidents.

    DEC-COPRESIDENCY: a CLE is co-presided by « le préfet de département »; the texts do not
    make a single préfet preside a CLE across départements, so each préfet of a département
    it covers may sit on the State side."""
    if side == CoPresidency.Side.STATE:
        if committee.special_authority in (SpecialAuthority.CEA, SpecialAuthority.CORSE):
            return 2
        if committee.level == Level.LOCAL:
            return max(1, committee.departements.count())
        return 1
    if committee.level == Level.LOCAL:
        return None
    if committee.outre_mer_single:
        # DEC-OUTRE-MER: Guadeloupe and La Réunion's single committee has two presidents for
        # the local authorities (région and département).
        rule = outre_mer_single_rule(committee.region_id)
        return len(rule["authorities"]) if rule else 1
    return 1


@transaction.atomic
def add_copresident(
    *,
    committee: Committee,
    side: str,
    person,
    office: str,
    started_on: date,
    authority: str = "",
    delegate=None,
    votes: int = 1,
    represented=None,
) -> CoPresidency:
    ensure_not_dissolved(committee)
    active = CoPresidency.objects.active().filter(committee=committee, side=side)
    limit = _max_per_side(committee, side)
    if limit is not None and active.count() >= limit:
        raise RuleError(
            f"Ce comité a déjà {limit} co-président(s) pour « {CoPresidency.Side(side).label} ». Mettez fin à la co-présidence en cours avant d'en désigner une autre.",
            field="side",
        )
    if active.filter(person=person).exists():
        raise RuleError("Cette personne co-préside déjà ce comité.", field="person")
    if side == CoPresidency.Side.LOCAL_AUTHORITY and not authority.strip():
        raise RuleError("Indiquez la collectivité représentée.", field="authority")
    if delegate is not None and delegate == person:
        raise RuleError("Le délégataire doit être une autre personne.", field="delegate")
    if votes < 1:
        # DEC-COPRESIDENCY, DEC-MAJORITY: a co-president sits and votes (the State's one holds
        # the casting vote); a co-presidency never has 0 votes.
        raise RuleError(
            "Un co-président dispose d'au moins une voix.", field="votes", rule="DEC-COPRESIDENCY"
        )
    copresidency = CoPresidency(
        committee=committee,
        side=side,
        person=person,
        office=office.strip(),
        authority=authority.strip(),
        delegate=delegate,
        started_on=started_on,
        votes=votes,
    )
    _set_represented(copresidency, represented)
    copresidency.save()
    sync_committee_permissions(committee)
    return copresidency


@transaction.atomic
def set_delegate(*, copresidency: CoPresidency, delegate) -> CoPresidency:
    if delegate is not None and delegate == copresidency.person:
        raise RuleError("Le délégataire doit être une autre personne.", field="delegate")
    copresidency.delegate = delegate
    copresidency.save(update_fields=["delegate"])
    sync_committee_permissions(copresidency.committee)
    return copresidency


@transaction.atomic
def end_copresidency(*, copresidency: CoPresidency, ended_on: date) -> CoPresidency:
    if copresidency.ended_on and copresidency.ended_on <= ended_on:
        raise RuleError("Cette co-présidence a déjà pris fin.")
    if ended_on < copresidency.started_on:
        raise RuleError("La fin ne peut précéder le début.", field="ended_on")
    copresidency.ended_on = ended_on
    copresidency.save(update_fields=["ended_on"])
    sync_committee_permissions(copresidency.committee)
    return copresidency


# --- Members (DEC-CATEGORIES, DEC-VOTERS, DEC-VOTES, DEC-MANDATE, DEC-MAX) --------------------

_UNCHANGED = object()

REPRESENTED_FIELDS = {
    Region: "represented_region",
    Departement: "represented_departement",
    Epci: "represented_epci",
    Ept: "represented_ept",
}


def _set_represented(seat, body) -> None:
    """Link a seat (membership or co-presidency) to the collectivité it represents, or to
    none (``body`` None)."""
    if body is not None and type(body) not in REPRESENTED_FIELDS:
        raise RuleError(
            "La collectivité représentée est une région, un département, un EPCI ou un EPT.",
            field="represented",
        )
    for model, name in REPRESENTED_FIELDS.items():
        setattr(seat, name, body if isinstance(body, model) else None)


def default_mandate_end(start: date) -> date:
    """DEC-MANDATE: three years, the last day included: the day before the anniversary.

    A mandate starting on 29 February has its anniversary on 1 March of a common year, so it
    ends on 28 February (``add_years`` clamps to 28 February, one day too early here)."""
    years = cte_setting("MANDATE_YEARS")
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February → 1 March
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def _check_member(
    committee: Committee, *, category: str, is_permanent: bool, votes: int | None
) -> int:
    if committee.level == Level.LOCAL and category in SOCIAL_PARTNERS:
        raise RuleError(
            "Les partenaires sociaux ne siègent pas dans un comité local.",
            field="category",
        )
    if category in INVITED_ONLY and is_permanent:
        raise RuleError(
            "Un expert est invité selon l'ordre du jour : il ne peut être membre permanent.",
            field="is_permanent",
        )
    if category in VOTING_CATEGORIES:
        if votes is None:
            return 1
        if votes < 1:
            raise RuleError(
                "Un membre à voix délibérative dispose d'au moins une voix (articles R. 5311-38 et R. 5311-39 du code du travail).",
                field="votes",
            )
        return votes
    if votes:
        raise RuleError(
            f"Les membres de la catégorie « {Category(category).label} » siègent sans voix "
            "délibérative (article R. 5311-37 du code du travail).",
            field="votes",
        )
    return 0


def _mandate_limit(start: date) -> date:
    return default_mandate_end(start)


def _checked_mandate_end(
    level: str, category: str, is_permanent: bool, start: date, end: date | None
) -> date | None:
    """DEC-MANDATE (R. 5311-36): an appointed member serves three years at most (the end
    defaults to three years); a seat held by law (France Travail…) does not expire unless an
    end is given."""
    if not (is_permanent and has_mandate(level, category)):
        return end
    limit = _mandate_limit(start)
    if end is None:
        return limit
    if end > limit:
        raise RuleError(
            "Un mandat de membre nommé dure trois ans au plus (article R. 5311-36 du code du "
            f"travail) : commencé le {start:%d/%m/%Y}, il prend fin le {limit:%d/%m/%Y} au plus "
            "tard.",
            field="mandate_end",
            rule="DEC-MANDATE",
        )
    return end


def _substitute_mandate_end(titular: Membership, start: date, end: date | None) -> date | None:
    """DEC-MANDATE: a substitute's mandate follows its titular's: it ends when the titular's
    does."""
    if titular.mandate_end and start > titular.mandate_end:
        raise RuleError(
            f"Le mandat du titulaire prend fin le {titular.mandate_end:%d/%m/%Y} : le suppléant "
            "ne peut commencer après.",
            field="mandate_start",
            rule="DEC-MANDATE",
        )
    if end is not None and end != titular.mandate_end:
        raise RuleError(
            "Le mandat d'un suppléant suit celui de son titulaire : il prend fin à la même date"
            + (f" ({titular.mandate_end:%d/%m/%Y})." if titular.mandate_end else "."),
            field="mandate_end",
            rule="DEC-MANDATE",
        )
    return titular.mandate_end


@transaction.atomic
def add_member(
    *,
    committee: Committee,
    person,
    organisation: str,
    category: str,
    mandate_start: date,
    is_permanent: bool = True,
    votes: int | None = None,
    role: str = Membership.Role.TITULAR,
    substitute_for: Membership | None = None,
    mandate_end: date | None = None,
    appointment_arrete: str = "",
    replaces: Membership | None = None,
    represented=None,
) -> Membership:
    """Appoint a member. The vote follows the category (DEC-VOTERS); the mandate lasts three
    years (DEC-MANDATE), or the remainder of the replaced member's mandate for a vacancy."""
    ensure_not_dissolved(committee)
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    if role == Membership.Role.SUBSTITUTE:
        if substitute_for is None or substitute_for.committee_id != committee.pk:
            raise RuleError(
                "Indiquez le membre titulaire que ce suppléant remplace.", field="substitute_for"
            )
        # DEC-MANDATE: a substitute is appointed beside a titular in office, not beside
        # another substitute nor a member whose mandate has ended.
        if (
            substitute_for.role != Membership.Role.TITULAR
            or not Membership.objects.active().filter(pk=substitute_for.pk).exists()
        ):
            raise RuleError(
                "Un suppléant est désigné auprès d'un membre titulaire en fonction.",
                field="substitute_for",
            )
        category = substitute_for.category
        is_permanent = substitute_for.is_permanent
    votes = _check_member(committee, category=category, is_permanent=is_permanent, votes=votes)
    if role == Membership.Role.SUBSTITUTE:
        votes = substitute_for.votes
    if replaces is not None:
        if replaces.committee_id != committee.pk:
            raise RuleError("Le membre remplacé doit appartenir à ce comité.", field="replaces")
        if hasattr(replaces, "replaced_by"):
            raise RuleError("Ce siège a déjà été pourvu.", field="replaces")
        mandate_end = replaces.mandate_end  # DEC-MANDATE: remainder of the mandate only
        if replaces.ended_on is None or replaces.ended_on > mandate_start:
            replaces.ended_on = mandate_start
            replaces.end_reason = replaces.end_reason or "Remplacé (vacance)"
            replaces.save(update_fields=["ended_on", "end_reason"])
            # DEC-MANDATE: the substitutes' mandates follow their titular's.
            replaces.substitutes.filter(ended_on__isnull=True).update(
                ended_on=mandate_start, end_reason="Fin du mandat du titulaire"
            )
    if role == Membership.Role.SUBSTITUTE:
        mandate_end = _substitute_mandate_end(substitute_for, mandate_start, mandate_end)
    elif replaces is None:
        mandate_end = _checked_mandate_end(
            committee.level, category, is_permanent, mandate_start, mandate_end
        )
    if mandate_end and mandate_end < mandate_start:
        raise RuleError("La fin du mandat ne peut précéder son début.", field="mandate_end")
    if is_permanent and role == Membership.Role.TITULAR and category in MAX_COUNTED_CATEGORIES:
        # DEC-MAX also holds when a vacancy is filled: the seat freed may have been taken since.
        limit = max_members(committee)
        seated = appointed_members(committee)
        if replaces is not None:
            seated = seated.exclude(pk=replaces.pk)
        if seated.count() >= limit:
            raise RuleError(
                f"Ce comité compte déjà {limit} membres nommés à voix délibérative, le maximum "
                "fixé pour ce comité.",
                field="category",
                rule="DEC-MAX",
            )
    if represented is None and (substitute_for or replaces):
        # The substitute sits for its titular's body; a replacement for the seat's body.
        represented = (substitute_for or replaces).represented
    membership = Membership(
        committee=committee,
        person=person,
        organisation=organisation.strip(),
        category=category,
        is_permanent=is_permanent,
        role=role,
        substitute_for=substitute_for,
        has_vote=category in VOTING_CATEGORIES,
        votes=votes,
        mandate_start=mandate_start,
        mandate_end=mandate_end,
        appointment_arrete=appointment_arrete.strip(),
        replaces=replaces,
    )
    _set_represented(membership, represented)
    membership.save()
    sync_committee_permissions(committee)
    return membership


@transaction.atomic
def update_member(
    *,
    membership: Membership,
    organisation: str,
    votes: int | None,
    mandate_end: date | None,
    appointment_arrete: str,
    represented=_UNCHANGED,
) -> Membership:
    """Edit a seat. DEC-MANDATE holds on edits too: three years at most for an appointed
    member, no later than the replaced member's term for a replacement, the titular's end for
    a substitute (a titular's new end carries over to its substitutes)."""
    committee = membership.committee
    votes = _check_member(
        committee,
        category=membership.category,
        is_permanent=membership.is_permanent,
        votes=votes,
    )
    if mandate_end and mandate_end < membership.mandate_start:
        raise RuleError("La fin du mandat ne peut précéder son début.", field="mandate_end")
    if membership.role == Membership.Role.SUBSTITUTE:
        mandate_end = _substitute_mandate_end(
            membership.substitute_for, membership.mandate_start, mandate_end
        )
    elif membership.replaces_id:
        term_end = membership.replaces.mandate_end
        if mandate_end is None:
            mandate_end = term_end
        elif term_end and mandate_end > term_end:
            raise RuleError(
                "Une nomination sur un siège vacant vaut pour la durée du mandat restant à courir "
                f"(article R. 5311-36 du code du travail) : jusqu'au {term_end:%d/%m/%Y} au plus.",
                field="mandate_end",
                rule="DEC-MANDATE",
            )
    else:
        mandate_end = _checked_mandate_end(
            committee.level,
            membership.category,
            membership.is_permanent,
            membership.mandate_start,
            mandate_end,
        )
    membership.organisation = organisation.strip()
    membership.votes = votes
    membership.mandate_end = mandate_end
    membership.appointment_arrete = appointment_arrete.strip()
    if represented is not _UNCHANGED:
        _set_represented(membership, represented)
    membership.save()
    if membership.role == Membership.Role.TITULAR:
        # DEC-MANDATE: the substitutes' mandates follow the titular's.
        for substitute in Membership.objects.active().filter(substitute_for=membership):
            if (substitute.mandate_end, substitute.votes) != (mandate_end, votes):
                substitute.mandate_end = mandate_end
                substitute.votes = votes
                substitute.save(update_fields=["mandate_end", "votes"])
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, ended_on: date, reason: str) -> Membership:
    """A member leaves (resignation, loss of the capacity of appointment…): their seat becomes
    vacant and can be filled for the remainder of the mandate (DEC-MANDATE)."""
    if membership.ended_on and membership.ended_on <= ended_on:
        raise RuleError("Ce mandat a déjà pris fin.")
    if ended_on < membership.mandate_start:
        raise RuleError("La fin ne peut précéder le début du mandat.", field="ended_on")
    if not reason.strip():
        raise RuleError("Indiquez le motif de la fin du mandat.", field="reason")
    membership.ended_on = ended_on
    membership.end_reason = reason.strip()
    membership.save(update_fields=["ended_on", "end_reason"])
    membership.substitutes.filter(ended_on__isnull=True).update(
        ended_on=ended_on, end_reason="Fin du mandat du titulaire"
    )
    sync_committee_permissions(membership.committee)
    return membership


# --- Renewal of a committee's mandates (DEC-MANDATE) -------------------------------------------


def seats_to_renew(committee: Committee, *, today: date | None = None) -> list[Membership]:
    """DEC-MANDATE: the seats in office whose three-year mandate runs out (those with an end
    date, not yet renewed), titulars first, each substitute after its titular; by end date."""
    today = today or date.today()
    seats = list(
        Membership.objects.active(today)
        .filter(committee=committee, mandate_end__isnull=False, renewed_by__isnull=True)
        .select_related("person", "substitute_for__person")
        .order_by("mandate_end", "category", "organisation", "pk")
    )
    titulars = [m for m in seats if m.role == Membership.Role.TITULAR]
    ordered = []
    for titular in titulars:
        ordered.append(titular)
        ordered.extend(m for m in seats if m.substitute_for_id == titular.pk)
    listed = {m.pk for m in ordered}
    return ordered + [m for m in seats if m.pk not in listed]


def renewal_date(seats: list[Membership]) -> date | None:
    """The day after the end of the term most seats share: the suggested start of the new
    mandates."""
    ends = [m.mandate_end for m in seats if m.mandate_end]
    if not ends:
        return None
    common = max(set(ends), key=lambda end: (ends.count(end), end))
    return common + timedelta(days=1)


@transaction.atomic
def renew_committee(
    *,
    committee: Committee,
    seats: list[Membership],
    renewed_on: date,
    appointment_arrete: str,
) -> list[Membership]:
    """DEC-MANDATE (R. 5311-36, « mandat de trois ans renouvelable »): renew, by one arrêté,
    the chosen seats of a committee for a new three-year mandate starting on ``renewed_on``,
    before the end of the term. Each renewed seat keeps its person, organisation, category,
    votes and body represented; its current mandate ends the day before. A substitute is
    renewed with its titular. Seats not chosen simply run out at the end of their mandate."""
    ensure_not_dissolved(committee)
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    if not appointment_arrete.strip():
        raise RuleError(
            "Indiquez l'arrêté préfectoral qui renouvelle les membres.", field="appointment_arrete"
        )
    if not seats:
        raise RuleError("Choisissez au moins un siège à renouveler.", field="seats")
    on = min(renewed_on - timedelta(days=1), date.today())
    renewable = {m.pk: m for m in seats_to_renew(committee, today=on)}
    problems = []
    for seat in seats:
        current = renewable.get(seat.pk)
        if current is None:
            problems.append(
                f"Le siège de {seat.person.get_full_name()} ({seat.organisation}) n'est pas à "
                "renouveler : mandat terminé, sans échéance ou déjà renouvelé."
            )
        elif renewed_on <= current.mandate_start:
            problems.append(
                f"Le renouvellement doit suivre le début du mandat en cours de "
                f"{seat.person.get_full_name()} ({current.mandate_start:%d/%m/%Y})."
            )
        elif renewed_on > current.mandate_end + timedelta(days=1):
            problems.append(
                f"Le mandat de {seat.person.get_full_name()} a pris fin le "
                f"{current.mandate_end:%d/%m/%Y} : un renouvellement prend effet au plus tard "
                "le lendemain ; au-delà, il s'agit d'une nouvelle nomination."
            )
    chosen = {seat.pk for seat in seats}
    for seat in seats:
        if seat.role == Membership.Role.SUBSTITUTE and seat.substitute_for_id not in chosen:
            problems.append(
                f"Le mandat du suppléant {seat.person.get_full_name()} suit celui de son "
                "titulaire : renouvelez aussi le titulaire."
            )
    if problems:
        raise RuleError(problems, field="seats", rule="DEC-MANDATE")
    new_end = default_mandate_end(renewed_on)
    renewed: dict[int, Membership] = {}
    ordered = sorted(
        (renewable[seat.pk] for seat in seats),
        key=lambda m: (m.role != Membership.Role.TITULAR, m.pk),
    )
    for old in ordered:
        if old.mandate_end >= renewed_on:
            old.mandate_end = renewed_on - timedelta(days=1)
            old.save(update_fields=["mandate_end"])
        renewed[old.pk] = Membership.objects.create(
            committee=committee,
            person=old.person,
            organisation=old.organisation,
            category=old.category,
            is_permanent=old.is_permanent,
            role=old.role,
            substitute_for=renewed.get(old.substitute_for_id),
            has_vote=old.has_vote,
            votes=old.votes,
            mandate_start=renewed_on,
            mandate_end=new_end,
            appointment_arrete=appointment_arrete.strip(),
            renews=old,
            represented_region=old.represented_region,
            represented_departement=old.represented_departement,
            represented_epci=old.represented_epci,
            represented_ept=old.represented_ept,
        )
    sync_committee_permissions(committee)
    return list(renewed.values())


def vote_balance(committee: Committee) -> dict:
    """DEC-VOTES: votes per side (co-presidents included) and whether State and local
    authorities are unbalanced (a warning, not a refusal: the arrêté sets the numbers)."""
    totals = defaultdict(int)
    for membership in active_memberships(committee):
        if membership.role == Membership.Role.TITULAR and membership.has_vote:
            totals[membership.balance_side] += membership.votes
    for copresidency in active_copresidencies(committee):
        totals[copresidency.balance_side] += copresidency.votes
    state, local = totals[Side.STATE], totals[Side.LOCAL_AUTHORITIES]
    return {
        "state": state,
        "local_authorities": local,
        "social_partners": totals[Side.SOCIAL_PARTNERS],
        "total": state + local + totals[Side.SOCIAL_PARTNERS],
        "unbalanced": state != local,
    }


def cle_balance(committee: Committee) -> dict | None:
    """INS-CLE-BALANCE: in a CLE, the préfet sees to a balance between the permanent members
    and the presence of the other members of the employment network who carry out the
    actions. The instruction sets no figure: a warning when no other network member sits, or
    when they outnumber the permanent members; never a refusal."""
    if committee.level != Level.LOCAL:
        return None
    titulars = [m for m in active_memberships(committee) if m.role == Membership.Role.TITULAR]
    network = sum(1 for m in titulars if m.category == Category.OTHER_NETWORK)
    permanent = sum(
        1 for m in titulars if m.is_permanent and m.category not in NOT_PERMANENT_CATEGORIES
    )
    warning = ""
    if permanent and not network:
        warning = (
            "Aucun autre membre du réseau pour l'emploi (structures d'insertion, PLIE, "
            "organismes de formation…) n'est associé au comité local : l'instruction du 28 juin "
            "2024 demande un équilibre entre les membres permanents et ces acteurs de la mise "
            "en œuvre des actions."
        )
    elif network > permanent:
        warning = (
            f"Les autres membres du réseau pour l'emploi ({network}) sont plus nombreux que les "
            f"membres permanents ({permanent}) : l'instruction du 28 juin 2024 demande un "
            "équilibre entre les uns et les autres."
        )
    return {"permanent": permanent, "network": network, "warning": warning}


def represented_bodies(committee: Committee) -> dict | None:
    """Which collectivités the seats represent (members and co-presidents in office):
    for a CLE, every EPCI (or EPT) of its perimeter (the CLE « laisse une large place » to them:
    shown, not required); for a CRE, every département of the region (DEC-CATEGORIES; with
    more than six, the CREFOP rotation lets each sit one year at least)."""
    seats = [*active_memberships(committee), *active_copresidencies(committee)]
    if committee.level == Level.LOCAL:
        commune_ids = committee.communes.values("pk")
        bodies = [
            *Epci.objects.filter(communes__in=commune_ids).distinct().order_by("name"),
            *Ept.objects.filter(communes__in=commune_ids).distinct().order_by("name"),
        ]
        sitting = {("epci", s.represented_epci_id) for s in seats if s.represented_epci_id}
        sitting |= {("ept", s.represented_ept_id) for s in seats if s.represented_ept_id}
        rows = [
            {"body": body, "sits": (type(body).__name__.lower(), body.pk) in sitting}
            for body in bodies
        ]
        return {"kind": "epci", "rows": rows, "missing": [r["body"] for r in rows if not r["sits"]]}
    if committee.level == Level.REGIONAL:
        sitting = {s.represented_departement_id for s in seats if s.represented_departement_id}
        rows = [
            {"body": d, "sits": d.pk in sitting}
            for d in committee.region.departements.current().order_by("code")
        ]
        return {
            "kind": "departement",
            "rows": rows,
            "missing": [r["body"] for r in rows if not r["sits"]],
            "rotation": len(rows) > 6,
        }
    return None


def mandates_ending(committees, *, today: date | None = None, days: int | None = None):
    """Titular and substitute mandates of these committees ending within ``days`` (90)."""
    today = today or date.today()
    days = cte_setting("MANDATE_ENDING_DAYS") if days is None else days
    return (
        Membership.objects.active(today)
        .filter(
            committee__in=committees,
            mandate_end__gte=today,
            mandate_end__lte=today + timedelta(days=days),
        )
        .select_related("committee", "person")
        .order_by("mandate_end")
    )


# --- Commissions (INS-CDE-COMMISSIONS, DEC-IAE) ----------------------------------------------


@transaction.atomic
def add_commission(*, committee: Committee, name: str, kind: str, mission: str = "") -> Commission:
    ensure_not_dissolved(committee)
    if kind == Commission.Kind.IAE:
        if committee.level != Level.DEPARTMENTAL:
            raise RuleError(
                "La commission inclusion et IAE est celle des CDE (article R. 5311-26 du code du travail).",
                field="kind",
            )
        if committee.commissions.filter(kind=Commission.Kind.IAE).exists():
            raise RuleError("Ce comité a déjà sa commission inclusion et IAE.", field="kind")
    return Commission.objects.create(
        committee=committee, name=name.strip(), kind=kind, mission=mission
    )


@transaction.atomic
def delete_commission(*, commission: Commission) -> None:
    """INS-CDE-COMMISSIONS: the inclusion & IAE commission of a CDE cannot be deleted."""
    if commission.is_mandatory:
        raise RuleError(
            "La commission inclusion et insertion par l'activité économique est obligatoire "
            "dans chaque comité départemental : elle ne peut être supprimée (article R. 5311-26 du code du travail)."
        )
    committee = commission.committee
    commission.delete()
    sync_committee_permissions(committee)


@transaction.atomic
def add_commission_member(
    *, commission: Commission, person, organisation: str, is_chair: bool = False
) -> CommissionMember:
    if commission.members.filter(person=person).exists():
        raise RuleError("Cette personne siège déjà dans la commission.", field="person")
    member = CommissionMember.objects.create(
        commission=commission, person=person, organisation=organisation.strip(), is_chair=is_chair
    )
    sync_committee_permissions(commission.committee)
    return member


@transaction.atomic
def remove_commission_member(*, member: CommissionMember) -> None:
    committee = member.commission.committee
    member.delete()
    sync_committee_permissions(committee)


# --- Rules of procedure (INS-RULES) ------------------------------------------------------------


def rules_versions(committee: Committee) -> list[RulesOfProcedure]:
    """Every version of the rules of procedure, latest first (one query, made once per
    read-only request)."""
    return memoise(
        ("rules_versions", committee.pk),
        lambda: list(committee.rules_versions.order_by("-version")),
    )


def current_rules(committee: Committee) -> RulesOfProcedure | None:
    return next(iter(rules_versions(committee)), None)


def adopted_rules(committee: Committee) -> RulesOfProcedure | None:
    return next((r for r in rules_versions(committee) if r.adopted_on is not None), None)


@transaction.atomic
def save_rules_draft(*, committee: Committee, **sections) -> RulesOfProcedure:
    """Edit the draft version, or open a new version when the latest one is adopted."""
    if committee.level == Level.REGIONAL:
        raise RuleError("Le CRE applique le règlement intérieur du CREFOP.")
    allowed = {field for field, _heading, _required in RULES_HEADINGS} | {"min_meetings_per_year"}
    unknown = set(sections) - allowed
    if unknown:
        raise ValueError(f"Rubriques inconnues : {', '.join(sorted(unknown))}")
    latest = current_rules(committee)
    if latest is None or latest.is_adopted:
        draft = RulesOfProcedure(committee=committee, version=(latest.version + 1) if latest else 1)
        if latest:
            for field in allowed:
                setattr(draft, field, getattr(latest, field))
    else:
        draft = latest
    for field, value in sections.items():
        setattr(draft, field, value)
    draft.save()
    return draft


@transaction.atomic
def adopt_rules(*, rules: RulesOfProcedure, adopted_on: date) -> RulesOfProcedure:
    """INS-RULES: adopted only when every required heading is written."""
    if rules.is_adopted:
        raise RuleError("Cette version est déjà adoptée.")
    missing = [
        heading
        for field, heading in required_headings(rules.committee.level)
        if not getattr(rules, field).strip()
    ]
    if missing:  # INS-RULES
        raise RuleError(["Rubriques obligatoires non rédigées :", *missing], rule="INS-RULES")
    if adopted_on > date.today():
        raise RuleError("La date d'adoption ne peut être dans le futur.", field="adopted_on")
    rules.adopted_on = adopted_on
    rules.save(update_fields=["adopted_on"])
    return rules


# --- CREFOP rotation (INS-CRE-CREFOP) ---------------------------------------------------------

MANDATE_YEARS = (1, 2, 3)


def rotation_required(committee: Committee) -> bool:
    return committee.level == Level.REGIONAL and committee.region.departements.current().count() > 6


def propose_rotation(committee: Committee) -> dict[int, list[str]]:
    """Spread the region's départements over the three years of the mandate, each sitting at
    least one year, with as even a number of seats per year as possible."""
    codes = list(
        committee.region.departements.current().order_by("code").values_list("code", flat=True)
    )
    per_year = math.ceil(len(codes) / len(MANDATE_YEARS))
    return {year: codes[i * per_year : (i + 1) * per_year] for i, year in enumerate(MANDATE_YEARS)}


def rotation_problems(committee: Committee, plan: dict[int, list[str]]) -> list[str]:
    region_codes = set(committee.region.departements.current().values_list("code", flat=True))
    seated = {code for codes in plan.values() for code in codes}
    problems = []
    if set(plan) - set(MANDATE_YEARS):
        problems.append("La rotation porte sur les trois années du mandat (1, 2 et 3).")
    foreign = seated - region_codes
    if foreign:
        problems.append(f"Départements hors de la région : {', '.join(sorted(foreign))}.")
    empty_years = [str(year) for year in MANDATE_YEARS if not plan.get(year)]
    if empty_years:
        problems.append(f"Aucun département ne siège l'année {', '.join(empty_years)} du mandat.")
    absent = region_codes - seated
    if absent:
        problems.append(
            "Chaque département doit siéger au moins une année du mandat ; "
            f"jamais : {', '.join(sorted(absent))}."
        )
    return problems


@transaction.atomic
def set_rotation(*, committee: Committee, plan: dict[int, list[str]]) -> None:
    if not rotation_required(committee):
        raise RuleError(
            "La rotation ne concerne que les CRE des régions de plus de six départements."
        )
    problems = rotation_problems(committee, plan)
    if problems:
        raise RuleError(problems)
    committee.rotation.all().delete()
    CrefopRotation.objects.bulk_create(
        [
            CrefopRotation(committee=committee, year=year, departement_id=code)
            for year, codes in plan.items()
            for code in sorted(set(codes))
        ]
    )
