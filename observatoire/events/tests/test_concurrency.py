"""Two people taking the last place at the same instant: one gets it, the other waits."""

import threading

import pytest
from django.db import connection, connections

from observatoire.events import services
from observatoire.events.models import Registration

from .factories import make_event, make_person


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_last_place_is_given_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    event = make_event(capacity=1)
    people = [make_person(name) for name in ("Awa", "Moussa", "Fatou", "Kossi")]
    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            barrier.wait()
            services.registration_create(
                event=event, person=person, email=f"{person.first_name}@example.org", notify=False
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting", "waiting", "waiting"]
