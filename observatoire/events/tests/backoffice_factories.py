"""Events written straight to the database for the back-office tests (past, with attendance)."""

import datetime
import itertools

from django.utils import timezone
from django.utils.text import slugify

from observatoire.events.models import Attendance, Event, Registration, Sitting
from observatoire.organizations.models import Person

_counter = itertools.count(1)


def make_event(
    title: str = "Monter un projet de solidarité internationale",
    *,
    kind: str = Event.Kind.TRAINING,
    days: float = -10,
    sittings: int = 1,
    group=None,
    status: str = Event.Status.PUBLISHED,
    **fields,
) -> Event:
    """An event whose first sitting starts `days` from now (negative: in the past)."""
    event = Event.objects.create(
        title=title,
        slug=f"{slugify(title)}-{next(_counter)}",
        kind=kind,
        status=status,
        group=group,
        **fields,
    )
    start = timezone.now() + datetime.timedelta(days=days)
    for index in range(sittings):
        begins = start + datetime.timedelta(days=7 * index)
        Sitting.objects.create(
            event=event, starts_at=begins, ends_at=begins + datetime.timedelta(hours=2)
        )
    return event


def register(
    event: Event,
    first_name: str = "Awa",
    last_name: str = "Traoré",
    *,
    organization=None,
    status: str = Registration.Status.CONFIRMED,
    country=None,
    person=None,
) -> Registration:
    person = person or Person.objects.create(first_name=first_name, last_name=last_name)
    return Registration.objects.create(
        event=event,
        person=person,
        organization=organization,
        email=f"{first_name}.{last_name}.{next(_counter)}@example.org".lower(),
        status=status,
        country=country,
        registered_at=timezone.now() - datetime.timedelta(days=20),
    )


def mark(registration: Registration, present: bool = True, sitting=None) -> Attendance:
    sitting = sitting or registration.event.sittings.first()
    return Attendance.objects.create(
        registration=registration, sitting=sitting, present=present, recorded_at=timezone.now()
    )
