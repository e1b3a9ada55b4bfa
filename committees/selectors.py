"""Reads for the committee screens: lists and committee page, warnings, populations, change
history, dashboard, composition, commissions and rules of procedure. The views read through
these functions or through querysets scoped to the user; writes go through
``committees.services``.

``committee_warnings`` builds the warnings of one committee from the services (detail page);
``warning_counts`` counts the same warnings for many committees in a fixed number of queries
(lists, dashboard). ``tests/committees/test_committee_views.py`` checks that both agree.
"""

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from committees.models import (
    CATEGORY_SIDE,
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
from committees.models.rules import (
    INSTALLATION_FROM_OUTRE_MER,
    MAX_COUNTED_CATEGORIES,
    NOT_PERMANENT_CATEGORIES,
    missing_required,
    outre_mer_single_rule,
)
from committees.services.committees import (
    active_memberships,
    commune_conflicts,
    installation_date_warning,
    installation_problems,
    resolve_perimeter,
    split_cities,
)
from committees.services.composition import (
    adopted_rules,
    cle_balance,
    mandates_ending,
    vote_balance,
)
from cte_portal.core.conf import cte_setting
from territories import cache as territories_cache
from territories.models import Commune, Departement, MunicipalArrondissement, Zone

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
        "employment_areas": list(committee.perimeter_employment_areas.all()),
        "municipal_arrondissements": list(committee.municipal_arrondissements.all()),
        "communes": committee.perimeter_communes.count(),
    }


def perimeter_preview(committee: Committee, selection: dict) -> dict:
    """The communes a perimeter selection covers, before it is saved (INS-CLE-PERIMETER): their
    population and départements, those already in another CLE, those outside the region."""
    selection = dict(selection)
    municipal = selection.pop("municipal_arrondissements", ())
    whole = resolve_perimeter(**selection)
    parts = split_cities(whole, municipal)
    codes = sorted(set(whole) | {a.commune_id for a in parts})
    communes = list(
        Commune.objects.filter(code__in=codes)
        .select_related("departement", "epci")
        .order_by("departement_id", "name")
    )
    departements = sorted({c.departement for c in communes}, key=lambda d: d.code)
    return {
        "communes": communes,
        "population": sum(c.population for c in communes if c.code in set(whole))
        + sum(a.population for a in parts),
        "municipal_arrondissements": parts,
        "departements": departements,
        "conflicts": commune_conflicts(
            committee=committee, commune_codes=codes, municipal_codes=[a.code for a in parts]
        ),
        "outside_region": [c for c in communes if c.region_id != committee.region_id],
    }


def written_opinions_of(committee: Committee) -> list:
    """The written opinions given on the committee (INS-WRITTEN-OPINIONS), newest first."""
    return list(committee.written_opinions.select_related("departement").order_by("-given_on"))


def _as_json_rows(model, queryset):
    fields = model._meta.concrete_fields
    return (
        queryset.order_by()
        .annotate(
            source=Value(model._meta.model_name),
            data=JSONObject(**{f.attname: f.attname for f in fields}),
        )
        .values_list("source", "data")
    )


def _from_json(model, data: dict):
    return model(**{f.attname: f.to_python(data[f.attname]) for f in model._meta.concrete_fields})


def former_instances_and_opinions(committee: Committee) -> tuple[list, list]:
    """The committee's former instances (by kind and name) and the written opinions given on
    it (INS-WRITTEN-OPINIONS, newest first, with their département): one query for both, a
    union of the two tables with each row as a JSON object; the départements come from the
    territorial reference's cache."""
    rows = _as_json_rows(FormerInstance, FormerInstance.objects.filter(committee=committee)).union(
        _as_json_rows(WrittenOpinion, WrittenOpinion.objects.filter(committee=committee)),
        all=True,
    )
    departements = None
    former, opinions = [], []
    for source, data in rows:
        if source == FormerInstance._meta.model_name:
            former.append(_from_json(FormerInstance, data))
            continue
        opinion = _from_json(WrittenOpinion, data)
        if opinion.departement_id is not None:
            departements = departements or territories_cache.departements_by_code()
            opinion.departement = departements[opinion.departement_id]
        opinions.append(opinion)
    former.sort(key=lambda f: (f.kind, f.name))
    opinions.sort(key=lambda o: o.given_on, reverse=True)
    return former, opinions


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
    other_regions = regions_crossed(committee)
    if other_regions:
        # DEC-CLE-PERIMETER / INS-WRITTEN-OPINIONS: the regional councils are consulted on
        # perimeters; advice, not a block (the texts ask the opinions per collectivité).
        names = ", ".join(region.name for region in other_regions)
        warnings.append(
            CommitteeWarning(
                "regions",
                f"Ce comité local déborde sur une autre région ({names}) : pensez à recueillir "
                "aussi l'avis écrit du conseil régional concerné.",
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
    dates = installation_date_warning(committee)
    if dates:  # INS-DATES
        warnings.append(CommitteeWarning("dates", dates))
    cle = cle_balance(committee)
    if cle and cle["warning"]:  # INS-CLE-BALANCE
        warnings.append(CommitteeWarning("composition", cle["warning"]))
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


def regions_crossed(committee: Committee) -> list:
    """DEC-CLE-PERIMETER: the regions other than its own that a CLE's départements lie in."""
    if committee.level != Level.LOCAL:
        return []
    regions = territories_cache.regions_by_code()
    codes = {d.region_id for d in committee.departements.all()}
    return [regions[c] for c in sorted(codes - {committee.region_id}) if c in regions]


def _max_members(committee: Committee, departement_counts: dict[str, int]) -> int:
    """``services.committees.max_members`` without a query per committee (DEC-MAX)."""
    if committee.max_members_override:
        return committee.max_members_override
    limits = settings.CTE
    if committee.outre_mer_single:  # DEC-OUTRE-MER
        return limits["MAX_MEMBERS_OUTRE_MER_SINGLE"]
    if committee.level == Level.REGIONAL:
        large = departement_counts.get(committee.region_id, 0) > 6
        return limits["MAX_MEMBERS_REGIONAL_LARGE" if large else "MAX_MEMBERS_REGIONAL_SMALL"]
    if committee.level == Level.DEPARTMENTAL:
        return limits["MAX_MEMBERS_DEPARTMENTAL"]
    return limits["MAX_MEMBERS_LOCAL"]


def _regions_of(departement_codes) -> set[str]:
    by_code = territories_cache.departements_by_code()
    return {by_code[code].region_id for code in departement_codes if code in by_code}


def warning_counts(committees: Iterable[Committee], *, today: date | None = None) -> dict:
    """Number of warnings of each committee (as ``committee_warnings`` would list them), in
    a fixed number of queries whatever the number of committees and members."""
    today = today or date.today()
    committees = [c for c in committees if c.status != Committee.Status.DISSOLVED]
    ids = [c.pk for c in committees]
    if not ids:
        return {}
    sides = defaultdict(set)
    local_copresidents = defaultdict(int)
    votes = defaultdict(lambda: defaultdict(int))
    for committee_id, side, total, count in (
        CoPresidency.objects.active(today)
        .filter(committee_id__in=ids)
        .order_by()
        .values_list("committee_id", "side")
        .annotate(total=Sum("votes"), count=Count("pk"))
    ):
        sides[committee_id].add(side)
        if side == CoPresidency.Side.LOCAL_AUTHORITY:
            local_copresidents[committee_id] += count
        balance_side = Side.STATE if side == CoPresidency.Side.STATE else Side.LOCAL_AUTHORITIES
        votes[committee_id][balance_side] += total or 0
    categories = defaultdict(set)
    appointed = defaultdict(int)
    network = defaultdict(int)
    permanent = defaultdict(int)
    for committee_id, category, is_permanent, role, has_vote, count, total in (
        Membership.objects.active(today)
        .filter(committee_id__in=ids)
        .order_by()
        .values_list("committee_id", "category", "is_permanent", "role", "has_vote")
        .annotate(count=Count("pk"), total=Sum("votes"))
    ):
        if role != Membership.Role.TITULAR:
            continue
        if category == Category.OTHER_NETWORK:
            network[committee_id] += count
        if is_permanent:
            categories[committee_id].add(category)
            if category in MAX_COUNTED_CATEGORIES:
                appointed[committee_id] += count
            if category not in NOT_PERMANENT_CATEGORIES:
                permanent[committee_id] += count
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
    # Local committees with a commune already in another installed CLE (installation_problems):
    # one line per commune and other CLE plus the heading, as ``commune_conflicts`` lists them,
    # a city that both share by different arrondissements municipaux excepted (DEC-CLE-PERIMETER).
    local_ids = [c.pk for c in committees if c.level == Level.LOCAL]
    pairs = (
        [
            (mine, commune, other, split)
            for mine, commune, other, split in Committee.communes.through.objects.filter(
                committee_id__in=local_ids,
                commune__local_committees__level=Level.LOCAL,
                commune__local_committees__status=Committee.Status.INSTALLED,
            )
            .annotate(
                split=Exists(
                    MunicipalArrondissement.objects.filter(commune_id=OuterRef("commune_id"))
                )
            )
            .values_list("committee_id", "commune_id", "commune__local_committees", "split")
            if other != mine
        ]
        if local_ids
        else []
    )
    if any(split for *_rest, split in pairs):  # Paris, Lyon, Marseille: one more query
        parts = defaultdict(set)
        for committee_id, code, city in Committee.municipal_arrondissements.through.objects.filter(
            committee_id__in={pk for mine, _c, other, _s in pairs for pk in (mine, other)}
        ).values_list(
            "committee_id", "municipalarrondissement_id", "municipalarrondissement__commune"
        ):
            parts[committee_id, city].add(code)
        pairs = [
            (mine, commune, other, split)
            for mine, commune, other, split in pairs
            if not (
                split
                and parts[mine, commune]
                and parts[other, commune]
                and not parts[mine, commune] & parts[other, commune]
            )
        ]
    overlapping = Counter(mine for mine, *_rest in pairs)
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

    regions = territories_cache.regions_by_code()
    counts = {}
    for committee in committees:
        pk = committee.pk
        n = 0
        # installation_problems (services.committees)
        n += CoPresidency.Side.STATE not in sides[pk]
        n += CoPresidency.Side.LOCAL_AUTHORITY not in sides[pk]
        rule = outre_mer_single_rule(committee.region_id) if committee.outre_mer_single else None
        n += bool(rule) and 0 < local_copresidents[pk] < len(rule["authorities"])
        n += bool(missing_required(committee, categories[pk]))
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
                n += bool(_regions_of(departements[pk]) - {committee.region_id})
            n += overlapping[pk] + 1 if overlapping[pk] else 0
        if committee.level == Level.REGIONAL and committee.crefop_mode == CrefopMode.MERGED:
            n += not any(s == WrittenOpinion.Subject.CREFOP_MERGER for s, _d in opinions[pk])
        if committee.special_authority:
            n += not any(s == WrittenOpinion.Subject.SPECIAL_CDE for s, _d in opinions[pk])
        # the other warnings
        n += bool(
            committee.installed_on
            and committee.installed_on < INSTALLATION_FROM_OUTRE_MER
            and regions[committee.region_id].zone != Zone.METRO
        )
        if committee.level == Level.LOCAL:
            n += bool((permanent[pk] and not network[pk]) or network[pk] > permanent[pk])
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


def _history_rows(model, records):
    """The history records of ``model`` as rows of a union: the model's name, the record's
    id, date, type and author's names, and the tracked fields as one JSON object (the
    models differ in columns; the union needs the same ones)."""
    tracked = [
        f for f in model.history.model._meta.concrete_fields if not f.attname.startswith("history_")
    ]
    # No ORDER BY in the parts of a union (SQLite refuses it): the rows are sorted in Python.
    return (
        records.order_by()
        .annotate(
            source=Value(model._meta.model_name),
            data=JSONObject(**{f.attname: f.attname for f in tracked}),
        )
        .values_list(
            "source",
            "id",
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
            "history_user__first_name",
            "history_user__last_name",
            "data",
        )
    )


HISTORY_MODELS = (Committee, Membership, CoPresidency, FormerInstance, WrittenOpinion)
# Stands for the committee's id in the compiled union (never a primary key).
_ANY_COMMITTEE = -7_700_000_077


@cache
def _history_union_sql(vendor: str) -> tuple[str, tuple]:
    """The union of the five history tables, compiled once per process (building it costs
    more than running it: every tracked field is an expression of the JSON object)."""
    del vendor  # the key of the cache: the SQL is the database's own
    queries = [
        _history_rows(model, model.history.filter(**{key: _ANY_COMMITTEE}))
        for model, key in zip(HISTORY_MODELS, ("id", *["committee_id"] * 4), strict=True)
    ]
    first, *others = queries
    return first.union(*others, all=True).query.sql_with_params()


def _history_row(row) -> tuple:
    """A row of the union as the ORM would give it (SQLite gives naive dates and JSON text)."""
    *head, when, kind, user_id, first_name, last_name, data = row
    if isinstance(when, str):
        when = parse_datetime(when)
    if settings.USE_TZ and timezone.is_naive(when):  # SQLite stores UTC without an offset
        when = timezone.make_aware(when, UTC)
    if isinstance(data, str):
        data = json.loads(data)
    return (*head, when, kind, user_id, first_name, last_name, data)


def committee_history(committee: Committee) -> list:
    """Every recorded change of the committee, its members, co-presidencies, former instances
    and written opinions, newest first, with the changed fields by their French names (the
    values are left out: they may be personal data). One query: the five history tables are
    read as a union, each record's tracked fields as one JSON object."""
    sql, params = _history_union_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [committee.pk if p == _ANY_COMMITTEE else p for p in params])
        rows = [_history_row(row) for row in cursor.fetchall()]
    models = {model._meta.model_name: model for model in HISTORY_MODELS}
    order = {name: index for index, name in enumerate(models)}
    rows.sort(key=lambda row: (order[row[0]], row[1], row[3], row[2]))  # model, id, date, hid
    entries = []
    previous = {}
    for source, pk, _history_id, when, kind, user_id, first_name, last_name, data in rows:
        model = models[source]
        before = previous.get((source, pk))
        previous[(source, pk)] = data
        changed = []
        if kind == "~" and before is not None:
            changed = [
                _label(model, f.name)
                for f in model._meta.concrete_fields
                if f.attname in data and data.get(f.attname) != before.get(f.attname)
            ]
            if not changed:
                continue
        if user_id is None:
            who = "Système"
        else:
            who = f"{first_name} {last_name}".strip() or "Utilisateur sans nom"
        entries.append(
            HistoryEntry(
                when=when,
                who=who,
                action=ACTIONS.get(kind, kind),
                subject=_subject(model, SimpleNamespace(**data)),
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
