"""Writes on co-presidencies, members, commissions, rules of procedure and CREFOP rotation."""

import math
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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
from committees.models.rules import INVITED_ONLY, Category
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

User = get_user_model()


# --- People -----------------------------------------------------------------------------------


@transaction.atomic
def invite_person(
    *, email: str, first_name: str, last_name: str, organisation: str = "", job_title: str = ""
) -> User:
    """Return the user with this e-mail, creating it when absent and e-mailing an invitation
    to choose a password (the link is a password-reset link, valid for a few days)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user
    user = User.objects.create_user(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation.strip(),
        job_title=job_title.strip(),
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.SITE_URL}/compte/mot-de-passe/reinitialiser/{uid}/{token}/"
    body = render_to_string("committees/emails/invitation.txt", {"user": user, "link": link})
    transaction.on_commit(
        lambda: send_mail(
            "Invitation au portail des comités territoriaux pour l'emploi",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    )
    return user


# --- Co-presidencies (DEC-COPRESIDENCY) -------------------------------------------------------


def _max_per_side(committee: Committee, side: str) -> int | None:
    """Regional and departmental: one préfet and one president. The CEA and Corse CDEs have
    two préfets (DEC-SPECIAL-CDE). A CLE has one or more local-authority co-presidents."""
    if side == CoPresidency.Side.STATE:
        if committee.special_authority in (SpecialAuthority.CEA, SpecialAuthority.CORSE):
            return 2
        return 1
    if committee.level == Level.LOCAL:
        return None
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
    copresidency = CoPresidency.objects.create(
        committee=committee,
        side=side,
        person=person,
        office=office.strip(),
        authority=authority.strip(),
        delegate=delegate,
        started_on=started_on,
        votes=votes,
    )
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
    if mandate_end is None and is_permanent:
        mandate_end = default_mandate_end(mandate_start)
    if mandate_end and mandate_end < mandate_start:
        raise RuleError("La fin du mandat ne peut précéder son début.", field="mandate_end")
    if is_permanent and role == Membership.Role.TITULAR:
        # DEC-MAX also holds when a vacancy is filled: the seat freed may have been taken since.
        limit = max_members(committee)
        seated = appointed_members(committee)
        if replaces is not None:
            seated = seated.exclude(pk=replaces.pk)
        if seated.count() >= limit:
            raise RuleError(
                f"Ce comité compte déjà {limit} membres nommés, le maximum.",
                field="category",
            )
    membership = Membership.objects.create(
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
) -> Membership:
    votes = _check_member(
        membership.committee,
        category=membership.category,
        is_permanent=membership.is_permanent,
        votes=votes,
    )
    if mandate_end and mandate_end < membership.mandate_start:
        raise RuleError("La fin du mandat ne peut précéder son début.", field="mandate_end")
    membership.organisation = organisation.strip()
    membership.votes = votes
    membership.mandate_end = mandate_end
    membership.appointment_arrete = appointment_arrete.strip()
    membership.save()
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
        for field, heading, required in RULES_HEADINGS
        if required and not getattr(rules, field).strip()
    ]
    if missing:
        raise RuleError(["Rubriques obligatoires non rédigées :", *missing])
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
