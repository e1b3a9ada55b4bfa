"""Import of an offer map from an XLSX or CSV file (INS-FUNDERS).

The file is read and every line checked against the same rules as the form
(``funders.services.offer.line_problems``); the errors are listed line by line, in French,
with the line number of the spreadsheet. Nothing is imported until the whole file is valid:
a valid file is shown as a preview and imported, all or nothing, only when the secretariat
confirms it.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from cte_portal.core.errors import RuleError
from cte_portal.core.spreadsheets import (
    csv_safe_row,
    read_csv_lines,
    read_xlsx_lines,
    workbook_bytes,
)
from funders.models import (
    Funder,
    FundersConference,
    FundingLine,
    FundingLineImport,
    Public,
    SchemeKind,
)
from funders.models.vocabulary import choice_from_label, normalize
from funders.services.offer import LineValues, Perimeter, add_line, exact_amount, line_problems
from territories.models import Commune, Epci

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 2000

# (key, header written in the model file, required)
COLUMNS = (
    ("funder", "Financeur", True),
    ("scheme", "Dispositif", True),
    ("scheme_kind", "Type de dispositif", True),
    ("public", "Public", True),
    ("public_detail", "Précision sur le public", False),
    ("territory", "Territoire", False),
    ("starts_on", "Début", True),
    ("ends_on", "Fin", True),
    ("amount_committed", "Montant engagé", True),
    ("amount_available", "Montant disponible", True),
    ("places", "Places", False),
    ("people", "Personnes", False),
    ("own_share", "Part du financeur", False),
    ("cofinancings", "Cofinanceurs", False),
    ("intervention_criteria", "Critères d'intervention", False),
    ("allocation_doctrine", "Doctrine d'attribution", False),
    ("conditions_of_use", "Conditions de mobilisation", False),
)
HEADERS = [header for _key, header, _required in COLUMNS]
_BY_HEADER = {normalize(header): key for key, header, _required in COLUMNS}
_BY_HEADER |= {normalize(key): key for key, _header, _required in COLUMNS}
_BY_HEADER |= {
    "part financeur": "own_share",
    "montant engage eur": "amount_committed",
    "montant disponible eur": "amount_available",
    "type": "scheme_kind",
    "date de debut": "starts_on",
    "date de fin": "ends_on",
}
WHOLE_PERIMETER = {"", "perimetre", "tout le perimetre", "perimetre du comite", "tout"}


# --- Reading ------------------------------------------------------------------------------------


def _header_keys(raw_headers) -> list[str | None]:
    return [_BY_HEADER.get(normalize(h)) for h in raw_headers]


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """The non-empty lines of the file as (spreadsheet line number, {key: raw value})."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        lines = _xlsx_lines(content)
    elif name.endswith(".csv"):
        lines = _csv_lines(content)
    else:
        raise RuleError("Déposez un fichier XLSX ou CSV.", field="file")
    if not lines:
        raise RuleError("Le fichier est vide.", field="file")
    keys = _header_keys(lines[0])
    missing = [header for key, header, required in COLUMNS if required and key not in keys]
    if missing:
        raise RuleError(
            f"Colonnes manquantes : {', '.join(missing)}. Partez du modèle proposé.",
            field="file",
        )
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(str(v).strip() for v in line if v is not None):
            continue
        rows.append((number, {key: value for key, value in zip(keys, line, strict=False) if key}))
    return rows


def _xlsx_lines(content: bytes) -> list[list]:
    # A formula cell refuses the whole file (cte_portal.core.spreadsheets).
    return read_xlsx_lines(content)


def _csv_lines(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError("Le fichier CSV doit être encodé en UTF-8.", field="file") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return read_csv_lines(text, delimiter=delimiter)


# --- Parsing one line ----------------------------------------------------------------------------


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _date(raw, label: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    if not text:
        raise ValueError(f"{label} manquante")
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{label} « {text} » illisible (attendu JJ/MM/AAAA)")


def _count(raw, label: str) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not text.isdigit():
        raise ValueError(f"{label} « {raw} » n'est pas un nombre entier positif")
    return int(text)


def parse_share(raw, label: str) -> Decimal:
    """A share in percent as typed in a file or a form (« 40 », « 40,5 % »), two decimals at
    most; ``ValueError`` with a French message naming ``label`` otherwise."""
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw).strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{label} « {raw} » n'est pas un pourcentage") from exc
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{label} « {raw} » n'est pas un pourcentage à deux décimales au plus")
    return value.quantize(Decimal("0.01"))


class _Directory:
    """The committee's funders and perimeter, loaded once for the whole file."""

    def __init__(self, conference: FundersConference):
        self.conference = conference
        self.funders = {
            normalize(f.name): f
            for f in Funder.objects.filter(committee=conference.committee).select_related(
                "committee"
            )
        }
        self.funders_by_pk = {f.pk: f for f in self.funders.values()}
        self.perimeter = Perimeter(conference.committee)

    def territory(self, raw: str) -> tuple[bool, list[Epci], list[Commune], list[str]]:
        """(whole perimeter, EPCI, communes, unknown names) from « 200040590 ; Tarare »."""
        if normalize(raw) in WHOLE_PERIMETER:
            return True, [], [], []
        epcis_by_name = {normalize(e.name): e for e in self.perimeter.epcis.values()}
        communes_by_name = {normalize(c.name): c for c in self.perimeter.communes.values()}
        epcis, communes, unknown = [], [], []
        for item in (part.strip() for part in raw.replace("|", ";").split(";")):
            if not item:
                continue
            key = normalize(item)
            if item in self.perimeter.epcis:
                epcis.append(self.perimeter.epcis[item])
            elif item.upper() in self.perimeter.communes:
                communes.append(self.perimeter.communes[item.upper()])
            elif key in epcis_by_name:
                epcis.append(epcis_by_name[key])
            elif key in communes_by_name:
                communes.append(communes_by_name[key])
            else:
                unknown.append(item)
        return False, epcis, communes, unknown


def _cofinancings(raw: str, directory: _Directory) -> list[dict]:
    """« Région Auvergne-Rhône-Alpes : 30 ; FSE+ = 20 % » → co-financers and their shares."""
    items = []
    for part in (p.strip() for p in raw.split(";")):
        if not part:
            continue
        separator = max(part.rfind(":"), part.rfind("="))
        if separator <= 0:
            raise ValueError(f"cofinanceur « {part} » sans part (attendu « Nom : 30 »)")
        name = part[:separator].strip()
        share = parse_share(part[separator + 1 :], f"part de « {name} »")
        partner = directory.funders.get(normalize(name))
        items.append({"partner_name": name, "share": share, "partner": partner})
    return items


def parse_row(row: dict, directory: _Directory) -> tuple[LineValues | None, list[str]]:
    """One line of the file: its values, or its errors (French, without the line number)."""
    errors = []

    def attempt(parse, *args):
        try:
            return parse(*args)
        except ValueError as exc:
            errors.append(str(exc))
            return None

    funder_name = _text(row, "funder")
    funder = directory.funders.get(normalize(funder_name))
    if not funder_name:
        errors.append("financeur manquant")
    elif funder is None:
        errors.append(f"financeur « {funder_name} » absent du répertoire du comité")
    scheme_kind = choice_from_label(SchemeKind, _text(row, "scheme_kind"))
    if scheme_kind is None:
        errors.append(f"type de dispositif « {_text(row, 'scheme_kind')} » inconnu")
    public = choice_from_label(Public, _text(row, "public"))
    if public is None:
        errors.append(f"public « {_text(row, 'public')} » inconnu")
    whole, epcis, communes, unknown = directory.territory(_text(row, "territory"))
    if unknown:
        errors.append(f"territoire inconnu dans le périmètre du comité : {', '.join(unknown)}")
    starts_on = attempt(_date, row.get("starts_on"), "date de début")
    ends_on = attempt(_date, row.get("ends_on"), "date de fin")
    committed = attempt(exact_amount, row.get("amount_committed"), "montant engagé")
    available = attempt(exact_amount, row.get("amount_available"), "montant disponible")
    places = attempt(_count, row.get("places"), "places")
    people = attempt(_count, row.get("people"), "personnes")
    cofinancings = attempt(_cofinancings, _text(row, "cofinancings"), directory) or []
    raw_share = _text(row, "own_share")
    own_share = attempt(parse_share, raw_share, "part du financeur") if raw_share else None
    if errors:
        return None, errors
    values = LineValues(
        funder=funder,
        scheme=_text(row, "scheme"),
        scheme_kind=scheme_kind,
        public=public,
        public_detail=_text(row, "public_detail"),
        covers_whole_perimeter=whole,
        epcis=epcis,
        communes=communes,
        starts_on=starts_on,
        ends_on=ends_on,
        amount_committed=committed,
        amount_available=available,
        places=places,
        people=people,
        is_cofinanced=bool(cofinancings),
        own_share=own_share if cofinancings or own_share != Decimal(100) else None,
        cofinancings=cofinancings,
        intervention_criteria=_text(row, "intervention_criteria"),
        allocation_doctrine=_text(row, "allocation_doctrine"),
        conditions_of_use=_text(row, "conditions_of_use"),
    )
    problems = line_problems(values, conference=directory.conference, perimeter=directory.perimeter)
    return (None, [p.message for p in problems]) if problems else (values, [])


def _identity(values: LineValues) -> tuple:
    return (
        values.funder.pk,
        normalize(values.scheme),
        values.public,
        values.starts_on,
        values.ends_on,
        values.covers_whole_perimeter,
        tuple(sorted(e.pk for e in values.epcis)),
        tuple(sorted(c.pk for c in values.communes)),
    )


def _to_json(number: int, values: LineValues) -> dict:
    return {
        "line": number,
        "funder": values.funder.pk,
        "funder_name": values.funder.name,
        "scheme": values.scheme,
        "scheme_kind": values.scheme_kind,
        "public": values.public,
        "public_detail": values.public_detail,
        "covers_whole_perimeter": values.covers_whole_perimeter,
        "epcis": [e.pk for e in values.epcis],
        "communes": [c.pk for c in values.communes],
        "territory_label": "Tout le périmètre"
        if values.covers_whole_perimeter
        else ", ".join([e.name for e in values.epcis] + [c.name for c in values.communes]),
        "starts_on": values.starts_on.isoformat(),
        "ends_on": values.ends_on.isoformat(),
        "amount_committed": str(values.amount_committed),
        "amount_available": str(values.amount_available),
        "places": values.places,
        "people": values.people,
        "is_cofinanced": values.is_cofinanced,
        "own_share": None if values.own_share is None else str(values.own_share),
        "cofinancings": [
            {
                "partner_name": c["partner_name"],
                "share": str(c["share"]),
                "partner": c["partner"].pk if c["partner"] else None,
            }
            for c in values.cofinancings
        ],
        "intervention_criteria": values.intervention_criteria,
        "allocation_doctrine": values.allocation_doctrine,
        "conditions_of_use": values.conditions_of_use,
    }


def check_rows(
    conference: FundersConference, rows: list[tuple[int, dict]]
) -> tuple[list[dict], list[dict]]:
    """Every line checked on its own: (valid lines as JSON, errors as {line, messages})."""
    directory = _Directory(conference)
    existing = {
        _identity(_saved_values(line))
        for line in conference.lines.select_related("funder").prefetch_related("epcis", "communes")
    }
    seen: dict[tuple, int] = {}
    valid, errors = [], []
    for number, row in rows:
        values, messages = parse_row(row, directory)
        if values is not None:
            identity = _identity(values)
            if identity in existing:
                messages.append("cette ligne figure déjà dans l'offre de la conférence")
            elif identity in seen:
                messages.append(f"doublon de la ligne {seen[identity]}")
            seen.setdefault(identity, number)
        if messages:
            errors.append({"line": number, "messages": messages})
        else:
            valid.append(_to_json(number, values))
    return valid, errors


def _saved_values(line: FundingLine) -> LineValues:
    return LineValues(
        funder=line.funder,
        scheme=line.scheme,
        scheme_kind=line.scheme_kind,
        public=line.public,
        starts_on=line.starts_on,
        ends_on=line.ends_on,
        amount_committed=line.amount_committed,
        amount_available=line.amount_available,
        covers_whole_perimeter=line.covers_whole_perimeter,
        epcis=list(line.epcis.all()),
        communes=list(line.communes.all()),
    )


# --- Upload and confirmation ---------------------------------------------------------------------


@transaction.atomic
def upload_offer_file(
    *, conference: FundersConference, user, filename: str, content: bytes
) -> FundingLineImport:
    """Read and check a file line by line; record the attempt with its errors. Nothing is
    imported here: a valid file waits for ``confirm_offer_import``."""
    if conference.committee.status == conference.committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous : son offre ne change plus.")
    if len(content) > MAX_IMPORT_BYTES:
        raise RuleError("Le fichier dépasse 5 Mo : découpez-le.", field="file")
    rows = read_rows(filename, content)
    if not rows:
        raise RuleError("Le fichier ne contient aucune ligne de financement.", field="file")
    if len(rows) > MAX_IMPORT_ROWS:
        raise RuleError(f"Le fichier dépasse {MAX_IMPORT_ROWS} lignes : découpez-le.", field="file")
    valid, errors = check_rows(conference, rows)
    return FundingLineImport.objects.create(
        conference=conference,
        filename=filename[:255],
        status=FundingLineImport.Status.INVALID if errors else FundingLineImport.Status.PREVIEWED,
        rows=valid if not errors else [],
        errors=errors,
        row_count=len(rows),
        uploaded_by=user,
    )


@transaction.atomic
def confirm_offer_import(*, offer_import: FundingLineImport, user) -> int:
    """Import the lines of a checked, valid file — all or nothing, once; returns how many."""
    offer_import = FundingLineImport.objects.select_for_update().get(pk=offer_import.pk)
    if offer_import.status != FundingLineImport.Status.PREVIEWED:
        raise RuleError("Seul un fichier vérifié et sans erreur peut être importé, une seule fois.")
    conference = offer_import.conference
    directory = _Directory(conference)
    epcis = Epci.objects.in_bulk([code for r in offer_import.rows for code in r["epcis"]])
    communes = Commune.objects.in_bulk([code for r in offer_import.rows for code in r["communes"]])
    count = 0
    for row in offer_import.rows:
        funder = directory.funders_by_pk.get(row["funder"])
        if funder is None:
            raise RuleError(
                f"Ligne {row['line']} : le financeur « {row['funder_name']} » n'est plus au "
                "répertoire. Déposez le fichier à nouveau."
            )
        values = LineValues(
            funder=funder,
            scheme=row["scheme"],
            scheme_kind=row["scheme_kind"],
            public=row["public"],
            public_detail=row["public_detail"],
            covers_whole_perimeter=row["covers_whole_perimeter"],
            epcis=[epcis[code] for code in row["epcis"] if code in epcis],
            communes=[communes[code] for code in row["communes"] if code in communes],
            starts_on=date.fromisoformat(row["starts_on"]),
            ends_on=date.fromisoformat(row["ends_on"]),
            amount_committed=Decimal(row["amount_committed"]),
            amount_available=Decimal(row["amount_available"]),
            places=row["places"],
            people=row["people"],
            is_cofinanced=row["is_cofinanced"],
            own_share=None if row["own_share"] is None else Decimal(row["own_share"]),
            cofinancings=[
                {
                    "partner_name": c["partner_name"],
                    "share": Decimal(c["share"]),
                    "partner": directory.funders_by_pk.get(c["partner"]),
                }
                for c in row["cofinancings"]
            ],
            intervention_criteria=row["intervention_criteria"],
            allocation_doctrine=row["allocation_doctrine"],
            conditions_of_use=row["conditions_of_use"],
        )
        try:
            add_line(
                conference=conference,
                values=values,
                perimeter=directory.perimeter,
                source_import=offer_import,
            )
        except RuleError as exc:
            raise RuleError(
                [f"Ligne {row['line']} : {message}" for message in exc.messages]
                + ["Rien n'a été importé : déposez le fichier à nouveau."]
            ) from exc
        count += 1
    offer_import.status = FundingLineImport.Status.IMPORTED
    offer_import.imported_by = user
    offer_import.imported_at = timezone.now()
    offer_import.save(update_fields=["status", "imported_by", "imported_at"])
    return count


# --- Model files ----------------------------------------------------------------------------------


def model_csv() -> str:
    """The header of the model file, semicolon-separated (what a French spreadsheet opens)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow(csv_safe_row(HEADERS))
    return "\ufeff" + buffer.getvalue()


def model_xlsx(conference: FundersConference) -> bytes:
    """The model file: the header, and a sheet listing the accepted values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lignes de financement"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((28, 30, 24, 24, 24, 30, 12, 12, 16, 16), start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    help_sheet = workbook.create_sheet("Valeurs acceptées")
    help_sheet.append(["Colonne", "Valeurs acceptées"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    funders = Funder.objects.filter(committee=conference.committee).order_by("name")
    for funder in funders:
        help_sheet.append(["Financeur", funder.name])
    for label in SchemeKind.labels:
        help_sheet.append(["Type de dispositif", label])
    for label in Public.labels:
        help_sheet.append(["Public", label])
    help_sheet.append(
        [
            "Territoire",
            "vide ou « tout le périmètre », sinon EPCI et communes (codes ou noms) séparés par « ; »",
        ]
    )
    help_sheet.append(["Début, Fin", "JJ/MM/AAAA"])
    help_sheet.append(["Montants", "euros, deux décimales au plus (1 234,56)"])
    help_sheet.append(["Cofinanceurs", "« Nom : part ; Autre nom : part » (parts en %)"])
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 90
    return workbook_bytes(workbook)
