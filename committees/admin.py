"""Django admin of the committees, with history.

Admins (DGEFP) may configure everything here. What the screens derive through the services
is derived here too: a CLE's communes and population from its perimeter picks
(``set_perimeter``), the deliberative vote from the category (DEC-VOTERS), and the guardian
object permissions from the facts (``sync_committee_permissions``) after every save.
"""

from django import forms
from django.contrib import admin
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
from committees.services.committees import commune_conflicts, resolve_perimeter, set_perimeter
from territories.models import Commune

# --- Committees -------------------------------------------------------------------------------


class CommitteeAdminForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets pick the fields)

    def clean(self):
        """INS-CLE-PERIMETER: refuse a CLE perimeter that leaves the region, or that takes
        communes of another installed CLE once this one is installed (as ``set_perimeter``)."""
        data = super().clean()
        if data.get("level") != Level.LOCAL:
            return data
        picks = {
            "arrondissements": data.get("perimeter_arrondissements") or [],
            "epcis": data.get("perimeter_epcis") or [],
            "epts": data.get("perimeter_epts") or [],
            "communes": data.get("perimeter_communes") or [],
        }
        if not any(picks.values()):
            return data
        codes = resolve_perimeter(**picks)
        region = data.get("region")
        outside = Commune.objects.filter(code__in=codes).exclude(region=region)[:5]
        if region and outside:
            raise forms.ValidationError(
                "Le périmètre sort de la région du comité : "
                + ", ".join(c.name for c in outside)
                + "."
            )
        if self.instance.pk and data.get("status") == Committee.Status.INSTALLED:
            conflicts = commune_conflicts(committee=self.instance, commune_codes=codes)
            if conflicts:
                raise forms.ValidationError(
                    [
                        f"{commune.name} ({commune.code}) — déjà dans « {other.name} »"
                        for commune, other in conflicts
                    ]
                )
        return data


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
    ]
    readonly_fields = [
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
                    "commune_count",
                    "population",
                ),
            },
        ),
        (
            "Nombre maximal de membres",
            {"fields": ("max_members_override", "max_members_basis")},
        ),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

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
        if committee.level == Level.LOCAL and any(
            (
                committee.perimeter_arrondissements.exists(),
                committee.perimeter_epcis.exists(),
                committee.perimeter_epts.exists(),
                committee.perimeter_communes.exists(),
            )
        ):
            set_perimeter(
                committee=committee,
                arrondissements=list(committee.perimeter_arrondissements.all()),
                epcis=list(committee.perimeter_epcis.all()),
                epts=list(committee.perimeter_epts.all()),
                communes=list(committee.perimeter_communes.all()),
            )
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
