"""The back office of events: the list, the form with sittings in their time zone, the page."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.events.models import Event, Registration, Sitting

from .backoffice_factories import make_event, mark, register

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_event_changelist")
ADD = reverse("admin:events_event_add")


def form_data(**overrides):
    data = {
        "title": "Webinaire avec nos partenaires de Dakar",
        "slug": "webinaire-dakar",
        "kind": Event.Kind.WEBINAR,
        "status": Event.Status.PUBLISHED,
        "summary": "",
        "description": "",
        "organized_by_network": "on",
        "venue": "",
        "address": "",
        "online_url": "https://visio.example.org/dakar",
        "registration_rule": Event.RegistrationRule.OPEN,
        "capacity": "40",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "waiting_list": "on",
        "sittings-TOTAL_FORMS": "1",
        "sittings-INITIAL_FORMS": "0",
        "sittings-MIN_NUM_FORMS": "1",
        "sittings-MAX_NUM_FORMS": "1000",
        "sittings-0-title": "",
        "sittings-0-starts_local_0": "15/01/2027",
        "sittings-0-starts_local_1": "15:00",
        "sittings-0-ends_local_0": "15/01/2027",
        "sittings-0-ends_local_1": "17:00",
        "sittings-0-time_zone": "Africa/Dakar",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_the_back_office_reads_the_list_and_the_page(client, persona, request):
    event = make_event(capacity=20)
    register(event)
    register(event, "Moussa", "Diallo", status=Registration.Status.WAITING)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert event.title in html and "1 / 20" in html
    page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "TRAORÉ" not in html  # the page lists people by their name as typed
    assert "Awa Traoré" in html and "Moussa Diallo" in html
    assert "Feuille d'émargement (PDF)" in html
    assert ("Inscrire quelqu'un" in html) == (persona != "observatory")
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:events_event_figures") in index


@pytest.mark.parametrize("persona", ["editor", None])
def test_editors_and_visitors_are_sent_to_the_login(client, persona, request):
    event = make_event()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in (
        CHANGELIST,
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_event_figures"),
        reverse("admin:events_sitting_checkin", args=[event.sittings.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_query_count_does_not_grow_with_the_rows(
    client, staff, django_assert_max_num_queries
):
    for number in range(15):
        event = make_event(f"Formation {number}", sittings=2)
        register(event)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 15


def test_the_registrations_list_query_count(client, staff, django_assert_max_num_queries):
    event = make_event()
    for number in range(20):
        register(event, f"Personne{number}", "Diallo")
    client.force_login(staff)
    url = reverse("admin:events_registration_changelist")
    with django_assert_max_num_queries(20):
        assert client.get(url + "?took_part=yes&period=last12").status_code == 200


def test_the_list_filters(client, staff):
    training = make_event("Formation", days=-30)
    meeting = make_event("Rencontre", kind=Event.Kind.MEETING, days=-400)
    client.force_login(staff)

    def listed(query):
        return {e.pk for e in client.get(CHANGELIST + query).context["cl"].result_list}

    assert listed("?kind__exact=training") == {training.pk}
    assert listed("?category=meetings") == {meeting.pk}
    assert listed("?period=last12") == {training.pk}
    year = timezone.localtime(meeting.sittings.first().starts_at).year
    assert meeting.pk in listed(f"?period={year}")
    assert listed("?q=rencontre") == {meeting.pk}


def test_staff_type_a_sitting_in_dakar_time(client, staff):
    client.force_login(staff)
    response = client.post(ADD, form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    sitting = Sitting.objects.get(event__slug="webinaire-dakar")
    dakar = zoneinfo.ZoneInfo("Africa/Dakar")
    assert sitting.starts_at == datetime.datetime(2027, 1, 15, 15, 0, tzinfo=dakar)
    assert sitting.time_zone == "Africa/Dakar"
    page = client.get(reverse("admin:events_event_change", args=[sitting.event_id]))
    html = page.content.decode()
    # Shown as typed, in Dakar time, with the Paris equivalent beside it (UTC+1 in winter).
    assert 'value="15:00:00"' in html or 'value="15:00"' in html
    assert "15/01/2027 16:00" in html


def test_an_end_before_the_start_is_explained_and_nothing_is_lost(client, staff):
    client.force_login(staff)
    response = client.post(
        ADD, form_data(**{"sittings-0-ends_local_1": "14:00", "summary": "Santé à Thiès"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "se termine" in html and "avant de commencer" in html
    assert "Santé à Thiès" in html and "webinaire-dakar" in html
    assert not Event.objects.exists()


def test_an_unknown_zone_is_explained(client, staff):
    client.force_login(staff)
    response = client.post(ADD, form_data(**{"sittings-0-time_zone": "Mars/Olympus"}))
    assert response.status_code == 200
    assert "Mars/Olympus" in response.content.decode()
    assert "fuseau horaire connu" in response.content.decode()
    assert not Event.objects.exists()


def test_a_deadline_after_the_last_sitting_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(
        ADD,
        form_data(registration_deadline_0="20/01/2027", registration_deadline_1="12:00"),
    )
    assert response.status_code == 200
    assert "La date limite d&#x27;inscription" in response.content.decode()
    assert not Event.objects.exists()


def test_broken_dates_do_not_crash(client, staff):
    client.force_login(staff)
    response = client.post(
        ADD, form_data(**{"sittings-0-starts_local_0": "31/02/2027", "sittings-0-ends_local_1": ""})
    )
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_the_event_page_shows_its_figures(client, staff):
    event = make_event()
    came = register(event)
    missed = register(event, "Jean", "Martin")
    mark(came)
    mark(missed, present=False)
    client.force_login(staff)
    response = client.get(reverse("admin:events_event_change", args=[event.pk]))
    figures = response.context["event_staff"]["figures"]
    assert (figures.participants, figures.no_shows) == (1, 1)
    assert "1 absent" in response.content.decode()


def test_the_observatory_cannot_change_an_event(client, observatory):
    event = make_event()
    client.force_login(observatory)
    response = client.post(
        reverse("admin:events_event_change", args=[event.pk]), form_data(title="Piraté")
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title != "Piraté"
