from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire.accounts.access import can_edit_register

from . import rna, views
from .models import ImportJob, RnaCandidate, SavedMapping


class StaffOnlyAdmin(admin.ModelAdmin):
    """Imports write the register: staff and administrators only, whatever the model perms."""

    def has_module_permission(self, request):
        return can_edit_register(request.user)

    def has_view_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_add_permission(self, request):
        return can_edit_register(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_edit_register(request.user)


@admin.register(ImportJob)
class ImportJobAdmin(StaffOnlyAdmin):
    list_display = [
        "original_name", "kind", "state", "total_rows", "created_count", "updated_count",
        "skipped_count", "owner", "created_at", "open_link",
    ]  # fmt: skip
    list_filter = ["kind", "state"]
    list_select_related = ["owner"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(views.upload), name="imports_importjob_upload"),
            path("<uuid:pk>/mapping/", wrap(views.mapping), name="imports_importjob_mapping"),
            path("<uuid:pk>/preview/", wrap(views.preview), name="imports_importjob_preview"),
            path("<uuid:pk>/status/", wrap(views.status), name="imports_importjob_status"),
            path("<uuid:pk>/rerun/", wrap(views.rerun), name="imports_importjob_rerun"),
            path(
                "<uuid:pk>/progress.json", wrap(views.progress), name="imports_importjob_progress"
            ),
            path("<uuid:pk>/report/", wrap(views.report), name="imports_importjob_report"),
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:imports_importjob_upload")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(views._step_url(views.access_import_job(request.user, object_id)))

    @admin.display(description=_("open"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', views._step_url(obj), _("open"))


@admin.register(SavedMapping)
class SavedMappingAdmin(StaffOnlyAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]


@admin.register(RnaCandidate)
class RnaCandidateAdmin(StaffOnlyAdmin):
    list_display = [
        "name", "rna", "object_codes", "postal_code", "commune_name", "matched_link", "state",
    ]  # fmt: skip
    list_filter = ["state", "object_codes"]
    search_fields = ["name", "rna", "siret", "commune_name", "postal_code"]
    list_select_related = ["matched_organization"]
    readonly_fields = [
        "rna", "siret", "name", "short_name", "social_object", "object_codes", "address",
        "postal_code", "commune_name", "insee_code", "website", "created_on", "state",
        "imported_at",
    ]  # fmt: skip
    fields = readonly_fields[:12] + ["matched_organization", "state", "imported_at"]
    autocomplete_fields = ["matched_organization"]
    actions = ["create_organizations", "link_organizations", "dismiss"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if "state__exact" not in request.GET:
            queryset = queryset.filter(state=RnaCandidate.State.NEW)
        return queryset

    @admin.display(description=_("organisation of the register"))
    def matched_link(self, obj):
        if obj.matched_organization is None:
            return "—"
        url = reverse("admin:organizations_organization_change", args=[obj.matched_organization_id])
        return format_html('<a href="{}">{}</a>', url, obj.matched_organization)

    @admin.action(description=_("Create as organisations pending qualification"))
    def create_organizations(self, request, queryset):
        count = rna.candidates_create(candidates=queryset, changed_by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d organisation created, pending qualification.",
                "%(count)d organisations created, pending qualification.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Link to the matching organisation of the register"))
    def link_organizations(self, request, queryset):
        linked, without = rna.candidates_link(candidates=queryset, changed_by=request.user)
        messages.success(request, _("%(count)d candidate(s) linked.") % {"count": linked})
        if without:
            messages.warning(
                request,
                _("%(count)d candidate(s) have no matching organisation: choose one first.")
                % {"count": without},
            )

    @admin.action(description=_("Dismiss (not an international actor)"))
    def dismiss(self, request, queryset):
        count = queryset.filter(state=RnaCandidate.State.NEW).update(
            state=RnaCandidate.State.DISMISSED
        )
        messages.success(request, _("%(count)d candidate(s) dismissed.") % {"count": count})
