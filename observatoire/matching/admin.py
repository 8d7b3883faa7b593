"""Digest subscriptions in the back office: the team reads who subscribed, when and to what."""

from django.contrib import admin

from observatoire.accounts.access import is_back_office

from .models import DigestSending, DigestSubscription


class ReadOnlyBackOffice:
    """Consent is given by the subscriber, not edited by the team; the back office only reads."""

    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DigestSendingInline(ReadOnlyBackOffice, admin.TabularInline):
    model = DigestSending
    fields = ["week", "status", "item_count", "attempts", "sent_at", "error"]
    readonly_fields = fields
    extra = 0


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(ReadOnlyBackOffice, admin.ModelAdmin):
    list_display = ["address", "organization", "opted_in_at", "source", "unsubscribed_at"]
    list_filter = ["source", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organization"]
    search_fields = ["address", "organization__name"]
    fields = [
        "organization",
        "address",
        "person",
        "opted_in_at",
        "source",
        "wording",
        "unsubscribed_at",
    ]
    readonly_fields = fields
    inlines = [DigestSendingInline]
