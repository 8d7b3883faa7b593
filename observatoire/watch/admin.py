from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import WatchFeed, WatchItem, WatchItemSource, WatchTag


@admin.register(WatchTag)
class WatchTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class SourceInline(admin.TabularInline):
    model = WatchItemSource
    extra = 0
    readonly_fields = ["feed", "guid", "url", "seen_at"]
    can_delete = False


@admin.register(WatchItem)
class WatchItemAdmin(SimpleHistoryAdmin):
    """The register's link to the funder is set here; staff use /espace/veille/ for the rest."""

    list_display = ["title", "kind", "status", "deadline", "funder"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "funder"]
    raw_id_fields = ["funder_organization"]
    filter_horizontal = ["organization_kinds", "countries", "departements", "themes", "sdgs"]
    readonly_fields = ["slug", "created_by", "qualified_by", "qualified_at", "published_at"]
    inlines = [SourceInline]

    def has_add_permission(self, request):
        return False  # items are entered at /espace/veille/, through the services

    def save_model(self, request, obj, form, change):
        services.watch_item_update(item=obj, user=request.user)


@admin.register(WatchFeed)
class WatchFeedAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "is_active", "last_status", "last_fetched_at"]
    list_filter = ["is_active", "last_status"]
    readonly_fields = ["last_fetched_at", "last_status", "last_error", "consecutive_failures"]
