"""The public side of events: calendar, month view, event page, registration, personal page."""

import calendar as month_calendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatoire.core.antispam import client_address, form_stamp, rate_count, rate_hit
from observatoire.core.search import filter_by_search_text
from observatoire.organizations.models import Organization

from . import calendar, services
from .forms import RegistrationForm
from .ical import feed_ical, ical_filename, registration_ical
from .models import PARIS, Event, Registration
from .zones import is_known_zone, zone_choices

PER_PAGE = 30
MATCHES_PER_MINUTE = 60


def _submission_key(request) -> str:
    return f"events:registrations:{client_address(request)}"


def _zone_from(request) -> str:
    zone = request.GET.get("fuseau", "")
    return zone if is_known_zone(zone) else ""


def _filters_context(filters: calendar.CalendarFilters) -> dict:
    return {"filters": filters, "choices": calendar.filter_choices(), "query": filters.as_query()}


@require_GET
def event_list(request):
    """Upcoming events (or past ones), filtered by kind, theme and group."""
    filters = calendar.CalendarFilters.from_query(request.GET)
    past = request.GET.get("passes") == "1"
    events = calendar.past_events(filters) if past else calendar.upcoming_events(filters)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "events/public/list.html",
        {
            **_filters_context(filters),
            "page": page,
            "past": past,
            "this_month": (today.year, today.month),
        },
    )


@require_GET
def event_month(request, year: int, month: int):
    """A month of sittings in Paris time, as a grid of weeks."""
    if not (1 <= month <= 12 and 1900 < year < 2200):
        raise Http404
    filters = calendar.CalendarFilters.from_query(request.GET)
    sittings = calendar.month_sittings(filters, year=year, month=month)
    by_day: dict[datetime.date, list] = {}
    for sitting in sittings:
        day = timezone.localtime(sitting.starts_at).date()
        by_day.setdefault(day, []).append(sitting)
    weeks = [
        [(day, by_day.get(day, [])) for day in week]
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(
        request,
        "events/public/month.html",
        {
            **_filters_context(filters),
            "month": datetime.date(year, month, 1),
            "weeks": weeks,
            "sittings": sittings,
            "previous": previous,
            "following": following,
        },
    )


def _event_or_404(slug: str) -> Event:
    event = calendar.public_event(slug)
    if event is None:
        raise Http404
    return event


def _registration_state(event: Event) -> dict:
    """What the event page says about registering: open, full (waiting list), closed and why."""
    now = timezone.now()
    first_start = services.event_first_start(event)
    places_left = services.event_places_left(event)
    closed_reason = ""
    if first_start is None or first_start <= now:
        closed_reason = _(
            "This event has already started or taken place: registrations are closed."
        )
    elif event.registration_deadline and event.registration_deadline < now:
        closed_reason = _("Registrations are closed.")
    elif places_left == 0 and not event.waiting_list:
        closed_reason = _("This event is full and has no waiting list.")
    return {
        "places_left": places_left,
        "closed_reason": closed_reason,
        "waiting_list_only": places_left == 0 and event.waiting_list,
    }


@require_GET
def event_detail(request, slug: str):
    event = _event_or_404(slug)
    zone = _zone_from(request)
    return render(
        request,
        "events/public/detail.html",
        {
            "event": event,
            "sittings": list(event.sittings.all()),
            "zone": zone,
            "zone_choices": zone_choices(),
            **_registration_state(event),
        },
    )


def _render_form(request, event, form, *, status=200):
    return render(
        request,
        "events/public/register.html",
        {
            "event": event,
            "form": form,
            "sittings": list(event.sittings.all()),
            "error_summary": [
                (form[name].auto_id if name in form.fields else "", _label(form, name), error)
                for name, errors in (form.errors.items() if form.is_bound else [])
                if name != "__all__"
                for error in errors
            ],
            **_registration_state(event),
        },
        status=status,
    )


def _label(form, name: str) -> str:
    return form.fields[name].label if name in form.fields else ""


def event_register(request, slug: str):
    """The registration form; an invitation link brings its token in `?invitation=`."""
    event = _event_or_404(slug)
    if request.method != "POST":
        initial = {}
        token = request.GET.get("invitation", "")
        if token:
            initial["invitation"] = token
            initial["email"] = services.invitation_email(event, token) or ""
        return _render_form(request, event, RegistrationForm(initial=initial))

    form = RegistrationForm(request.POST)
    verdict = form.spam_verdict()
    key = _submission_key(request)
    if verdict == "honeypot":
        rate_hit(key, settings.REFERENCING_RATE_WINDOW)
        return redirect("events:registered", event.slug)
    if rate_count(key) >= settings.REFERENCING_RATE_LIMIT:
        form.is_valid()
        messages.error(
            request,
            _(
                "Too many registrations were sent from your connection. Please try again in an "
                "hour, or write to us at %(email)s."
            )
            % {"email": settings.NETWORK_CONTACT_EMAIL},
        )
        return _render_form(request, event, form, status=429)
    if verdict:
        data = request.POST.copy()
        data["started"] = form_stamp()
        form = RegistrationForm(data)
        form.is_valid()
        messages.warning(
            request,
            _(
                "The form was sent very quickly, or had been open for a long time. "
                "Please check your answers and send it again."
            ),
        )
        return _render_form(request, event, form)
    if not form.is_valid():
        return _render_form(request, event, form)
    try:
        registration = services.registration_submit(event=event, data=form.registration_request())
    except services.RegistrationRefused as refusal:
        form.add_error(None, refusal.messages)
        return _render_form(request, event, form)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_form(request, event, form)
    rate_hit(key, settings.REFERENCING_RATE_WINDOW)
    request.session["events_registered"] = registration.pk
    return redirect("events:registered", event.slug)


@require_GET
def event_registered(request, slug: str):
    event = _event_or_404(slug)
    registration = (
        Registration.objects.filter(pk=request.session.get("events_registered"), event=event)
        .select_related("referencing_request")
        .first()
    )
    return render(
        request, "events/public/registered.html", {"event": event, "registration": registration}
    )


def _registration_by_token(token) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "event__commune", "person"), token=token
    )


def registration_manage(request, token):
    """The participant's page, from the e-mailed link: see the registration, cancel it."""
    registration = _registration_by_token(token)
    event = registration.event
    first_start = services.event_first_start(event)
    can_cancel = registration.status != Registration.Status.CANCELLED and (
        first_start is None or first_start > timezone.now()
    )
    if request.method == "POST" and "cancel" in request.POST and can_cancel:
        was_cancelled = registration.status == Registration.Status.CANCELLED
        registration = services.registration_cancel(registration)
        if not was_cancelled:
            messages.success(
                request, _("Your registration is cancelled. Thank you for telling us.")
            )
        return redirect("events:manage", registration.token)
    return render(
        request,
        "events/public/manage.html",
        {
            "registration": registration,
            "event": event,
            "sittings": list(event.sittings.all()),
            "zone": registration.time_zone if registration.time_zone != PARIS else "",
            "can_cancel": can_cancel,
            "show_online_link": registration.status == Registration.Status.CONFIRMED
            and event.status == Event.Status.PUBLISHED,
        },
    )


@require_GET
def registration_ical_download(request, token):
    registration = _registration_by_token(token)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(registration_ical(registration), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{ical_filename(registration.event)}"'
    return response


@require_GET
def feed(request):
    """The public iCalendar feed: a calendar application subscribes to it."""
    content = feed_ical(
        calendar.feed_events(), name=_("Events of %(network)s") % {"network": settings.NETWORK_NAME}
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@require_GET
def organization_suggestions(request):
    """Listed organisations whose name holds what is being typed, for the registration form."""
    key = f"events:suggestions:{client_address(request)}"
    if rate_count(key) >= MATCHES_PER_MINUTE:
        return JsonResponse({"organizations": []}, status=429)
    rate_hit(key, 60)
    term = (request.GET.get("q") or "")[:100].strip()
    if len(term) < 2:
        return JsonResponse({"organizations": []})
    found = filter_by_search_text(Organization.objects.qualified(), term).select_related("commune")[
        :10
    ]
    return JsonResponse(
        {
            "organizations": [
                {"id": o.pk, "name": o.name, "town": o.commune.name if o.commune_id else ""}
                for o in found
            ]
        }
    )
