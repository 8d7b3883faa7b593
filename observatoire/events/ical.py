"""iCalendar output: the public feed and the attachment of each participant's e-mails.

One VEVENT per sitting, its UID stable across versions of the file so calendars update the
entry rather than add one; times carry their zone (TZID with a VTIMEZONE). The online link is
only in a participant's own file: the public feed never gives it.
"""

import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import PARIS, Event, Registration


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def sitting_uid(sitting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "observatoire"
    return f"event-{sitting.event_id}-sitting-{sitting.pk}@{host}"


def _place(event: Event) -> str:
    commune = event.commune.name if event.commune_id else ""
    return ", ".join(part for part in (event.venue, event.address, commune) if part)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.NETWORK_NAME}//Observatoire//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", PARIS)
    return calendar


def _vevents(event: Event, *, with_online_link: bool):
    page = _site_url(reverse("events:detail", args=[event.slug]))
    place = _place(event)
    online = event.online_url if with_online_link else ""
    sittings = list(event.sittings.all())
    for index, sitting in enumerate(sittings, start=1):
        zone = zoneinfo.ZoneInfo(sitting.time_zone or PARIS)
        vevent = VEvent()
        vevent.add("uid", sitting_uid(sitting))
        vevent.add("dtstamp", timezone.now())
        vevent.add("last-modified", event.updated_at)
        vevent.add("dtstart", timezone.localtime(sitting.starts_at, zone))
        vevent.add("dtend", timezone.localtime(sitting.ends_at, zone))
        title = event.title
        if len(sittings) > 1:
            title = f"{event.title} ({index}/{len(sittings)})"
        if sitting.title:
            title = f"{title} — {sitting.title}"
        vevent.add("summary", title)
        description = [event.summary or "", page]
        if online:
            description.append(online)
        vevent.add("description", "\n\n".join(part for part in description if part))
        location = place
        if online:
            location = f"{place} — {online}" if place else online
        if location:
            vevent.add("location", location)
        vevent.add("url", page)
        cancelled = event.status == Event.Status.CANCELLED
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        yield vevent


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ical(events, *, name: str) -> bytes:
    """The public calendar of these events (published or cancelled), without online links."""
    calendar = _calendar(name)
    for event in events:
        for vevent in _vevents(event, with_online_link=False):
            calendar.add_component(vevent)
    return _finish(calendar)


def registration_ical(registration: Registration) -> bytes:
    """A participant's file: the event's sittings, with the online link."""
    event = registration.event
    calendar = _calendar(event.title)
    for vevent in _vevents(event, with_online_link=True):
        calendar.add_component(vevent)
    return _finish(calendar)


def ical_filename(event: Event) -> str:
    return f"{event.slug[:60]}.ics"
