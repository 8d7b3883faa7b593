"""Back office of support: the sessions with their follow-ups, the follow-ups to do, the figures."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.models import BACK_OFFICE_ROLES, Role
from observatoire.core.exports import EXPORT_FORMATS, export_response
from observatoire.core.periods import Period
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import Country, Departement, Theme

from . import selectors, services, views
from .access import can_log_support, can_view_support
from .models import FollowUpAction, HelpKind, SupportFigures, SupportSession


def back_office_users(*, keep=()):
    """Active back-office accounts, plus those already chosen (`keep`) who may have left."""
    return get_user_model().objects.filter(
        Q(role__in=sorted(BACK_OFFICE_ROLES), is_active=True) | Q(pk__in=list(keep))
    )


class PermissionsByRole:
    """The back office reads support; staff and administrators log it (see access.py)."""

    def has_module_permission(self, request):
        return can_view_support(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view_support(request.user)

    def has_change_permission(self, request, obj=None):
        return can_log_support(request.user)

    def has_add_permission(self, request):
        return can_log_support(request.user)

    def has_delete_permission(self, request, obj=None):
        # A session logged by mistake; its history keeps what it held.
        return request.user.is_active and request.user.role == Role.ADMINISTRATOR


# List filters ------------------------------------------------------------------------------


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in selectors.support_years()]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.between(*Period.year(int(value)).date_bounds())


class _ChoiceFilter(admin.SimpleListFilter):
    """A filter on one relation, with "none" for the sessions that have no value."""

    lookup: str

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == "none":
            return queryset.filter(**{f"{self.lookup}__isnull": True})
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{self.lookup: int(value)}).distinct()


class StaffFilter(_ChoiceFilter):
    title = _("staff member")
    parameter_name = "staff"
    lookup = "staff_members"

    def lookups(self, request, model_admin):
        users = get_user_model().objects.filter(
            pk__in=SupportSession.staff_members.through.objects.values("user_id")
        )
        return [(str(user.pk), str(user)) for user in users]


class HelpKindFilter(admin.SimpleListFilter):
    title = _("kind of help")
    parameter_name = "help"

    def lookups(self, request, model_admin):
        return HelpKind.Code.choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == "none":
            return queryset.filter(help_kinds__isnull=True)
        return queryset.filter(help_kinds__code=value).distinct()


class DepartementFilter(_ChoiceFilter):
    title = _("département")
    parameter_name = "departement"
    lookup = "organization__departement"

    def lookups(self, request, model_admin):
        # Only the départements of supported organisations: a list of 101 helps nobody.
        present = Departement.objects.filter(
            pk__in=Organization.objects.filter(support_sessions__isnull=False).values(
                "departement_id"
            )
        )
        return [(str(d.pk), f"{d.code} {d.name}") for d in present.order_by("code")]


class ThemeFilter(_ChoiceFilter):
    title = _("theme")
    parameter_name = "theme"
    lookup = "themes"

    def lookups(self, request, model_admin):
        return [(str(theme.pk), theme.name) for theme in Theme.objects.all()]


class CountryFilter(_ChoiceFilter):
    title = _("country of the project")
    parameter_name = "country"
    lookup = "countries"

    def lookups(self, request, model_admin):
        present = Country.objects.filter(
            pk__in=SupportSession.countries.through.objects.values("country_id")
        )
        return [(str(country.pk), country.name) for country in present]


# The session form ----------------------------------------------------------------------------


class SupportSessionForm(forms.ModelForm):
    class Meta:
        model = SupportSession
        fields = [
            "organization", "occurred_on", "duration_minutes", "mode", "subject",
            "staff_members", "people", "help_kinds", "themes", "countries", "summary",
        ]  # fmt: skip
        widgets = {
            "staff_members": forms.CheckboxSelectMultiple,
            "help_kinds": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "mode": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded_staff = (
            list(self.instance.staff_members.values_list("pk", flat=True))
            if self.instance.pk
            else []
        )
        self.recorded_staff = set(recorded_staff)
        if "staff_members" not in self.fields:
            return  # a read-only view (the observatory): every field is shown as text
        self.fields["staff_members"].queryset = back_office_users(keep=recorded_staff)
        self.fields["mode"].choices = SupportSession.Mode.choices  # radio buttons, no blank
        duration = self.fields["duration_minutes"]
        # The form field of a positive integer accepts 0 and would refuse -15 with "at least
        # 0": the model's own rule (at least one minute) gives the one clear message.
        duration.validators = [
            v for v in duration.validators if not isinstance(v, MinValueValidator)
        ] + SupportSession._meta.get_field("duration_minutes").validators[:1]
        duration.widget.attrs.update({"min": 1, "step": 5})
        self.fields["people"].queryset = Person.objects.filter(erased_at__isnull=True)
        organization_id = self._organization_id()
        if organization_id:
            # The people of that organisation, ticked in a list; the service refuses others.
            people = Person.objects.filter(
                Q(affiliations__organization_id=organization_id)
                | Q(pk__in=self.instance.people.values("pk") if self.instance.pk else [])
            ).distinct()
            self.fields["people"].widget = forms.CheckboxSelectMultiple(
                choices=[(p.pk, str(p)) for p in people]
            )
            self.fields["people"].help_text = _(
                "The people attached to the organisation. Someone missing? Add their "
                "affiliation on the organisation's record first."
            )
        else:
            self.fields["people"].help_text = _(
                "People attached to the organisation (choose the organisation first to tick "
                "them in a list)."
            )

    def _organization_id(self):
        raw = self.data.get("organization") if self.is_bound else None
        raw = raw or self.initial.get("organization") or self.instance.organization_id
        raw = getattr(raw, "pk", raw)
        return int(raw) if str(raw or "").isdigit() else None

    def clean(self):
        cleaned = super().clean()
        staff_members = cleaned.get("staff_members")
        if staff_members is not None:
            added = [u for u in staff_members if u.pk not in self.recorded_staff]
            for message in services.staff_members_errors(added):
                self.add_error("staff_members", message)
        people = cleaned.get("people")
        if people:
            for message in services.people_errors(
                organization=cleaned.get("organization"), people=people
            ):
                self.add_error("people", message)
        return cleaned


class FollowUpForm(forms.ModelForm):
    done = forms.BooleanField(label=pgettext_lazy("follow-up", "done"), required=False)

    class Meta:
        model = FollowUpAction
        fields = ["description", "assignee", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].initial = self.instance.done_at is not None
        if "assignee" in self.fields and self.instance.assignee_id:
            # Someone who left stays the assignee of their old follow-ups.
            self.fields["assignee"].queryset = back_office_users(keep=[self.instance.assignee_id])


class FollowUpFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The admin builds this formset around the session as its form just cleaned it.
        occurred_on = self.instance.occurred_on
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            message = services.follow_up_due_error(
                due_on=form.cleaned_data.get("due_on"), occurred_on=occurred_on
            )
            if message:
                form.add_error("due_on", message)
            assignee = form.cleaned_data.get("assignee")
            if assignee is not None and form.has_changed() and "assignee" in form.changed_data:
                for message in services.staff_members_errors([assignee]):
                    form.add_error("assignee", message)


class FollowUpInline(admin.TabularInline):
    model = FollowUpAction
    form = FollowUpForm
    formset = FollowUpFormSet
    extra = 1
    fields = ["description", "assignee", "due_on", "done", "done_at", "done_by"]
    readonly_fields = ["done_at", "done_by"]
    verbose_name_plural = _("follow-up actions")

    def has_view_permission(self, request, obj=None):
        return can_view_support(request.user)

    def has_add_permission(self, request, obj=None):
        return can_log_support(request.user)

    def has_change_permission(self, request, obj=None):
        return can_log_support(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_log_support(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = back_office_users()
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The sessions ---------------------------------------------------------------------------------


@admin.register(SupportSession)
class SupportSessionAdmin(PermissionsByRole, SimpleHistoryAdmin):
    form = SupportSessionForm
    inlines = [FollowUpInline]
    change_list_template = "admin/support/supportsession/change_list.html"
    list_display = [
        "occurred_on",
        "organization_link",
        "subject",
        "mode",
        "duration_minutes",
        "staff_names",
        "help_names",
        "follow_up_state",
    ]
    list_display_links = ["occurred_on", "subject"]
    list_filter = [
        YearFilter,
        StaffFilter,
        "mode",
        HelpKindFilter,
        DepartementFilter,
        ThemeFilter,
        CountryFilter,
    ]
    list_select_related = ["organization__departement"]
    list_per_page = 50
    date_hierarchy = "occurred_on"
    search_fields = ["subject", "organization__name", "organization__acronym", "summary"]
    search_help_text = _("Subject, organisation or summary")
    autocomplete_fields = ["organization", "people", "countries"]
    fieldsets = [
        (None, {"fields": ["organization", "occurred_on", "duration_minutes", "mode", "subject"]}),
        (_("Who"), {"fields": ["staff_members", "people"]}),
        (_("What"), {"fields": ["help_kinds", "themes", "countries", "summary"]}),
    ]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .prefetch_related("staff_members", "help_kinds")
            .annotate(
                _open=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True)),
                _overdue=Count(
                    "follow_ups",
                    filter=Q(follow_ups__done_at__isnull=True, follow_ups__due_on__lt=today),
                ),
            )
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("occurred_on", timezone.localdate())
        initial.setdefault("staff_members", [request.user.pk])
        return initial

    @admin.display(description=_("organisation"), ordering="organization__name")
    def organization_link(self, obj):
        url = reverse("admin:organizations_organization_change", args=[obj.organization_id])
        departement = obj.organization.departement
        return format_html(
            '<a href="{}">{}</a>{}',
            url,
            obj.organization.name,
            f" ({departement.code})" if departement else "",
        )

    @admin.display(description=_("staff members"))
    def staff_names(self, obj):
        return ", ".join(str(user) for user in obj.staff_members.all())

    @admin.display(description=_("kinds of help"))
    def help_names(self, obj):
        return ", ".join(str(kind) for kind in obj.help_kinds.all())

    @admin.display(description=_("follow-ups"), ordering="_overdue")
    def follow_up_state(self, obj):
        if obj._overdue:
            return format_html(
                '<strong class="overdue">{}</strong>',
                ngettext("%(count)d overdue", "%(count)d overdue", obj._overdue)
                % {"count": obj._overdue},
            )
        if obj._open:
            return ngettext("%(count)d to do", "%(count)d to do", obj._open) % {"count": obj._open}
        return "—"

    def save_model(self, request, obj, form, change):
        services.support_session_save(session=obj, changed_by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not FollowUpAction:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for follow_up in formset.deleted_objects:
            follow_up._history_user = request.user
            follow_up.delete()
        for follow_up_form in formset.forms:
            if follow_up_form in formset.deleted_forms or not follow_up_form.has_changed():
                continue
            services.follow_up_save(
                follow_up=follow_up_form.instance,
                done=follow_up_form.cleaned_data.get("done", False),
                changed_by=request.user,
            )

    def get_urls(self):
        return [
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="support_supportsession_export",
            ),
        ] + super().get_urls()

    def export_view(self, request, file_format: str):
        """The sessions of the list as filtered on screen, as CSV or XLSX."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if file_format not in EXPORT_FORMATS:
            messages.error(request, _("Unknown export format."))
            return redirect("admin:support_supportsession_changelist")
        sessions = self.get_changelist_instance(request).get_queryset(request)
        headers, rows = selectors.support_sessions_export_rows(sessions)
        return export_response(
            headers=headers, rows=rows, file_format=file_format, filename="accompagnements"
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "export_formats": EXPORT_FORMATS,
            "export_query": request.GET.urlencode(),
            "figures_url": reverse("admin:support_supportfigures_changelist"),
            "follow_ups_url": reverse("admin:support_followupaction_changelist"),
            "follow_up_counts": selectors.follow_up_counts(assignee=request.user),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(FollowUpAction)
class FollowUpActionAdmin(PermissionsByRole, admin.ModelAdmin):
    """Its list is the "follow-ups to do" page; follow-ups are edited within their session."""

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(views.follow_ups), name="support_followupaction_changelist"),
            path("<int:pk>/done/", wrap(views.follow_up_done), name="support_followupaction_done"),
            path(
                "<int:pk>/reopen/",
                wrap(views.follow_up_reopen),
                name="support_followupaction_reopen",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        follow_up = self.get_object(request, object_id)
        if follow_up is None:
            return redirect("admin:support_followupaction_changelist")
        return redirect("admin:support_supportsession_change", follow_up.session_id)


@admin.register(SupportFigures)
class SupportFiguresAdmin(PermissionsByRole, admin.ModelAdmin):
    """Its list is the figures page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(views.figures),
                name="support_supportfigures_changelist",
            ),
        ]
