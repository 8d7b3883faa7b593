"""Events for the tests, built the way staff set them up."""

import datetime
import zoneinfo

from django.utils import timezone

from observatoire.events.models import Event, Sitting
from observatoire.organizations.models import Person
from observatoire.organizations.services import person_add_email


def make_event(
    slug="formation-cycle-de-projet",
    *,
    title="Formation : le cycle de projet",
    kind=Event.Kind.TRAINING,
    status=Event.Status.PUBLISHED,
    starts_in=datetime.timedelta(days=10),
    hours=3,
    sittings=1,
    time_zone="Europe/Paris",
    **fields,
) -> Event:
    event = Event.objects.create(title=title, slug=slug, kind=kind, status=status, **fields)
    zone = zoneinfo.ZoneInfo(time_zone)
    start = (
        (timezone.now() + starts_in)
        .astimezone(zone)
        .replace(hour=14, minute=0, second=0, microsecond=0)
    )
    for index in range(sittings):
        begins = start + datetime.timedelta(days=7 * index)
        Sitting.objects.create(
            event=event,
            starts_at=begins,
            ends_at=begins + datetime.timedelta(hours=hours),
            time_zone=time_zone,
        )
    return event


def make_person(first_name="Awa", last_name="Diallo", email=None) -> Person:
    person = Person.objects.create(first_name=first_name, last_name=last_name)
    person_add_email(person=person, address=email or f"{first_name.lower()}@example.org")
    return person
