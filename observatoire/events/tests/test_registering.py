"""Staff register someone by hand and cancel registrations, through the registration services."""

import pytest
from django.urls import reverse

from observatoire.core.testing import make_organization, make_person
from observatoire.events.models import Registration

from .backoffice_factories import make_event, register

pytestmark = pytest.mark.django_db


def register_url(event):
    return reverse("admin:events_event_register", args=[event.pk])


def test_the_register_page_offers_the_register_by_autocomplete(client, staff):
    event = make_event(days=10)
    client.force_login(staff)
    response = client.get(register_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "admin-autocomplete" in html and "Africa/Dakar" in html


def test_the_person_is_found_by_autocomplete(client, staff):
    person = make_person("Mariam", "Diallo")
    client.force_login(staff)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "events",
            "model_name": "registration",
            "field_name": "person",
            "term": "diallo",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(person.pk)]


@pytest.mark.parametrize("persona", ["observatory", "editor"])
def test_only_staff_register_people(client, persona, request):
    event = make_event(days=10)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(register_url(event), {"person": make_person().pk})
    assert response.status_code in (302, 403)
    assert not Registration.objects.exists()


def test_staff_register_someone_outside_the_rules(client, staff):
    event = make_event(days=10, capacity=1, registration_rule="invitation")
    register(event, "Jean", "Martin")
    person = make_person("Mariam", "Diallo", email="mariam.diallo@example.org")
    organization = make_organization("Eau Vive Gironde")
    client.force_login(staff)
    response = client.post(
        register_url(event),
        {"person": person.pk, "organization": organization.pk, "time_zone": "Africa/Dakar"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(person=person)
    assert registration.source == Registration.Source.STAFF
    assert registration.email == "mariam.diallo@example.org"
    assert registration.organization == organization
    # Staff decide to add someone to a full event: the person gets a place all the same.
    assert registration.status == Registration.Status.CONFIRMED


def test_a_person_without_an_address_needs_one_and_keeps_the_form(client, staff):
    event = make_event(days=10)
    person = make_person("Hery", "Rakoto")
    client.force_login(staff)
    response = client.post(register_url(event), {"person": person.pk, "time_zone": "Mars/Base"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "adresse e-mail dans le registre" in html
    assert "fuseau horaire connu" in html
    assert not Registration.objects.exists()


def test_staff_cancel_a_registration_from_the_event_page(client, staff):
    event = make_event(days=10, capacity=1)
    confirmed = register(event, "Jean", "Martin")
    waiting = register(event, "Léa", "Petit", status=Registration.Status.WAITING)
    client.force_login(staff)
    url = reverse("admin:events_event_cancel_registration", args=[event.pk, confirmed.pk])
    assert client.post(url).status_code == 302
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED


def test_the_admin_action_cancels_registrations(client, staff):
    event = make_event(days=10)
    registration = register(event)
    client.force_login(staff)
    response = client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [registration.pk]},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_cancelling_needs_a_post_and_a_writer(client, observatory):
    event = make_event(days=10)
    registration = register(event)
    client.force_login(observatory)
    url = reverse("admin:events_event_cancel_registration", args=[event.pk, registration.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
