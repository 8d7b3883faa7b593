"""Events in the back office: the list, the form with its sittings, registrations and the links
to the staff pages (register by hand, sign-in sheets, check-in, figures)."""

import datetime
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.access import can_edit_register, is_back_office

from . import figures, staff_views
from .models import PARIS, Attendance, Event, Registration, Sitting
from .services import registration_cancel
from .zones import zone_choices


def _can_view(request) -> bool:
    return is_back_office(request.user)


def _can_write(request) -> bool:
    return can_edit_register(request.user)


class BackOfficePermissions:
    """The back office reads events; staff and administrators change them."""

    def has_module_permission(self, request):
        return _can_view(request)

    def has_view_permission(self, request, obj=None):
        return _can_view(request)

    def has_add_permission(self, request, *args):
        return _can_write(request)

    def has_change_permission(self, request, obj=None):
        return _can_write(request)

    def has_delete_permission(self, request, obj=None):
        return _can_write(request)


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time as typed, without a zone: the sitting's zone is applied in clean()."""

    def compress(self, data_list):
        if data_list and data_list[0] and data_list[1]:
            return datetime.datetime.combine(*data_list)
        return None


class SittingForm(forms.ModelForm):
    """Staff type the times in the sitting's own zone; they are stored as aware moments."""

    starts_local = LocalSplitDateTimeField(
        label=_("start"),
        widget=AdminSplitDateTime,
        error_messages={"required": _("Give the date and time the sitting starts.")},
    )
    ends_local = LocalSplitDateTimeField(
        label=_("end"),
        widget=AdminSplitDateTime,
        error_messages={"required": _("Give the date and time the sitting ends.")},
    )
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        initial=PARIS,
        choices=zone_choices,
        help_text=_("The start and end are typed in this zone."),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a known time zone (for example Europe/Paris, Africa/Dakar)."
            )
        },
    )

    class Meta:
        model = Sitting
        fields = ["title", "starts_local", "ends_local", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.starts_at:
            zone = zoneinfo.ZoneInfo(instance.time_zone or PARIS)
            self.initial["starts_local"] = instance.starts_at.astimezone(zone).replace(tzinfo=None)
            self.initial["ends_local"] = instance.ends_at.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("time_zone")
        starts, ends = cleaned.get("starts_local"), cleaned.get("ends_local")
        if not name or starts is None or ends is None:
            return cleaned
        zone = zoneinfo.ZoneInfo(name)
        starts_at = starts.replace(tzinfo=zone)
        ends_at = ends.replace(tzinfo=zone)
        if ends_at <= starts_at:
            self.add_error(
                "ends_local",
                _("The sitting ends (%(end)s) before it starts (%(start)s): check the times.")
                % {
                    "end": formats.date_format(ends, "SHORT_DATETIME_FORMAT"),
                    "start": formats.date_format(starts, "SHORT_DATETIME_FORMAT"),
                },
            )
            return cleaned
        self.instance.starts_at = starts_at
        self.instance.ends_at = ends_at
        return cleaned


class SittingFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        event = self.instance
        starts = [
            form.instance.starts_at
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.instance.starts_at
            and not form.errors
        ]
        deadline = event.registration_deadline
        if deadline and starts and deadline > max(starts):
            zone = timezone.get_current_timezone()
            raise ValidationError(
                _(
                    "The registration deadline (%(deadline)s) falls after the start of the last "
                    "sitting (%(last)s): move it earlier."
                )
                % {
                    "deadline": formats.date_format(
                        timezone.localtime(deadline, zone), "SHORT_DATETIME_FORMAT"
                    ),
                    "last": formats.date_format(
                        timezone.localtime(max(starts), zone), "SHORT_DATETIME_FORMAT"
                    ),
                }
            )


class SittingInline(admin.TabularInline):
    model = Sitting
    form = SittingForm
    formset = SittingFormSet
    extra = 0
    min_num = 1
    fields = ["title", "starts_local", "ends_local", "time_zone", "paris_time", "tools"]
    readonly_fields = ["paris_time", "tools"]
    verbose_name_plural = _("sittings (times in the sitting's zone)")

    class Media:
        js = ["events/sitting_zone.js"]

    @admin.display(description=_("in Paris time"))
    def paris_time(self, obj):
        if not obj or not obj.pk or (obj.time_zone or PARIS) == PARIS:
            return "—"
        zone = zoneinfo.ZoneInfo(PARIS)
        return "{} – {}".format(
            formats.date_format(obj.starts_at.astimezone(zone), "SHORT_DATETIME_FORMAT"),
            formats.time_format(obj.ends_at.astimezone(zone), "TIME_FORMAT"),
        )

    @admin.display(description=_("attendance"))
    def tools(self, obj):
        if not obj or not obj.pk:
            return "—"
        return staff_views.sitting_links(obj)

    def has_add_permission(self, request, obj=None):
        return _can_write(request)

    def has_change_permission(self, request, obj=None):
        return _can_write(request)

    def has_delete_permission(self, request, obj=None):
        return _can_write(request)

    def has_view_permission(self, request, obj=None):
        return _can_view(request)


class PeriodFilter(admin.SimpleListFilter):
    """By year of the first sitting, or over the last twelve months."""

    title = _("period")
    parameter_name = "period"
    # How the filtered model reaches the event.
    event_path = "pk"

    def lookups(self, request, model_admin):
        years = Sitting.objects.dates("starts_at", "year", order="DESC")
        return [("last12", _("The last 12 months"))] + [
            (str(year.year), str(year.year)) for year in years
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        start, end = figures.Period.parse(self.value()).bounds()
        first = (
            Sitting.objects.filter(event=OuterRef(self.event_path))
            .order_by("starts_at")
            .values("starts_at")[:1]
        )
        return queryset.alias(_first_start=Subquery(first)).filter(
            _first_start__gte=start, _first_start__lt=end
        )


def _count_of(status: str):
    return Coalesce(
        Subquery(
            Registration.objects.filter(event=OuterRef("pk"), status=status)
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


class CategoryFilter(admin.SimpleListFilter):
    """Meetings (of the network's life) or trainings, as the figures count them."""

    title = _("category")
    parameter_name = "category"
    event_path = ""

    def lookups(self, request, model_admin):
        return [("meetings", _("Meetings")), ("trainings", _("Trainings"))]

    def queryset(self, request, queryset):
        if self.value() == "meetings":
            chosen = figures.meetings(Event.objects.all())
        elif self.value() == "trainings":
            chosen = Event.objects.trainings()
        else:
            return queryset
        return queryset.filter(**{f"{self.event_path or 'pk'}__in": chosen.values("pk")})


class RegistrationCategoryFilter(CategoryFilter):
    event_path = "event"


@admin.register(Event)
class EventAdmin(BackOfficePermissions, SimpleHistoryAdmin):
    change_list_template = "admin/events/event/change_list.html"
    change_form_template = "admin/events/event/change_form.html"
    list_display = [
        "title",
        "kind",
        "status",
        "next_sitting",
        "places",
        "waiting_count",
        "group",
    ]
    list_filter = ["kind", CategoryFilter, "status", "group", PeriodFilter, "themes"]
    list_select_related = ["group"]
    search_fields = ["title", "summary", "venue", "commune__name", "group__name"]
    search_help_text = _("Title, summary, venue, commune or group")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partner_organizers", "commune", "countries"]
    filter_horizontal = ["themes", "sdgs"]
    inlines = [SittingInline]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "group", "staff_contact"]}),
        (
            _("Presentation"),
            {"fields": ["summary", "description", "themes", "sdgs", "countries"]},
        ),
        (_("Organisers"), {"fields": ["organized_by_network", "partner_organizers"]}),
        (
            _("Place"),
            {
                "description": _("A place, an online link, or both for a hybrid event."),
                "fields": ["venue", "address", "commune", "online_url"],
            },
        ),
        (
            _("Registration"),
            {"fields": ["registration_rule", "capacity", "registration_deadline", "waiting_list"]},
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff_contact":
            from observatoire.groups.admin import staff_users

            kwargs["queryset"] = staff_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                _next_sitting=Min("sittings__starts_at", filter=Q(sittings__starts_at__gte=now)),
                _confirmed=_count_of(Registration.Status.CONFIRMED),
                _waiting=_count_of(Registration.Status.WAITING),
            )
        )

    @admin.display(description=_("next sitting"), ordering="_next_sitting")
    def next_sitting(self, obj):
        if obj._next_sitting is None:
            return "—"
        return formats.date_format(timezone.localtime(obj._next_sitting), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("places taken"), ordering="_confirmed")
    def places(self, obj):
        if obj.capacity:
            return f"{obj._confirmed} / {obj.capacity}"
        return str(obj._confirmed)

    @admin.display(description=_("waiting"), ordering="_waiting")
    def waiting_count(self, obj):
        return obj._waiting or "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("figures/", view(staff_views.figures_view), name="events_event_figures"),
            path(
                "<int:pk>/register/",
                view(staff_views.register_view),
                name="events_event_register",
            ),
            path(
                "<int:pk>/registrations/<int:registration_pk>/cancel/",
                view(staff_views.registration_cancel_view),
                name="events_event_cancel_registration",
            ),
            path(
                "sittings/<int:sitting_pk>/sign-in-sheet.pdf",
                view(staff_views.sign_in_sheet_view),
                name="events_sitting_sign_in_sheet",
            ),
            path(
                "sittings/<int:sitting_pk>/check-in/",
                view(staff_views.checkin_view),
                name="events_sitting_checkin",
            ),
            path(
                "sittings/<int:sitting_pk>/check-in/rest-absent/",
                view(staff_views.checkin_rest_absent_view),
                name="events_sitting_checkin_rest_absent",
            ),
        ] + super().get_urls()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and str(object_id).isdigit():
            event = Event.objects.filter(pk=int(object_id)).first()
            if event is not None:
                extra_context.update(staff_views.event_page_context(event, request))
        return super().changeform_view(request, object_id, form_url, extra_context)


class ParticipatedFilter(admin.SimpleListFilter):
    title = _("took part")
    parameter_name = "took_part"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        from .selectors import participations

        if self.value() == "yes":
            return queryset.filter(pk__in=participations().values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=participations().values("pk"))
        return queryset


class RegistrationPeriodFilter(PeriodFilter):
    event_path = "event_id"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["sitting", "present", "recorded_at", "recorded_by"]
    readonly_fields = ["sitting", "recorded_at", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(BackOfficePermissions, SimpleHistoryAdmin):
    list_display = [
        "person",
        "event",
        "organization_display",
        "status",
        "source",
        "country",
        "registered_at",
    ]
    list_filter = [
        "status",
        "source",
        ParticipatedFilter,
        RegistrationPeriodFilter,
        RegistrationCategoryFilter,
        "event__kind",
    ]
    list_select_related = ["person", "event", "organization", "country"]
    search_fields = ["person__last_name", "person__first_name", "email", "event__title"]
    search_help_text = _("Name, e-mail address or event")
    autocomplete_fields = ["person", "organization", "country", "event"]
    readonly_fields = ["registered_at", "confirmed_at", "cancelled_at", "reminder_sent_at"]
    # A place, the waiting list and cancellations go through the registration services (the
    # event's page and the cancel action), never through a field typed here.
    change_readonly_fields = ["event", "person", "status", "source"]
    fields = [
        "event",
        "person",
        "email",
        "organization",
        "organization_name",
        "country",
        "time_zone",
        "status",
        "source",
        "notes",
        *readonly_fields,
    ]
    inlines = [AttendanceInline]
    actions = ["cancel_registrations"]
    list_per_page = 100
    # The figures link here with these filters.
    FIGURE_LOOKUPS = {
        "event__id__exact",
        "event__group__id__exact",
        "event__group__isnull",
        "event__kind__exact",
        "organization__kind__id__exact",
        "organization__kind__isnull",
        "organization__departement__id__exact",
        "organization__departement__isnull",
        "country__id__exact",
    }

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.FIGURE_LOOKUPS or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        # A registration is made from the event's page, through the registration service.
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*self.change_readonly_fields, *self.readonly_fields]

    @admin.display(description=_("organisation"), ordering="organization__name")
    def organization_display(self, obj):
        return obj.organization.name if obj.organization_id else obj.organization_name

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            registration_cancel(registration, cancelled_by=request.user)
            cancelled += 1
        messages.success(
            request,
            ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", cancelled
            )
            % {"count": cancelled},
        )
        return redirect(request.get_full_path())
