import datetime

import pytest
from django.utils import timezone

from observatoire.core import periodic
from observatoire.events import services
from observatoire.events.models import Event, Registration
from observatoire.events.tasks import send_event_reminders

from .factories import make_event, make_person


def test_the_reminder_sweep_is_registered_with_the_clock():
    assert send_event_reminders.module_path in {entry.name for entry in periodic.registered()}


@pytest.mark.django_db
def test_reminders_are_sent_once_within_the_delay(settings, smtp_server):
    settings.EVENT_REMINDER_HOURS = 48
    soon = make_event("bientot", starts_in=datetime.timedelta(days=1))
    later = make_event("plus-tard", starts_in=datetime.timedelta(days=9))
    cancelled = make_event("annule", starts_in=datetime.timedelta(days=1))
    early = timezone.now() - datetime.timedelta(days=5)
    awa = services.registration_create(
        event=soon, person=make_person("Awa"), email="awa@example.org", notify=False, now=early
    )
    services.registration_create(
        event=later, person=make_person("Moussa"), email="moussa@example.org", notify=False
    )
    services.registration_create(
        event=cancelled, person=make_person("Fatou"), email="fatou@example.org", notify=False
    )
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    # Registered within the delay: the confirmation just said it all.
    late = services.registration_create(
        event=soon, person=make_person("Ibrahima"), email="ibrahima@example.org", notify=False
    )

    assert send_event_reminders.call() == 1
    assert send_event_reminders.call() == 0

    (message,) = smtp_server.messages
    assert message["To"] == "awa@example.org"
    assert "Rappel" in message["Subject"]
    awa.refresh_from_db()
    late.refresh_from_db()
    assert awa.reminder_sent_at is not None
    assert late.reminder_sent_at is None
    assert Registration.objects.filter(reminder_sent_at__isnull=True).count() == 3
