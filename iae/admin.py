"""The IAE files in the Django admin: read-only, so that the admin cannot bypass the rules of
``iae.services`` (DEC-IAE); writes go through the screens and the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from iae.models import IaeOpinion, IaeRequest


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpinionInline(ReadOnlyMixin, admin.StackedInline):
    model = IaeOpinion
    extra = 0
    can_delete = False


@admin.register(IaeRequest)
class IaeRequestAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "pk",
        "structure_name",
        "kind",
        "siae_type",
        "committee",
        "status",
        "received_on",
    ]
    list_filter = ["status", "kind", "siae_type"]
    search_fields = ["structure_name", "siret"]
    inlines = [OpinionInline]
