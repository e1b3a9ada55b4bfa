"""Writes on committees: creation, territory, perimeter, installation, dissolution.

Each function checks its rule (cited by id), writes in one transaction, re-derives the object
permissions it affects, and leaves the history to django-simple-history.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Sum

from committees.models import (
    SPECIAL_CDE,
    Commission,
    Committee,
    CoPresidency,
    CrefopMode,
    Level,
    Membership,
    SpecialAuthority,
    WrittenOpinion,
)
from committees.models.composition import membership_in_office
from committees.models.rules import (
    INSTALLATION_FROM,
    INSTALLATION_FROM_OUTRE_MER,
    MAX_COUNTED_CATEGORIES,
    Category,
    missing_required,
    outre_mer_single_rule,
)
from committees.permissions import sync_committee_permissions
from cte_portal.core.errors import RuleError
from cte_portal.core.request_memo import memoise
from territories.models import Commune, Departement, Epci, MunicipalArrondissement, Region, Zone

IAE_COMMISSION_NAME = "Commission inclusion et insertion par l'activité économique"


def _codes(items) -> list[str]:
    return sorted(getattr(item, "code", item) for item in items)


def ensure_not_dissolved(committee: Committee) -> None:
    """A dissolved committee is kept as it was: its perimeter, composition and documents are
    history, not something to edit."""
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : il ne peut plus être modifié.")


def check_territory(
    *,
    level: str,
    region: Region,
    departements: list[Departement],
    special_authority: str = "",
    crefop_mode: str = "",
    exclude: Committee | None = None,
    outre_mer_single: bool = False,
) -> None:
    """Uniqueness and shape of a committee's territory.

    - INS-LEVELS / INS-CRE-CREFOP: one CRE per region, with its CREFOP mode.
    - DEC-SPECIAL-CDE, INS-CDE-RHONE, INS-CDE-SINGLE: one CDE per département, except the
      Métropole de Lyon beside the Rhône, and single CDEs over 67+68 (CEA) and 2A+2B (Corse).
    - DEC-OUTRE-MER: in a DROM, one single committee may hold both levels; it then stands
      alone (no separate CRE or CDE beside it).
    """
    others = Committee.objects.active().filter(level=level)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    _check_outre_mer(level, region, departements, outre_mer_single, exclude)
    if outre_mer_single:
        return
    if level == Level.REGIONAL:
        if not crefop_mode:
            raise RuleError(
                "Précisez si le CRE est installé au sein du CREFOP ou par fusion avec lui.",
                field="crefop_mode",
            )
        if others.filter(region=region).exists():
            raise RuleError(
                f"La région {region.name} a déjà un comité régional pour l'emploi.", field="region"
            )
        return
    if level == Level.LOCAL:
        # DEC-CLE-PERIMETER: a CLE may reach beyond its region, but belongs to one of its
        # départements' regions.
        if departements and all(d.region_id != region.code for d in departements):
            raise RuleError("Les départements doivent appartenir à la région du comité.")
    elif any(d.region_id != region.code for d in departements):
        raise RuleError("Les départements doivent appartenir à la région du comité.")
    if level == Level.DEPARTMENTAL:
        _check_departmental(departements, special_authority, others)


def _check_outre_mer(level, region, departements, outre_mer_single, exclude) -> None:
    """DEC-OUTRE-MER: the single regional-and-departmental committee of a DROM."""
    existing = Committee.objects.active().filter(region=region)
    if exclude is not None and exclude.pk:
        existing = existing.exclude(pk=exclude.pk)
    if not outre_mer_single:
        single = existing.filter(outre_mer_single=True).first()
        if single and level in (Level.REGIONAL, Level.DEPARTMENTAL):
            raise RuleError(
                f"{region.name} a déjà un comité unique pour l'emploi, régional et départemental "
                f"(« {single.name} ») : il tient lieu de comité régional et départemental.",
                field="level",
            )
        return
    rule = outre_mer_single_rule(region.code)
    if level != Level.DEPARTMENTAL or rule is None:
        raise RuleError(
            "Un comité unique régional et départemental n'existe qu'en Guadeloupe, en "
            "Martinique, en Guyane, à La Réunion et à Mayotte (décret n° 2024-1147).",
            field="outre_mer_single",
        )
    expected = sorted(region.departements.current().values_list("code", flat=True))
    if _codes(departements) != expected:
        raise RuleError(
            f"Le comité unique de {rule['name']} couvre le département {', '.join(expected)}.",
            field="departements",
        )
    clash = existing.filter(level__in=(Level.REGIONAL, Level.DEPARTMENTAL)).first()
    if clash:
        raise RuleError(
            f"{region.name} a déjà « {clash.name} » : un comité unique régional et départemental "
            "ne s'installe qu'à la place des comités régional et départemental (dissolvez-les "
            "d'abord).",
            field="level",
        )


def _check_departmental(departements, special_authority, others) -> None:
    codes = _codes(departements)
    if special_authority:
        expected = list(SPECIAL_CDE[special_authority]["departements"])
        label = SpecialAuthority(special_authority).label
        if codes != sorted(expected):
            raise RuleError(
                f"Le comité de la {label} couvre les départements {', '.join(expected)} "
                "(article R. 5311-28 du code du travail).",
                field="departements",
            )
    else:
        if len(codes) != 1:
            raise RuleError(
                "Un comité départemental couvre un seul département.", field="departements"
            )
        for authority, rule in SPECIAL_CDE.items():
            if codes[0] in rule["departements"] and not rule["beside_plain_cde"]:
                raise RuleError(
                    f"Le département {codes[0]} relève de la {SpecialAuthority(authority).label} : "
                    "un seul comité départemental est institué sur son territoire.",
                    field="special_authority",
                )
    clash = (
        others.filter(departements__code__in=codes, special_authority=special_authority)
        .distinct()
        .first()
    )
    if clash:
        raise RuleError(
            f"Un comité départemental existe déjà sur ce territoire : {clash.name}.",
            field="departements",
        )


@transaction.atomic
def create_committee(
    *,
    level: str,
    name: str,
    region: Region,
    departements: Iterable[Departement] = (),
    special_authority: str = "",
    crefop_mode: str = "",
    arrete_reference: str = "",
    parent: Committee | None = None,
    outre_mer_single: bool = False,
) -> Committee:
    """Create a committee in draft. A CDE gets its IAE commission at once (INS-CDE-COMMISSIONS,
    DEC-IAE), and so does a DROM's single committee (DEC-OUTRE-MER), which is a CDE that
    also holds the regional level. Callers check ``can_create_committee`` first."""
    departements = list(departements)
    check_territory(
        level=level,
        region=region,
        departements=departements,
        special_authority=special_authority,
        crefop_mode=crefop_mode,
        outre_mer_single=outre_mer_single,
    )
    committee = Committee.objects.create(
        level=level,
        name=name.strip(),
        region=region,
        special_authority=special_authority if level == Level.DEPARTMENTAL else "",
        crefop_mode=crefop_mode if level == Level.REGIONAL else "",
        arrete_reference=arrete_reference,
        outre_mer_single=outre_mer_single,
        parent=None if outre_mer_single else parent or _default_parent(level, region, departements),
    )
    if level == Level.DEPARTMENTAL:
        committee.departements.set(departements)
        ensure_iae_commission(committee)
    elif level == Level.LOCAL and departements:
        committee.departements.set(departements)
    sync_committee_permissions(committee)
    return committee


def ensure_iae_commission(committee: Committee) -> Commission | None:
    """INS-CDE-COMMISSIONS, DEC-IAE: every CDE has its inclusion & IAE commission, mandatory;
    created with the committee (here or in the admin), never twice."""
    if committee.level != Level.DEPARTMENTAL:
        return None
    existing = committee.commissions.filter(kind=Commission.Kind.IAE).first()
    if existing:
        if not existing.is_mandatory:
            existing.is_mandatory = True
            existing.save(update_fields=["is_mandatory"])
        return existing
    return Commission.objects.create(
        committee=committee,
        kind=Commission.Kind.IAE,
        name=IAE_COMMISSION_NAME,
        is_mandatory=True,
    )


def _default_parent(level, region, departements, communes=None) -> Committee | None:
    """The committee a new one reports to: the CRE for a CDE; for a CLE, the CDE of its
    département — the Métropole de Lyon's CDE for a CLE whose communes are in the Métropole
    (INS-CDE-RHONE, DEC-SPECIAL-CDE), the Rhône's otherwise."""
    if level == Level.DEPARTMENTAL:
        return Committee.objects.active().filter(level=Level.REGIONAL, region=region).first()
    if level == Level.LOCAL and departements:
        cdes = Committee.objects.active().filter(
            level=Level.DEPARTMENTAL, departements__in=departements
        )
        if communes is not None and in_metropole_de_lyon(communes):
            metropole = cdes.filter(special_authority=SpecialAuthority.METROPOLE_LYON).first()
            if metropole:
                return metropole
        return cdes.filter(special_authority="").first() or cdes.first()
    return None


def cde_territory(cde: Committee) -> Q:
    """The communes a CDE's territory holds (INS-CDE-RHONE): the Métropole de Lyon's CDE holds
    the Métropole's communes; the Rhône's CDE the rest of the 69; other CDEs their
    départements."""
    if cde.special_authority == SpecialAuthority.METROPOLE_LYON:
        return Q(epci__kind=Epci.Kind.MET69)
    codes = [d.code for d in cde.departements.all()]
    territory = Q(departement_id__in=codes)
    if "69" in codes:
        territory &= ~Q(epci__kind=Epci.Kind.MET69)
    return territory


def in_metropole_de_lyon(communes) -> bool:
    """Whether every commune given (rows or codes) is in the Métropole de Lyon (EPCI MET69)."""
    codes = [getattr(c, "pk", c) for c in communes]
    if not codes:
        return False
    outside = Commune.objects.filter(code__in=codes).exclude(epci__kind=Epci.Kind.MET69)
    return not outside.exists()


@transaction.atomic
def update_committee(*, committee: Committee, **fields) -> Committee:
    """Edit a committee's name, references and territory attributes, rules checked again."""
    allowed = {
        "name",
        "arrete_reference",
        "crefop_mode",
        "special_authority",
        "parent",
        "max_members_override",
        "max_members_basis",
        "installed_on",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Champs non modifiables : {', '.join(sorted(unknown))}")
    ensure_not_dissolved(committee)
    if fields.get("installed_on") and fields["installed_on"] < INSTALLATION_FROM:  # INS-DATES
        raise RuleError(
            "Un comité territorial pour l'emploi ne peut être installé avant le 1er juillet "
            "2024, date d'entrée en vigueur des articles R. 5311-17 et suivants du code du "
            "travail.",
            field="installed_on",
            rule="INS-DATES",
        )
    if fields.get("crefop_mode") and committee.level != Level.REGIONAL:
        raise RuleError("Seul un comité régional s'articule avec le CREFOP.", field="crefop_mode")
    if fields.get("special_authority") and committee.level != Level.DEPARTMENTAL:
        raise RuleError(
            "Seul un comité départemental peut relever d'une collectivité à statut particulier.",
            field="special_authority",
        )
    for key, value in fields.items():
        setattr(committee, key, value)
    if committee.level != Level.LOCAL:
        check_territory(
            level=committee.level,
            region=committee.region,
            departements=list(committee.departements.all()),
            special_authority=committee.special_authority,
            crefop_mode=committee.crefop_mode,
            exclude=committee,
            outre_mer_single=committee.outre_mer_single,
        )
    committee.save()
    return committee


def resolve_perimeter(
    *, arrondissements=(), epcis=(), epts=(), communes=(), employment_areas=()
) -> list[str]:
    """INS-CLE-PERIMETER / DEC-CLE-PERIMETER: the communes a perimeter made of
    arrondissements, EPCI, EPT, bassins d'emploi and individual communes covers wholly
    (current communes only), as sorted INSEE codes."""
    query = Q(pk__in=[])
    if employment_areas:
        query |= Q(employment_areas__in=employment_areas)
    if arrondissements:
        query |= Q(arrondissement__in=arrondissements)
    if epcis:
        query |= Q(epci__in=epcis)
    if epts:
        query |= Q(ept__in=epts)
    if communes:
        query |= Q(pk__in=[getattr(c, "pk", c) for c in communes])
    return sorted(
        set(Commune.objects.current().filter(query).values_list("code", flat=True).distinct())
    )


def split_cities(
    whole_codes: Iterable[str], municipal_arrondissements=()
) -> list[MunicipalArrondissement]:
    """DEC-CLE-PERIMETER: the arrondissements municipaux that cover a city only in part (those
    of a city the perimeter already takes whole are dropped)."""
    whole = set(whole_codes)
    picked = MunicipalArrondissement.objects.current().filter(
        pk__in=[getattr(a, "pk", a) for a in municipal_arrondissements]
    )
    return [a for a in picked.order_by("code") if a.commune_id not in whole]


def commune_conflicts(
    *,
    committee: Committee,
    commune_codes: Iterable[str],
    municipal_codes: Iterable[str] | None = None,
) -> list[tuple[Commune, Committee]]:
    """Communes already covered by another installed CLE (a commune belongs to at most one
    installed CLE at a time), with that committee. Paris, Lyon and Marseille may be shared
    by CLEs that each take other arrondissements municipaux (DEC-CLE-PERIMETER):
    ``municipal_codes`` are this CLE's (read from it when not given)."""
    if municipal_codes is None:
        municipal_codes = committee.municipal_arrondissements.values_list("code", flat=True)
    mine = set(municipal_codes)
    through = Committee.communes.through
    rows = (
        through.objects.filter(
            commune_id__in=list(commune_codes),
            committee__level=Level.LOCAL,
            committee__status=Committee.Status.INSTALLED,
        )
        .exclude(committee_id=committee.pk)
        .select_related("commune", "committee")
        .order_by("commune__name")
    )
    conflicts = [(row.commune, row.committee) for row in rows]
    if not conflicts:
        return conflicts
    mine_by_city: dict[str, set[str]] = {}
    for code, city in MunicipalArrondissement.objects.filter(code__in=mine).values_list(
        "code", "commune_id"
    ):
        mine_by_city.setdefault(city, set()).add(code)
    theirs: dict[tuple[int, str], set[str]] = {}
    for committee_id, code, city in Committee.municipal_arrondissements.through.objects.filter(
        committee_id__in={other.pk for _c, other in conflicts}
    ).values_list("committee_id", "municipalarrondissement_id", "municipalarrondissement__commune"):
        theirs.setdefault((committee_id, city), set()).add(code)

    def shared(commune, other) -> bool:
        # Both take part of the city: a conflict only on a common arrondissement.
        part_mine = mine_by_city.get(commune.code)
        part_theirs = theirs.get((other.pk, commune.code))
        return not (part_mine and part_theirs and not part_mine & part_theirs)

    return [(commune, other) for commune, other in conflicts if shared(commune, other)]


def _conflict_error(conflicts) -> RuleError:
    listed = [
        f"{commune.name} ({commune.code}) — déjà dans « {other.name} »"
        for commune, other in conflicts
    ]
    return RuleError(
        [f"{len(conflicts)} commune(s) appartiennent déjà à un autre CLE installé :", *listed],
        field="communes",
    )


@transaction.atomic
def set_perimeter(
    *,
    committee: Committee,
    arrondissements=(),
    epcis=(),
    epts=(),
    communes=(),
    employment_areas=(),
    municipal_arrondissements=(),
) -> Committee:
    """Set a CLE's perimeter and store the resulting communes, population and départements.

    DEC-CLE-PERIMETER: the pieces are arrondissements, EPCI, EPT, bassins d'emploi, communes
    and, for Paris, Lyon and Marseille, arrondissements municipaux. A perimeter may cross the
    limits of the département and of the region where the texts allow it: the written
    opinions of the collectivités concerned are then required to install
    (INS-WRITTEN-OPINIONS). Refused, with the list of conflicting communes, when the committee
    is installed and a commune (or arrondissement municipal) already belongs to another
    installed CLE.
    """
    if committee.level != Level.LOCAL:
        raise RuleError("Seul un comité local a un périmètre de communes.")
    ensure_not_dissolved(committee)
    whole = resolve_perimeter(
        arrondissements=arrondissements,
        epcis=epcis,
        epts=epts,
        communes=communes,
        employment_areas=employment_areas,
    )
    parts = split_cities(whole, municipal_arrondissements)
    codes = sorted(set(whole) | {a.commune_id for a in parts})
    if not codes:
        raise RuleError("Le périmètre ne contient aucune commune.", field="communes")
    selected = Commune.objects.filter(code__in=codes)
    if committee.is_installed:
        conflicts = commune_conflicts(
            committee=committee, commune_codes=codes, municipal_codes=[a.code for a in parts]
        )
        if conflicts:
            raise _conflict_error(conflicts)
    committee.perimeter_arrondissements.set(arrondissements)
    committee.perimeter_epcis.set(epcis)
    committee.perimeter_epts.set(epts)
    committee.perimeter_communes.set([getattr(c, "pk", c) for c in communes])
    committee.perimeter_employment_areas.set(employment_areas)
    committee.perimeter_municipal_arrondissements.set(
        [getattr(a, "pk", a) for a in municipal_arrondissements]
    )
    committee.communes.set(codes)
    committee.municipal_arrondissements.set(parts)
    committee.departements.set(sorted(set(selected.values_list("departement_id", flat=True))))
    totals = selected.filter(code__in=whole).aggregate(population=Sum("population"))
    committee.population = (totals["population"] or 0) + sum(a.population for a in parts)
    committee.commune_count = len(codes)
    committee.perimeter_description = describe_perimeter(committee)
    committee.save(
        update_fields=["population", "commune_count", "perimeter_description", "updated_at"]
    )
    parent = committee.parent
    if parent is None or not selected.filter(cde_territory(parent)).exists():
        # A CLE reports to a CDE whose territory holds its communes (INS-CDE-RHONE).
        committee.parent = _default_parent(
            Level.LOCAL, committee.region, list(committee.departements.all()), communes=codes
        )
        committee.save(update_fields=["parent", "updated_at"])
    sync_committee_permissions(committee)
    return committee


def describe_perimeter(committee: Committee) -> str:
    """The perimeter as the préfet picked it (INS-CLE-PERIMETER), one line per kind of piece."""
    parts = [
        ("Arrondissements", committee.perimeter_arrondissements.order_by("code")),
        ("EPCI", committee.perimeter_epcis.order_by("code")),
        ("EPT", committee.perimeter_epts.order_by("code")),
        ("Bassins d'emploi", committee.perimeter_employment_areas.order_by("name")),
        ("Communes", committee.perimeter_communes.order_by("code")),
        ("Arrondissements municipaux", committee.municipal_arrondissements.order_by("code")),
    ]
    return "\n".join(
        f"{label} : " + ", ".join(_piece(item) for item in items)
        for label, items in parts
        if items.exists()
    )


def _piece(item) -> str:
    code = getattr(item, "code", "") or getattr(item, "insee_code", "")
    return f"{item.name} ({code})" if code else item.name


def is_interdepartmental(committee: Committee) -> bool:
    return committee.level == Level.LOCAL and committee.departements.count() > 1


def max_members(committee: Committee) -> int:
    """DEC-MAX, with the decree's defaults as settings, unless an arrêté fixed another value."""
    if committee.max_members_override:
        return committee.max_members_override
    limits = settings.CTE
    if committee.outre_mer_single:  # DEC-OUTRE-MER
        return limits["MAX_MEMBERS_OUTRE_MER_SINGLE"]
    if committee.level == Level.REGIONAL:
        large = committee.region.departements.current().count() > 6
        return limits["MAX_MEMBERS_REGIONAL_LARGE" if large else "MAX_MEMBERS_REGIONAL_SMALL"]
    if committee.level == Level.DEPARTMENTAL:
        return limits["MAX_MEMBERS_DEPARTMENTAL"]
    return limits["MAX_MEMBERS_LOCAL"]


def appointed_members(committee: Committee):
    """Appointed members counted against DEC-MAX: permanent titulars in office of the
    categories the préfet appoints by arrêté (``MAX_COUNTED_CATEGORIES``), not France Travail,
    the Missions locales or Cap emploi, which the text names apart."""
    return Membership.objects.active().filter(
        committee=committee,
        is_permanent=True,
        role=Membership.Role.TITULAR,
        category__in=MAX_COUNTED_CATEGORIES,
    )


def counted_members(committee: Committee) -> list[Membership]:
    """``appointed_members`` from the memberships the page reads anyway (DEC-MAX)."""
    return [m for m in _appointed(committee) if m.category in MAX_COUNTED_CATEGORIES]


REPRESENTED_RELATIONS = (
    "represented_region",
    "represented_departement",
    "represented_epci",
    "represented_ept",
)


def _memberships_of_today(committee: Committee) -> tuple[list[Membership], list[Membership]]:
    """The memberships in office today (by organisation and name) and the vacant seats
    (permanent titulars who left before the end of their mandate, not yet replaced, by
    category): one query, made once per read-only request."""

    def load():
        today = date.today()
        in_office = membership_in_office(today)
        vacant = Q(
            role=Membership.Role.TITULAR,
            is_permanent=True,
            ended_on__lte=today,
            replaced_by__isnull=True,
            mandate_end__gte=today,
        )
        rows = list(
            Membership.objects.filter(committee=committee)
            .filter(in_office | vacant)
            .annotate(is_in_office=ExpressionWrapper(in_office, output_field=BooleanField()))
            .select_related("person", *REPRESENTED_RELATIONS)
            .order_by("organisation", "person__last_name", "pk")
        )
        vacancies = sorted(
            (m for m in rows if not m.is_in_office), key=lambda m: (m.category, m.organisation)
        )
        return [m for m in rows if m.is_in_office], vacancies

    return memoise(("memberships_of_today", committee.pk), load)


def active_memberships(committee: Committee) -> list[Membership]:
    """The memberships in office today, with their person, by organisation and name: one
    query, made once per read-only request (the committee page's warnings, composition panel
    and vote balance all read them, with the vacant seats)."""
    return _memberships_of_today(committee)[0]


def vacant_seats(committee: Committee) -> list[Membership]:
    """The seats left vacant today (read with ``active_memberships``), by category."""
    return _memberships_of_today(committee)[1]


def active_copresidencies(committee: Committee) -> list[CoPresidency]:
    """The co-presidencies in office today, with the person and the delegate (one query,
    made once per read-only request)."""
    return memoise(
        ("active_copresidencies", committee.pk),
        lambda: list(
            CoPresidency.objects.active()
            .filter(committee=committee)
            .select_related("person", "delegate", *REPRESENTED_RELATIONS)
        ),
    )


def _appointed(committee: Committee) -> list[Membership]:
    return [
        m
        for m in active_memberships(committee)
        if m.is_permanent and m.role == Membership.Role.TITULAR
    ]


def missing_categories(committee: Committee) -> list[str]:
    """INS-COMPOSITION: permanent categories with no titular in office."""
    present = {m.category for m in _appointed(committee)}
    return missing_required(committee, present)


def installation_problems(committee: Committee) -> list[str]:
    """Everything that keeps a committee from being installed, in French."""
    problems = []
    sides = {copresidency.side for copresidency in active_copresidencies(committee)}
    if CoPresidency.Side.STATE not in sides:
        problems.append("Il manque le co-président représentant l'État.")
    if CoPresidency.Side.LOCAL_AUTHORITY not in sides:
        problems.append("Il manque le co-président représentant les collectivités.")
    problems.extend(_outre_mer_copresidency_problems(committee))
    missing = missing_categories(committee)
    if missing:
        labels = ", ".join(Category(c).label for c in missing)
        problems.append(f"Catégories de membres permanents manquantes : {labels}.")
    count, limit = len(counted_members(committee)), max_members(committee)
    if count > limit:  # DEC-MAX
        problems.append(f"{count} membres nommés à voix délibérative pour un maximum de {limit}.")
    if committee.special_authority:
        problems.extend(_missing_opinions(committee, WrittenOpinion.Subject.SPECIAL_CDE))
    if committee.level == Level.LOCAL:
        if not committee.commune_count:
            problems.append("Le périmètre du comité local ne contient aucune commune.")
        if is_interdepartmental(committee):
            problems.extend(
                _missing_opinions(committee, WrittenOpinion.Subject.INTERDEPARTMENTAL_CLE)
            )
        # A commune belongs to at most one installed CLE: the overlap shows in the checklist
        # and the warnings as soon as the perimeter is saved, not only at installation.
        conflicts = commune_conflicts(
            committee=committee, commune_codes=committee.communes.values_list("code", flat=True)
        )
        if conflicts:
            problems.extend(_conflict_error(conflicts).messages)
    if committee.level == Level.REGIONAL and committee.crefop_mode == CrefopMode.MERGED:
        problems.extend(_missing_opinions(committee, WrittenOpinion.Subject.CREFOP_MERGER))
    return problems


def _outre_mer_copresidency_problems(committee: Committee) -> list[str]:
    """DEC-OUTRE-MER / DEC-COPRESIDENCY: the single committee of Guadeloupe or La Réunion is
    co-presided by the préfet, the président du conseil régional and the président du conseil
    départemental; that of Guyane, Martinique or Mayotte by the préfet and the président of
    the single collectivité (one local co-president is enough, checked above)."""
    rule = outre_mer_single_rule(committee.region_id) if committee.outre_mer_single else None
    if not rule or len(rule["authorities"]) < 2:
        return []
    local = [
        c for c in active_copresidencies(committee) if c.side == CoPresidency.Side.LOCAL_AUTHORITY
    ]
    if not local or len(local) >= len(rule["authorities"]):
        return []  # none at all: the missing local co-president is reported once, above
    return [
        f"Le comité unique de {rule['name']} est co-présidé par le préfet, le président du "
        "conseil régional et le président du conseil départemental : il manque un co-président "
        "pour les collectivités."
    ]


def _missing_opinions(committee, subject) -> list[str]:
    """INS-WRITTEN-OPINIONS: a CLE across départements needs an opinion per département
    concerned; a CREFOP merger needs at least the regional council's."""
    opinions = committee.written_opinions.filter(subject=subject)
    if subject == WrittenOpinion.Subject.SPECIAL_CDE:
        # DEC-SPECIAL-CDE (R. 5311-28): the composition is fixed after the opinion of the
        # president of the collectivité exercising the département's powers.
        if not opinions.exists():
            label = SpecialAuthority(committee.special_authority).label
            return [
                "La composition de ce comité est fixée après l'avis du président de la "
                f"{label} (article R. 5311-28 du code du travail) : enregistrez cet avis."
            ]
        return []
    if subject == WrittenOpinion.Subject.CREFOP_MERGER:
        if not opinions.exists():
            return ["La fusion avec le CREFOP exige l'avis écrit des collectivités concernées."]
        return []
    covered = set(opinions.values_list("departement_id", flat=True))
    missing = [d for d in committee.departements.all() if d.code not in covered]
    if missing:
        names = ", ".join(f"{d.name} ({d.code})" for d in missing)
        return [
            "Ce CLE couvre plusieurs départements : il faut l'avis écrit des collectivités "
            f"concernées pour {names}."
        ]
    return []


@transaction.atomic
def install_committee(
    *, committee: Committee, installed_on: date, arrete_reference: str = ""
) -> Committee:
    """Install a draft committee once every rule is met; otherwise nothing changes."""
    caller_instance = committee
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.status != Committee.Status.DRAFT:
        raise RuleError("Seul un comité en préparation peut être installé.")
    if arrete_reference:
        committee.arrete_reference = arrete_reference
    problems = installation_problems(committee)  # overlaps with installed CLEs included
    if not committee.arrete_reference:
        problems.append("Indiquez la référence de l'arrêté préfectoral d'installation.")
    if installed_on < INSTALLATION_FROM:  # INS-DATES
        problems.append(
            "Un comité territorial pour l'emploi ne peut être installé avant le 1er juillet "
            "2024, date d'entrée en vigueur des articles R. 5311-17 et suivants du code du "
            "travail."
        )
    if problems:
        raise RuleError(problems)
    committee.status = Committee.Status.INSTALLED
    committee.installed_on = installed_on
    committee.save()
    # The caller's instance must not keep saying « draft » (set_perimeter checks overlaps
    # of installed CLEs from it).
    caller_instance.refresh_from_db()
    return committee


def is_outre_mer(committee: Committee) -> bool:
    return committee.region.zone != Zone.METRO


def installation_date_warning(committee: Committee) -> str | None:
    """INS-DATES: the instruction schedules the Outre-mer installations from September 2024;
    an earlier date is shown as a warning (the text sets a schedule, not a prohibition)."""
    if (
        committee.installed_on
        and committee.installed_on < INSTALLATION_FROM_OUTRE_MER
        and is_outre_mer(committee)
    ):
        return (
            f"Installé le {committee.installed_on:%d/%m/%Y} : l'instruction du 28 juin 2024 "
            "prévoit l'installation des comités d'outre-mer à compter de septembre 2024. "
            "Vérifiez la date de l'arrêté."
        )
    return None


@transaction.atomic
def dissolve_committee(*, committee: Committee, dissolved_on: date) -> Committee:
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est déjà dissous.")
    if committee.installed_on and dissolved_on < committee.installed_on:
        raise RuleError("La dissolution ne peut précéder l'installation.", field="dissolved_on")
    committee.status = Committee.Status.DISSOLVED
    committee.dissolved_on = dissolved_on
    committee.save()
    return committee


@transaction.atomic
def add_written_opinion(
    *,
    committee: Committee,
    subject: str,
    authority: str,
    given_on: date,
    document,
    departement: Departement | None = None,
) -> WrittenOpinion:
    """INS-WRITTEN-OPINIONS: store a dated, uploaded opinion."""
    ensure_not_dissolved(committee)
    if given_on > date.today():
        raise RuleError("La date de l'avis ne peut être dans le futur.", field="given_on")
    return WrittenOpinion.objects.create(
        committee=committee,
        subject=subject,
        authority=authority.strip(),
        given_on=given_on,
        document=document,
        departement=departement,
    )
