"""Django admin of the committees, with history.

Admins (DGEFP) may configure everything here. What the screens derive through the services
is derived here too: a CLE's communes and population from its perimeter picks
(``set_perimeter``), the deliberative vote from the category (DEC-VOTERS), and the guardian
object permissions from the facts (``sync_committee_permissions``) after every save.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from committees.models import (
    VOTING_CATEGORIES,
    Commission,
    CommissionMember,
    Committee,
    CoPresidency,
    CrefopRotation,
    FormerInstance,
    Level,
    Membership,
    RulesOfProcedure,
    StaffAssignment,
    WrittenOpinion,
)
from committees.permissions import sync_committee_permissions, sync_territory_permissions
from committees.services.committees import (
    commune_conflicts,
    dissolve_committee,
    ensure_iae_commission,
    install_committee,
    installation_problems,
    resolve_perimeter,
    set_perimeter,
    split_cities,
)
from committees.services.composition import delete_commission
from committees.services.perimeter import perimeter_selection
from cte_portal.core.errors import RuleError

# --- Committees -------------------------------------------------------------------------------


class CommitteeAdminForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets pick the fields)

    def clean(self):
        """INS-CLE-PERIMETER: refuse a CLE perimeter that takes communes of another installed
        CLE once this one is installed (as ``set_perimeter``). It may cross the region's limits
        (DEC-CLE-PERIMETER: the written opinions are then required to install). Installation
        and dissolution go through the services (``CommitteeAdmin``): their rules are checked
        here first, so that the admin cannot bypass them."""
        data = super().clean()
        self._check_status(data)
        if data.get("level") != Level.LOCAL:
            return data
        picks = {
            "arrondissements": data.get("perimeter_arrondissements") or [],
            "epcis": data.get("perimeter_epcis") or [],
            "epts": data.get("perimeter_epts") or [],
            "communes": data.get("perimeter_communes") or [],
        }
        municipal = list(data.get("perimeter_municipal_arrondissements") or [])
        if self.instance.pk:
            picks["employment_areas"] = list(self.instance.perimeter_employment_areas.all())
        if not any(picks.values()) and not municipal:
            return data
        whole = resolve_perimeter(**picks)
        parts = split_cities(whole, municipal)
        codes = sorted(set(whole) | {a.commune_id for a in parts})
        if self.instance.pk and data.get("status") == Committee.Status.INSTALLED:
            conflicts = commune_conflicts(
                committee=self.instance,
                commune_codes=codes,
                municipal_codes=[a.code for a in parts],
            )
            if conflicts:
                raise forms.ValidationError(
                    [
                        f"{commune.name} ({commune.code}) — déjà dans « {other.name} »"
                        for commune, other in conflicts
                    ]
                )
        return data

    def previous_status(self) -> str | None:
        if not self.instance.pk:
            return None
        return (
            Committee.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        )

    def _check_status(self, data) -> None:
        """INS-INSTALLATION: a committee is installed only with its co-presidents, its
        permanent members and its arrêté (``install_committee``); dissolved with a date."""
        status, previous = data.get("status"), self.previous_status()
        if status == previous:
            return
        if status == Committee.Status.INSTALLED:
            if previous is None:
                raise forms.ValidationError(
                    "Créez d'abord le comité en préparation, avec ses co-présidents et ses "
                    "membres, puis installez-le."
                )
            problems = list(installation_problems(self.instance))
            if not data.get("arrete_reference"):
                problems.append("Indiquez la référence de l'arrêté préfectoral d'installation.")
            if not data.get("installed_on"):
                problems.append("Indiquez la date d'installation.")
            if problems:
                raise forms.ValidationError(problems)
        elif status == Committee.Status.DISSOLVED and not data.get("dissolved_on"):
            raise forms.ValidationError("Indiquez la date de dissolution.")


class CoPresidencyInline(admin.TabularInline):
    model = CoPresidency
    extra = 0
    raw_id_fields = ["person", "delegate"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "committee"
    raw_id_fields = ["person", "substitute_for", "replaces"]
    fields = [
        "person",
        "organisation",
        "category",
        "is_permanent",
        "role",
        "substitute_for",
        "votes",
        "mandate_start",
        "mandate_end",
        "appointment_arrete",
        "replaces",
        "ended_on",
        "end_reason",
    ]


class FormerInstanceInline(admin.TabularInline):
    model = FormerInstance
    extra = 0


class WrittenOpinionInline(admin.TabularInline):
    model = WrittenOpinion
    extra = 0


def _derive_vote(membership: Membership) -> None:
    # DEC-VOTERS: the category decides, never the user.
    membership.has_vote = membership.category in VOTING_CATEGORIES


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    form = CommitteeAdminForm
    list_display = [
        "name",
        "level",
        "status",
        "region",
        "installed_on",
        "commune_count",
        "population",
    ]
    list_filter = ["level", "status", "region", "special_authority", "crefop_mode"]
    search_fields = ["name", "arrete_reference"]
    list_select_related = ["region"]
    date_hierarchy = "installed_on"
    autocomplete_fields = [
        "region",
        "departements",
        "parent",
        "perimeter_arrondissements",
        "perimeter_epcis",
        "perimeter_epts",
        "perimeter_communes",
        "perimeter_municipal_arrondissements",
    ]
    readonly_fields = [
        "outre_mer_single",
        "perimeter_description",
        "population",
        "commune_count",
        "created_at",
        "updated_at",
    ]
    exclude = ["communes"]  # derived from the perimeter picks by set_perimeter
    inlines = [CoPresidencyInline, MembershipInline, FormerInstanceInline, WrittenOpinionInline]
    fieldsets = (
        (None, {"fields": ("level", "name", "status", "installed_on", "dissolved_on")}),
        (
            "Territoire",
            {
                "fields": (
                    "region",
                    "departements",
                    "special_authority",
                    "crefop_mode",
                    "outre_mer_single",
                    "parent",
                    "arrete_reference",
                )
            },
        ),
        (
            "Périmètre d'un comité local",
            {
                "description": "Les communes couvertes et leur population sont recalculées "
                "à l'enregistrement.",
                "fields": (
                    "perimeter_arrondissements",
                    "perimeter_epcis",
                    "perimeter_epts",
                    "perimeter_communes",
                    "perimeter_municipal_arrondissements",
                    "commune_count",
                    "population",
                ),
            },
        ),
        (
            "Nombre maximal de membres nommés à voix délibérative",
            {"fields": ("max_members_override", "max_members_basis")},
        ),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        """A change of status is made by the services once the inlines are saved
        (``save_related``): the committee is saved with its previous status first."""
        previous = form.previous_status()
        form.requested_status = None
        if obj.status != previous and obj.status in (
            Committee.Status.INSTALLED,
            Committee.Status.DISSOLVED,
        ):
            form.requested_status = obj.status
            form.requested_dates = (obj.installed_on, obj.dissolved_on)
            obj.status = previous or Committee.Status.DRAFT
            if form.requested_status == Committee.Status.INSTALLED:
                obj.installed_on = None
            else:
                obj.dissolved_on = None
        super().save_model(request, obj, form, change)

    def _apply_status(self, request, form, committee) -> None:
        requested = getattr(form, "requested_status", None)
        if requested is None:
            return
        installed_on, dissolved_on = form.requested_dates
        try:
            if requested == Committee.Status.INSTALLED:
                install_committee(
                    committee=committee,
                    installed_on=installed_on,
                    arrete_reference=committee.arrete_reference,
                )
            else:
                dissolve_committee(committee=committee, dissolved_on=dissolved_on)
        except RuleError as error:
            for message in error.messages:
                messages.error(request, message)
        committee.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Membership):
                _derive_vote(instance)
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        committee = form.instance
        if committee.level == Level.LOCAL:
            # Every piece, those the admin does not show (bassins d'emploi) included.
            selection = perimeter_selection(committee)
            if any(selection.values()):
                set_perimeter(committee=committee, **selection)
        ensure_iae_commission(committee)
        self._apply_status(request, form, committee)
        sync_committee_permissions(committee)


class CommitteeChildAdmin(SimpleHistoryAdmin):
    """Objects of a committee: permissions are re-derived after each change."""

    list_select_related = ["committee"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_committee_permissions(obj.committee)

    def delete_model(self, request, obj):
        committee = obj.committee
        super().delete_model(request, obj)
        sync_committee_permissions(committee)

    def delete_queryset(self, request, queryset):
        committees = {obj.committee for obj in queryset.select_related("committee")}
        super().delete_queryset(request, queryset)
        for committee in committees:
            sync_committee_permissions(committee)


@admin.register(CoPresidency)
class CoPresidencyAdmin(CommitteeChildAdmin):
    list_display = ["office", "committee", "side", "person", "delegate", "started_on", "ended_on"]
    list_filter = ["side", "committee__level"]
    search_fields = ["office", "authority", "committee__name", "person__last_name"]
    list_select_related = ["committee", "person", "delegate"]
    raw_id_fields = ["person", "delegate"]
    autocomplete_fields = ["committee"]


@admin.register(Membership)
class MembershipAdmin(CommitteeChildAdmin):
    list_display = [
        "person",
        "organisation",
        "committee",
        "category",
        "role",
        "has_vote",
        "votes",
        "mandate_end",
        "ended_on",
    ]
    list_filter = ["category", "role", "is_permanent", "has_vote", "committee__level"]
    search_fields = ["organisation", "committee__name", "person__last_name", "person__email"]
    list_select_related = ["committee", "person"]
    raw_id_fields = ["person", "substitute_for", "replaces"]
    autocomplete_fields = ["committee"]
    readonly_fields = ["has_vote"]

    def save_model(self, request, obj, form, change):
        _derive_vote(obj)
        super().save_model(request, obj, form, change)


class CommissionMemberInline(admin.TabularInline):
    model = CommissionMember
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Commission)
class CommissionAdmin(CommitteeChildAdmin):
    list_display = ["name", "committee", "kind", "is_mandatory"]
    list_filter = ["kind", "is_mandatory"]
    search_fields = ["name", "committee__name"]
    autocomplete_fields = ["committee"]
    readonly_fields = ["is_mandatory"]
    inlines = [CommissionMemberInline]

    def get_readonly_fields(self, request, obj=None):
        # The mandatory IAE commission stays the IAE commission (DEC-IAE).
        if obj is not None and obj.is_mandatory:
            return [*self.readonly_fields, "kind", "committee"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        """INS-CDE-COMMISSIONS, DEC-IAE: the inclusion & IAE commission of a CDE cannot be
        deleted, in the admin neither (so a CDE itself is dissolved, never deleted here)."""
        if obj is not None and obj.is_mandatory:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        try:
            delete_commission(commission=obj)
        except RuleError as error:
            raise PermissionDenied(" ".join(error.messages)) from error

    def delete_queryset(self, request, queryset):
        for commission in queryset.select_related("committee"):
            self.delete_model(request, commission)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_committee_permissions(form.instance.committee)


@admin.register(CommissionMember)
class CommissionMemberAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organisation", "commission", "is_chair"]
    search_fields = ["organisation", "commission__name", "person__last_name"]
    list_select_related = ["person", "commission__committee"]
    raw_id_fields = ["person", "commission"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_committee_permissions(obj.commission.committee)

    def delete_model(self, request, obj):
        committee = obj.commission.committee
        super().delete_model(request, obj)
        sync_committee_permissions(committee)


@admin.register(RulesOfProcedure)
class RulesOfProcedureAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "version", "adopted_on", "created_at"]
    list_filter = ["adopted_on"]
    search_fields = ["committee__name"]
    list_select_related = ["committee"]
    autocomplete_fields = ["committee"]


@admin.register(CrefopRotation)
class CrefopRotationAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "year", "departement"]
    list_filter = ["year"]
    list_select_related = ["committee", "departement"]
    autocomplete_fields = ["committee", "departement"]


@admin.register(FormerInstance)
class FormerInstanceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "outcome", "committee"]
    list_filter = ["kind", "outcome"]
    search_fields = ["name", "committee__name"]
    list_select_related = ["committee"]
    autocomplete_fields = ["committee"]


@admin.register(WrittenOpinion)
class WrittenOpinionAdmin(SimpleHistoryAdmin):
    list_display = ["authority", "subject", "given_on", "committee", "departement"]
    list_filter = ["subject"]
    search_fields = ["authority", "committee__name"]
    list_select_related = ["committee", "departement"]
    autocomplete_fields = ["committee", "departement"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "service", "region", "departement", "started_on", "ended_on"]
    list_filter = ["service", "region"]
    search_fields = ["user__email", "user__last_name", "departement__name", "region__name"]
    list_select_related = ["user", "region", "departement"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["region", "departement"]

    def _sync(self, obj) -> None:
        region_id = obj.region_id or (obj.departement.region_id if obj.departement_id else None)
        if region_id:
            sync_territory_permissions(region_id=region_id)

    def save_model(self, request, obj, form, change):
        previous = StaffAssignment.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        self._sync(obj)
        if previous is not None:
            self._sync(previous)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._sync(obj)

    def delete_queryset(self, request, queryset):
        assignments = list(queryset.select_related("departement"))
        super().delete_queryset(request, queryset)
        for assignment in assignments:
            self._sync(assignment)
