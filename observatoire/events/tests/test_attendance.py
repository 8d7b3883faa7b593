"""Attendance: the sign-in sheet, the check-in list of a sitting and no-shows."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from observatoire.core.testing import make_organization
from observatoire.events import attendance
from observatoire.events.models import Attendance, Registration
from observatoire.events.selectors import participations

from .backoffice_factories import make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = make_event("Le cadre logique pas à pas", sittings=2, venue="Maison des associations")
    organization = make_organization("Eau Vive Gironde")
    register(event, "Awa", "Traoré", organization=organization)
    register(event, "Jean", "Martin")
    register(event, "Fatou", "Sawadogo", organization=organization)
    register(event, "Léa", "Petit", status=Registration.Status.WAITING)
    return event


def checkin_url(sitting):
    return reverse("admin:events_sitting_checkin", args=[sitting.pk])


def test_the_sign_in_sheet_lists_the_confirmed_people_by_last_name(client, observatory, event):
    sitting = event.sittings.first()
    client.force_login(observatory)
    response = client.get(reverse("admin:events_sitting_sign_in_sheet", args=[sitting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "RÉSEAU RÉGIONAL NOUVELLE-AQUITAINE" in text  # the network name, in capitals
    assert "Le cadre logique pas à pas" in text and "Maison des associations" in text
    names = ["MARTIN Jean", "SAWADOGO Fatou", "TRAORÉ Awa"]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Eau Vive Gironde" in text and "Signature" in text
    assert "PETIT" not in text  # the waiting list does not sign


def test_checking_in_without_javascript(client, staff, event):
    sitting = event.sittings.first()
    awa = event.registrations.get(person__first_name="Awa")
    client.force_login(staff)
    page = client.get(checkin_url(sitting))
    assert page.status_code == 200
    assert [row.name for row in page.context["rows"]] == [
        "MARTIN Jean",
        "SAWADOGO Fatou",
        "TRAORÉ Awa",
    ]
    response = client.post(checkin_url(sitting), {"registration": awa.pk, "present": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#r-{awa.pk}")
    recorded = Attendance.objects.get(registration=awa, sitting=sitting)
    assert recorded.present and recorded.recorded_by == staff
    # Tapping again corrects the record rather than adding one.
    client.post(checkin_url(sitting), {"registration": awa.pk, "present": "0"})
    assert Attendance.objects.filter(registration=awa).count() == 1
    assert not Attendance.objects.get(registration=awa).present


def test_checking_in_with_javascript_answers_with_the_counters(client, staff, event):
    sitting = event.sittings.first()
    jean = event.registrations.get(person__first_name="Jean")
    client.force_login(staff)
    response = client.post(
        checkin_url(sitting),
        {"registration": jean.pk, "present": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["counts"] == {"present": 1, "absent": 0, "expected": 3}


def test_everyone_else_is_recorded_absent_once(client, staff, event):
    sitting = event.sittings.first()
    awa = event.registrations.get(person__first_name="Awa")
    client.force_login(staff)
    client.post(checkin_url(sitting), {"registration": awa.pk, "present": "1"})
    rest = reverse("admin:events_sitting_checkin_rest_absent", args=[sitting.pk])
    assert client.post(rest).status_code == 302
    assert client.post(rest).status_code == 302  # twice: nothing more
    counts = attendance.checkin_counts(sitting)
    assert (counts.present, counts.absent, counts.expected) == (1, 2, 3)
    assert list(participations(event.registrations.all())) == [awa]
    assert Attendance.objects.filter(sitting=sitting, present=False).first().recorded_by == staff


def test_bad_check_in_input_is_explained(client, staff, event):
    sitting = event.sittings.first()
    other = register(make_event("Autre"), "Paul", "Girard")
    waiting = event.registrations.get(status=Registration.Status.WAITING)
    client.force_login(staff)
    for data in (
        {"registration": other.pk, "present": "1"},
        {"registration": "abc", "present": "1"},
        {"registration": event.registrations.first().pk, "present": "peut-être"},
        {},
    ):
        response = client.post(checkin_url(sitting), data, HTTP_ACCEPT="application/json")
        assert response.status_code == 400
        assert "liste de cette séance" in response.json()["error"]
    response = client.post(
        checkin_url(sitting), {"registration": waiting.pk, "present": "1"}, follow=True
    )
    assert "Seules les inscriptions confirmées" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_observatory_reads_the_list_but_does_not_check_in(client, observatory, event):
    sitting = event.sittings.first()
    client.force_login(observatory)
    page = client.get(checkin_url(sitting))
    assert page.status_code == 200 and "mark-present" not in page.content.decode()
    registration = event.registrations.first()
    response = client.post(checkin_url(sitting), {"registration": registration.pk, "present": "1"})
    assert response.status_code == 403
    rest = reverse("admin:events_sitting_checkin_rest_absent", args=[sitting.pk])
    assert client.post(rest).status_code == 403
    assert not Attendance.objects.exists()


def test_the_check_in_list_query_count(client, staff, django_assert_max_num_queries):
    event = make_event()
    for number in range(25):
        register(event, f"Personne{number}", "Diallo")
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        assert client.get(checkin_url(event.sittings.first())).status_code == 200
