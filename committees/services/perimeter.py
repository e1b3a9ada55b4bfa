"""Writes on the perimeters of local committees beyond ``set_perimeter``: periodic reviews,
bassins d'emploi, and the CDE a CLE reports to.

- DEC-CLE-PERIMETER / INS-CLE-PERIMETER: the préfet de département fixes the CLEs' perimeters
  and reviews them periodically (every three years recommended); perimeters are mostly an
  arrondissement, a bassin d'emploi or a set of EPCI.
- INS-CDE-RHONE / DEC-SPECIAL-CDE: the CLEs of the Métropole de Lyon report to the Métropole's
  CDE, those of the rest of the Rhône to the Rhône's.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from committees.models import Committee, Level, PerimeterReview
from committees.services.committees import cde_territory, ensure_not_dissolved, set_perimeter
from cte_portal.core.errors import RuleError
from territories.models import Commune, Departement, EmploymentArea


@transaction.atomic
def record_perimeter_review(
    *,
    committee: Committee,
    reviewed_on: date,
    outcome: str,
    notes: str = "",
    user=None,
) -> PerimeterReview:
    """DEC-CLE-PERIMETER: record that the préfet reviewed an installed CLE's perimeter, with
    its outcome; the next review falls due three years after it. Who may: the secretariat
    (``can_manage_committee``)."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.level != Level.LOCAL:
        raise RuleError("Seul le périmètre d'un comité local se réexamine.")
    ensure_not_dissolved(committee)
    if not committee.is_installed:
        raise RuleError(
            "Le comité n'est pas encore installé : son périmètre se réexamine après "
            "l'installation.",
            field="reviewed_on",
        )
    if reviewed_on > date.today():
        raise RuleError("La date du réexamen ne peut être dans le futur.", field="reviewed_on")
    if reviewed_on < committee.installed_on:
        raise RuleError(
            f"La date du réexamen précède l'installation du comité "
            f"({committee.installed_on:%d/%m/%Y}).",
            field="reviewed_on",
        )
    if outcome not in PerimeterReview.Outcome.values:
        raise RuleError("Choisissez la conclusion du réexamen.", field="outcome")
    review = PerimeterReview.objects.create(
        committee=committee,
        reviewed_on=reviewed_on,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=user,
    )
    if not committee.perimeter_reviewed_on or reviewed_on > committee.perimeter_reviewed_on:
        committee.perimeter_reviewed_on = reviewed_on
        committee.save(update_fields=["perimeter_reviewed_on", "updated_at"])
    return review


@transaction.atomic
def define_employment_area(
    *,
    name: str,
    departement: Departement,
    communes: Iterable[Commune | str],
    insee_code: str = "",
    description: str = "",
    area: EmploymentArea | None = None,
) -> EmploymentArea:
    """DEC-CLE-PERIMETER: define (or redefine) a bassin d'emploi as a named set of communes,
    which may reach beyond its département. Redefining one re-applies the perimeter of every
    CLE built on it (refused, nothing changed, if that would make two installed CLEs share a
    commune). Who may: a DDETS agent of ``departement`` or an admin (the view checks)."""
    name = name.strip()
    if not name:
        raise RuleError("Donnez un nom au bassin d'emploi.", field="name")
    codes = sorted({getattr(c, "pk", c) for c in communes})
    current = list(Commune.objects.current().filter(code__in=codes).values_list("pk", flat=True))
    if not current:
        raise RuleError("Un bassin d'emploi contient au moins une commune.", field="communes")
    same_name = EmploymentArea.objects.filter(departement=departement, name__iexact=name)
    if area is not None:
        same_name = same_name.exclude(pk=area.pk)
    if same_name.exists():
        raise RuleError(
            f"Un bassin d'emploi « {name} » existe déjà pour ce département.", field="name"
        )
    if area is None:
        area = EmploymentArea(departement=departement)
    area.name = name
    area.departement = departement
    area.insee_code = insee_code.strip()
    area.description = description.strip()
    area.save()
    area.communes.set(current)
    for committee in _committees_built_on(area):
        set_perimeter(committee=committee, **perimeter_selection(committee))
    return area


def _committees_built_on(area: EmploymentArea) -> list[Committee]:
    through = Committee.perimeter_employment_areas.through
    ids = through.objects.filter(employmentarea_id=area.pk).values_list("committee_id", flat=True)
    return list(Committee.objects.active().filter(pk__in=ids))


def perimeter_selection(committee: Committee) -> dict:
    """The pieces of a CLE's perimeter as ``set_perimeter`` takes them."""
    return {
        "arrondissements": list(committee.perimeter_arrondissements.all()),
        "epcis": list(committee.perimeter_epcis.all()),
        "epts": list(committee.perimeter_epts.all()),
        "communes": list(committee.perimeter_communes.all()),
        "employment_areas": list(committee.perimeter_employment_areas.all()),
        "municipal_arrondissements": list(committee.perimeter_municipal_arrondissements.all()),
    }


# --- The CDE a CLE reports to -------------------------------------------------------------------


def allowed_parents(committee: Committee) -> list[Committee]:
    """DEC-CLE-PERIMETER / INS-CDE-RHONE: the CDEs a CLE may report to: the active
    departmental committees (a DROM's single committee included) whose territory holds at
    least one commune of the CLE's perimeter."""
    if committee.level != Level.LOCAL:
        return []
    codes = list(committee.communes.values_list("code", flat=True))
    departements = list(committee.departements.values_list("code", flat=True))
    if not codes:
        return []
    candidates = (
        Committee.objects.active()
        .filter(level=Level.DEPARTMENTAL, departements__code__in=departements)
        .distinct()
        .prefetch_related("departements")
        .order_by("name")
    )
    communes = Commune.objects.filter(code__in=codes)
    return [cde for cde in candidates if communes.filter(cde_territory(cde)).exists()]


def allowed_parents_queryset(committee: Committee) -> QuerySet:
    return Committee.objects.filter(pk__in=[c.pk for c in allowed_parents(committee)]).order_by(
        "name"
    )


@transaction.atomic
def change_parent_committee(*, committee: Committee, parent: Committee) -> Committee:
    """Attach a CLE to another CDE (DEC-CLE-PERIMETER, INS-CDE-RHONE): only to a CDE whose
    territory holds communes of the CLE's perimeter — for a CLE of the Métropole de Lyon, the
    Métropole's CDE. Who may: the secretariat of both the CLE and the new CDE
    (``permissions.can_change_parent``, checked by the caller)."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.level != Level.LOCAL:
        raise RuleError("Seul un comité local change de comité départemental de rattachement.")
    ensure_not_dissolved(committee)
    if parent.pk == committee.parent_id:
        raise RuleError("Le comité est déjà rattaché à ce comité départemental.", field="parent")
    if parent.pk not in {c.pk for c in allowed_parents(committee)}:
        raise RuleError(
            f"« {parent.name} » ne couvre aucune commune du périmètre de ce comité local : "
            "il ne peut pas en être le comité départemental de rattachement.",
            field="parent",
        )
    committee.parent = parent
    committee.save(update_fields=["parent", "updated_at"])
    return committee
