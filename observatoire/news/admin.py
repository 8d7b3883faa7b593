"""News in the back office: staff write, publish and correct the network's and members' news."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from observatoire.projects.admin import BackOfficePermissions

from .forms import NewsItemAdminForm
from .models import NewsItem
from .services import news_item_save


class SourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [("network", _("The network")), ("organization", _("An organisation"))]

    def queryset(self, request, queryset):
        if self.value() == "network":
            return queryset.filter(organization__isnull=True)
        if self.value() == "organization":
            return queryset.filter(organization__isnull=False)
        return queryset


@admin.register(NewsItem)
class NewsItemAdmin(BackOfficePermissions, SimpleHistoryAdmin):
    form = NewsItemAdminForm
    list_display = ["title", "organization", "language", "is_published", "published_at"]
    list_filter = [SourceFilter, "is_published", "language"]
    list_select_related = ["organization"]
    search_fields = ["title", "summary", "organization__name"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "published_at"
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organization", "language", "summary", "body"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (
            _("Publication"),
            {"fields": ["is_published", "published_at", "created_by", "created_at", "updated_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        news_item_save(item=obj, image_upload=form.new_image(), user=request.user)
