"""Reads for the committee screens: lists and committee page, warnings, populations, change
history, dashboard, composition, commissions and rules of procedure. The views read through
these functions or through querysets scoped to the user; writes go through
``committees.services``.

``committee_warnings`` builds the warnings of one committee from the services (detail page);
``warning_counts`` counts the same warnings for many committees in a fixed number of queries
(lists, dashboard). ``tests/committees/test_committee_views.py`` checks that both agree.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.http import Http404

from committees.models import (
    CATEGORY_SIDE,
    REQUIRED_CATEGORIES,
    SPECIAL_CDE,
    Category,
    Commission,
    Committee,
    CoPresidency,
    CrefopMode,
    FormerInstance,
    Level,
    Membership,
    RulesOfProcedure,
    Side,
    SpecialAuthority,
    WrittenOpinion,
)
from committees.services.committees import (
    active_memberships,
    commune_conflicts,
    installation_problems,
    resolve_perimeter,
)
from committees.services.composition import adopted_rules, mandates_ending, vote_balance
from cte_portal.core.conf import cte_setting
from territories import cache as territories_cache
from territories.models import Commune, Departement

# INS-RULES: the levels that adopt their own rules of procedure (the CRE applies the CREFOP's).
RULES_LEVELS = (Level.DEPARTMENTAL, Level.LOCAL)


def active_copresidencies(committee: Committee):
    """The co-presidencies in office of ``committee``, the State's first (DEC-COPRESIDENCY)."""
    return CoPresidency.objects.active().filter(committee=committee).order_by("side", "pk")


def visible_committee(user, pk: int, *, related: Iterable[str] = ("region",)) -> Committee:
    """The committee ``pk`` if ``user`` may see it; a 404 otherwise, whether it exists or not
    (DOMAIN §4: nobody learns of a committee outside their scope)."""
    committee = Committee.objects.visible_to(user).select_related(*related).filter(pk=pk).first()
    if committee is None:
        raise Http404("Comité introuvable.")
    return committee


def level_rank():
    """Order committees regional → departmental → local (INS-LEVELS), not alphabetically."""
    return Case(
        When(level=Level.REGIONAL, then=Value(0)),
        When(level=Level.DEPARTMENTAL, then=Value(1)),
        default=Value(2),
    )


# --- Lists and committee page -------------------------------------------------------------------


def departements_of(committees):
    """The départements of these committees, by code (the list's filter)."""
    return Departement.objects.filter(committees__in=committees).distinct().order_by("code")


def perimeter_parts(committee: Committee) -> dict:
    """What a CLE's perimeter was picked from (INS-CLE-PERIMETER): arrondissements, EPCI and
    EPT, and how many communes were added one by one."""
    return {
        "arrondissements": list(committee.perimeter_arrondissements.all()),
        "epcis": list(committee.perimeter_epcis.all()),
        "epts": list(committee.perimeter_epts.all()),
        "communes": committee.perimeter_communes.count(),
    }


def perimeter_preview(committee: Committee, selection: dict) -> dict:
    """The communes a perimeter selection covers, before it is saved (INS-CLE-PERIMETER): their
    population and départements, those already in another CLE, those outside the region."""
    codes = resolve_perimeter(**selection)
    communes = list(
        Commune.objects.filter(code__in=codes)
        .select_related("departement", "epci")
        .order_by("departement_id", "name")
    )
    departements = sorted({c.departement for c in communes}, key=lambda d: d.code)
    return {
        "communes": communes,
        "population": sum(c.population for c in communes),
        "departements": departements,
        "conflicts": commune_conflicts(committee=committee, commune_codes=codes),
        "outside_region": [c for c in communes if c.region_id != committee.region_id],
    }


def written_opinions_of(committee: Committee) -> list:
    """The written opinions given on the committee (INS-WRITTEN-OPINIONS), newest first."""
    return list(committee.written_opinions.select_related("departement").order_by("-given_on"))


# --- Warnings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeWarning:
    """One warning shown on a committee page. ``kind`` groups them: installation (a rule
    that blocks or would block installation), mandates, review, rules, balance."""

    kind: str
    message: str
    items: tuple = ()


def committee_warnings(committee: Committee, *, today: date | None = None) -> list:
    """The warnings of one committee, from the services; none once it is dissolved."""
    today = today or date.today()
    if committee.status == Committee.Status.DISSOLVED:
        return []
    warnings = [CommitteeWarning("installation", p) for p in installation_problems(committee)]
    days = cte_setting("MANDATE_ENDING_DAYS")
    if today == date.today():  # from the memberships the page reads anyway
        ending = tuple(
            sorted(
                (
                    m
                    for m in active_memberships(committee)
                    if m.mandate_end and today <= m.mandate_end <= today + timedelta(days=days)
                ),
                key=lambda m: (m.mandate_end, m.pk),
            )
        )
    else:
        ending = tuple(mandates_ending([committee], today=today))
    if ending:
        warnings.append(
            CommitteeWarning(
                "mandates",
                f"{len(ending)} mandat{'s' if len(ending) > 1 else ''} "
                f"arrive{'nt' if len(ending) > 1 else ''} à échéance dans les {days} jours "
                "(article R. 5311-36 du code du travail).",
                ending,
            )
        )
    if committee.perimeter_review_is_due(today):
        warnings.append(
            CommitteeWarning(
                "review",
                "Révision du périmètre à mener : échéance du "
                f"{committee.perimeter_review_due_on:%d/%m/%Y}.",
            )
        )
    if committee.level in RULES_LEVELS and adopted_rules(committee) is None:
        warnings.append(CommitteeWarning("rules", "Règlement intérieur non adopté."))
    balance = vote_balance(committee)
    if balance["unbalanced"]:
        warnings.append(
            CommitteeWarning(
                "balance",
                f"Voix déséquilibrées entre l'État ({balance['state']}) et les collectivités "
                f"territoriales ({balance['local_authorities']}) (articles R. 5311-38 et R. 5311-39 du code du travail).",
            )
        )
    return warnings


def _max_members(committee: Committee, departement_counts: dict[str, int]) -> int:
    """``services.committees.max_members`` without a query per committee (DEC-MAX)."""
    if committee.max_members_override:
        return committee.max_members_override
    limits = settings.CTE
    if committee.level == Level.REGIONAL:
        large = departement_counts.get(committee.region_id, 0) > 6
        return limits["MAX_MEMBERS_REGIONAL_LARGE" if large else "MAX_MEMBERS_REGIONAL_SMALL"]
    if committee.level == Level.DEPARTMENTAL:
        return limits["MAX_MEMBERS_DEPARTMENTAL"]
    return limits["MAX_MEMBERS_LOCAL"]


def warning_counts(committees: Iterable[Committee], *, today: date | None = None) -> dict:
    """Number of warnings of each committee (as ``committee_warnings`` would list them), in
    a fixed number of queries whatever the number of committees and members."""
    today = today or date.today()
    committees = [c for c in committees if c.status != Committee.Status.DISSOLVED]
    ids = [c.pk for c in committees]
    if not ids:
        return {}
    sides = defaultdict(set)
    votes = defaultdict(lambda: defaultdict(int))
    for committee_id, side, total in (
        CoPresidency.objects.active(today)
        .filter(committee_id__in=ids)
        .order_by()
        .values_list("committee_id", "side")
        .annotate(total=Sum("votes"))
    ):
        sides[committee_id].add(side)
        balance_side = Side.STATE if side == CoPresidency.Side.STATE else Side.LOCAL_AUTHORITIES
        votes[committee_id][balance_side] += total or 0
    categories = defaultdict(set)
    appointed = defaultdict(int)
    for committee_id, category, is_permanent, role, has_vote, count, total in (
        Membership.objects.active(today)
        .filter(committee_id__in=ids)
        .order_by()
        .values_list("committee_id", "category", "is_permanent", "role", "has_vote")
        .annotate(count=Count("pk"), total=Sum("votes"))
    ):
        if role != Membership.Role.TITULAR:
            continue
        if is_permanent:
            categories[committee_id].add(category)
            appointed[committee_id] += count
        if has_vote:
            votes[committee_id][CATEGORY_SIDE.get(category, Side.NETWORK)] += total or 0
    ending = set(
        mandates_ending(ids, today=today).values_list("committee_id", flat=True).distinct()
    )
    adopted = set(
        RulesOfProcedure.objects.filter(committee_id__in=ids, adopted_on__isnull=False)
        .values_list("committee_id", flat=True)
        .distinct()
    )
    departements = defaultdict(set)
    for committee_id, departement_id in Committee.departements.through.objects.filter(
        committee_id__in=ids
    ).values_list("committee_id", "departement_id"):
        departements[committee_id].add(departement_id)
    # Local committees with a commune already in another installed CLE (installation_problems).
    local_ids = [c.pk for c in committees if c.level == Level.LOCAL]
    through = Committee.communes.through
    # One warning line per commune plus the heading, as ``installation_problems`` lists them.
    overlapping = (
        Counter(
            through.objects.filter(committee_id__in=local_ids)
            .filter(
                Exists(
                    through.objects.filter(
                        commune_id=OuterRef("commune_id"),
                        committee__level=Level.LOCAL,
                        committee__status=Committee.Status.INSTALLED,
                    ).exclude(committee_id=OuterRef("committee_id"))
                )
            )
            .values_list("committee_id", flat=True)
        )
        if local_ids
        else Counter()
    )
    opinions = defaultdict(set)
    for committee_id, subject, departement_id in WrittenOpinion.objects.filter(
        committee_id__in=ids
    ).values_list("committee_id", "subject", "departement_id"):
        opinions[committee_id].add((subject, departement_id))
    regional_regions = {c.region_id for c in committees if c.level == Level.REGIONAL}
    departement_counts = (
        {
            region: len(territories_cache.current_departements_of(region))
            for region in regional_regions
        }
        if regional_regions
        else {}
    )

    counts = {}
    for committee in committees:
        pk = committee.pk
        n = 0
        # installation_problems (services.committees)
        n += CoPresidency.Side.STATE not in sides[pk]
        n += CoPresidency.Side.LOCAL_AUTHORITY not in sides[pk]
        n += any(c not in categories[pk] for c in REQUIRED_CATEGORIES[committee.level])
        n += appointed[pk] > _max_members(committee, departement_counts)
        if committee.level == Level.LOCAL:
            n += not committee.commune_count
            if len(departements[pk]) > 1:
                covered = {
                    d
                    for subject, d in opinions[pk]
                    if subject == WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE
                }
                n += bool(departements[pk] - covered)
            n += overlapping[pk] + 1 if overlapping[pk] else 0
        if committee.level == Level.REGIONAL and committee.crefop_mode == CrefopMode.MERGED:
            n += not any(s == WrittenOpinion.Subject.CREFOP_MERGER for s, _d in opinions[pk])
        # the other warnings
        n += pk in ending
        n += committee.perimeter_review_is_due(today)
        n += committee.level in RULES_LEVELS and pk not in adopted
        n += votes[pk][Side.STATE] != votes[pk][Side.LOCAL_AUTHORITIES]
        counts[pk] = n
    return counts


# --- Populations --------------------------------------------------------------------------------


def territory_populations(committees: Iterable[Committee]) -> dict:
    """Population of each committee's territory: the stored perimeter of a CLE, the
    départements of a CDE (the Métropole de Lyon apart from the rest of the Rhône,
    DEC-SPECIAL-CDE), the region of a CRE. Two queries at most."""
    committees = list(committees)
    result = {c.pk: c.population for c in committees if c.level == Level.LOCAL}
    departmental = [c for c in committees if c.level == Level.DEPARTMENTAL]
    regional = [c for c in committees if c.level == Level.REGIONAL]
    if departmental:
        codes = sorted({d.code for c in departmental for d in c.departements.all()})
        metro = Q(epci__kind="MET69")
        # Populations come from the territorial reference alone: kept until it changes.
        by_departement = territories_cache.cached(
            "populations:" + hashlib.sha256(",".join(codes).encode()).hexdigest(),
            lambda: {
                row["departement_id"]: row
                for row in Commune.objects.current()
                .filter(departement_id__in=codes)
                .values("departement_id")
                .annotate(total=Sum("population"), metropole=Sum("population", filter=metro))
            },
        )
        lyon = SPECIAL_CDE[SpecialAuthority.METROPOLE_LYON]["departements"]
        for committee in departmental:
            total = 0
            for departement in committee.departements.all():
                row = by_departement.get(departement.code, {})
                all_, metropole = row.get("total") or 0, row.get("metropole") or 0
                if committee.special_authority == SpecialAuthority.METROPOLE_LYON:
                    total += metropole
                elif not committee.special_authority and departement.code in lyon:
                    total += all_ - metropole
                else:
                    total += all_
            result[committee.pk] = total
    if regional:
        # Populations come from the territorial reference alone: kept until it changes.
        by_region = territories_cache.cached(
            "region-populations",
            lambda: dict(
                Commune.objects.current().values_list("region_id").annotate(total=Sum("population"))
            ),
        )
        for committee in regional:
            result[committee.pk] = by_region.get(committee.region_id) or 0
    return result


# --- Change history -----------------------------------------------------------------------------

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass
class HistoryEntry:
    """One change: who, when, what. Only the author's name is personal data here."""

    when: datetime
    who: str
    action: str
    subject: str
    fields: list = field(default_factory=list)


def _subject(model, record) -> str:
    if model is Committee:
        return "Comité"
    if model is Membership:
        return f"Membre — {Category(record.category).label}, {record.organisation}"
    if model is CoPresidency:
        return f"Co-présidence — {record.office}"
    if model is FormerInstance:
        return f"Instance antérieure — {record.name}"
    return f"Avis écrit — {record.authority}"


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _field_order(model) -> list:
    return [f.name for f in model._meta.concrete_fields]


def committee_history(committee: Committee) -> list:
    """Every recorded change of the committee, its members, co-presidencies, former instances
    and written opinions, newest first, with the changed fields by their French names (the
    values are left out: they may be personal data). One query per model."""
    sources = (
        (Committee, Committee.history.filter(id=committee.pk)),
        (Membership, Membership.history.filter(committee_id=committee.pk)),
        (CoPresidency, CoPresidency.history.filter(committee_id=committee.pk)),
        (FormerInstance, FormerInstance.history.filter(committee_id=committee.pk)),
        (WrittenOpinion, WrittenOpinion.history.filter(committee_id=committee.pk)),
    )
    entries = []
    for model, records in sources:
        previous = {}
        for record in records.select_related("history_user").order_by(
            "id", "history_date", "history_id"
        ):
            before = previous.get(record.id)
            previous[record.id] = record
            changed = []
            if record.history_type == "~" and before is not None:
                names = set(record.diff_against(before).changed_fields)
                changed = [_label(model, name) for name in _field_order(model) if name in names]
                if not changed:
                    continue
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.get_full_name() or "Utilisateur sans nom") if user else "Système",
                    action=ACTIONS.get(record.history_type, record.history_type),
                    subject=_subject(model, record),
                    fields=changed,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


# --- Dashboard ----------------------------------------------------------------------------------


def managed_committees(user, committee_ids: Iterable[int]):
    """The active committees among ``committee_ids`` (those the user manages)."""
    return (
        Committee.objects.active()
        .filter(pk__in=list(committee_ids))
        .select_related("region")
        .prefetch_related("departements")
        .order_by(level_rank(), "name")
    )


def dashboard(committees, *, today: date | None = None) -> dict:
    """What needs doing on these committees: mandates ending within 90 days (DEC-MANDATE),
    perimeter reviews due (INS-CLE-PERIMETER), committees not installed, rules of procedure
    not adopted (INS-RULES). A fixed number of queries."""
    today = today or date.today()
    committees = list(
        committees.annotate(
            has_adopted_rules=Exists(
                RulesOfProcedure.objects.filter(committee=OuterRef("pk"), adopted_on__isnull=False)
            )
        )
    )
    return {
        "committees": committees,
        "mandates_ending": list(mandates_ending([c.pk for c in committees], today=today)),
        "reviews_due": [c for c in committees if c.perimeter_review_is_due(today)],
        "not_installed": [c for c in committees if c.status == Committee.Status.DRAFT],
        "rules_not_adopted": [
            c for c in committees if c.level in RULES_LEVELS and not c.has_adopted_rules
        ],
        "mandate_days": cte_setting("MANDATE_ENDING_DAYS"),
        "today": today,
        "horizon": today + timedelta(days=cte_setting("MANDATE_ENDING_DAYS")),
    }


# --- Composition, commissions, rules of procedure -----------------------------------------------


def is_in_office(membership: Membership) -> bool:
    """Whether the mandate still runs today (DEC-MANDATE): not ended, not expired."""
    return Membership.objects.active().filter(pk=membership.pk).exists()


def commissions_with_members(committee: Committee):
    """The committee's commissions and working groups, their members and persons prefetched."""
    return committee.commissions.prefetch_related("members__person")


def commission_members(commission: Commission):
    return commission.members.select_related("person")


def rules_versions_of(committee: Committee):
    """Every version of the rules of procedure (INS-RULES), newest first."""
    return committee.rules_versions.order_by("-version")


def saved_rotation(committee: Committee) -> dict[int, list[str]]:
    """The CREFOP rotation as saved (INS-CRE-CREFOP): département codes by year."""
    saved: dict[int, list[str]] = {}
    for year, code in committee.rotation.values_list("year", "departement_id"):
        saved.setdefault(year, []).append(code)
    return saved


def rotation_departements(committee: Committee):
    """The départements of the region that take turns in the CREFOP (INS-CRE-CREFOP)."""
    return committee.region.departements.current().order_by("code")
