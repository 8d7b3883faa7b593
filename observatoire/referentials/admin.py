from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    SDG,
    ActionKind,
    College,
    Commune,
    Country,
    DacSector,
    Departement,
    Need,
    OrganizationKind,
    Region,
    SDGTarget,
    Theme,
)
from .selectors import communes_search


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data rebuilt from official sources (build_referentials): shown, not edited.

    The role backend already keeps staff from changing it; no one adds or deletes rows here,
    because records all over the product point at them.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "=code"]
    ordering = ["name"]


@admin.register(Departement)
class DepartementAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "=code"]
    ordering = ["code"]


@admin.register(Commune)
class CommuneAdmin(ReferenceDataAdmin):
    list_display = ["name", "insee_code", "postal_codes", "departement", "latitude", "longitude"]
    list_filter = ["departement__region", "departement"]
    list_select_related = ["departement"]
    search_fields = ["name", "=insee_code", "postal_codes"]
    search_help_text = _("Name (accents optional, “St” for “Saint”), INSEE code or postal code.")
    show_full_result_count = False
    ordering = ["name"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # Accent-insensitive prefix search, so the autocomplete of other admins finds
        # "Saint-Étienne" from "st etienne"; an INSEE code is matched exactly.
        term = search_term.strip()
        if not term:
            return queryset, False
        pks = [commune.pk for commune in communes_search(term=term, limit=500)]
        return queryset.filter(Q(pk__in=pks) | Q(insee_code=term.upper())), False


@admin.register(Country)
class CountryAdmin(ReferenceDataAdmin):
    list_display = ["name_fr", "name_en", "iso2", "iso3", "continent"]
    list_filter = ["continent"]
    search_fields = ["name_fr", "name_en", "=iso2", "=iso3"]
    ordering = ["name_fr"]


class SDGTargetInline(admin.TabularInline):
    model = SDGTarget
    fields = ["code", "text_fr", "text_en"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SDG)
class SDGAdmin(ReferenceDataAdmin):
    list_display = ["number", "short_name_fr", "short_name_en", "color"]
    search_fields = ["=number", "short_name_fr", "short_name_en", "name_fr", "name_en"]
    ordering = ["number"]
    inlines = [SDGTargetInline]


@admin.register(SDGTarget)
class SDGTargetAdmin(ReferenceDataAdmin):
    list_display = ["code", "goal", "text_fr"]
    list_filter = ["goal"]
    list_select_related = ["goal"]
    search_fields = ["=code", "text_fr", "text_en"]


class VocabularyAdmin(admin.ModelAdmin):
    """An editable list: staff rename, reorder or retire entries (retired ones stay on records)."""

    list_display = ["name_fr", "name_en", "slug", "position", "is_active"]
    list_display_links = ["name_fr"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["position", "name_fr"]


@admin.register(DacSector)
class DacSectorAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_fr", "name_en", "category", "is_active"]
    list_filter = ["is_active", "category"]
    search_fields = ["=code", "name_fr", "name_en"]


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
    # The crosswalk to DAC sectors is the network's to adjust.
    autocomplete_fields = ["dac_sectors"]


@admin.register(ActionKind)
class ActionKindAdmin(VocabularyAdmin):
    pass


@admin.register(Need)
class NeedAdmin(VocabularyAdmin):
    pass


@admin.register(College)
class CollegeAdmin(VocabularyAdmin):
    pass


@admin.register(OrganizationKind)
class OrganizationKindAdmin(VocabularyAdmin):
    list_display = [
        "name_fr",
        "name_en",
        "slug",
        "family",
        "authority_level",
        "default_college",
        "position",
        "is_active",
    ]
    list_filter = ["family", "is_active", "default_college"]
    list_select_related = ["default_college"]
