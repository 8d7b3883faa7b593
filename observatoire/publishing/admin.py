"""Submissions in the back office: read-only, to search the whole record of decisions.

Decisions are taken in the moderation queue, which applies them and e-mails the editor.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from observatoire.accounts.access import is_back_office

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "organization", "status", "submitted_at", "reviewed_by"]
    list_filter = ["status", "kind"]
    search_fields = ["organization__name", "message"]
    date_hierarchy = "submitted_at"
    list_select_related = ["organization", "reviewed_by"]
    readonly_fields = ["moderation_link"]

    @admin.display(description=_("moderation"))
    def moderation_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("moderation:submission", args=[obj.pk]),
            _("Open in the moderation queue"),
        )

    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
