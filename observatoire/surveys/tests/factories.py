import datetime
import itertools

from django.utils import timezone

from observatoire.core.testing import make_person
from observatoire.events.models import Attendance, Event, Registration, Sitting

_numbers = itertools.count(1)


def make_training(
    title: str = "Monter un projet de solidarité internationale",
    *,
    ended_days_ago: float = 2,
    people: int = 3,
    absent: int = 0,
    kind: str = Event.Kind.TRAINING,
    sittings: int = 1,
) -> Event:
    """A training that ended `ended_days_ago`, with `people` confirmed registrations.

    With `absent`, attendance is taken and that many of them are marked absent.
    """
    number = next(_numbers)
    event = Event.objects.create(
        title=title,
        slug=f"formation-{number}",
        kind=kind,
        status=Event.Status.PUBLISHED,
        venue="Maison des associations",
    )
    end = timezone.now() - datetime.timedelta(days=ended_days_ago)
    created_sittings = []
    for index in range(sittings):
        stop = end - datetime.timedelta(days=7 * (sittings - 1 - index))
        created_sittings.append(
            Sitting.objects.create(
                event=event, starts_at=stop - datetime.timedelta(hours=3), ends_at=stop
            )
        )
    for index in range(people):
        person = make_person("Awa", f"Participante{number}x{index}")
        registration = Registration.objects.create(
            event=event,
            person=person,
            email=f"awa.{number}.{index}@example.org",
            registered_at=end - datetime.timedelta(days=20),
        )
        if absent:
            Attendance.objects.create(
                registration=registration,
                sitting=created_sittings[0],
                present=index >= absent,
                recorded_at=end,
            )
    return event


def ensure_default_template() -> None:
    """Reload the shipped default template when a transactional test has flushed it."""
    import importlib

    from django.apps import apps

    from observatoire.surveys.models import SurveyTemplate

    if not SurveyTemplate.objects.filter(is_default=True).exists():
        migration = importlib.import_module("observatoire.surveys.migrations.0002_default_template")
        migration.load_default_template(apps, None)
