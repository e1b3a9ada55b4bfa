"""National seeder (``manage.py seed_national``): funders' conferences and their offer.

INS-FUNDERS: every CDE holds a departmental funders' conference each year since its
installation (three at scale 1) with the State, the Département, the Region, the communes and
EPCI, France Travail and other contributors, each bringing funding lines (scheme, public,
amounts, volumes); every CLE holds a local funding conference. Idempotent: only committees
with no funder get some.
"""

from datetime import date
from decimal import Decimal

from committees.models import Level, Membership
from committees.models.rules import Category
from committees.national import national_committees, secretariats
from cte_portal.core.national import NationalRun, bulk
from funders.models import Funder, FunderKind, FundersConference, FundingLine, Public, SchemeKind

FUNDERS = (
    (FunderKind.STATE, "État — DDETS", None),
    (FunderKind.DEPARTEMENT, "Conseil départemental", Category.DEPARTEMENT),
    (FunderKind.REGION, "Conseil régional", None),
    (FunderKind.COMMUNES_EPCI, "Intercommunalités", Category.COMMUNES_EPCI),
    (FunderKind.FRANCE_TRAVAIL, "France Travail", Category.FRANCE_TRAVAIL),
    (FunderKind.OTHER, "Agefiph", None),
)
SCHEMES = (
    ("Accompagnement global", SchemeKind.SUPPORT, Public.RSA),
    ("Parcours emploi compétences", SchemeKind.HIRING_AID, Public.LONG_TERM_JOBSEEKERS),
    ("Plan d'investissement dans les compétences", SchemeKind.TRAINING, Public.JOBSEEKERS),
    ("Contrat d'engagement jeune", SchemeKind.SUPPORT, Public.YOUTH),
    ("Aide au permis de conduire", SchemeKind.MOBILITY, Public.RSA),
    ("Places en crèche à vocation d'insertion", SchemeKind.CHILDCARE, Public.SINGLE_PARENTS),
    ("Chantiers d'insertion", SchemeKind.IAE, Public.IAE_EMPLOYEES),
    ("Emploi accompagné", SchemeKind.SUPPORT, Public.DISABLED),
)
LINES = {Level.DEPARTMENTAL: 16, Level.LOCAL: 6, Level.REGIONAL: 0}


def seed_national(run: NationalRun) -> int:
    """Seed the funders, conferences and lines of the national CDEs and CLEs."""
    committees = list(
        national_committees(run)
        .filter(level__in=[Level.DEPARTMENTAL, Level.LOCAL], funders__isnull=True)
        .order_by("pk")
    )
    if not committees:
        return 0
    progress = run.progress
    progress.start("Financeurs : conférences et lignes", len(committees))
    secretariat = secretariats(committees)
    contacts = {}
    for committee_id, category, person_id in (
        Membership.objects.active()
        .filter(committee__in=[c.pk for c in committees], role=Membership.Role.TITULAR)
        .values_list("committee_id", "category", "person_id")
    ):
        contacts.setdefault((committee_id, category), person_id)
    funders = bulk(
        Funder,
        [
            Funder(
                committee=committee,
                kind=kind,
                name=name,
                contact_id=contacts.get((committee.pk, category)) or secretariat[committee.pk],
            )
            for committee in committees
            for kind, name, category in FUNDERS
        ],
    )
    by_committee = {}
    for funder in funders:
        by_committee.setdefault(funder.committee_id, []).append(funder)
    years = [
        year
        for year in range(2024, run.today.year + 1)
        if date(year, 11, 15) <= run.today or year == run.today.year
    ][-run.scaled(3) :]
    conferences = []
    for committee in committees:
        committee_years = years if committee.level == Level.DEPARTMENTAL else years[-1:]
        for year in committee_years:
            day = max(date(year, 11, 15), committee.installed_on)
            label = (
                "Conférence départementale des financeurs"
                if committee.level == Level.DEPARTMENTAL
                else "Conférence locale de financement"
            )
            conferences.append(
                FundersConference(
                    committee=committee,
                    level=committee.level,
                    title=f"{label} {year}",
                    year=year,
                    date=day,
                    decisions="Cartographie de l'offre partagée ; doctrine de cofinancement.",
                    minutes="Les financeurs ont présenté leurs dispositifs et leurs critères.",
                    created_by_id=secretariat[committee.pk],
                )
            )
    conferences = bulk(FundersConference, conferences)
    through = FundersConference.funders.through
    bulk(
        through,
        [
            through(fundersconference_id=conference.pk, funder_id=funder.pk)
            for conference in conferences
            for funder in by_committee[conference.committee_id]
        ],
    )
    lines = []
    for conference in conferences:
        committee_funders = by_committee[conference.committee_id]
        for index in range(run.scaled(LINES[conference.level])):
            scheme, kind, public = SCHEMES[index % len(SCHEMES)]
            amount = Decimal(20000 + (index * 7919 + conference.pk * 31) % 180000)
            lines.append(
                FundingLine(
                    conference=conference,
                    funder=committee_funders[index % len(committee_funders)],
                    scheme=scheme,
                    scheme_kind=kind,
                    public=public,
                    starts_on=date(conference.year, 1, 1),
                    ends_on=date(conference.year, 12, 31),
                    amount_committed=amount,
                    amount_available=(amount * Decimal("0.2")).quantize(Decimal("1")),
                    places=10 + index * 3,
                    people=20 + index * 5,
                    intervention_criteria="Résider sur le territoire du comité.",
                    allocation_doctrine="Priorité aux personnes les plus éloignées de l'emploi.",
                    conditions_of_use="Prescription par un membre du réseau pour l'emploi.",
                )
            )
    bulk(FundingLine, lines)
    progress.advance(len(committees))
    run.added("funders' conferences", len(conferences))
    run.added("funding lines", len(lines))
    return len(conferences)
