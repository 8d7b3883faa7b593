"""The public pages: calendar, month, event page, registration form, personal page, feed."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from observatoire.core.testing import make_organization
from observatoire.events import services
from observatoire.events.models import Event, Registration
from observatoire.organizations.models import Consent, Organization, Person, PersonEmail
from observatoire.referencing.models import ReferencingRequest
from observatoire.referentials.models import Country, OrganizationKind, Theme

from .factories import make_event, make_person


@pytest.fixture(autouse=True)
def _fast_form(settings):
    cache.clear()
    settings.REFERENCING_MIN_SECONDS = 0


def _form_data(client, event, **values):
    page = client.get(reverse("events:register", args=[event.slug]))
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    return {
        "first_name": "Awa",
        "last_name": "Diallo",
        "email": "awa.diallo@example.org",
        "organization_name": "",
        "time_zone": "Africa/Dakar",
        "started": started,
        **values,
    }


@pytest.mark.django_db
def test_the_calendar_lists_published_events_with_filters(client, django_assert_max_num_queries):
    water = Theme.objects.get(slug="water-sanitation")
    training = make_event("formation-eau", title="Formation : projets eau et assainissement")
    training.themes.add(water)
    make_event("webinaire-odd", title="Webinaire ODD", kind=Event.Kind.WEBINAR)
    make_event("brouillon", title="Brouillon secret", status=Event.Status.DRAFT)
    make_event("ancien", title="Rencontre passée", starts_in=datetime.timedelta(days=-30))
    for index in range(5):
        make_event(f"rencontre-{index}", title=f"Rencontre {index}", kind=Event.Kind.MEETING)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:list"))
    content = response.content.decode()
    assert "Formation : projets eau et assainissement" in content
    assert "Webinaire ODD" in content
    assert "Brouillon secret" not in content
    assert "Rencontre passée" not in content

    filtered = client.get(reverse("events:list"), {"type": "webinar"}).content.decode()
    assert "Webinaire ODD" in filtered and "Formation : projets eau" not in filtered
    by_theme = client.get(reverse("events:list"), {"theme": water.slug}).content.decode()
    assert "Formation : projets eau" in by_theme and "Webinaire ODD" not in by_theme
    past = client.get(reverse("events:list"), {"passes": "1"}).content.decode()
    assert "Rencontre passée" in past and "Webinaire ODD" not in past
    # Nonsense in the URL is ignored, never an error.
    for nonsense in ({"type": "x", "page": "zz"}, {"theme": "\x00"}, {"groupe": "a\x00b"}):
        assert client.get(reverse("events:list"), nonsense).status_code == 200
    assert client.get(reverse("events:organizations"), {"q": "eau\x00"}).status_code == 200


@pytest.mark.django_db
def test_the_month_view_shows_the_sittings_of_the_month(client):
    event = make_event("formation-cycle", sittings=2)
    first = event.sittings.first()
    local = timezone.localtime(first.starts_at)
    response = client.get(reverse("events:month", args=[local.year, local.month]))
    assert response.status_code == 200
    assert event.title in response.content.decode()
    assert client.get(reverse("events:month", args=[2027, 13])).status_code == 404


@pytest.mark.django_db
def test_the_event_page_shows_times_in_paris_and_in_the_chosen_zone(client):
    event = make_event(
        "atelier-dakar",
        title="Atelier à Dakar",
        time_zone="Africa/Dakar",
        online_url="https://visio.example.org/secret-room",
        capacity=20,
    )
    response = client.get(reverse("events:detail", args=[event.slug]), {"fuseau": "America/Lima"})
    content = response.content.decode()
    # Entered as 14:00 in Dakar (UTC): 15:00 or 16:00 in Paris, 09:00 in Lima.
    assert "(heure de Paris)" in content
    assert "14:00–17:00 — heure locale : Sénégal (Dakar)" in content
    assert "09:00–12:00 — heure locale : Pérou (Lima)" in content
    assert "secret-room" not in content
    assert "20" in content
    draft = make_event("brouillon", status=Event.Status.DRAFT)
    assert client.get(reverse("events:detail", args=[draft.slug])).status_code == 404


@pytest.mark.django_db
def test_a_visitor_registers_with_a_listed_organisation(
    client, smtp_server, django_capture_on_commit_callbacks
):
    event = make_event(capacity=10, online_url="https://visio.example.org/salle")
    organization = make_organization(
        "Association Eau Vive Charente", status=Organization.Status.QUALIFIED
    )
    data = _form_data(
        client,
        event,
        organization_name="Association Eau Vive Charente",
        organization_id=str(organization.pk),
        country=str(Country.objects.get(iso2="SN").pk),
        consent_newsletter="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "est confirmée" in page

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.organization == organization
    assert registration.time_zone == "Africa/Dakar"
    assert registration.country.iso2 == "SN"
    person = registration.person
    assert PersonEmail.objects.get(person=person).address == "awa.diallo@example.org"
    assert person.affiliations.get().organization == organization
    consent = Consent.objects.get(person=person)
    assert (consent.purpose, consent.source, consent.granted) == ("newsletter", "event", True)
    assert "lettre d'info" in consent.wording

    (message,) = smtp_server.messages
    assert message["To"] == "awa.diallo@example.org"
    assert "Votre inscription est confirmée" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "(heure de Paris)" in body
    assert "heure locale : Sénégal (Dakar)" in body
    assert "https://visio.example.org/salle" in body
    manage_link = re.search(r"http\S+/evenements/inscription/\S+/", body).group(0)
    assert str(registration.token) in manage_link
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    (vevent,) = calendar.walk("VEVENT")
    assert "visio.example.org/salle" in str(vevent["LOCATION"])
    sitting = event.sittings.get()
    assert vevent.decoded("DTSTART") == sitting.starts_at


@pytest.mark.django_db
def test_the_same_address_reuses_the_person_of_the_register(client, smtp_server):
    known = make_person("Awa", "Diallo", email="awa.diallo@example.org")
    event = make_event()
    client.post(
        reverse("events:register", args=[event.slug]),
        _form_data(client, event, email="AWA.Diallo@example.org", first_name="Awa"),
    )
    assert Person.objects.count() == 1
    assert Registration.objects.get().person == known


@pytest.mark.django_db
def test_an_unknown_organisation_becomes_a_referencing_request(
    client, smtp_server, django_capture_on_commit_callbacks
):
    event = make_event()
    data = _form_data(client, event, organization_name="Comité de jumelage Saintes–Tombouctou")
    response = client.post(reverse("events:register", args=[event.slug]), data)
    # Without its kind, the form says what to do and keeps what was typed.
    assert response.status_code == 200
    content = response.content.decode()
    assert "n&#x27;est pas encore dans le répertoire" in content
    assert 'value="Comité de jumelage Saintes–Tombouctou"' in content
    assert Registration.objects.count() == 0

    kind = OrganizationKind.objects.get(slug="twinning-committee")
    data["organization_kind"] = str(kind.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    referencing_request = ReferencingRequest.objects.get()
    assert registration.referencing_request == referencing_request
    assert registration.organization is None
    assert referencing_request.name == "Comité de jumelage Saintes–Tombouctou"
    assert referencing_request.kind == kind
    assert referencing_request.requester_email == "awa.diallo@example.org"
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert any("référencement" in s for s in subjects)
    assert any("Votre inscription est confirmée" in s for s in subjects)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("twice", "déjà inscrit"),
        ("full", "complet et n&#x27;a pas de liste d&#x27;attente"),
        ("deadline", "Les inscriptions ont fermé le"),
        ("past", "a déjà commencé ou a eu lieu"),
        ("email", "Saisissez une adresse e-mail valide"),
    ],
)
def test_bad_input_gets_a_french_message_and_keeps_the_form(client, setup, expected):
    fields = {}
    if setup == "full":
        fields = {"capacity": 1, "waiting_list": False}
    if setup == "deadline":
        fields = {"registration_deadline": timezone.now() - datetime.timedelta(hours=2)}
    if setup == "past":
        fields = {"starts_in": datetime.timedelta(days=-2)}
    event = make_event(**fields)
    if setup in ("twice", "full"):
        person = make_person("Awa", email="awa.diallo@example.org")
        if setup == "full":
            person = make_person("Moussa")
        services.registration_create(
            event=event, person=person, email=person.emails.first().address, notify=False
        )
    # The page of a closed event says so and shows no form; a form sent anyway is refused.
    stamp_from = event if setup not in ("deadline", "past", "full") else make_event("autre")
    data = _form_data(client, stamp_from, last_name="Diallo-Traoré")
    if setup == "email":
        data["email"] = "awa.diallo@"
    response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert expected in content
    if setup not in ("deadline", "past", "full"):
        assert 'value="Diallo-Traoré"' in content


@pytest.mark.django_db
def test_spam_protection(client):
    event = make_event()
    data = _form_data(client, event, nickname="buy now")
    response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 302
    assert Registration.objects.count() == 0
    stale = _form_data(client, event, started="forged")
    response = client.post(reverse("events:register", args=[event.slug]), stale)
    assert response.status_code == 200
    assert "envoyé très vite" in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_the_personal_page_cancels_and_promotes(
    client, smtp_server, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, online_url="https://visio.example.org/salle")
    awa, moussa = make_person("Awa"), make_person("Moussa")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_create(event=event, person=awa, email="awa@example.org")
        second = services.registration_create(
            event=event, person=moussa, email="moussa@example.org"
        )
    assert [m["Subject"].split("]")[1].split(":")[0].strip() for m in smtp_server.messages] == [
        "Votre inscription est confirmée",
        "Vous êtes sur liste d'attente",
    ]
    waiting_body = smtp_server.messages[1].get_body(preferencelist=("plain",)).get_content()
    assert "visio.example.org" not in waiting_body
    assert not list(smtp_server.messages[1].iter_attachments())

    url = reverse("events:manage", args=[first.token])
    page = client.get(url).content.decode()
    assert "visio.example.org/salle" in page
    assert "Annuler mon inscription" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"cancel": "1"})
        client.post(url, {"cancel": "1"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert second.status == Registration.Status.CONFIRMED
    promoted = smtp_server.messages[-1]
    assert len(smtp_server.messages) == 3
    assert promoted["To"] == "moussa@example.org"
    assert "Une place vous est attribuée" in promoted["Subject"]
    assert [a.get_content_type() for a in promoted.iter_attachments()] == ["text/calendar"]
    assert (
        client.get(
            reverse("events:manage", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_an_invitation_link_fills_the_address(client):
    event = make_event(registration_rule=Event.RegistrationRule.INVITATION)
    url = services.invitation_url(event, "mariam@example.org")
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert 'value="mariam@example.org"' in page
    token = url.split("invitation=")[1]
    data = _form_data(client, event, email="mariam@example.org", invitation=token)
    response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 302
    other = _form_data(client, event, email="intrus@example.org", invitation=token)
    response = client.post(reverse("events:register", args=[event.slug]), other)
    assert "sur invitation" in response.content.decode()


@pytest.mark.django_db
def test_organisation_suggestions_list_only_listed_organisations(client):
    make_organization("Association Eau Vive Charente", status=Organization.Status.QUALIFIED)
    make_organization("Eau Vive Brouillon", status=Organization.Status.DRAFT)
    data = client.get(reverse("events:organizations"), {"q": "eau vive"}).json()
    assert [o["name"] for o in data["organizations"]] == ["Association Eau Vive Charente"]


@pytest.mark.django_db
def test_the_feed_parses_back(client, django_assert_max_num_queries):
    event = make_event(
        "atelier-dakar",
        sittings=2,
        time_zone="America/Lima",
        online_url="https://visio.example.org/secret-room",
    )
    cancelled = make_event("annule", title="Rencontre annulée", status=Event.Status.CANCELLED)
    make_event("brouillon", status=Event.Status.DRAFT)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("events:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 3
    assert "secret-room" not in response.content.decode()
    by_uid = {str(v["UID"]): v for v in vevents}
    sitting = event.sittings.first()
    vevent = by_uid[f"event-{event.pk}-sitting-{sitting.pk}@127.0.0.1"]
    assert vevent["DTSTART"].params["TZID"] == "America/Lima"
    assert vevent.decoded("DTSTART") == sitting.starts_at
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} >= {"America/Lima"}
    cancelled_sitting = cancelled.sittings.get()
    assert (
        str(by_uid[f"event-{cancelled.pk}-sitting-{cancelled_sitting.pk}@127.0.0.1"]["STATUS"])
        == "CANCELLED"
    )
    # The UIDs do not change from one download to the next.
    again = Calendar.from_ical(client.get(reverse("events:feed")).content)
    assert {str(v["UID"]) for v in again.walk("VEVENT")} == set(by_uid)


@pytest.mark.django_db
def test_pages_query_counts_do_not_grow_with_sittings(client, django_assert_max_num_queries):
    event = make_event("cycle-long", sittings=6, capacity=30)
    event.themes.add(*Theme.objects.all()[:3])
    local = timezone.localtime(event.sittings.first().starts_at)
    with django_assert_max_num_queries(12):
        client.get(reverse("events:detail", args=[event.slug]))
    with django_assert_max_num_queries(8):
        client.get(reverse("events:month", args=[local.year, local.month]))
    with django_assert_max_num_queries(12):
        client.get(reverse("events:register", args=[event.slug]))


@pytest.mark.django_db
def test_nul_bytes_in_the_form_are_refused_politely(client):
    event = make_event()
    data = _form_data(client, event)
    for name in ("first_name", "email", "organization_name", "organization_id", "country"):
        response = client.post(
            reverse("events:register", args=[event.slug]), {**data, name: "a\x00b"}
        )
        assert response.status_code in (200, 302)
    assert client.get(reverse("events:register", args=[event.slug]), {"invitation": "\x00"})
