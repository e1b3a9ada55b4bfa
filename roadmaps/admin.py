"""What admins (DGEFP) configure: national orientations, the common result indicators and
the typologies of breakdown (INS-ROADMAP, INS-INDICATORS). Roadmaps themselves are written
through the portal's screens and services only; the admin shows them read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from roadmaps.models import (
    NationalOrientation,
    ResultIndicator,
    Roadmap,
    RoadmapVersion,
    Typology,
    TypologyCategory,
)


@admin.register(NationalOrientation)
class NationalOrientationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "valid_from", "is_active", "position"]
    list_editable = ["is_active", "position"]


class TypologyCategoryInline(admin.TabularInline):
    model = TypologyCategory
    extra = 1


@admin.register(Typology)
class TypologyAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "kind", "position"]
    inlines = [TypologyCategoryInline]


@admin.register(ResultIndicator)
class ResultIndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "unit",
        "direction",
        "aggregation",
        "is_illustrative",
        "is_active",
    ]
    list_filter = ["is_active", "is_illustrative", "aggregation"]
    search_fields = ["name", "code"]
    filter_horizontal = ["breakdowns"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "status", "published_version", "updated_at"]
    list_filter = ["status", "committee__level"]
    list_select_related = ["committee"]
    search_fields = ["title", "committee__name"]


@admin.register(RoadmapVersion)
class RoadmapVersionAdmin(ReadOnlyAdmin):
    list_display = ["roadmap", "number", "published_at"]
    list_select_related = ["roadmap", "roadmap__committee"]
