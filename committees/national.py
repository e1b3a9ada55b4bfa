"""National seeder (``manage.py seed_national``): every committee of France, with its people.

- INS-LEVELS: one CRE per region (INS-CRE-CREFOP: within the CREFOP), one CDE per département,
  with the special cases of DEC-SPECIAL-CDE: INS-CDE-RHONE (the Rhône and the Métropole de
  Lyon), INS-CDE-SINGLE (one CDE for 67+68, Collectivité européenne d'Alsace, and one for
  2A+2B, Collectivité de Corse); the Outre-mer of the ordonnance n° 2024-534 (DROM, and
  Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, which get no CLE: one or two
  communes each).
- INS-CLE-PERIMETER: installed CLEs that cover every commune of their département, built from
  the EPCI (or EPT) wholly inside it, then whole arrondissements and single communes for the
  rest; one per arrondissement at scale 1 (about 335), fewer below (grouped arrondissements). The Métropole de Lyon has its own
  CLE under its CDE; the Rhône's CLEs leave it out.
- DEC-COPRESIDENCY, INS-COMPOSITION, DEC-VOTERS, DEC-MAX: co-presidents on both sides and every
  permanent category seated within the decree's maximum, with substitutes, other network
  members and invited experts (about 11,500 seats at scale 1); rules of procedure adopted
  (INS-RULES); the CDE's IAE commission (DEC-IAE); the SPER/SPED/SPEL replaced (INS-REPLACES).
- DOMAIN §4: a DREETS agent per region, a DDETS agent per département (``ddets-<code>@…``);
  then the guardian permissions derived as the services derive them.

Idempotent per region: a region that already has its CRE is left as it is.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db.models import Q

from committees.models import (
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    CrefopMode,
    FormerInstance,
    Level,
    Membership,
    RulesOfProcedure,
    SpecialAuthority,
    StaffAssignment,
    WrittenOpinion,
)
from committees.models.rules import VOTING_CATEGORIES, Category, has_mandate
from committees.permissions import sync_committee_permissions
from committees.services.committees import IAE_COMMISSION_NAME
from committees.services.composition import default_mandate_end
from cte_portal.core.national import NationalRun, bulk, person, save_people
from territories.models import Arrondissement, Commune, Departement, Epci, Ept, Region, Zone

# Collectivités d'outre-mer within the ordonnance n° 2024-534 (the others are not in scope).
COM_IN_SCOPE = ("975", "977", "978")
# A one-page PDF standing for a scanned opinion (DEC-SPECIAL-CDE).
OPINION_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
METRO_START = date(2024, 7, 1)  # INS-DATES
OVERSEAS_START = date(2024, 9, 2)
SPECIAL_NAMES = {
    SpecialAuthority.METROPOLE_LYON: ("CDE de la Métropole de Lyon", "Métropole de Lyon"),
    SpecialAuthority.CEA: (
        "CDE de la Collectivité européenne d'Alsace",
        "Collectivité européenne d'Alsace",
    ),
    SpecialAuthority.CORSE: ("CDE de Corse", "Collectivité de Corse"),
}
UNIONS = ("CFDT", "CGT", "FO", "CFE-CGC", "CFTC")
EMPLOYERS = ("MEDEF", "CPME", "U2P", "FNSEA")
NETWORK = (
    "Chambre de commerce et d'industrie",
    "Chambre de métiers et de l'artisanat",
    "Les entreprises s'engagent",
    "Coordination du Pacte Plein Emploi",
    "PaQte",
    "Entrepreneuriat Quartiers 2030",
    "Inter-réseau de l'IAE",
    "Chambre d'agriculture",
    "Agefiph",
)
EXPERTS = ("Éducation nationale", "Droits des femmes", "Caisse d'allocations familiales")


def regions_in_scope(run: NationalRun):
    """Regions the national data covers (all of them, or those ``--regions`` names)."""
    regions = Region.objects.current().filter(
        Q(zone__in=[Zone.METRO, Zone.DROM]) | Q(code__in=COM_IN_SCOPE)
    )
    if run.regions:
        regions = regions.filter(code__in=run.regions)
    return regions.order_by("code")


def national_committees(run: NationalRun):
    """Installed committees of the regions in scope (what the later seeders fill)."""
    return Committee.objects.installed().filter(region__in=regions_in_scope(run))


@dataclass
class Plan:
    key: str
    level: str
    name: str
    region: Region
    departements: list[str]
    installed_on: date
    territory: str  # « du Rhône », for organisation names
    special_authority: str = ""
    parent_key: str = ""
    arrondissements: list[str] = field(default_factory=list)
    epcis: list[str] = field(default_factory=list)
    epts: list[str] = field(default_factory=list)
    single_communes: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)
    local_authorities: list[str] = field(default_factory=list)
    population: int = 0
    pk: int | None = None


class _Territory:
    """The reference loaded once: communes by département, who crosses which border."""

    def __init__(self, departement_codes: list[str]):
        self.communes = defaultdict(list)  # département → [(code, arr, epci, ept, population)]
        self.population = {}
        rows = Commune.objects.current().values_list(
            "code", "departement_id", "arrondissement_id", "epci_id", "ept_id", "population"
        )
        self.epci_departements = defaultdict(set)
        self.ept_departements = defaultdict(set)
        self.arrondissement_communes = defaultdict(set)
        for code, dep, arr, epci, ept, population in rows:
            if epci:
                self.epci_departements[epci].add(dep)
            if ept:
                self.ept_departements[ept].add(dep)
            if arr:
                self.arrondissement_communes[arr].add(code)
            self.population[code] = population
            if dep in departement_codes:
                self.communes[dep].append((code, arr, epci, ept))
        self.lyon = set(Epci.objects.filter(kind=Epci.Kind.MET69).values_list("code", flat=True))
        self.names = {
            "arr": dict(Arrondissement.objects.values_list("code", "name")),
            "epci": dict(Epci.objects.values_list("code", "name")),
            "ept": dict(Ept.objects.values_list("code", "name")),
        }


def _of(name: str) -> str:
    return f"de l'{name}" if name[:1] in "AEIOUYÉÎ" else f"de {name}"


def _cle_plans(run, dep: Departement, territory: _Territory, parent_key: str, start) -> list:
    """INS-CLE-PERIMETER: the département's communes split into CLEs, from its EPCI/EPT and
    arrondissements; every commune in exactly one CLE, none outside the département."""
    communes = [c for c in territory.communes[dep.code] if c[2] not in territory.lyon]
    if not communes:
        return []
    arrondissements = sorted({c[1] for c in communes if c[1]})
    count = min(max(1, len(arrondissements)), run.scaled(len(arrondissements) or 1))
    group_of_arr = {arr: i * count // len(arrondissements) for i, arr in enumerate(arrondissements)}

    def arr_group(commune):
        return group_of_arr.get(commune[1], 0)

    # EPCI / EPT wholly inside the département go whole to the group most of their communes
    # fall in; the others' communes are taken one by one.
    units = defaultdict(list)
    for commune in communes:
        code, arr, epci, ept = commune
        if ept and territory.ept_departements[ept] == {dep.code}:
            units[("ept", ept)].append(commune)
        elif epci and territory.epci_departements[epci] == {dep.code}:
            units[("epci", epci)].append(commune)
        else:
            units[("commune", code)].append(commune)
    groups = defaultdict(lambda: {"epci": [], "ept": [], "commune": [], "all": []})
    for (kind, code), members in units.items():
        group = Counter(arr_group(c) for c in members).most_common(1)[0][0]
        groups[group][kind].append(code)
        groups[group]["all"].extend(c[0] for c in members)
    plans = []
    for index in sorted(groups):
        picks = groups[index]
        singles = set(picks["commune"])
        whole_arrs = sorted(
            arr
            for arr in {c[1] for c in communes if c[0] in singles and c[1]}
            if territory.arrondissement_communes[arr] <= singles
        )
        covered_by_arrs = set().union(*(territory.arrondissement_communes[a] for a in whole_arrs))
        names = [territory.names["arr"][a] for a in arrondissements if group_of_arr[a] == index]
        label = " – ".join(names) if names and count > 1 else dep.name
        plans.append(
            Plan(
                key=f"cle-{dep.code}-{index + 1}".lower(),
                level=Level.LOCAL,
                name=f"CLE {_of(label)} ({dep.code})"[:255],
                region=dep.region,
                departements=[dep.code],
                installed_on=start + timedelta(days=60 + 7 * index),
                territory=f"{_of(label)}",
                parent_key=parent_key,
                arrondissements=whole_arrs,
                epcis=sorted(picks["epci"]),
                epts=sorted(picks["ept"]),
                single_communes=sorted(singles - covered_by_arrs),
                communes=sorted(picks["all"]),
                local_authorities=[territory.names["epci"][e] for e in sorted(picks["epci"])[:3]]
                or [territory.names["ept"][e] for e in sorted(picks["ept"])[:3]],
            )
        )
    return plans


def _plans(run: NationalRun, regions: list[Region]) -> tuple[list[Plan], _Territory]:
    departements = list(
        Departement.objects.current().filter(region__in=regions).select_related("region")
    )
    territory = _Territory([d.code for d in departements])
    by_region = defaultdict(list)
    for dep in departements:
        by_region[dep.region_id].append(dep)
    plans = []
    for region in regions:
        start = METRO_START if region.zone == Zone.METRO else OVERSEAS_START
        cre = Plan(
            key=f"cre-{region.code}",
            level=Level.REGIONAL,
            name=f"CRE {_of(region.name)}",
            region=region,
            departements=[],
            installed_on=start + timedelta(days=2),
            territory=_of(region.name),
        )
        plans.append(cre)
        specials_done = set()
        for dep in sorted(by_region[region.code], key=lambda d: d.code):
            special = next(
                (
                    authority
                    for authority in (SpecialAuthority.CEA, SpecialAuthority.CORSE)
                    if dep.code in _SPECIAL_DEPARTEMENTS[authority]
                ),
                "",
            )
            cde_start = start + timedelta(days=9)
            if special:
                key = f"cde-{special}"
                if special not in specials_done:
                    specials_done.add(special)
                    name, authority = SPECIAL_NAMES[special]
                    plans.append(
                        Plan(
                            key=key,
                            level=Level.DEPARTMENTAL,
                            name=name,
                            region=region,
                            departements=list(_SPECIAL_DEPARTEMENTS[special]),
                            installed_on=cde_start,
                            territory=_of(authority),
                            special_authority=special,
                            parent_key=cre.key,
                            local_authorities=[authority],
                        )
                    )
            else:
                key = f"cde-{dep.code}".lower()
                plans.append(
                    Plan(
                        key=key,
                        level=Level.DEPARTMENTAL,
                        name=f"CDE {_of(dep.name)} ({dep.code})",
                        region=region,
                        departements=[dep.code],
                        installed_on=cde_start,
                        territory=_of(dep.name),
                        parent_key=cre.key,
                        local_authorities=[f"Conseil départemental {_of(dep.name)}"],
                    )
                )
            if dep.code in _SPECIAL_DEPARTEMENTS[SpecialAuthority.METROPOLE_LYON]:
                # INS-CDE-RHONE: the Métropole de Lyon's CDE, and its CLE over the Métropole.
                name, authority = SPECIAL_NAMES[SpecialAuthority.METROPOLE_LYON]
                plans.append(
                    Plan(
                        key="cde-lyon",
                        level=Level.DEPARTMENTAL,
                        name=name,
                        region=region,
                        departements=[dep.code],
                        installed_on=cde_start,
                        territory=_of(authority),
                        special_authority=SpecialAuthority.METROPOLE_LYON,
                        parent_key=cre.key,
                        local_authorities=[authority],
                    )
                )
                lyon = sorted(c[0] for c in territory.communes[dep.code] if c[2] in territory.lyon)
                if lyon:
                    plans.append(
                        Plan(
                            key="cle-lyon",
                            level=Level.LOCAL,
                            name="CLE de la Métropole de Lyon",
                            region=region,
                            departements=[dep.code],
                            installed_on=cde_start + timedelta(days=60),
                            territory=_of(authority),
                            parent_key="cde-lyon",
                            epcis=sorted(territory.lyon),
                            communes=lyon,
                            local_authorities=[authority],
                        )
                    )
            if region.zone != Zone.COM:
                plans.extend(_cle_plans(run, dep, territory, key, cde_start))
    for plan in plans:
        plan.population = sum(territory.population.get(c, 0) for c in plan.communes)
    return plans, territory


_SPECIAL_DEPARTEMENTS = {
    SpecialAuthority.METROPOLE_LYON: ("69",),
    SpecialAuthority.CEA: ("67", "68"),
    SpecialAuthority.CORSE: ("2A", "2B"),
}


def _describe(plan: Plan, names: dict, commune_names: dict) -> str:
    """What ``describe_perimeter`` writes, from the picks (INS-CLE-PERIMETER)."""
    parts = [
        ("Arrondissements", [(c, names["arr"][c]) for c in plan.arrondissements]),
        ("EPCI", [(c, names["epci"][c]) for c in plan.epcis]),
        ("EPT", [(c, names["ept"][c]) for c in plan.epts]),
        ("Communes", [(c, commune_names[c]) for c in plan.single_communes]),
    ]
    return "\n".join(
        f"{label} : " + ", ".join(f"{name} ({code})" for code, name in items)
        for label, items in parts
        if items
    )


# --- Composition ---------------------------------------------------------------------------

# (category, organisation pattern, titulars, substitutes); then non-permanent seats.
COMPOSITION = {
    Level.REGIONAL: [
        (
            Category.STATE,
            [
                "Préfecture de région",
                "DREETS",
                "Rectorat",
                "Commissaire à la lutte contre la pauvreté",
            ],
            2,
        ),
        (Category.REGION, ["Conseil régional"] * 3, 1),
        (Category.DEPARTEMENT, ["Conseil départemental"] * 3, 0),
        (Category.EMPLOYEE_UNIONS, list(UNIONS), 1),
        (Category.EMPLOYER_ORGS, list(EMPLOYERS), 1),
        (Category.FRANCE_TRAVAIL, ["France Travail — direction régionale"], 0),
        (Category.MISSIONS_LOCALES, ["Association régionale des missions locales"], 0),
        (Category.CAP_EMPLOI, ["Cap emploi — réseau régional"], 0),
    ],
    Level.DEPARTMENTAL: [
        (
            Category.STATE,
            [
                "Préfecture",
                "DDETS",
                "Éducation nationale",
                "Commissaire à la lutte contre la pauvreté",
            ],
            2,
        ),
        (Category.DEPARTEMENT, ["{authority}"] * 3, 2),
        (Category.COMMUNES_EPCI, ["Association des maires", "Intercommunalités"], 0),
        (Category.EMPLOYEE_UNIONS, list(UNIONS[:4]), 1),
        (Category.EMPLOYER_ORGS, list(EMPLOYERS), 2),
        (Category.FRANCE_TRAVAIL, ["France Travail — direction territoriale"], 0),
        (Category.MISSIONS_LOCALES, ["Mission locale"], 0),
        (Category.CAP_EMPLOI, ["Cap emploi"], 0),
    ],
    Level.LOCAL: [
        (Category.STATE, ["Sous-préfecture"], 1),
        (Category.COMMUNES_EPCI, ["{epci0}", "{epci1}", "{epci2}"], 3),
        (Category.FRANCE_TRAVAIL, ["France Travail — agence"], 1),
        (Category.MISSIONS_LOCALES, ["Mission locale"], 1),
        (Category.CAP_EMPLOI, ["Cap emploi"], 1),
    ],
}
NON_PERMANENT = {Level.REGIONAL: (3, 0), Level.DEPARTMENTAL: (3, 1), Level.LOCAL: (6, 3)}


def _organisation(pattern: str, plan: Plan, index: int) -> str:
    authorities = plan.local_authorities or [f"Communes {plan.territory}"]
    values = {
        "authority": authorities[0],
        **{f"epci{i}": authorities[i % len(authorities)] for i in range(3)},
    }
    text = pattern.format(**values)
    if "{" in pattern or text in UNIONS or text in EMPLOYERS:
        return text if "{" in pattern else f"{text} {plan.territory}"
    return f"{text} {plan.territory}"


def _seats(plan: Plan):
    """(category, organisation, permanent, substitute of index) for one committee."""
    seats = []
    for category, organisations, substitutes in COMPOSITION[plan.level]:
        first = len(seats)
        for index, pattern in enumerate(organisations):
            seats.append((category, _organisation(pattern, plan, index), True, None))
        for index in range(substitutes):
            seats.append((category, seats[first + index][1], True, first + index))
    network, experts = NON_PERMANENT[plan.level]
    for index in range(network):
        seats.append((Category.OTHER_NETWORK, f"{NETWORK[index % len(NETWORK)]}", False, None))
    for index in range(experts):
        seats.append((Category.INVITED_EXPERT, EXPERTS[index % len(EXPERTS)], False, None))
    return seats


def _chairs(plan: Plan, region_prefect: str, prefects: dict) -> list:
    """DEC-COPRESIDENCY: (side, account key, office, authority)."""
    if plan.level == Level.REGIONAL:
        state = (region_prefect, f"Préfet de la région {plan.region.name}")
        local = [(f"{plan.key}-president", "Président du conseil régional", "Conseil régional")]
    else:
        dep = plan.departements[0]
        state = (prefects[dep], f"Préfète ({dep})")
        authorities = plan.local_authorities or [f"Communes {plan.territory}"]
        if plan.level == Level.DEPARTMENTAL:
            local = [(f"{plan.key}-president", "Président(e) de la collectivité", authorities[0])]
        else:
            local = [
                (f"{plan.key}-president-{i + 1}", "Président(e) de l'intercommunalité", name)
                for i, name in enumerate(authorities[:2])
            ]
    return [
        (CoPresidency.Side.STATE, state[0], state[1], ""),
        *[
            (CoPresidency.Side.LOCAL_AUTHORITY, key, office, authority)
            for key, office, authority in local
        ],
    ]


# --- Seeding -------------------------------------------------------------------------------


def seed_national(run: NationalRun) -> list[Committee]:
    """Seed every committee of the regions in scope that have none yet (see module doc)."""
    in_scope = list(regions_in_scope(run))
    if not in_scope:
        raise CommandError(
            "Le référentiel territorial n'est pas chargé : lancez d'abord "
            "« python manage.py import_territories »."
        )
    unknown = sorted(set(run.regions) - {region.code for region in in_scope})
    if unknown:
        raise CommandError(
            "Région inconnue ou sans comités pour l'emploi : " + ", ".join(unknown) + "."
        )
    regions = [
        region
        for region in in_scope
        if not Committee.objects.filter(level=Level.REGIONAL, region=region).exists()
    ]
    if not regions:
        return []
    progress = run.progress
    plans, territory = _plans(run, regions)
    departements = sorted({d for plan in plans for d in plan.departements})
    # DOMAIN §4: a DREETS agent per region, a DDETS agent and a préfet per département.
    prefects = {d: f"prefet-{d}".lower() for d in departements}
    staff_people = [
        person(
            f"dreets-{r.code}", i, organisation=f"DREETS {r.name}", job_title="Chargé de mission"
        )
        for i, r in enumerate(regions)
    ]
    staff_people += [
        person(f"ddets-{d}".lower(), i, organisation=f"DDETS ({d})", job_title="Chargée de mission")
        for i, d in enumerate(departements)
    ]
    staff_people += [
        person(key, i, organisation="Préfecture") for i, key in enumerate(prefects.values())
    ]
    staff_people += [
        person(f"prefet-region-{r.code}", i, organisation="Préfecture de région")
        for i, r in enumerate(regions)
    ]
    seats_by_plan = {plan.key: _seats(plan) for plan in plans}
    chairs_by_plan = {
        plan.key: _chairs(plan, f"prefet-region-{plan.region.code}", prefects) for plan in plans
    }
    people = list(staff_people)
    for plan in plans:
        people += [
            person(f"{plan.key}-m{index:02d}", index, organisation=organisation)
            for index, (_, organisation, _, _) in enumerate(seats_by_plan[plan.key])
        ]
        people += [
            person(key, index, organisation=authority or "Préfecture", job_title=office)
            for index, (side, key, office, authority) in enumerate(chairs_by_plan[plan.key])
            if side == CoPresidency.Side.LOCAL_AUTHORITY
        ]
    progress.start("Comités : comptes", len(people))
    accounts = save_people(people, progress)
    run.added("accounts", len(people) - len(staff_people))

    def account(key: str):
        return accounts[f"{key}@national.example.org".lower()]

    started = min(plan.installed_on for plan in plans) - timedelta(days=30)
    bulk(
        StaffAssignment,
        [
            StaffAssignment(
                user=account(f"dreets-{r.code}"), service="dreets", region=r, started_on=started
            )
            for r in regions
        ]
        + [
            StaffAssignment(
                user=account(f"ddets-{d}".lower()),
                service="ddets",
                departement_id=d,
                started_on=started,
            )
            for d in departements
        ],
    )
    # Committees, level by level so that parents have their primary keys.
    progress.start("Comités : comités et périmètres", len(plans))
    by_key: dict[str, Plan] = {}
    commune_names = dict(
        Commune.objects.filter(code__in={c for p in plans for c in p.single_communes}).values_list(
            "code", "name"
        )
    )
    for level in (Level.REGIONAL, Level.DEPARTMENTAL, Level.LOCAL):
        level_plans = [p for p in plans if p.level == level]
        rows = [
            Committee(
                level=level,
                name=plan.name,
                status=Committee.Status.INSTALLED,
                installed_on=plan.installed_on,
                arrete_reference=(
                    f"Arrêté préfectoral n° {plan.key.upper()}-{plan.installed_on:%Y-%m-%d}-001 "
                    f"du {plan.installed_on:%d/%m/%Y}"
                ),
                region=plan.region,
                special_authority=plan.special_authority,
                crefop_mode=CrefopMode.WITHIN if level == Level.REGIONAL else "",
                parent_id=by_key[plan.parent_key].pk if plan.parent_key else None,
                perimeter_description=_describe(plan, territory.names, commune_names),
                population=plan.population if level == Level.LOCAL else 0,
                commune_count=len(plan.communes) if level == Level.LOCAL else 0,
            )
            for plan in level_plans
        ]
        for plan, committee in zip(level_plans, bulk(Committee, rows), strict=True):
            plan.pk = committee.pk
            by_key[plan.key] = plan
        through = Committee.departements.through
        bulk(
            through,
            [
                through(committee_id=plan.pk, departement_id=code)
                for plan in level_plans
                for code in plan.departements
            ],
        )
        if level == Level.LOCAL:
            for attr, field_name, values in (
                ("communes", "commune_id", "communes"),
                ("perimeter_communes", "commune_id", "single_communes"),
                ("perimeter_epcis", "epci_id", "epcis"),
                ("perimeter_epts", "ept_id", "epts"),
                ("perimeter_arrondissements", "arrondissement_id", "arrondissements"),
            ):
                through = getattr(Committee, attr).through
                bulk(
                    through,
                    [
                        through(committee_id=plan.pk, **{field_name: code})
                        for plan in level_plans
                        for code in getattr(plan, values)
                    ],
                )
        progress.advance(len(level_plans))
    run.added("committees", len(plans))
    # Co-presidencies and members.
    progress.start("Comités : compositions", len(plans))
    copresidencies, titulars, substitutes = [], [], []
    for plan in plans:
        start = plan.installed_on - timedelta(days=10)
        for side, key, office, authority in chairs_by_plan[plan.key]:
            copresidencies.append(
                CoPresidency(
                    committee_id=plan.pk,
                    side=side,
                    person=account(key),
                    office=office,
                    authority=authority,
                    started_on=start,
                )
            )
        rows = []
        for index, (category, organisation, permanent, substitute_of) in enumerate(
            seats_by_plan[plan.key]
        ):
            votes = 1 if category in VOTING_CATEGORIES else 0
            membership = Membership(
                committee_id=plan.pk,
                person=account(f"{plan.key}-m{index:02d}"),
                organisation=organisation,
                category=category,
                is_permanent=permanent,
                role=Membership.Role.SUBSTITUTE
                if substitute_of is not None
                else Membership.Role.TITULAR,
                has_vote=category in VOTING_CATEGORIES,
                votes=votes,
                mandate_start=start,
                # DEC-MANDATE: three years for appointed members; seats held by law
                # (France Travail…) have no end.
                mandate_end=default_mandate_end(start)
                if permanent and has_mandate(plan.level, category)
                else None,
                appointment_arrete=f"Arrêté de désignation {plan.key.upper()}",
            )
            rows.append(membership)
            if substitute_of is None:
                titulars.append(membership)
            else:
                substitutes.append((membership, rows[substitute_of]))
        progress.advance()
    bulk(CoPresidency, copresidencies)
    # DEC-SPECIAL-CDE: the collectivité president's opinion on the composition of the CDE
    # (Métropole de Lyon, Alsace, Corse), given before installation.
    special = [p for p in plans if p.level == Level.DEPARTMENTAL and p.special_authority]
    if special:
        document = default_storage.save(
            "written_opinions/national/avis-composition.pdf", ContentFile(OPINION_PDF)
        )
        bulk(
            WrittenOpinion,
            [
                WrittenOpinion(
                    committee_id=plan.pk,
                    subject=WrittenOpinion.Subject.SPECIAL_CDE,
                    authority=f"Président de la {SpecialAuthority(plan.special_authority).label}",
                    given_on=plan.installed_on - timedelta(days=5),
                    document=document,
                )
                for plan in special
            ],
        )
    bulk(Membership, titulars)
    for membership, titular in substitutes:
        membership.substitute_for_id = titular.pk
    bulk(Membership, [membership for membership, _ in substitutes])
    run.added("co-presidencies", len(copresidencies))
    run.added("memberships", len(titulars) + len(substitutes))
    # INS-RULES, DEC-IAE, INS-REPLACES.
    bulk(
        RulesOfProcedure,
        [
            RulesOfProcedure(
                committee_id=plan.pk,
                version=1,
                principles="Le comité recherche le consensus.",
                secretariat="Le secrétariat est assuré par les services de l'État.",
                bodies="Une instance stratégique et une instance technique.",
                means="Moyens mis à disposition par l'État et les collectivités.",
                meetings="Au moins trois réunions par an.",
                commissions="Groupes de travail selon la feuille de route.",
                iae_commission="Commission inclusion et IAE."
                if plan.level == Level.DEPARTMENTAL
                else "",
                coordination="Coordination avec les comités des autres niveaux.",
                adopted_on=plan.installed_on - timedelta(days=1),
            )
            for plan in plans
            if plan.level != Level.REGIONAL
        ],
    )
    cdes = [plan for plan in plans if plan.level == Level.DEPARTMENTAL]
    commissions = bulk(
        Commission,
        [
            Commission(
                committee_id=plan.pk,
                kind=Commission.Kind.IAE,
                name=IAE_COMMISSION_NAME,
                is_mandatory=True,
            )
            for plan in cdes
        ],
    )
    bulk(
        CommissionMember,
        [
            CommissionMember(
                commission=commission,
                person=account(f"{plan.key}-m{index:02d}"),
                organisation=seats_by_plan[plan.key][index][1],
                is_chair=index == 0,
            )
            for plan, commission in zip(cdes, commissions, strict=True)
            for index in (0, 4, len(seats_by_plan[plan.key]) - 4)
        ],
    )
    former = {
        Level.REGIONAL: (FormerInstance.Kind.SPER, "SPER"),
        Level.DEPARTMENTAL: (FormerInstance.Kind.SPED, "SPED"),
        Level.LOCAL: (FormerInstance.Kind.SPEL, "SPEL"),
    }
    bulk(
        FormerInstance,
        [
            FormerInstance(
                committee_id=plan.pk,
                kind=former[plan.level][0],
                name=f"{former[plan.level][1]} {plan.territory}",
                outcome=FormerInstance.Outcome.REMOVED,
            )
            for plan in plans
        ],
    )
    # Guardian permissions, derived from the facts as the services derive them.
    committees = list(Committee.objects.filter(pk__in=[plan.pk for plan in plans]))
    progress.start("Comités : permissions", len(committees))
    for committee in committees:
        sync_committee_permissions(committee)
        progress.advance()
    return committees


def secretariats(committees) -> dict[int, int]:
    """The user id of the State agent running each committee's secretariat (DOMAIN §4): the
    DREETS agent for a CRE, the DDETS agent of its (first) département for a CDE or CLE."""
    staff = StaffAssignment.objects.active()
    dreets = dict(staff.filter(service="dreets").values_list("region_id", "user_id"))
    ddets = dict(staff.filter(service="ddets").values_list("departement_id", "user_id"))
    first_departement = {}
    for committee_id, code in Committee.departements.through.objects.filter(
        committee__in=[c.pk for c in committees]
    ).values_list("committee_id", "departement_id"):
        first_departement.setdefault(committee_id, code)
    result = {}
    for committee in committees:
        if committee.level == Level.REGIONAL:
            user_id = dreets.get(committee.region_id)
        else:
            user_id = ddets.get(first_departement.get(committee.pk))
        if user_id:
            result[committee.pk] = user_id
    return result
