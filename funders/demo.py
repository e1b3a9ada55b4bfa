"""Demo funders' conferences (``manage.py seed_demo``, after the committees).

- The CDE of the Rhône: its funders' directory (État and FSE+, Région, Département, the PLIE
  of the Beaujolais, France Travail, Agefiph, CAF, an OPCO), a departmental conference held
  six weeks ago with a realistic offer map (FSE+, PLIE, IAE, mobility aids, childcare,
  training, individual aids…) — with a co-financing that does not add up to 100 %, two lines
  ending within six months and an overlap for the conference to discuss — and the conventions
  it follows (contractualisation insertion-emploi due for renewal, Pacte des solidarités, CAOM).
- The CLE Beaujolais – Val de Saône: a local funding conference with the needs its
  counsellors raised, answered by the departmental conference (funded, redirected, unmet) but
  one still pending.
- The CRE: the State–Region convention it follows.

Everything goes through the services, as in real use. Idempotent: a funder, conference or
convention that already exists (same committee and name) is left as it is; an offer or a list
of needs already filled is not filled again. Every person is invented; the personas come from
``cte_portal.core.demo``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.text import slugify

from committees.demo import seed_committees
from committees.models import Committee
from cte_portal.core.demo import seed_users
from funders.models import Convention, Funder, FundersConference, FundingLine, FundingNeed
from funders.services.conferences import add_funder, create_conference
from funders.services.conventions import add_commitment, add_party, create_convention
from funders.services.needs import answer_need, raise_need
from funders.services.offer import LineValues, add_line
from roadmaps.selectors.funding import result_indicator
from territories.models import Epci

CRE = "Comité régional pour l'emploi Auvergne-Rhône-Alpes"
CDE = "Comité départemental pour l'emploi du Rhône"
CLE = "CLE Beaujolais – Val de Saône"
CA_VILLEFRANCHE = "200040590"  # CA Villefranche Beaujolais Saône
DEMO_DOMAIN = "cte-demo.example"
D = Decimal


@dataclass
class FunderPlan:
    key: str
    kind: str
    name: str
    first_name: str
    last_name: str
    job_title: str
    persona: str = ""


CDE_FUNDERS = (
    FunderPlan("state", "state", "État — DDETS du Rhône", "", "", "", persona="ddets"),
    FunderPlan(
        "fse",
        "state",
        "Fonds social européen plus (FSE+) — État",
        "Paul",
        "Vidal",
        "Chargé de mission FSE+, DREETS",
    ),
    FunderPlan(
        "region",
        "region",
        "Région Auvergne-Rhône-Alpes",
        "Camille",
        "Berthier",
        "Cheffe du service formation et emploi",
    ),
    FunderPlan(
        "departement",
        "departement",
        "Département du Rhône",
        "Nadia",
        "Haddad",
        "Directrice de l'insertion et de l'emploi",
    ),
    FunderPlan(
        "plie",
        "communes_epci",
        "PLIE du Beaujolais (CA Villefranche Beaujolais Saône)",
        "Julien",
        "Roche",
        "Directeur du PLIE",
    ),
    FunderPlan(
        "ft",
        "france_travail",
        "France Travail — direction territoriale du Rhône",
        "",
        "",
        "",
        persona="member",
    ),
    FunderPlan(
        "agefiph",
        "other",
        "Agefiph Auvergne-Rhône-Alpes",
        "Sandrine",
        "Morel",
        "Déléguée régionale adjointe",
    ),
    FunderPlan("caf", "other", "CAF du Rhône", "Olivier", "Garnier", "Responsable action sociale"),
    FunderPlan("opco", "other", "OPCO Mobilités", "Léa", "Fabre", "Conseillère emploi-formation"),
)

CLE_FUNDERS = (
    FunderPlan(
        "ca",
        "communes_epci",
        "CA Villefranche Beaujolais Saône",
        "Marc",
        "Perrot",
        "Vice-président emploi et insertion",
    ),
    FunderPlan(
        "ft_local",
        "france_travail",
        "France Travail — agence de Villefranche-sur-Saône",
        "Aurélie",
        "Blanc",
        "Directrice d'agence",
    ),
)


def _funders(committee: Committee, plans, personas) -> dict[str, Funder]:
    result = {}
    for plan in plans:
        existing = Funder.objects.filter(committee=committee, name=plan.name).first()
        if existing is None:
            if plan.persona:
                person = personas[plan.persona]
                contact = {
                    "contact_email": person.email,
                    "contact_first_name": person.first_name,
                    "contact_last_name": person.last_name,
                }
            else:
                # Addresses in plain ASCII, as mail systems expect: "Aurélie" → "aurelie".
                local_part = f"{slugify(plan.first_name)}.{slugify(plan.last_name)}"
                email = f"{local_part}.financeur@{DEMO_DOMAIN}"
                contact = {
                    "contact_email": email,
                    "contact_first_name": plan.first_name,
                    "contact_last_name": plan.last_name,
                    "contact_job_title": plan.job_title,
                }
            existing = add_funder(committee=committee, kind=plan.kind, name=plan.name, **contact)
            if not plan.persona:
                existing.contact.set_unusable_password()  # demo contacts do not sign in
                existing.contact.save(update_fields=["password"])
        result[plan.key] = existing
    return result


def _share(name, share, partner=None):
    return {"partner_name": name, "share": D(share), "partner": partner}


def _offer(f: dict, today: date, ca_villefranche) -> list[LineValues]:
    year = today.year
    # Most lines are programmed over two years; two end within six months.
    start, end = date(year, 1, 1), date(year + 1, 12, 31)
    villefranche = {"covers_whole_perimeter": False, "epcis": [ca_villefranche]}
    if ca_villefranche is None:  # a reference without the CA: the whole perimeter instead
        villefranche = {}
    return [
        LineValues(
            funder=f["fse"],
            scheme="FSE+ — accompagnement global des bénéficiaires du RSA",
            scheme_kind="support",
            public="rsa",
            starts_on=date(year - 1, 1, 1),
            ends_on=date(year + 1, 12, 31),
            amount_committed=D("1250000.00"),
            amount_available=D("312500.00"),
            people=900,
            is_cofinanced=True,
            own_share=D("60"),
            cofinancings=[_share(f["departement"].name, "40", f["departement"])],
            intervention_criteria="Bénéficiaires du RSA soumis aux droits et devoirs, orientés "
            "vers un parcours emploi ou socio-professionnel.",
            allocation_doctrine="Appel à projets annuel ; priorité aux territoires ruraux.",
            conditions_of_use="Prescription par le référent unique ; suivi mensuel des sorties.",
        ),
        LineValues(
            funder=f["departement"],
            scheme="FSE+ — accompagnement global des bénéficiaires du RSA",
            scheme_kind="support",
            public="rsa",
            starts_on=date(year - 1, 1, 1),
            ends_on=date(year + 1, 12, 31),
            amount_committed=D("833333.33"),
            amount_available=D("208333.33"),
            people=900,
            is_cofinanced=True,
            own_share=D("40"),
            cofinancings=[_share(f["fse"].name, "60", f["fse"])],
            conditions_of_use="Part départementale du même dispositif.",
        ),
        LineValues(
            funder=f["plie"],
            scheme="PLIE du Beaujolais — parcours renforcés",
            scheme_kind="support",
            public="long_term",
            starts_on=date(year - 1, 7, 1),
            ends_on=today + timedelta(days=120),
            amount_committed=D("480000.00"),
            amount_available=D("120000.00"),
            people=250,
            is_cofinanced=True,
            own_share=D("45"),
            cofinancings=[_share(f["fse"].name, "45", f["fse"])],
            intervention_criteria="Demandeurs d'emploi de plus de douze mois, résidant sur "
            "l'agglomération.",
            allocation_doctrine="Reste à trouver : 10 % du plan de financement.",
            **villefranche,
        ),
        LineValues(
            funder=f["state"],
            scheme="Aide au poste — ateliers et chantiers d'insertion",
            scheme_kind="iae",
            public="iae_employees",
            starts_on=start,
            ends_on=end,
            amount_committed=D("3400000.00"),
            amount_available=D("0.00"),
            places=180,
            intervention_criteria="Structures conventionnées par la DDETS après avis de la "
            "commission inclusion et IAE.",
        ),
        LineValues(
            funder=f["departement"],
            scheme="Cofinancement départemental de l'IAE (bénéficiaires du RSA)",
            scheme_kind="iae",
            public="rsa",
            starts_on=start,
            ends_on=end,
            amount_committed=D("650000.00"),
            amount_available=D("90000.00"),
            places=60,
        ),
        LineValues(
            funder=f["region"],
            scheme="Aide au permis de conduire des jeunes",
            scheme_kind="mobility",
            public="youth",
            starts_on=start,
            ends_on=end,
            amount_committed=D("220000.00"),
            amount_available=D("60000.00"),
            people=300,
            conditions_of_use="Jusqu'à 1 000 € par jeune, sur prescription de la Mission locale.",
        ),
        LineValues(
            funder=f["state"],
            scheme="Contrat d'engagement jeune — aides à la mobilité",
            scheme_kind="mobility",
            public="youth",
            starts_on=start,
            ends_on=end,
            amount_committed=D("150000.00"),
            amount_available=D("30000.00"),
            people=200,
        ),
        LineValues(
            funder=f["ft"],
            scheme="Aides à la mobilité (permis, transport, hébergement)",
            scheme_kind="mobility",
            public="jobseekers",
            starts_on=start,
            ends_on=end,
            amount_committed=D("380000.00"),
            amount_available=D("140000.00"),
        ),
        LineValues(
            funder=f["caf"],
            scheme="Places de crèche à vocation d'insertion professionnelle (AVIP)",
            scheme_kind="childcare",
            public="single_parents",
            starts_on=start,
            ends_on=end,
            amount_committed=D("310000.00"),
            amount_available=D("45000.00"),
            places=30,
            is_cofinanced=True,
            own_share=D("70"),
            cofinancings=[_share(f["departement"].name, "30", f["departement"])],
        ),
        LineValues(
            funder=f["agefiph"],
            scheme="Aides à la compensation du handicap et à la formation",
            scheme_kind="training",
            public="disabled",
            starts_on=start,
            ends_on=end,
            amount_committed=D("520000.00"),
            amount_available=D("210000.00"),
        ),
        LineValues(
            funder=f["opco"],
            scheme="Préparation opérationnelle à l'emploi collective « logistique »",
            scheme_kind="training",
            public="jobseekers",
            starts_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=100),
            amount_committed=D("96000.00"),
            amount_available=D("0.00"),
            places=24,
            is_cofinanced=True,
            own_share=D("50"),
            cofinancings=[_share(f["ft"].name, "50", f["ft"])],
        ),
        LineValues(
            funder=f["departement"],
            scheme="Fonds départemental d'insertion — aides individuelles",
            scheme_kind="individual_aid",
            public="rsa",
            starts_on=start,
            ends_on=end,
            amount_committed=D("180000.50"),
            amount_available=D("62000.25"),
        ),
    ]


NEEDS = (
    (
        {
            "pathway_need": "Garde d'enfants en horaires décalés pour des reprises d'emploi en "
            "logistique.",
            "public": "single_parents",
            "territory": "Villefranche-sur-Saône",
            "people_count": 8,
            "access_difficulty": "Aucune place en crèche après 19 h ; plusieurs mois d'attente.",
            "raised_by": "Mission locale du Beaujolais",
        },
        ("funded", "caf"),
    ),
    (
        {
            "pathway_need": "Permis de conduire pour des jeunes sans solution de transport.",
            "public": "youth",
            "territory": "Tarare et communes rurales",
            "people_count": 15,
            "access_difficulty": "Reste à charge d'environ 300 € par jeune.",
            "raised_by": "Mission locale du Beaujolais",
        },
        ("funded", "region"),
    ),
    (
        {
            "pathway_need": "Transport vers la zone d'activité de Gleizé pour des prises de "
            "poste à 5 h.",
            "public": "jobseekers",
            "territory": "Gleizé",
            "people_count": 12,
            "access_difficulty": "Aucune ligne de car avant 6 h 30.",
            "raised_by": "France Travail — agence de Villefranche-sur-Saône",
        },
        ("redirected", "Transport à la demande de la Région (étude en cours)"),
    ),
    (
        {
            "pathway_need": "Accompagnement psychologique avant une entrée en formation.",
            "public": "rsa",
            "territory": "Belleville-en-Beaujolais",
            "people_count": 6,
            "access_difficulty": "Quatre mois d'attente au centre médico-psychologique.",
            "raised_by": "Département du Rhône — maison du Rhône de Belleville",
        },
        (
            "unmet",
            "Aucune ligne de l'offre ne finance la santé ; le sujet est porté au Pacte des "
            "solidarités pour l'an prochain.",
        ),
    ),
    (
        {
            "pathway_need": "Hébergement temporaire pendant une formation en alternance à Lyon.",
            "public": "youth",
            "territory": "Anse",
            "people_count": 3,
            "access_difficulty": "Pas de foyer de jeunes travailleurs disponible.",
            "raised_by": "Mission locale du Beaujolais",
        },
        None,
    ),
)


def _conference(committee, user, title, day, **fields) -> FundersConference:
    existing = FundersConference.objects.filter(committee=committee, title=title).first()
    if existing:
        return existing
    return create_conference(
        committee=committee, user=user, title=title, year=day.year, date=day, **fields
    )


def _convention(committee, title, parties, commitments=(), **fields):
    if Convention.objects.filter(committee=committee, title=title).exists():
        return None
    convention = create_convention(committee=committee, title=title, **fields)
    for name, funder, amount in parties:
        add_party(convention=convention, name=name, funder=funder, amount=amount)
    for text, indicator_code, label, target in commitments:
        indicator = result_indicator(code=indicator_code)
        add_commitment(
            convention=convention,
            text=text,
            result_indicator=indicator,
            indicator_label="" if indicator else label,
            target=target,
        )
    return convention


def seed_funders() -> dict[str, FundersConference]:
    """Seed the demo funders, conferences, needs and conventions (idempotent); return the
    conferences by committee name."""
    personas = seed_users()
    committees = seed_committees()
    cde, cle, cre = committees.get(CDE), committees.get(CLE), committees.get(CRE)
    if cde is None or cle is None:  # pragma: no cover - a renamed demo committee
        return {}
    secretariat = personas["ddets"]
    today = date.today()
    year = today.year

    funders = _funders(cde, CDE_FUNDERS, personas)
    departmental = _conference(
        cde,
        secretariat,
        f"Conférence départementale des financeurs {year}",
        today - timedelta(days=45),
        decisions=(
            "1. La cartographie de l'offre est partagée entre les financeurs et mise à jour "
            "chaque trimestre.\n"
            "2. Règle de cofinancement : le FSE+ intervient à 60 % au plus, le Département "
            "complète.\n"
            "3. Les besoins des conférences locales sont examinés à chaque conférence."
        ),
        minutes=(
            "Les financeurs ont présenté leur offre, leurs critères d'intervention et leurs "
            "doctrines d'attribution. Le plan de financement du PLIE reste à compléter (10 %). "
            "Les aides à la mobilité des jeunes de la Région et de l'État se recouvrent : une "
            "règle de complémentarité sera proposée."
        ),
    )
    departmental.funders.add(*funders.values())
    if not FundingLine.objects.filter(conference=departmental).exists():
        ca = Epci.objects.filter(pk=CA_VILLEFRANCHE).first()
        for values in _offer(funders, today, ca):
            add_line(conference=departmental, values=values)

    _funders(cle, CLE_FUNDERS, personas)
    local = _conference(
        cle,
        secretariat,
        f"Conférence de financement du Beaujolais {year}",
        today - timedelta(days=60),
        minutes=(
            "Les conseillers de la Mission locale, de France Travail et du Département ont "
            "présenté les besoins des parcours qu'ils ne parviennent pas à financer."
        ),
    )
    if not FundingNeed.objects.filter(conference=local).exists():
        lines = {
            "caf": FundingLine.objects.filter(
                conference=departmental, funder=funders["caf"]
            ).first(),
            "region": FundingLine.objects.filter(
                conference=departmental, funder=funders["region"]
            ).first(),
        }
        for fields, answer in NEEDS:
            need = raise_need(conference=local, user=secretariat, **fields)
            if answer is None:
                continue
            status, detail = answer
            extra = {
                "funded": {"funding_line": lines.get(detail)},
                "redirected": {"redirected_to": detail},
                "unmet": {"unmet_reason": detail},
            }[status]
            if status == "funded" and extra["funding_line"] is None:
                continue
            answer_need(
                need=need, conference=departmental, user=secretariat, status=status, **extra
            )

    _convention(
        cde,
        f"Contractualisation insertion-emploi État–Département du Rhône 2024-{year}",
        parties=[
            ("État (DDETS du Rhône)", funders["state"], D("2400000.00")),
            ("Département du Rhône", funders["departement"], D("2400000.00")),
        ],
        commitments=[
            (
                "Orienter chaque nouveau bénéficiaire du RSA en moins d'un mois.",
                "taux-orientation",
                "Taux d'orientation sous un mois",
                D("80"),
            ),
            (
                "Accompagner 1 500 bénéficiaires du RSA en parcours emploi.",
                "",
                "Bénéficiaires accompagnés",
                D("1500"),
            ),
        ],
        kind="insertion_employment",
        starts_on=date(2024, 1, 1),
        ends_on=today + timedelta(days=75),
        status="signed",
        signed_on=date(2024, 3, 28),
    )
    _convention(
        cde,
        "Pacte local des solidarités du Rhône",
        parties=[
            ("État (DDETS du Rhône)", funders["state"], D("1150000.00")),
            ("Département du Rhône", funders["departement"], D("1150000.00")),
        ],
        kind="solidarity_pact",
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        status="signed",
        signed_on=date(2024, 6, 12),
    )
    _convention(
        cde,
        f"CAOM {year} — parcours emploi compétences et insertion",
        parties=[("État (DDETS du Rhône)", funders["state"], D("3750000.00"))],
        kind="caom",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        status="signed",
        signed_on=date(year, 1, 1),
    )
    if cre is not None:
        _convention(
            cre,
            "Pacte régional d'investissement dans les compétences (État–Région)",
            parties=[
                ("État", None, D("98000000.00")),
                ("Région Auvergne-Rhône-Alpes", None, D("45000000.00")),
            ],
            kind="state_region",
            starts_on=date(2024, 1, 1),
            ends_on=date(2027, 12, 31),
            status="signed",
            signed_on=date(2024, 4, 2),
        )
    return {CDE: departmental, CLE: local}
