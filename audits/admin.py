"""What admins (DGEFP) configure: the network bodies and their users, the reports owed to the
committees (the national committee's included). Audits, reports received, commitments and
reminders are written through the portal's screens and services only; the admin shows them
read-only (audit files are confidential, INS-AUDIT: admins see them anyway)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audits.models import (
    Audit,
    AuditEvent,
    Commitment,
    NetworkBody,
    Recommendation,
    Reminder,
    Report,
    ReportFigure,
    ReportObligation,
)


@admin.register(NetworkBody)
class NetworkBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "departement", "delegating_authority", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "delegating_authority"]
    autocomplete_fields = ["users"]
    raw_id_fields = ["departement"]


@admin.register(ReportObligation)
class ReportObligationAdmin(SimpleHistoryAdmin):
    list_display = ["report_type", "body", "committee", "frequency", "starts_on", "is_active"]
    list_filter = ["report_type", "frequency", "is_active"]
    search_fields = ["body__name", "committee__name"]
    raw_id_fields = ["body", "committee", "created_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    fields = ["text", "responsible_body", "responsible_name", "due_on", "status", "done_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = AuditEvent
    fields = ["at", "label", "from_state", "to_state", "user", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ["pk", "audited_body", "committee", "origin", "state", "created_at"]
    list_filter = ["state", "origin"]
    search_fields = ["audited_body__name", "committee__name"]
    inlines = [RecommendationInline, EventInline]


class FigureInline(admin.TabularInline):
    model = ReportFigure
    readonly_fields = ["code", "value"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["obligation", "period_start", "submitted_at", "submitted_by"]
    inlines = [FigureInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["committee", "body", "area", "status", "assessed_on"]
    list_filter = ["area", "status"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["kind", "period", "created_at", "sent_at", "skipped", "recipients"]
    list_filter = ["kind", "skipped"]
