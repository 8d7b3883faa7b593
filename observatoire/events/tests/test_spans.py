"""Each event's first start and last end follow its sittings: the calendar, the home page, the
API and organisations' pages sort and filter on them."""

import datetime

import pytest
from django.utils import timezone

from observatoire.events.calendar import CalendarFilters, past_events, upcoming_events
from observatoire.events.models import Event, Sitting
from observatoire.events.spans import refresh_event_spans

from .factories import make_event

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def stored(event: Event) -> tuple:
    return Event.objects.values_list("first_starts_at", "last_ends_at").get(pk=event.pk)


def test_adding_moving_and_removing_sittings_keeps_the_span():
    event = make_event("atelier", starts_in=10 * DAY, sittings=2)
    first, second = event.sittings.order_by("starts_at")
    assert stored(event) == (first.starts_at, second.ends_at)
    assert (event.first_starts_at, event.last_ends_at) == stored(event)  # the instance in hand

    second.ends_at += 2 * DAY
    second.save()
    assert stored(event) == (first.starts_at, second.ends_at)

    first.delete()
    assert stored(event) == (second.starts_at, second.ends_at)
    second.delete()
    assert stored(event) == (None, None)


def test_saving_an_event_read_before_its_sittings_changed_keeps_their_span():
    event = make_event("atelier", starts_in=10 * DAY)
    stale = Event.objects.get(pk=event.pk)
    sitting = event.sittings.get()
    Sitting.objects.create(
        event_id=event.pk,
        starts_at=sitting.starts_at + 30 * DAY,
        ends_at=sitting.ends_at + 30 * DAY,
    )
    stale.title = "Atelier renommé"
    stale.save()
    assert stored(event) == (sitting.starts_at, sitting.ends_at + 30 * DAY)
    assert Event.objects.get(pk=event.pk).title == "Atelier renommé"


def test_a_bulk_load_is_brought_in_step_by_refresh():
    event = Event.objects.create(title="Webinaire", slug="webinaire", kind=Event.Kind.WEBINAR)
    start = timezone.now() + 3 * DAY
    Sitting.objects.bulk_create(
        [
            Sitting(event=event, starts_at=start, ends_at=start + DAY),
            Sitting(event=event, starts_at=start - DAY, ends_at=start),
        ]
    )
    assert stored(event) == (None, None)  # bulk_create sends no signal
    assert refresh_event_spans([event.pk]) == 1
    assert stored(event) == (start - DAY, start + DAY)


def test_an_event_still_running_is_upcoming_and_ordered_by_its_first_start():
    running = make_event("cycle-long", starts_in=-14 * DAY, sittings=4)  # ends in a week
    soon = make_event("bientot", starts_in=2 * DAY)
    ended = make_event("passe", starts_in=-30 * DAY)
    no_sitting = Event.objects.create(
        title="Sans date", slug="sans-date", kind=Event.Kind.MEETING, status="published"
    )
    upcoming = list(upcoming_events(CalendarFilters()))
    assert upcoming == [running, soon]
    assert list(past_events(CalendarFilters())) == [ended]
    assert no_sitting not in upcoming
