"""Staff pages of events, reached from the event's back-office page: registering someone by hand,
the sign-in sheet, the check-in list of a sitting and the figures of events over a period."""

import zoneinfo
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.referentials.models import Country

from . import attendance, figures
from .models import PARIS, Event, Registration, Sitting
from .services import event_places_left, registration_cancel, registration_create
from .zones import zone_choices


def _readable(request) -> None:
    if not is_back_office(request.user):
        raise PermissionDenied


def _writable(request) -> None:
    if not can_edit_register(request.user):
        raise PermissionDenied


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


def sitting_links(sitting: Sitting) -> str:
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("admin:events_sitting_sign_in_sheet", args=[sitting.pk]),
        _("Sign-in sheet (PDF)"),
        reverse("admin:events_sitting_checkin", args=[sitting.pk]),
        _("Check-in"),
    )


def _zone_label(sitting: Sitting) -> str:
    """The sitting's times in its own zone, when it was not given in Paris time."""
    if (sitting.time_zone or PARIS) == PARIS:
        return ""
    zone = zoneinfo.ZoneInfo(sitting.time_zone)
    starts, ends = sitting.starts_at.astimezone(zone), sitting.ends_at.astimezone(zone)
    return f"{starts:%d/%m %H:%M}–{ends:%H:%M} ({sitting.time_zone})"


def event_page_context(event: Event, request) -> dict:
    """What the event's back-office page shows under the form: registrations and figures."""
    registrations = event.registrations.select_related("person", "organization", "country")
    sittings = list(event.sittings.all())
    for sitting in sittings:
        sitting.zone_label = _zone_label(sitting)
    return {
        "event_staff": {
            "confirmed": registrations.confirmed().order_by("person__last_name"),
            "waiting": registrations.waiting(),
            "cancelled": registrations.filter(status=Registration.Status.CANCELLED).order_by(
                "-cancelled_at"
            ),
            "figures": figures.event_figures(event),
            "sittings": sittings,
            "can_write": can_edit_register(request.user),
            "can_cancel": can_edit_register(request.user),
            "registrations_url": reverse("admin:events_registration_changelist")
            + "?"
            + urlencode({"event__id__exact": event.pk}),
        }
    }


class RegisterForm(forms.Form):
    """Staff register a person of the register; the rules of the event do not apply."""

    person = forms.ModelChoiceField(
        label=_("person"),
        queryset=Registration._meta.get_field("person").remote_field.model.objects.not_archived(),
        error_messages={"required": _("Choose the person to register.")},
    )
    organization = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Registration._meta.get_field("organization").remote_field.model.objects.all(),
        required=False,
    )
    email = forms.EmailField(
        label=_("e-mail address"),
        required=False,
        help_text=_("Leave empty to use the person's main address."),
    )
    country = forms.ModelChoiceField(
        label=_("country of residence"), queryset=Country.objects.all(), required=False
    )
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a known time zone (for example Europe/Paris, Africa/Dakar)."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("person", "organization"):
            field = self.fields[name]
            field.widget = AutocompleteSelect(Registration._meta.get_field(name), admin.site)
            field.widget.choices = field.choices
        self.fields["time_zone"].choices = [("", "—"), *zone_choices()]

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is not None and not cleaned.get("email"):
            cleaned["email"] = person.primary_email
            if not cleaned["email"]:
                self.add_error(
                    "email", _("This person has no e-mail address in the register: type one.")
                )
        return cleaned


def register_view(request, pk: int):
    """Register someone by hand (staff source, rules not enforced)."""
    _writable(request)
    event = get_object_or_404(Event, pk=pk)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = registration_create(
                event=event,
                person=data["person"],
                email=data["email"],
                organization=data["organization"],
                country=data["country"],
                time_zone=data["time_zone"],
                source=Registration.Source.STAFF,
                registered_by=request.user,
                enforce_rules=False,
            )
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(person)s is registered (%(status)s).")
                % {"person": registration.person, "status": registration.get_status_display()},
            )
            return redirect("admin:events_event_change", event.pk)
    context = {
        **admin.site.each_context(request),
        "opts": Event._meta,
        "title": _("Register someone for “%(event)s”") % {"event": event},
        "event": event,
        "form": form,
        "places_left": event_places_left(event),
    }
    return TemplateResponse(request, "events/staff/register.html", context)


@require_POST
def registration_cancel_view(request, pk: int, registration_pk: int):
    _writable(request)
    registration = get_object_or_404(Registration, pk=registration_pk, event_id=pk)
    if registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("This registration was already cancelled."))
    else:
        try:
            registration_cancel(registration, cancelled_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(_messages_of(error)))
        else:
            messages.success(
                request,
                _("The registration of %(person)s is cancelled.") % {"person": registration.person},
            )
    return redirect("admin:events_event_change", pk)


def sign_in_sheet_view(request, sitting_pk: int):
    _readable(request)
    sitting = get_object_or_404(Sitting, pk=sitting_pk)
    pdf = attendance.sign_in_sheet_pdf(sitting)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"emargement-{sitting.event.slug}-{timezone.localtime(sitting.starts_at):%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def checkin_view(request, sitting_pk: int):
    """The check-in list of a sitting: tap a name to mark the person present or absent."""
    _readable(request)
    sitting = get_object_or_404(Sitting.objects.select_related("event"), pk=sitting_pk)
    if request.method == "POST":
        _writable(request)
        registration = Registration.objects.filter(
            pk=request.POST.get("registration")
            if request.POST.get("registration", "").isdigit()
            else None,
            event_id=sitting.event_id,
        ).first()
        present = request.POST.get("present")
        error = None
        if registration is None or present not in ("1", "0"):
            error = str(_("This person is not on the list of this sitting."))
        else:
            try:
                attendance.attendance_record(
                    registration=registration,
                    sitting=sitting,
                    present=present == "1",
                    recorded_by=request.user,
                )
            except ValidationError as exc:
                error = " ".join(_messages_of(exc))
        if _wants_json(request):
            counts = attendance.checkin_counts(sitting)
            return JsonResponse(
                {
                    "ok": error is None,
                    "error": error,
                    "present": present == "1",
                    "counts": {
                        "present": counts.present,
                        "absent": counts.absent,
                        "expected": counts.expected,
                    },
                },
                status=400 if error else 200,
            )
        if error:
            messages.error(request, error)
        url = reverse("admin:events_sitting_checkin", args=[sitting.pk])
        return redirect(f"{url}#r-{registration.pk}" if registration else url)
    context = {
        "sitting": sitting,
        "event": sitting.event,
        "starts_at": timezone.localtime(sitting.starts_at),
        "ends_at": timezone.localtime(sitting.ends_at),
        "zone_label": _zone_label(sitting),
        "rows": attendance.checkin_rows(sitting),
        "counts": attendance.checkin_counts(sitting),
        "can_write": can_edit_register(request.user),
    }
    return TemplateResponse(request, "events/staff/checkin.html", context)


@require_POST
def checkin_rest_absent_view(request, sitting_pk: int):
    _writable(request)
    sitting = get_object_or_404(Sitting, pk=sitting_pk)
    count = attendance.attendance_mark_rest_absent(sitting=sitting, recorded_by=request.user)
    messages.success(request, _("%(count)s person(s) recorded as absent.") % {"count": count})
    return redirect("admin:events_sitting_checkin", sitting.pk)


def _link(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v is not None})


def figures_view(request):
    """« Chiffres des événements »: the figures of a period, each linking to the list behind it."""
    _readable(request)
    period = figures.Period.parse(request.GET.get("period"))
    data = figures.period_figures(period)
    events_url = "admin:events_event_changelist"
    registrations_url = "admin:events_registration_changelist"
    base = {"period": period.parameter}
    took_part = {"period": period.parameter, "took_part": "yes"}

    def registration_links(rows, lookup):
        return [
            (
                row,
                _link(
                    registrations_url,
                    **took_part,
                    **(
                        {f"{lookup}__id__exact": row.pk}
                        if row.pk is not None
                        else {f"{lookup}__isnull": "True"}
                    ),
                ),
            )
            for row in rows
        ]

    years = [str(y.year) for y in Sitting.objects.dates("starts_at", "year", order="DESC")]
    context = {
        **admin.site.each_context(request),
        "opts": Event._meta,
        "title": _("Event figures"),
        "figures": data,
        "period": period,
        "years": years,
        "links": {
            "events": _link(events_url, **base),
            "participants": _link(registrations_url, **took_part),
            "meetings": _link(events_url, **base, category="meetings"),
            "meeting_participants": _link(registrations_url, **took_part, category="meetings"),
            "trainings": _link(events_url, **base, category="trainings"),
            "training_participants": _link(registrations_url, **took_part, category="trainings"),
        },
        "by_group": [
            (
                row,
                _link(
                    events_url,
                    **base,
                    category="meetings",
                    **(
                        {"group__id__exact": row.group.pk}
                        if row.group
                        else {"group__isnull": "True"}
                    ),
                ),
                _link(
                    registrations_url,
                    **took_part,
                    category="meetings",
                    **(
                        {"event__group__id__exact": row.group.pk}
                        if row.group
                        else {"event__group__isnull": "True"}
                    ),
                ),
            )
            for row in data.by_group
        ],
        "meetings_per_year": [
            (row, _link(events_url, period=row.year, category="meetings"))
            for row in data.meetings_per_year
        ],
        "trainings_per_year": [
            (row, _link(events_url, period=row.year, category="trainings"))
            for row in data.trainings_per_year
        ],
        "by_kind": registration_links(data.by_kind, "organization__kind"),
        "by_departement": registration_links(data.by_departement, "organization__departement"),
        "foreign_by_country": registration_links(data.foreign_by_country, "country"),
        "by_college": [(row, _link(registrations_url, **took_part)) for row in data.by_college],
    }
    return TemplateResponse(request, "admin/events/event/figures.html", context)
