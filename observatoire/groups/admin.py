"""Groups in the back office: members with their dates and status, documents and events."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.accounts.models import REGISTER_EDITOR_ROLES

from .models import Group, GroupDocument, GroupMember


def staff_users():
    """The people who may lead a group or be an event's contact: the network's staff."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=REGISTER_EDITOR_ROLES)
        .order_by("full_name")
    )


class BackOfficePermissions:
    """The back office reads groups; staff and administrators change them."""

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


class GroupMemberInline(BackOfficePermissions, admin.TabularInline):
    model = GroupMember
    extra = 1
    fields = ["organization", "person", "status", "joined_on", "left_on"]
    autocomplete_fields = ["organization", "person"]
    verbose_name_plural = _("members (an organisation, a person, or a person for an organisation)")


class GroupDocumentInline(BackOfficePermissions, admin.TabularInline):
    model = GroupDocument
    extra = 0
    fields = ["title", "file", "is_public", "uploaded_at", "download"]
    readonly_fields = ["uploaded_at", "download"]

    @admin.display(description=_("download"))
    def download(self, obj):
        # The file widget's own link points into the media folder, which is not published.
        if not obj or not obj.pk:
            return "—"
        url = reverse("groups:document", args=[obj.group.slug, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(Group)
class GroupAdmin(BackOfficePermissions, SimpleHistoryAdmin):
    change_form_template = "admin/groups/group/change_form.html"
    list_display = ["name", "kind", "lead", "current_members", "is_published", "public_page"]
    list_filter = ["kind", "is_published", "themes", "countries"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["countries"]
    filter_horizontal = ["themes"]
    inlines = [GroupMemberInline, GroupDocumentInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "lead", "is_published", "archived_on"]}),
        (_("Presentation"), {"fields": ["summary", "description", "countries", "themes"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            kwargs["queryset"] = staff_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        from django.db.models import Count, Q
        from django.utils import timezone

        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .select_related("lead")
            .annotate(
                _current=Count(
                    "members",
                    filter=Q(members__joined_on__lte=today)
                    & (Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)),
                    distinct=True,
                )
            )
        )

    @admin.display(description=_("current members"), ordering="_current")
    def current_members(self, obj):
        return obj._current

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if not obj.is_published:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("groups:detail", args=[obj.slug]), _("see")
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and str(object_id).isdigit():
            group = Group.objects.filter(pk=int(object_id)).first()
            if group is not None:
                extra_context["group_staff"] = _staff_context(group)
        return super().changeform_view(request, object_id, form_url, extra_context)


def _staff_context(group: Group) -> dict:
    from django.db.models import F

    from observatoire.events import figures
    from observatoire.events.models import Event

    events = (
        group.events.annotate(first_start=F("first_starts_at"))
        .order_by("-first_start")
        .select_related("commune")
    )
    per_event = figures.participants_per_event(Event.objects.filter(group=group))
    return {
        "events": [(event, per_event.get(event.pk, 0)) for event in events],
        "years": figures.group_figures(group),
        "add_event_url": reverse("admin:events_event_add") + f"?group={group.pk}",
    }
