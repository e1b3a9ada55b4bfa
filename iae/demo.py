"""Demo files of the inclusion & IAE commission of the CDE du Rhône (``manage.py seed_demo``).

Five requests (DEC-IAE): an ACI's conventionnement with a favourable opinion voted at the
commission's meeting of ``meetings.demo`` and sent to the préfet; an EI's conventionnement
with reservations, adopted by consensus, not yet sent; an FDI request of an ETTI with an
unfavourable opinion sent to the DDETS; an FDI request of an AI and an EITI's
conventionnement waiting for the commission. The demo member persona (France Travail) sits on
the commission and reads the files.

Everything goes through the services; idempotent (a file is looked up by its SIRET and kind
first and left as it is). Structures and SIRET numbers are invented (valid check keys).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from committees.demo import seed_committees
from committees.models import Commission, Committee
from committees.services.composition import add_commission_member
from cte_portal.core.demo import seed_users
from iae import services
from iae.models import IaeOpinion, IaeRequest, RequestKind, SiaeType

CDE = "Comité départemental pour l'emploi du Rhône"
MEETING_TITLE = "Commission inclusion et IAE : conventionnement des SIAE"

V = IaeOpinion.Verdict
M = IaeOpinion.Method


def _year_period(today: date) -> tuple[date, date]:
    start = date(today.year + 1, 1, 1)
    return start, date(start.year, 12, 31)


def _files(today: date) -> list[dict]:
    start, end = _year_period(today)
    return [
        {
            "data": {
                "kind": RequestKind.CONVENTION,
                "structure_name": "Les Jardins de Gerland — chantier d'insertion",
                "siret": "41234567800012",
                "siae_type": SiaeType.ACI,
                "subject": "Renouvellement du conventionnement : maraîchage biologique.",
                "fte_requested": Decimal("14.50"),
                "amount_requested": None,
            },
            "received_days_ago": 40,
            "opinion": {
                "verdict": V.FAVOURABLE,
                "method": M.VOTE,
                "votes_for": 9,
                "votes_against": 1,
                "votes_abstain": 2,
                "reasons": "Taux de sorties dynamiques de 48 %, accompagnement socio-professionnel "
                "renforcé.",
                "fte_proposed": Decimal("14.50"),
            },
            "notice": {"recipient": IaeOpinion.Recipient.PREFET, "label": "Préfecture du Rhône"},
        },
        {
            "data": {
                "kind": RequestKind.CONVENTION,
                "structure_name": "Rhône Recyclage Solidaire",
                "siret": "52345678100021",
                "siae_type": SiaeType.EI,
                "subject": "Extension du conventionnement à un second site à Vénissieux.",
                "fte_requested": Decimal("6.00"),
                "amount_requested": None,
            },
            "received_days_ago": 35,
            "opinion": {
                "verdict": V.RESERVED,
                "method": M.CONSENSUS,
                "reservations": "Présenter avant six mois le plan de formation des salariés en "
                "insertion du second site.",
                "fte_proposed": Decimal("4.00"),
            },
        },
        {
            "data": {
                "kind": RequestKind.FDI,
                "structure_name": "Intérim Insertion Lyon Est",
                "siret": "63456789200035",
                "siae_type": SiaeType.ETTI,
                "subject": "Aide au démarrage d'une agence à Meyzieu.",
                "fte_requested": None,
                "amount_requested": Decimal("30000.00"),
            },
            "received_days_ago": 30,
            "opinion": {
                "verdict": V.UNFAVOURABLE,
                "method": M.VOTE,
                "votes_for": 2,
                "votes_against": 8,
                "votes_abstain": 1,
                "reasons": "Offre déjà couverte sur le territoire ; projet à retravailler avec "
                "le réseau.",
            },
            "notice": {"recipient": IaeOpinion.Recipient.DDETS, "label": "DDETS du Rhône"},
        },
        {
            "data": {
                "kind": RequestKind.FDI,
                "structure_name": "Beaujolais Services Emploi — association intermédiaire",
                "siret": "74567890300048",
                "siae_type": SiaeType.AI,
                "subject": "Investissement : véhicule pour les missions en zone rurale.",
                "fte_requested": None,
                "amount_requested": Decimal("45000.00"),
            },
            "received_days_ago": 6,
        },
        {
            "data": {
                "kind": RequestKind.CONVENTION,
                "structure_name": "Coopérative Travail Indépendant Rhône",
                "siret": "85678901400052",
                "siae_type": SiaeType.EITI,
                "subject": "Premier conventionnement.",
                "fte_requested": Decimal("3.00"),
                "amount_requested": None,
            },
            "received_days_ago": 3,
        },
    ]


def _member(cde: Committee, personas) -> None:
    commission = cde.commissions.filter(kind=Commission.Kind.IAE).first()
    member = personas["member"]
    if commission is not None and not commission.members.filter(person=member).exists():
        add_commission_member(
            commission=commission, person=member, organisation=member.organisation
        )


def seed_iae() -> list[IaeRequest]:
    """Seed the demo IAE files (idempotent); return the ones created now."""
    personas = seed_users()
    committees = seed_committees()
    cde = committees.get(CDE)
    if cde is None:  # pragma: no cover - a renamed demo committee
        return []
    _member(cde, personas)
    secretariat = personas["ddets"]
    today = timezone.localdate()
    start, end = _year_period(today)
    meeting = services.commission_meetings(cde).filter(title=MEETING_TITLE).first()
    created = []
    for plan in _files(today):
        data = plan["data"]
        if IaeRequest.objects.filter(
            committee=cde, siret=data["siret"], kind=data["kind"]
        ).exists():
            continue
        received_on = today - timedelta(days=plan["received_days_ago"])
        if meeting is not None and plan.get("opinion"):
            received_on = min(received_on, meeting.date - timedelta(days=7))
        item = services.create_request(
            committee=cde,
            user=secretariat,
            data=services.RequestData(
                period_start=start, period_end=end, received_on=received_on, **data
            ),
        )
        created.append(item)
        opinion = plan.get("opinion")
        if opinion is None:
            continue
        given_on = meeting.date if meeting is not None else today - timedelta(days=12)
        services.record_opinion(
            iae_request=item,
            user=secretariat,
            data=services.OpinionData(meeting=meeting, given_on=given_on, **opinion),
        )
        notice = plan.get("notice")
        if notice is not None:
            services.record_notice(
                iae_request=item,
                user=secretariat,
                sent_on=min(today, given_on + timedelta(days=3)),
                recipient=notice["recipient"],
                recipient_label=notice["label"],
            )
    return created
