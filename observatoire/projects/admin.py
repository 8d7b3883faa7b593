"""Projects in the back office: the project with its places and partners, and the editable
checklist template that new phases copy."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.organizations.models import Visibility

from .forms import VISIBILITY_LABELS
from .models import (
    PROJECT_VISIBILITY_DEFAULTS,
    ChecklistItem,
    ChecklistTemplateItem,
    Project,
    ProjectPartner,
    ProjectPlace,
)
from .services import check_budget_shares, project_unique_slug


class BackOfficePermissions:
    """The back office reads projects; staff and administrators change them."""

    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_add_permission(self, request, *args):
        return can_edit_register(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_edit_register(request.user)


class PlaceInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        check_budget_shares(
            form.cleaned_data.get("budget_share")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )


class PlaceInline(BackOfficePermissions, admin.TabularInline):
    model = ProjectPlace
    formset = PlaceInlineFormSet
    extra = 0
    autocomplete_fields = ["commune"]
    fields = ["name", "country", "commune", "latitude", "longitude", "budget_share"]


class PartnerInline(BackOfficePermissions, admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "iati_role", "contribution"]


class ChecklistInline(BackOfficePermissions, admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["phase", "title", "responsible_organization", "due_on", "done_on"]
    readonly_fields = ["responsible_organization"]


VisibilityForm = type(
    "ProjectVisibilityForm",
    (forms.Form,),
    {
        f"visibility_{field}": forms.ChoiceField(
            label=VISIBILITY_LABELS[field], choices=Visibility.choices
        )
        for field in PROJECT_VISIBILITY_DEFAULTS
    },
)


class ProjectAdminForm(forms.ModelForm, VisibilityForm):
    """The project form, with the visibility of each publishable part."""

    class Meta:
        model = Project
        fields = [
            "title", "slug", "acronym", "summary", "description", "phase",
            "planned_start", "planned_end", "actual_start", "actual_end",
            "themes", "sdgs", "sdg_targets", "dac_sectors", "countries",
            "partnership", "origin_group", "origin_event", "origin_note",
            "coordinator", "currency", "partners_may_edit", "is_published",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.field_visibility or {}
        for field, default in PROJECT_VISIBILITY_DEFAULTS.items():
            self.fields[f"visibility_{field}"].initial = current.get(field, default)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = project_unique_slug(cleaned["title"], exclude_pk=self.instance.pk)
            self.instance.slug = cleaned["slug"]
        self.instance.field_visibility = {
            field: chosen
            for field, default in PROJECT_VISIBILITY_DEFAULTS.items()
            if (chosen := cleaned.get(f"visibility_{field}") or default) != default
        }
        return cleaned


class LeadFilter(admin.SimpleListFilter):
    title = _("lead partner")
    parameter_name = "has_lead"

    def lookups(self, request, model_admin):
        return [("yes", _("With a lead partner")), ("no", _("Without a lead partner"))]

    def queryset(self, request, queryset):
        lead = Q(partners__role=ProjectPartner.Role.LEAD)
        if self.value() == "yes":
            return queryset.filter(lead).distinct()
        if self.value() == "no":
            return queryset.exclude(lead)
        return queryset


@admin.register(Project)
class ProjectAdmin(BackOfficePermissions, SimpleHistoryAdmin):
    form = ProjectAdminForm
    list_display = [
        "title", "phase", "planned_start", "planned_end", "partner_count", "is_published",
    ]  # fmt: skip
    list_filter = ["phase", "is_published", LeadFilter, "themes", "countries"]
    search_fields = ["title", "acronym", "summary", "partners__organization__name"]
    autocomplete_fields = ["coordinator", "origin_event", "partnership"]
    filter_horizontal = ["themes", "sdgs", "sdg_targets", "dac_sectors", "countries"]
    inlines = [PlaceInline, PartnerInline, ChecklistInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "acronym", "summary", "description", "phase"]}),
        (
            _("Dates"),
            {"fields": ["planned_start", "planned_end", "actual_start", "actual_end"]},
        ),
        (
            _("Qualification"),
            {"fields": ["themes", "sdgs", "sdg_targets", "dac_sectors", "countries"]},
        ),
        (
            _("Origin and partnership"),
            {"fields": ["partnership", "origin_group", "origin_event", "origin_note"]},
        ),
        (
            _("Follow-up and publication"),
            {"fields": ["coordinator", "currency", "partners_may_edit", "is_published"]},
        ),
        (
            _("Who sees each part on the public site"),
            {"fields": [f"visibility_{field}" for field in PROJECT_VISIBILITY_DEFAULTS]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_partners=Count("partners", distinct=True))

    @admin.display(description=_("partners"), ordering="_partners")
    def partner_count(self, obj):
        return obj._partners


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(BackOfficePermissions, admin.ModelAdmin):
    """The checklist each phase copies: staff reword, reorder, add or retire entries."""

    list_display = ["title", "phase", "position", "is_active"]
    list_display_links = ["title"]
    list_editable = ["position", "is_active"]
    list_filter = ["phase", "is_active"]
    search_fields = ["title", "guidance"]
    ordering = ["phase", "position", "pk"]
