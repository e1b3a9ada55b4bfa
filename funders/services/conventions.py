"""Conventions a committee follows, with their parties, amounts, commitments, indicators and
documents.

- INS-CDE-MISSIONS: the CDE follows the State–Département conventions (contractualisation
  insertion-emploi, Pacte des solidarités, CAOM…).
- INS-CRE-MISSIONS: the CRE follows the State–Region conventions.
- A local committee follows none: it reads them from its CDE.
- A signed convention has its signature date; one ending within ``RENEWAL_NOTICE_DAYS`` (90)
  days is flagged for renewal (``renewals_due``).
- Commitments reuse the roadmaps' indicators: a common result indicator, or an indicator of an
  action sheet of the committee's own roadmap; otherwise a label of their own.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone

from committees.models import Committee, Level
from cte_portal.core.errors import RuleError
from cte_portal.core.uploads import check_upload
from funders.models import (
    RENEWAL_NOTICE_DAYS,
    Convention,
    ConventionCommitment,
    ConventionDocument,
    ConventionKind,
    ConventionParty,
    Funder,
)
from funders.models.vocabulary import normalize
from funders.services.offer import exact_amount

KINDS_BY_LEVEL = {
    Level.DEPARTMENTAL: (
        ConventionKind.INSERTION_EMPLOYMENT,
        ConventionKind.SOLIDARITY_PACT,
        ConventionKind.CAOM,
        ConventionKind.OTHER,
    ),
    Level.REGIONAL: (ConventionKind.STATE_REGION, ConventionKind.OTHER),
    Level.LOCAL: (),
}
DOCUMENT_EXTENSIONS = (".pdf", ".odt", ".docx", ".ods", ".xlsx")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def allowed_kinds(committee: Committee) -> tuple:
    return KINDS_BY_LEVEL[committee.level]


def _check(committee: Committee, fields: dict) -> dict:
    if committee.status == Committee.Status.DISSOLVED:
        raise RuleError("Ce comité est dissous.")
    kinds = allowed_kinds(committee)
    if not kinds:
        raise RuleError(
            "Les conventions sont suivies par le comité départemental (État–Département) "
            "et le comité régional (État–Région)."
        )
    if fields["kind"] not in kinds:
        raise RuleError(
            "Ce type de convention n'est pas suivi à ce niveau : "
            + ", ".join(ConventionKind(k).label for k in kinds)
            + ".",
            field="kind",
        )
    title = (fields.get("title") or "").strip()
    if not title:
        raise RuleError("Indiquez l'intitulé de la convention.", field="title")
    if fields["ends_on"] < fields["starts_on"]:
        raise RuleError("La fin de la convention précède son début.", field="ends_on")
    status = fields.get("status") or Convention.Status.PREPARATION
    if status not in Convention.Status.values:
        raise RuleError("État inconnu.", field="status")
    signed_on = fields.get("signed_on")
    if status != Convention.Status.PREPARATION and signed_on is None:
        raise RuleError("Une convention signée a sa date de signature.", field="signed_on")
    if signed_on and signed_on > timezone.localdate():
        raise RuleError("La date de signature est passée.", field="signed_on")
    return {
        "kind": fields["kind"],
        "title": title,
        "starts_on": fields["starts_on"],
        "ends_on": fields["ends_on"],
        "status": status,
        "signed_on": signed_on,
        "notes": (fields.get("notes") or "").strip(),
    }


@transaction.atomic
def create_convention(*, committee: Committee, **fields) -> Convention:
    """INS-CDE-MISSIONS / INS-CRE-MISSIONS: the secretariat records a convention it follows."""
    return Convention.objects.create(committee=committee, **_check(committee, fields))


@transaction.atomic
def update_convention(*, convention: Convention, **fields) -> Convention:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    for name, value in _check(convention.committee, fields).items():
        setattr(convention, name, value)
    convention.save()
    return convention


@transaction.atomic
def add_party(
    *, convention: Convention, name: str = "", funder: Funder | None = None, amount=None
) -> ConventionParty:
    """A party to the convention (from the funders' directory or named), with its amount."""
    if funder is not None and funder.committee_id != convention.committee_id:
        raise RuleError("Ce financeur n'est pas au répertoire du comité.", field="funder")
    name = (name or "").strip() or (funder.name if funder else "")
    if not name:
        raise RuleError("Nommez la partie, ou choisissez-la au répertoire.", field="name")
    if any(
        normalize(n) == normalize(name) for n in convention.parties.values_list("name", flat=True)
    ):
        raise RuleError(f"« {name} » est déjà partie à la convention.", field="name")
    if amount is not None:
        try:
            amount = exact_amount(amount, "montant")
        except ValueError as exc:
            raise RuleError(str(exc).capitalize() + ".", field="amount") from exc
    return ConventionParty.objects.create(
        convention=convention, funder=funder, name=name, amount=amount
    )


@transaction.atomic
def remove_party(*, party: ConventionParty) -> None:
    party.delete()


@transaction.atomic
def add_commitment(
    *,
    convention: Convention,
    text: str,
    result_indicator=None,
    roadmap_indicator=None,
    indicator_label: str = "",
    target: Decimal | None = None,
) -> ConventionCommitment:
    """A commitment and its indicator, reusing the roadmaps' indicators where they exist."""
    text = (text or "").strip()
    if not text:
        raise RuleError("Décrivez l'engagement.", field="text")
    chosen = [i for i in (result_indicator, roadmap_indicator) if i is not None]
    if len(chosen) > 1 or (chosen and (indicator_label or "").strip()):
        raise RuleError(
            "Un engagement est suivi par un seul indicateur.", field="roadmap_indicator"
        )
    if (
        roadmap_indicator is not None
        and roadmap_indicator.sheet.axis.roadmap.committee_id != convention.committee_id
    ):
        raise RuleError(
            "Cet indicateur n'appartient pas à la feuille de route du comité.",
            field="roadmap_indicator",
        )
    position = convention.commitments.count() + 1
    return ConventionCommitment.objects.create(
        convention=convention,
        text=text,
        result_indicator=result_indicator,
        roadmap_indicator=roadmap_indicator,
        indicator_label=(indicator_label or "").strip(),
        target=target,
        position=position,
    )


@transaction.atomic
def remove_commitment(*, commitment: ConventionCommitment) -> None:
    commitment.delete()


@transaction.atomic
def add_document(*, convention: Convention, user, title: str, file) -> ConventionDocument:
    title = (title or "").strip()
    if not title:
        raise RuleError("Indiquez le titre du document.", field="title")
    if Path(file.name).suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise RuleError("Déposez un document PDF, ODT, DOCX, ODS ou XLSX.", field="file")
    try:
        check_upload(file, extensions=DOCUMENT_EXTENSIONS)
    except ValidationError as error:
        raise RuleError(error.messages, field="file") from error
    if file.size > MAX_DOCUMENT_BYTES:
        raise RuleError("Le document dépasse 10 Mo.", field="file")
    return ConventionDocument.objects.create(
        convention=convention, title=title, file=file, uploaded_by=user
    )


def conventions_of(committees, *, today: date | None = None):
    """Conventions of these committees, with their parties and total amount (fixed queries)."""
    return (
        Convention.objects.filter(committee__in=committees)
        .select_related("committee")
        .prefetch_related(Prefetch("parties", queryset=ConventionParty.objects.order_by("pk")))
        .annotate(total_amount=Sum("parties__amount"))
        .order_by("ends_on", "pk")
    )


def renewals_due(committees, *, today: date | None = None):
    """Signed conventions ending within ``RENEWAL_NOTICE_DAYS`` days."""
    today = today or timezone.localdate()
    return Convention.objects.filter(
        committee__in=committees,
        status=Convention.Status.SIGNED,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=RENEWAL_NOTICE_DAYS),
    ).select_related("committee")
