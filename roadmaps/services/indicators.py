"""Values of the indicators over time, targets, and imports from CSV/XLSX (INS-INDICATORS).

A value belongs to a committee's perimeter, for a date, in total or for one category of a
typology the indicator may break down by. Common result indicators are followed by every
committee; an action sheet's specific indicators by the committee that owns the sheet.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from committees.models import Committee
from cte_portal.core.errors import RuleError
from cte_portal.core.spreadsheets import read_csv_lines, read_xlsx_lines
from roadmaps.models import (
    IndicatorImport,
    IndicatorTarget,
    IndicatorValue,
    ResultIndicator,
    RoadmapIndicator,
    TypologyCategory,
)

SPECIFIC_PREFIX = "spec-"
IMPORT_COLUMNS = ("indicateur", "date", "valeur", "typologie", "categorie")
MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def specific_code(indicator: RoadmapIndicator) -> str:
    """How a specific indicator is named in an import file."""
    return f"{SPECIFIC_PREFIX}{indicator.pk}"


def _check_value(
    *,
    committee: Committee,
    period: date,
    result_indicator: ResultIndicator | None,
    roadmap_indicator: RoadmapIndicator | None,
    category: TypologyCategory | None,
    breakdown_ids: set[int] | None = None,
) -> None:
    if (result_indicator is None) == (roadmap_indicator is None):
        raise RuleError("Choisissez un indicateur.", field="indicator")
    if result_indicator is not None and not result_indicator.is_active:
        raise RuleError("Cet indicateur commun n'est plus en vigueur.", field="indicator")
    if roadmap_indicator is not None:
        owner = roadmap_indicator.sheet.axis.roadmap.committee_id
        if owner != committee.pk:
            raise RuleError(
                "Cet indicateur appartient à la feuille de route d'un autre comité.",
                field="indicator",
            )
    if period > timezone.localdate():
        raise RuleError("Une valeur mesurée ne peut pas être datée du futur.", field="period")
    if category is not None:
        if breakdown_ids is None:
            indicator = result_indicator or roadmap_indicator
            breakdown_ids = set(indicator.breakdowns.values_list("pk", flat=True))
        if category.typology_id not in breakdown_ids:
            raise RuleError(
                f"L'indicateur ne se ventile pas par « {category.typology.label} ».",
                field="category",
            )


@transaction.atomic
def record_value(
    *,
    committee: Committee,
    user,
    period: date,
    value: Decimal,
    result_indicator: ResultIndicator | None = None,
    roadmap_indicator: RoadmapIndicator | None = None,
    category: TypologyCategory | None = None,
    source_import: IndicatorImport | None = None,
    checked: bool = False,
) -> IndicatorValue:
    """Enter (or correct) the value of an indicator on the committee's perimeter for a date,
    in total or for one category of the typologies the indicator breaks down by."""
    if not checked:
        _check_value(
            committee=committee,
            period=period,
            result_indicator=result_indicator,
            roadmap_indicator=roadmap_indicator,
            category=category,
        )
    row, _created = IndicatorValue.objects.update_or_create(
        committee=committee,
        result_indicator=result_indicator,
        roadmap_indicator=roadmap_indicator,
        period=period,
        category=category,
        defaults={"value": value, "entered_by": user, "source_import": source_import},
    )
    return row


@transaction.atomic
def delete_value(*, value: IndicatorValue) -> None:
    value.delete()


@transaction.atomic
def set_indicator_target(
    *,
    committee: Committee,
    indicator: ResultIndicator,
    target: Decimal,
    due_on: date | None = None,
) -> IndicatorTarget:
    """The target the committee sets itself for a common indicator on its perimeter."""
    if not indicator.is_active:
        raise RuleError("Cet indicateur commun n'est plus en vigueur.", field="indicator")
    row, _created = IndicatorTarget.objects.update_or_create(
        committee=committee, indicator=indicator, defaults={"target": target, "due_on": due_on}
    )
    return row


# --- Imports ----------------------------------------------------------------------------------


@dataclass
class _Catalogue:
    """The indicators and categories a committee may import values for (3 queries)."""

    common: dict[str, ResultIndicator]
    specific: dict[str, RoadmapIndicator]
    breakdowns: dict[str, set[int]]
    categories: dict[tuple[str, str], TypologyCategory]

    @classmethod
    def for_committee(cls, committee: Committee) -> "_Catalogue":
        common = {
            i.code: i
            for i in ResultIndicator.objects.filter(is_active=True).prefetch_related("breakdowns")
        }
        specific = {
            specific_code(i): i
            for i in RoadmapIndicator.objects.filter(
                sheet__axis__roadmap__committee=committee
            ).prefetch_related("breakdowns")
        }
        breakdowns = {code: {t.pk for t in i.breakdowns.all()} for code, i in common.items()}
        breakdowns |= {code: {t.pk for t in i.breakdowns.all()} for code, i in specific.items()}
        categories = {
            (c.typology.code, c.code): c
            for c in TypologyCategory.objects.select_related("typology")
        }
        return cls(common, specific, breakdowns, categories)


def _read_rows(filename: str, content: bytes) -> list[dict]:
    """The lines of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts, headers lowered.
    A file holding a formula is refused whole (``cte_portal.core.spreadsheets``)."""
    if filename.lower().endswith(".xlsx"):
        lines = read_xlsx_lines(content)
        header = [str(h or "").strip().lower() for h in (lines[0] if lines else ())]
        return [dict(zip(header, line, strict=False)) for line in lines[1:] if any(line)]
    if not filename.lower().endswith(".csv"):
        raise RuleError("Déposez un fichier CSV ou XLSX.", field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError("Le fichier CSV doit être encodé en UTF-8.", field="file") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    lines = read_csv_lines(text, delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (lines[0] if lines else ())]
    rows = []
    for line in lines[1:]:
        if not any(v.strip() for v in line):
            continue
        row = dict(zip(header, line, strict=False))
        row.update(dict.fromkeys(header[len(line) :]))
        rows.append(row)
    return rows


def _parse_date(raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date « {text} » illisible (attendu AAAA-MM-JJ)")


def _parse_decimal(raw) -> Decimal:
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw or "").strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"valeur « {raw} » qui n'est pas un nombre") from exc
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError(f"valeur « {raw} » hors limites")
    return value.quantize(Decimal("0.01"))


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def check_import_rows(committee: Committee, rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Each line checked on its own: (valid lines as JSON, errors as {line, messages})."""
    catalogue = _Catalogue.for_committee(committee)
    valid, errors = [], []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        messages = []
        code = _cell(row, "indicateur")
        indicator = catalogue.common.get(code) or catalogue.specific.get(code)
        if indicator is None:
            messages.append(f"indicateur « {code} » inconnu pour ce comité")
        try:
            period = _parse_date(row.get("date"))
        except ValueError as exc:
            messages.append(str(exc))
            period = None
        try:
            value = _parse_decimal(row.get("valeur"))
        except ValueError as exc:
            messages.append(str(exc))
            value = None
        category = None
        typology_code, category_code = _cell(row, "typologie"), _cell(row, "categorie")
        if typology_code or category_code:
            category = catalogue.categories.get((typology_code, category_code))
            if category is None:
                messages.append(f"catégorie « {typology_code} / {category_code} » inconnue")
        if not messages:
            try:
                _check_value(
                    committee=committee,
                    period=period,
                    result_indicator=indicator if code in catalogue.common else None,
                    roadmap_indicator=indicator if code in catalogue.specific else None,
                    category=category,
                    breakdown_ids=catalogue.breakdowns[code],
                )
            except RuleError as exc:
                messages += exc.messages
        if not messages:
            key = (code, period, category.pk if category else None)
            if key in seen:
                messages.append(f"doublon de la ligne {seen[key]}")
            seen[key] = number
        if messages:
            errors.append({"line": number, "messages": messages})
        else:
            valid.append(
                {
                    "line": number,
                    "indicator": code,
                    "indicator_name": indicator.name,
                    "period": period.isoformat(),
                    "value": str(value),
                    "category": category.pk if category else None,
                    "category_label": str(category) if category else "",
                }
            )
    return valid, errors


@transaction.atomic
def upload_values_file(
    *, committee: Committee, user, filename: str, content: bytes
) -> IndicatorImport:
    """Read and check a file line by line; record the attempt (who, when) with its errors.
    Nothing is imported here: a valid file waits for ``confirm_import``."""
    if len(content) > MAX_IMPORT_BYTES:
        raise RuleError("Le fichier dépasse 5 Mo : découpez-le.", field="file")
    rows = _read_rows(filename, content)
    if not rows:
        raise RuleError("Le fichier ne contient aucune ligne de valeurs.", field="file")
    if len(rows) > MAX_IMPORT_ROWS:
        raise RuleError(f"Le fichier dépasse {MAX_IMPORT_ROWS} lignes : découpez-le.", field="file")
    missing = [c for c in IMPORT_COLUMNS[:3] if c not in rows[0]]
    if missing:
        raise RuleError(
            f"Colonnes manquantes : {', '.join(missing)} (attendu : {', '.join(IMPORT_COLUMNS)}).",
            field="file",
        )
    valid, errors = check_import_rows(committee, rows)
    return IndicatorImport.objects.create(
        committee=committee,
        filename=filename[:255],
        status=IndicatorImport.Status.INVALID if errors else IndicatorImport.Status.PREVIEWED,
        rows=valid,
        errors=errors,
        row_count=len(rows),
        uploaded_by=user,
    )


@transaction.atomic
def confirm_import(*, indicator_import: IndicatorImport, user) -> int:
    """Import the values of a checked, valid file (all or nothing); returns how many."""
    indicator_import = IndicatorImport.objects.select_for_update().get(pk=indicator_import.pk)
    if indicator_import.status != IndicatorImport.Status.PREVIEWED:
        raise RuleError("Seul un fichier vérifié et sans erreur peut être importé, une seule fois.")
    committee = indicator_import.committee
    catalogue = _Catalogue.for_committee(committee)
    categories = {c.pk: c for c in catalogue.categories.values()}
    count = 0
    for row in indicator_import.rows:
        code = row["indicator"]
        if code not in catalogue.common and code not in catalogue.specific:
            raise RuleError(
                f"Ligne {row['line']} : l'indicateur « {code} » n'existe plus. Déposez le fichier à "
                "nouveau."
            )
        record_value(
            committee=committee,
            user=user,
            period=date.fromisoformat(row["period"]),
            value=Decimal(row["value"]),
            result_indicator=catalogue.common.get(code),
            roadmap_indicator=catalogue.specific.get(code),
            category=categories.get(row["category"]),
            source_import=indicator_import,
            checked=True,
        )
        count += 1
    indicator_import.status = IndicatorImport.Status.IMPORTED
    indicator_import.imported_by = user
    indicator_import.imported_at = timezone.now()
    indicator_import.save(update_fields=["status", "imported_by", "imported_at"])
    return count
