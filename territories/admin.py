"""Django admin of the territorial reference, read-mostly (``import_territories`` loads it)."""

from django.contrib import admin

from territories.models import (
    Arrondissement,
    Commune,
    Departement,
    Epci,
    Ept,
    MunicipalArrondissement,
    Region,
    TerritorialEdition,
)

# --- Territorial reference (loaded by ``import_territories``; 35,000 communes) ------------------


class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    show_full_result_count = False


@admin.register(Region)
class RegionAdmin(TerritoryAdmin):
    list_display = ["code", "name", "zone", "is_current"]
    list_filter = ["zone", "is_current"]


@admin.register(Departement)
class DepartementAdmin(TerritoryAdmin):
    list_display = ["code", "name", "region", "zone", "is_current"]
    list_filter = ["zone", "region", "is_current"]
    list_select_related = ["region"]


@admin.register(Arrondissement)
class ArrondissementAdmin(TerritoryAdmin):
    list_display = ["code", "name", "departement", "is_current"]
    list_select_related = ["departement"]
    autocomplete_fields = ["departement"]


@admin.register(Epci)
class EpciAdmin(TerritoryAdmin):
    list_display = ["code", "name", "kind", "is_current"]
    list_filter = ["kind", "is_current"]


@admin.register(Ept)
class EptAdmin(TerritoryAdmin):
    pass


@admin.register(Commune)
class CommuneAdmin(TerritoryAdmin):
    list_display = ["code", "name", "departement", "epci", "population", "is_current"]
    list_filter = ["is_current", "region"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["departement", "region", "arrondissement", "epci", "ept"]


@admin.register(TerritorialEdition)
class TerritorialEditionAdmin(admin.ModelAdmin):
    list_display = ["label", "source", "imported_at"]
    readonly_fields = ["label", "source", "checksum", "imported_at"]


@admin.register(MunicipalArrondissement)
class MunicipalArrondissementAdmin(TerritoryAdmin):
    list_display = ["code", "name", "commune", "population", "is_current"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]
