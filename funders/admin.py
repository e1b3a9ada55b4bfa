"""Funders' conferences in the admin: read only. Writes go through the portal's screens and
services, where the rules (INS-FUNDERS, INS-CDE-MISSIONS, INS-CRE-MISSIONS) are checked."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funders.models import Convention, Funder, FundersConference, FundingLine, FundingNeed


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Funder)
class FunderAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "committee", "contact"]
    list_filter = ["kind"]
    search_fields = ["name", "committee__name"]
    list_select_related = ["committee", "contact"]


@admin.register(FundersConference)
class FundersConferenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "level", "year", "date", "meeting"]
    list_filter = ["level", "year"]
    search_fields = ["title", "committee__name"]
    list_select_related = ["committee", "meeting"]


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnlyAdmin):
    list_display = [
        "scheme",
        "funder",
        "conference",
        "public",
        "amount_committed",
        "amount_available",
        "ends_on",
    ]
    list_filter = ["scheme_kind", "public"]
    search_fields = ["scheme", "funder__name"]
    list_select_related = ["funder", "conference"]


@admin.register(FundingNeed)
class FundingNeedAdmin(ReadOnlyAdmin):
    list_display = ["pathway_need", "conference", "public", "people_count", "status"]
    list_filter = ["status", "public"]
    list_select_related = ["conference"]


@admin.register(Convention)
class ConventionAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "committee__name"]
    list_select_related = ["committee"]
