"""Writes on the offer map: funding lines and their co-financing (INS-FUNDERS).

Rules checked for every line, whether typed in a form or read from a file:
- the funder is in the committee's directory (it then takes part in the conference);
- scheme, kind of scheme and target public are given (« autre public » is specified);
- the period starts before it ends;
- amounts are euros, positive or zero, with at most two decimals — kept exact (``Decimal``);
- the territory is the whole perimeter, or EPCI and communes that belong to it;
- a line financed alone has no co-financer; a co-financed line names its co-financers and the
  shares. Shares that do not add up to 100 % are accepted but shown to the conference, which
  settles them (``funders.selectors.analysis.incomplete_cofinancing``).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from committees.models import Committee
from cte_portal.core.errors import RuleError
from funders.models import CoFinancing, Funder, FundersConference, FundingLine, Public, SchemeKind
from funders.models.offer import HUNDRED
from funders.models.vocabulary import normalize
from funders.services.perimeter import perimeter_communes

MAX_AMOUNT = Decimal("1e12")
# Places or people of one funding line: far above any scheme, far below the column's limit.
MAX_VOLUME = 10_000_000
CENT = Decimal("0.01")


@dataclass
class Problem:
    field: str
    message: str


@dataclass
class Perimeter:
    """The EPCI and communes a committee's lines may name (two queries, loaded once)."""

    committee: Committee
    _communes: dict | None = None
    _epcis: dict | None = None

    def _load(self) -> None:
        if self._communes is not None:
            return
        communes = list(perimeter_communes(self.committee).select_related("epci"))
        self._communes = {c.pk: c for c in communes}
        self._epcis = {c.epci.pk: c.epci for c in communes if c.epci_id}

    @property
    def communes(self) -> dict:
        self._load()
        return self._communes

    @property
    def epcis(self) -> dict:
        self._load()
        return self._epcis


@dataclass
class LineValues:
    """The values of a funding line, as the services take them."""

    funder: Funder | None
    scheme: str
    scheme_kind: str
    public: str
    starts_on: date | None
    ends_on: date | None
    amount_committed: Decimal | None
    amount_available: Decimal | None
    public_detail: str = ""
    covers_whole_perimeter: bool = True
    epcis: list = field(default_factory=list)
    communes: list = field(default_factory=list)
    places: int | None = None
    people: int | None = None
    is_cofinanced: bool = False
    own_share: Decimal | None = None
    cofinancings: list = field(default_factory=list)  # [{"partner_name", "share", "partner"}]
    intervention_criteria: str = ""
    allocation_doctrine: str = ""
    conditions_of_use: str = ""


def exact_amount(raw, label: str) -> Decimal:
    """Euros with at most two decimals, never rounded: « 1 234,5 » is 1234.50, « 12,345 » is
    refused (ValueError with a French message)."""
    if isinstance(raw, float):
        raw = repr(raw)  # a spreadsheet cell: its shortest exact decimal writing
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    else:
        text = str(raw or "").strip()
        for space in ("\u202f", "\u00a0", " "):
            text = text.replace(space, "")
        text = text.removesuffix("€").replace(",", ".")
        if not text:
            raise ValueError(f"{label} manquant")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"{label} « {raw} » n'est pas un nombre") from exc
    if not value.is_finite():
        raise ValueError(f"{label} « {raw} » n'est pas un nombre")
    if value < 0:
        raise ValueError(f"{label} « {raw} » est négatif")
    if value >= MAX_AMOUNT:
        raise ValueError(f"{label} « {raw} » dépasse les limites")
    if value != value.quantize(CENT):
        raise ValueError(f"{label} « {raw} » a plus de deux décimales")
    return value.quantize(CENT)


def line_problems(
    values: LineValues, *, conference: FundersConference, perimeter: Perimeter
) -> list[Problem]:
    """Everything wrong with a line, in French (empty when it may be saved)."""
    problems = []
    committee = conference.committee
    if values.funder is None:
        problems.append(Problem("funder", "financeur manquant"))
    elif values.funder.committee_id != committee.pk:
        problems.append(Problem("funder", "ce financeur n'est pas au répertoire du comité"))
    if not values.scheme.strip():
        problems.append(Problem("scheme", "dispositif manquant"))
    if values.scheme_kind not in SchemeKind.values:
        problems.append(Problem("scheme_kind", "type de dispositif inconnu"))
    if values.public not in Public.values:
        problems.append(Problem("public", "public inconnu"))
    elif values.public == Public.OTHER and not values.public_detail.strip():
        problems.append(Problem("public_detail", "précisez le public"))
    if values.starts_on is None:
        problems.append(Problem("starts_on", "date de début manquante"))
    if values.ends_on is None:
        problems.append(Problem("ends_on", "date de fin manquante"))
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        problems.append(Problem("ends_on", "la fin précède le début"))
    for name, label in (
        ("amount_committed", "montant engagé"),
        ("amount_available", "montant disponible"),
    ):
        amount = getattr(values, name)
        if amount is None:
            problems.append(Problem(name, f"{label} manquant"))
            continue
        try:
            exact_amount(amount, label)
        except ValueError as exc:
            problems.append(Problem(name, str(exc)))
    for name, label in (("places", "nombre de places"), ("people", "nombre de personnes")):
        number = getattr(values, name)
        if number is not None and number < 0:
            problems.append(Problem(name, f"{label} négatif"))
        elif number is not None and number > MAX_VOLUME:
            problems.append(
                Problem(name, f"{label} trop grand ({MAX_VOLUME:,} au plus)".replace(",", " "))
            )
    if not values.covers_whole_perimeter:
        if not values.epcis and not values.communes:
            problems.append(
                Problem("epcis", "territoire : tout le périmètre, ou des EPCI ou des communes")
            )
        outside = [e.name for e in values.epcis if e.pk not in perimeter.epcis] + [
            c.name for c in values.communes if c.pk not in perimeter.communes
        ]
        if outside:
            problems.append(
                Problem("epcis", f"hors du périmètre du comité : {', '.join(sorted(outside))}")
            )
    problems += _cofinancing_problems(values)
    return problems


def _cofinancing_problems(values: LineValues) -> list[Problem]:
    problems = []
    if not values.is_cofinanced:
        if values.cofinancings:
            problems.append(
                Problem("cofinancings", "une ligne financée seule n'a pas de cofinanceur")
            )
        if values.own_share not in (None, HUNDRED):
            problems.append(Problem("own_share", "une ligne financée seule l'est à 100 %"))
        return problems
    if not values.cofinancings:
        problems.append(Problem("cofinancings", "ligne cofinancée : nommez les cofinanceurs"))
    if values.own_share is None:
        problems.append(Problem("own_share", "ligne cofinancée : indiquez la part du financeur"))
    elif not Decimal(0) <= values.own_share <= HUNDRED:
        problems.append(Problem("own_share", "la part du financeur est comprise entre 0 et 100 %"))
    funder_name = normalize(values.funder.name) if values.funder else ""
    for item in values.cofinancings:
        name = (item.get("partner_name") or "").strip()
        share = item.get("share")
        if not name:
            problems.append(Problem("cofinancings", "cofinanceur sans nom"))
        elif normalize(name) == funder_name:
            problems.append(
                Problem("cofinancings", f"« {name} » est déjà le financeur de la ligne")
            )
        if share is None or not Decimal(0) < share <= HUNDRED:
            problems.append(
                Problem("cofinancings", f"part de « {name} » : entre 0 et 100 % (exclu 0)")
            )
    return problems


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise RuleError(
            [p.message[:1].upper() + p.message[1:] + "." for p in problems],
            field=problems[0].field,
        )


def _write_cofinancings(line: FundingLine, values: LineValues) -> None:
    line.cofinancings.all().delete()
    CoFinancing.objects.bulk_create(
        CoFinancing(
            line=line,
            partner=item.get("partner"),
            partner_name=item["partner_name"].strip(),
            share=item["share"],
        )
        for item in values.cofinancings
    )


def _assign(line: FundingLine, values: LineValues) -> None:
    line.funder = values.funder
    line.scheme = values.scheme.strip()
    line.scheme_kind = values.scheme_kind
    line.public = values.public
    line.public_detail = values.public_detail.strip()
    line.covers_whole_perimeter = values.covers_whole_perimeter
    line.starts_on = values.starts_on
    line.ends_on = values.ends_on
    line.amount_committed = exact_amount(values.amount_committed, "montant engagé")
    line.amount_available = exact_amount(values.amount_available, "montant disponible")
    line.places = values.places
    line.people = values.people
    line.is_cofinanced = values.is_cofinanced
    line.own_share = values.own_share if values.is_cofinanced else None
    line.intervention_criteria = values.intervention_criteria.strip()
    line.allocation_doctrine = values.allocation_doctrine.strip()
    line.conditions_of_use = values.conditions_of_use.strip()


def _check_alive(conference: FundersConference) -> None:
    if conference.committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : son offre ne change plus.")


@transaction.atomic
def add_line(
    *,
    conference: FundersConference,
    values: LineValues,
    perimeter: Perimeter | None = None,
    source_import=None,
) -> FundingLine:
    """The secretariat adds a funding line to the offer map; its funder joins the conference."""
    _check_alive(conference)
    perimeter = perimeter or Perimeter(conference.committee)
    _raise(line_problems(values, conference=conference, perimeter=perimeter))
    line = FundingLine(conference=conference, source_import=source_import)
    _assign(line, values)
    line.save()
    _write_territory(line, values)
    _write_cofinancings(line, values)
    conference.funders.add(values.funder)
    return line


def _write_territory(line: FundingLine, values: LineValues) -> None:
    if values.covers_whole_perimeter:
        line.epcis.clear()
        line.communes.clear()
    else:
        line.epcis.set(values.epcis)
        line.communes.set(values.communes)


@transaction.atomic
def update_line(*, line: FundingLine, values: LineValues) -> FundingLine:
    """Edit a funding line, every rule checked again."""
    line = (
        FundingLine.objects.select_for_update()
        .select_related("conference__committee")
        .get(pk=line.pk)
    )
    conference = line.conference
    _check_alive(conference)
    _raise(line_problems(values, conference=conference, perimeter=Perimeter(conference.committee)))
    _assign(line, values)
    line.save()
    _write_territory(line, values)
    _write_cofinancings(line, values)
    conference.funders.add(values.funder)
    return line


@transaction.atomic
def delete_line(*, line: FundingLine) -> None:
    """Remove a line from the offer map, unless a local need was answered with it."""
    line = (
        FundingLine.objects.select_for_update()
        .select_related("conference__committee")
        .get(pk=line.pk)
    )
    _check_alive(line.conference)
    if line.needs.exists():
        raise RuleError(
            "Cette ligne finance des besoins remontés par une conférence locale : "
            "elle ne peut pas être supprimée."
        )
    line.delete()


def values_from_line(line: FundingLine) -> LineValues:
    """The values of a saved line (to edit it or to copy it)."""
    return LineValues(
        funder=line.funder,
        scheme=line.scheme,
        scheme_kind=line.scheme_kind,
        public=line.public,
        public_detail=line.public_detail,
        covers_whole_perimeter=line.covers_whole_perimeter,
        epcis=list(line.epcis.all()),
        communes=list(line.communes.all()),
        starts_on=line.starts_on,
        ends_on=line.ends_on,
        amount_committed=line.amount_committed,
        amount_available=line.amount_available,
        places=line.places,
        people=line.people,
        is_cofinanced=line.is_cofinanced,
        own_share=line.own_share,
        cofinancings=[
            {"partner_name": c.partner_name, "share": c.share, "partner": c.partner}
            for c in line.cofinancings.all()
        ],
        intervention_criteria=line.intervention_criteria,
        allocation_doctrine=line.allocation_doctrine,
        conditions_of_use=line.conditions_of_use,
    )
