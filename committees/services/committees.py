"""Writes on committees: creation, territory, perimeter, installation, dissolution.

Each function checks its rule (cited by id), writes in one transaction, re-derives the object
permissions it affects, and leaves the history to django-simple-history.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum

from committees.models import (
    REQUIRED_CATEGORIES,
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
from committees.models.rules import Category
from committees.permissions import sync_committee_permissions
from cte_portal.core.errors import RuleError
from cte_portal.core.request_memo import memoise
from territories.models import Commune, Departement, Region

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
) -> None:
    """Uniqueness and shape of a committee's territory.

    - INS-LEVELS / INS-CRE-CREFOP: one CRE per region, with its CREFOP mode.
    - DEC-SPECIAL-CDE, INS-CDE-RHONE, INS-CDE-SINGLE: one CDE per département, except the
      Métropole de Lyon beside the Rhône, and single CDEs over 67+68 (CEA) and 2A+2B (Corse).
    """
    others = Committee.objects.active().filter(level=level)
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
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
    if any(d.region_id != region.code for d in departements):
        raise RuleError("Les départements doivent appartenir à la région du comité.")
    if level == Level.DEPARTMENTAL:
        _check_departmental(departements, special_authority, others)


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
) -> Committee:
    """Create a committee in draft. A CDE gets its IAE commission at once (INS-CDE-COMMISSIONS,
    DEC-IAE). Callers check ``can_create_committee`` first."""
    departements = list(departements)
    check_territory(
        level=level,
        region=region,
        departements=departements,
        special_authority=special_authority,
        crefop_mode=crefop_mode,
    )
    committee = Committee.objects.create(
        level=level,
        name=name.strip(),
        region=region,
        special_authority=special_authority if level == Level.DEPARTMENTAL else "",
        crefop_mode=crefop_mode if level == Level.REGIONAL else "",
        arrete_reference=arrete_reference,
        parent=parent or _default_parent(level, region, departements),
    )
    if level == Level.DEPARTMENTAL:
        committee.departements.set(departements)
        Commission.objects.create(
            committee=committee,
            kind=Commission.Kind.IAE,
            name=IAE_COMMISSION_NAME,
            is_mandatory=True,
        )
    elif level == Level.LOCAL and departements:
        committee.departements.set(departements)
    sync_committee_permissions(committee)
    return committee


def _default_parent(level, region, departements) -> Committee | None:
    if level == Level.DEPARTMENTAL:
        return Committee.objects.active().filter(level=Level.REGIONAL, region=region).first()
    if level == Level.LOCAL and departements:
        return (
            Committee.objects.active()
            .filter(level=Level.DEPARTMENTAL, departements__in=departements, special_authority="")
            .first()
            or Committee.objects.active()
            .filter(level=Level.DEPARTMENTAL, departements__in=departements)
            .first()
        )
    return None


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
        )
    committee.save()
    return committee


def resolve_perimeter(*, arrondissements=(), epcis=(), epts=(), communes=()) -> list[str]:
    """INS-CLE-PERIMETER: the communes a perimeter made of arrondissements, EPCI, EPT and
    individual communes covers (current communes only), as sorted INSEE codes."""
    query = Q(pk__in=[])
    if arrondissements:
        query |= Q(arrondissement__in=arrondissements)
    if epcis:
        query |= Q(epci__in=epcis)
    if epts:
        query |= Q(ept__in=epts)
    if communes:
        query |= Q(pk__in=[getattr(c, "pk", c) for c in communes])
    return sorted(Commune.objects.current().filter(query).values_list("code", flat=True))


def commune_conflicts(
    *, committee: Committee, commune_codes: Iterable[str]
) -> list[tuple[Commune, Committee]]:
    """Communes already covered by another installed CLE (a commune belongs to at most one
    installed CLE at a time), with that committee."""
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
    return [(row.commune, row.committee) for row in rows]


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
    *, committee: Committee, arrondissements=(), epcis=(), epts=(), communes=()
) -> Committee:
    """Set a CLE's perimeter and store the resulting communes, population and départements.

    Refused, with the list of conflicting communes, when the committee is installed and a
    commune already belongs to another installed CLE; refused when it leaves the region.
    """
    if committee.level != Level.LOCAL:
        raise RuleError("Seul un comité local a un périmètre de communes.")
    ensure_not_dissolved(committee)
    codes = resolve_perimeter(
        arrondissements=arrondissements, epcis=epcis, epts=epts, communes=communes
    )
    if not codes:
        raise RuleError("Le périmètre ne contient aucune commune.", field="communes")
    selected = Commune.objects.filter(code__in=codes)
    outside = selected.exclude(region_id=committee.region_id).values_list("name", flat=True)[:5]
    if outside:
        raise RuleError(
            "Le périmètre sort de la région du comité : " + ", ".join(outside) + ".",
            field="communes",
        )
    if committee.is_installed:
        conflicts = commune_conflicts(committee=committee, commune_codes=codes)
        if conflicts:
            raise _conflict_error(conflicts)
    committee.perimeter_arrondissements.set(arrondissements)
    committee.perimeter_epcis.set(epcis)
    committee.perimeter_epts.set(epts)
    committee.perimeter_communes.set([getattr(c, "pk", c) for c in communes])
    committee.communes.set(codes)
    committee.departements.set(sorted(set(selected.values_list("departement_id", flat=True))))
    totals = selected.aggregate(population=Sum("population"))
    committee.population = totals["population"] or 0
    committee.commune_count = len(codes)
    committee.perimeter_description = describe_perimeter(committee)
    committee.save(
        update_fields=["population", "commune_count", "perimeter_description", "updated_at"]
    )
    if committee.parent_id is None:
        committee.parent = _default_parent(
            Level.LOCAL, committee.region, list(committee.departements.all())
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
        ("Communes", committee.perimeter_communes.order_by("code")),
    ]
    return "\n".join(
        f"{label} : " + ", ".join(f"{item.name} ({item.code})" for item in items)
        for label, items in parts
        if items.exists()
    )


def is_interdepartmental(committee: Committee) -> bool:
    return committee.level == Level.LOCAL and committee.departements.count() > 1


def max_members(committee: Committee) -> int:
    """DEC-MAX, with the decree's defaults as settings, unless an arrêté fixed another value."""
    if committee.max_members_override:
        return committee.max_members_override
    limits = settings.CTE
    if committee.level == Level.REGIONAL:
        large = committee.region.departements.current().count() > 6
        return limits["MAX_MEMBERS_REGIONAL_LARGE" if large else "MAX_MEMBERS_REGIONAL_SMALL"]
    if committee.level == Level.DEPARTMENTAL:
        return limits["MAX_MEMBERS_DEPARTMENTAL"]
    return limits["MAX_MEMBERS_LOCAL"]


def appointed_members(committee: Committee):
    """Appointed members counted against DEC-MAX: permanent titulars in office."""
    return Membership.objects.active().filter(
        committee=committee, is_permanent=True, role=Membership.Role.TITULAR
    )


def active_memberships(committee: Committee) -> list[Membership]:
    """The memberships in office today, with their person, by organisation and name: one
    query, made once per read-only request (the committee page's warnings, composition panel
    and vote balance all read them)."""
    return memoise(
        ("active_memberships", committee.pk),
        lambda: list(
            Membership.objects.active()
            .filter(committee=committee)
            .select_related("person")
            .order_by("organisation", "person__last_name", "pk")
        ),
    )


def active_copresidencies(committee: Committee) -> list[CoPresidency]:
    """The co-presidencies in office today, with the person and the delegate (one query,
    made once per read-only request)."""
    return memoise(
        ("active_copresidencies", committee.pk),
        lambda: list(
            CoPresidency.objects.active()
            .filter(committee=committee)
            .select_related("person", "delegate")
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
    return [c for c in REQUIRED_CATEGORIES[committee.level] if c not in present]


def installation_problems(committee: Committee) -> list[str]:
    """Everything that keeps a committee from being installed, in French."""
    problems = []
    sides = {copresidency.side for copresidency in active_copresidencies(committee)}
    if CoPresidency.Side.STATE not in sides:
        problems.append("Il manque le co-président représentant l'État.")
    if CoPresidency.Side.LOCAL_AUTHORITY not in sides:
        problems.append("Il manque le co-président représentant les collectivités.")
    missing = missing_categories(committee)
    if missing:
        labels = ", ".join(Category(c).label for c in missing)
        problems.append(f"Catégories de membres permanents manquantes : {labels}.")
    count, limit = len(_appointed(committee)), max_members(committee)
    if count > limit:
        problems.append(f"{count} membres nommés pour un maximum de {limit}.")
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


def _missing_opinions(committee, subject) -> list[str]:
    """INS-WRITTEN-OPINIONS: a CLE across départements needs an opinion per département
    concerned; a CREFOP merger needs at least the regional council's."""
    opinions = committee.written_opinions.filter(subject=subject)
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
    if problems:
        raise RuleError(problems)
    committee.status = Committee.Status.INSTALLED
    committee.installed_on = installed_on
    committee.save()
    # The caller's instance must not keep saying « draft » (set_perimeter checks overlaps
    # of installed CLEs from it).
    caller_instance.refresh_from_db()
    return committee


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
