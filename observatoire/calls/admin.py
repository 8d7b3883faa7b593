from django.contrib import admin

from .models import Application, ApplicationEvent, Call, FormField, Stage, Submission


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """For fixing data; staff run calls from /espace/appels/."""

    list_display = ["title", "status", "is_published", "created_at"]
    list_filter = ["status", "is_published"]
    search_fields = ["title"]
    filter_horizontal = ["eligible_kinds", "eligible_departements", "themes", "sdgs"]
    inlines = [StageInline]


@admin.register(FormField)
class FormFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "stage", "kind", "required", "order"]
    list_filter = ["kind"]


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    fields = ["stage", "submitted_at"]
    readonly_fields = ["stage", "submitted_at"]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["at", "by", "action"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project_title", "call", "organization", "status", "is_eligible"]
    list_filter = ["status", "call"]
    search_fields = ["project_title", "organization__name", "contact_email"]
    raw_id_fields = ["organization", "referencing_request"]
    readonly_fields = ["token"]
    inlines = [SubmissionInline, EventInline]
