"""Back office of project finance. Budgets move through the workspace services (reallocations
make revised versions); here staff look, correct a record, and follow applications."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.accounts.models import Role

from .models import (
    ApplicationDocument,
    BudgetAmount,
    BudgetLine,
    BudgetVersion,
    Extension,
    Funding,
    FundingApplication,
    Reallocation,
    ReallocationMove,
    Report,
    ReportingObligation,
    ReportVersion,
    Transaction,
)


class PermissionsByRole:
    """The back office reads finance; staff and administrators change it."""

    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_add_permission(self, request, *args):
        return can_edit_register(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.role == Role.ADMINISTRATOR


class ReadOnly(PermissionsByRole):
    """Records made by a service (revised versions, reallocations, report versions)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, *args):
        return False


class BudgetAmountInline(ReadOnly, admin.TabularInline):
    model = BudgetAmount
    fields = ["line", "amount", "currency", "rate_to_eur", "amount_eur"]
    readonly_fields = fields
    extra = 0


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["project", "number", "kind", "label", "adopted_on"]
    list_filter = ["kind"]
    search_fields = ["project__title", "label"]
    list_select_related = ["project"]
    inlines = [BudgetAmountInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = ["label", "project", "category", "year", "partner"]
    list_filter = ["category", "year"]
    search_fields = ["label", "project__title"]
    list_select_related = ["project", "partner__organization"]
    raw_id_fields = ["project", "partner"]


class ReallocationMoveInline(ReadOnly, admin.TabularInline):
    model = ReallocationMove
    fields = ["from_line", "to_line", "amount"]
    readonly_fields = fields
    extra = 0


@admin.register(Reallocation)
class ReallocationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["project", "date", "approved_by", "approved_on", "result"]
    search_fields = ["project__title", "reason"]
    list_select_related = ["project", "approved_by", "result"]
    inlines = [ReallocationMoveInline]


@admin.register(Extension)
class ExtensionAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = [
        "project",
        "requested_on",
        "previous_end",
        "new_end",
        "approved_by",
        "approved_on",
    ]
    search_fields = ["project__title"]
    list_select_related = ["project", "approved_by"]
    raw_id_fields = ["project", "approved_by"]


class ApplicationDocumentInline(PermissionsByRole, admin.TabularInline):
    model = ApplicationDocument
    extra = 0


class ReportingObligationInline(PermissionsByRole, admin.TabularInline):
    model = ReportingObligation
    fields = ["kind", "title", "period_start", "period_end", "due_on", "status", "sent_on"]
    extra = 0


@admin.register(FundingApplication)
class FundingApplicationAdmin(PermissionsByRole, SimpleHistoryAdmin):
    list_display = [
        "project",
        "funder",
        "call",
        "status",
        "amount_requested",
        "amount_granted",
        "deadline",
    ]
    list_filter = ["status", "funder_kind"]
    search_fields = ["project__title", "funder__name", "call", "reference"]
    list_select_related = ["project", "funder"]
    raw_id_fields = ["project", "funder"]
    inlines = [ReportingObligationInline, ApplicationDocumentInline]


@admin.register(Funding)
class FundingAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = ["project", "funder", "funder_kind", "requested", "granted", "max_share"]
    list_filter = ["funder_kind"]
    search_fields = ["project__title", "funder__name"]
    list_select_related = ["project", "funder"]
    raw_id_fields = ["project", "funder", "application"]


@admin.register(Transaction)
class TransactionAdmin(PermissionsByRole, SimpleHistoryAdmin):
    list_display = [
        "date",
        "project",
        "kind",
        "amount",
        "currency",
        "amount_eur",
        "budget_line",
        "partner",
    ]
    list_filter = ["kind", "currency"]
    search_fields = ["project__title", "description", "reference"]
    date_hierarchy = "date"
    list_select_related = ["project", "budget_line", "partner__organization"]
    raw_id_fields = ["project", "budget_line", "partner", "funder"]
    readonly_fields = ["amount_eur", "created_by"]


@admin.register(ReportingObligation)
class ReportingObligationAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = ["title", "application", "due_on", "status", "sent_on"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "application__project__title", "application__funder__name"]
    list_select_related = ["application__project", "application__funder"]
    raw_id_fields = ["application", "report"]
    readonly_fields = ["reminded_at"]


class ReportVersionInline(ReadOnly, admin.TabularInline):
    model = ReportVersion
    fields = ["number", "produced_at", "produced_by", "pdf", "xlsx"]
    readonly_fields = fields
    extra = 0


@admin.register(Report)
class ReportAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = ["title", "project", "period_start", "period_end", "funder", "status"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project", "funder"]
    raw_id_fields = ["project", "funder"]
    inlines = [ReportVersionInline]

    def get_readonly_fields(self, request, obj=None):
        # A closed report was sent to a funder: it no longer changes.
        if obj is not None and obj.status == Report.Status.CLOSED:
            return [f.name for f in Report._meta.fields]
        return ["status", "closed_on"]


ReportAdmin.__doc__ = str(_("Reports"))
