"""The lists in the back office, for looking things up; the work happens in /espace/listes/."""

from django.contrib import admin

from .models import Bounce, MailingList, Subscription, Suppression


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "purpose", "is_public", "archived_at"]
    list_filter = ["kind", "purpose", "is_public"]
    search_fields = ["name"]
    readonly_fields = ["slug", "created_by", "created_at"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["address", "mailing_list", "status", "source", "consented_at"]
    list_filter = ["status", "source", "mailing_list"]
    search_fields = ["address", "first_name", "last_name", "organization_name"]
    list_select_related = ["mailing_list"]
    raw_id_fields = ["person"]
    readonly_fields = ["consent_wording", "consented_at", "confirmed_at", "unsubscribed_at"]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["address", "reason", "source", "created_at", "lifted_at"]
    list_filter = ["reason"]
    search_fields = ["address"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "received_at"]
    list_filter = ["kind"]
    search_fields = ["address", "message_id"]

    def has_change_permission(self, request, obj=None):
        return False
