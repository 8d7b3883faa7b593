import datetime

import pytest
from django.utils import timezone

from observatoire.events.models import Attendance, Event, Registration, Sitting
from observatoire.events.selectors import participations
from observatoire.organizations.models import Person


def _event(slug):
    event = Event.objects.create(title=slug, slug=slug, kind=Event.Kind.TRAINING)
    start = timezone.now() - datetime.timedelta(days=3)
    sitting = Sitting.objects.create(
        event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    return event, sitting


def _register(event, name, status=Registration.Status.CONFIRMED):
    person = Person.objects.create(first_name=name, last_name="Diallo")
    return Registration.objects.create(
        event=event,
        person=person,
        email=f"{name.lower()}@example.org",
        status=status,
        registered_at=timezone.now(),
    )


@pytest.mark.django_db
def test_once_attendance_is_taken_only_people_present_count():
    event, sitting = _event("formation-cycle-projet")
    came = _register(event, "Awa")
    no_show = _register(event, "Moussa")
    _register(event, "Fatou", status=Registration.Status.WAITING)
    Attendance.objects.create(
        registration=came, sitting=sitting, present=True, recorded_at=timezone.now()
    )
    Attendance.objects.create(
        registration=no_show, sitting=sitting, present=False, recorded_at=timezone.now()
    )

    assert list(participations(event.registrations.all())) == [came]


@pytest.mark.django_db
def test_without_attendance_every_confirmed_registration_counts():
    event, _ = _event("reunion-groupe-senegal")
    confirmed = _register(event, "Awa")
    _register(event, "Moussa", status=Registration.Status.CANCELLED)
    other_event, other_sitting = _event("autre")
    other = _register(other_event, "Ibrahima")
    Attendance.objects.create(
        registration=other, sitting=other_sitting, present=True, recorded_at=timezone.now()
    )

    assert set(participations()) == {confirmed, other}
