"""Back office of the surveys: templates, the survey of each event, results, the yearly table."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.core.exports import EXPORT_FORMATS, export_response
from observatoire.events.models import Event

from . import selectors, services
from .models import Choice, EventSurvey, Question, SurveyTemplate, TrainingSatisfaction


class BackOfficeAdmin(admin.ModelAdmin):
    """The back office reads; staff and administrators write."""

    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_add_permission(self, request):
        return can_edit_register(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_edit_register(request.user)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "text", "kind", "required"]
    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_add_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_edit_register(request.user)


class ChoiceInline(QuestionInline):
    model = Choice
    fields = ["order", "label", "key"]
    show_change_link = False


class SurveyTemplateForm(forms.ModelForm):
    event_kinds = forms.MultipleChoiceField(
        label=_("kinds of event"),
        choices=Event.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Events of these kinds get this template automatically."),
    )

    class Meta:
        model = SurveyTemplate
        fields = ["name", "name_en", "intro", "anonymous", "is_default", "event_kinds"]


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(BackOfficeAdmin):
    form = SurveyTemplateForm
    list_display = ["name", "anonymous", "is_default", "question_count"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_total")
    def question_count(self, obj):
        return obj.question_total


@admin.register(Question)
class QuestionAdmin(BackOfficeAdmin):
    list_display = ["text", "template", "kind", "required", "order"]
    list_select_related = ["template"]
    list_filter = ["template"]
    fields = [
        "template",
        "order",
        "text",
        "kind",
        "required",
        ("scale_min", "scale_max"),
        ("scale_min_label", "scale_max_label"),
    ]
    inlines = [ChoiceInline]

    def has_module_permission(self, request):
        # Reached from the template's page.
        return False


class EventSurveyForm(forms.ModelForm):
    class Meta:
        model = EventSurvey
        fields = ["event", "template", "send_after", "open_days", "closes_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            taken = EventSurvey.objects.exclude(pk=self.instance.pk).values("event_id")
            self.fields["event"].queryset = Event.objects.exclude(pk__in=taken).order_by(
                "-created_at"
            )


@admin.register(EventSurvey)
class EventSurveyAdmin(BackOfficeAdmin):
    form = EventSurveyForm
    change_form_template = "admin/surveys/eventsurvey/change_form.html"
    list_display = ["event", "template", "sent_at", "closes_at", "answered", "results_link"]
    list_select_related = ["event", "template"]
    search_fields = ["event__title"]
    fields = [
        "event",
        "template",
        "send_after",
        "open_days",
        "closes_at",
        "sent_at",
        "reminder_sent_at",
    ]
    readonly_fields = ["sent_at", "reminder_sent_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .annotate(
                invited=Count("invitations"),
                answered_count=Count(
                    "invitations", filter=Q(invitations__answered_at__isnull=False)
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("event")
        return fields

    @admin.display(description=_("answers"))
    def answered(self, obj):
        return f"{obj.answered_count} / {obj.invited}"

    @admin.display(description=_("results"))
    def results_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:surveys_eventsurvey_results", args=[obj.pk]),
            _("See the results"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/results/",
                self.admin_site.admin_view(self.results_view),
                name="surveys_eventsurvey_results",
            ),
            path(
                "<int:pk>/send/",
                self.admin_site.admin_view(self.send_view),
                name="surveys_eventsurvey_send",
            ),
            path(
                "<int:pk>/remind/",
                self.admin_site.admin_view(self.remind_view),
                name="surveys_eventsurvey_remind",
            ),
            path(
                "event/<int:event_pk>/",
                self.admin_site.admin_view(self.for_event_view),
                name="surveys_eventsurvey_for_event",
            ),
            *super().get_urls(),
        ]

    def _survey(self, request, pk, *, write=False) -> EventSurvey:
        allowed = can_edit_register(request.user) if write else is_back_office(request.user)
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(EventSurvey.objects.select_related("event", "template"), pk=pk)

    def results_view(self, request, pk):
        survey = self._survey(request, pk)
        results = selectors.survey_results(survey=survey)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Results of the survey: %(event)s") % {"event": survey.event},
            "survey": survey,
            "results": results,
            "can_write": can_edit_register(request.user),
        }
        return TemplateResponse(request, "admin/surveys/eventsurvey/results.html", context)

    def send_view(self, request, pk):
        if request.method != "POST":
            return redirect("admin:surveys_eventsurvey_change", pk)
        survey = self._survey(request, pk, write=True)
        if survey.is_closed(timezone.now()):
            messages.error(request, _("This survey is closed: nothing was sent."))
        else:
            count = services.event_survey_send(survey=survey)
            messages.success(
                request,
                _("%(count)s invitation(s) sent; participants already invited got nothing new.")
                % {"count": count},
            )
        return redirect("admin:surveys_eventsurvey_change", pk)

    def remind_view(self, request, pk):
        if request.method != "POST":
            return redirect("admin:surveys_eventsurvey_change", pk)
        survey = self._survey(request, pk, write=True)
        if survey.sent_at is None or survey.is_closed(timezone.now()):
            messages.error(request, _("Only a survey sent and still open can be reminded."))
        else:
            count = services.event_survey_remind(survey=survey)
            messages.success(
                request,
                _("%(count)s reminder(s) sent to those who had not answered.") % {"count": count},
            )
        return redirect("admin:surveys_eventsurvey_change", pk)

    def for_event_view(self, request, event_pk):
        """From an event's page: its survey, created with the default template if need be."""
        if not is_back_office(request.user):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=event_pk)
        survey = EventSurvey.objects.filter(event=event).first()
        if survey is None and can_edit_register(request.user):
            survey = services.event_survey_create(event=event)
        if survey is None:
            url = reverse("admin:surveys_eventsurvey_add")
            return redirect(f"{url}?event={event.pk}")
        return redirect("admin:surveys_eventsurvey_change", survey.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        survey = EventSurvey.objects.filter(pk=object_id).first()
        extra_context = {
            **(extra_context or {}),
            "can_write": can_edit_register(request.user),
            "is_open": survey is not None and not survey.is_closed(timezone.now()),
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(TrainingSatisfaction)
class TrainingSatisfactionAdmin(BackOfficeAdmin):
    """Not a list of records: the yearly table of trainings, with its downloads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not is_back_office(request.user):
            raise PermissionDenied
        years = selectors.trainings_years()
        try:
            year = int(request.GET.get("year", years[0]))
        except ValueError:
            year = years[0]
        if not 1900 <= year <= 2200:
            year = years[0]
        table = selectors.trainings_table(year=year)
        file_format = request.GET.get("format")
        if file_format in EXPORT_FORMATS:
            headers, rows = selectors.trainings_table_export(table=table)
            return export_response(
                headers=headers,
                rows=rows,
                file_format=file_format,
                filename=f"formations-{year}",
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Trainings of %(year)s") % {"year": year},
            "table": table,
            "year": year,
            "years": years,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/surveys/trainingsatisfaction/table.html", context)
