"""Jury seats in the back office: staff deactivate a member (their link then opens nothing).

Marks and decisions are not shown here: they live in the selection pages, which only staff reach.
"""

from django.contrib import admin

from observatoire.accounts.access import can_edit_register

from .models import Reviewer


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "call", "organization", "is_active"]
    list_filter = ["is_active", "call"]
    search_fields = ["name", "email", "user__email", "user__full_name"]
    fields = ["call", "user", "name", "email", "organization", "person", "is_active"]
    readonly_fields = ["call", "user"]
    autocomplete_fields = ["organization", "person"]

    def has_module_permission(self, request):
        return can_edit_register(request.user)

    def has_view_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
