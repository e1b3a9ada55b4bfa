from django.contrib import admin

from regional_map.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Exports are built by tasks: admins follow them here, they do not edit them."""

    list_display = [
        "pk",
        "kind",
        "format",
        "region",
        "departement",
        "requested_by",
        "status",
        "progress",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "format", "status"]
    search_fields = ["requested_by__email"]
    list_select_related = ["region", "departement", "requested_by"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
