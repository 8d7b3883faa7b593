"""The contact form of an organisation: spam protection, errors, and the mail really sent."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from observatoire.core.antispam import TIMESTAMP_SALT

from .factories import add_contact, make_listed_organization

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "contact@eau-vive.example.org"


@pytest.fixture
def listed():
    return make_listed_organization(public_email=SECRET_ADDRESS)


@pytest.fixture(autouse=True)
def _no_delay(settings):
    settings.REFERENCING_MIN_SECONDS = 0


def _url(organization):
    return reverse("portal:organization_contact", args=[organization.slug])


def _data(**overrides):
    data = {
        "name": "Mariam Diallo",
        "email": "mariam.diallo@example.org",
        "subject": "Stage au Burkina Faso",
        "message": "Bonjour,\nAccueillez-vous des stagiaires cet été ?",
        "nickname": "",
        # The form was shown a minute ago: not “too fast”.
        "started": signing.dumps(int(time.time()) - 60, salt=TIMESTAMP_SALT),
    }
    data.update(overrides)
    return data


def test_the_message_reaches_the_public_address_with_reply_to_the_sender(
    client, listed, smtp_server
):
    response = client.post(_url(listed), _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:organization_contact_sent", args=[listed.slug])
    (message,) = smtp_server.messages
    assert message["To"] == SECRET_ADDRESS
    assert message["Reply-To"] == "Mariam Diallo <mariam.diallo@example.org>"
    assert "Réseau régional Nouvelle-Aquitaine" in message["Subject"]
    assert message["From"].addresses[0].display_name == "Réseau régional Nouvelle-Aquitaine"
    assert "Stage au Burkina Faso" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Accueillez-vous des stagiaires" in body
    assert "mariam.diallo@example.org" in body
    confirmation = client.get(response["Location"]).content.decode()
    assert SECRET_ADDRESS not in confirmation


def test_without_public_address_the_main_contact_receives_it(client, smtp_server):
    organization = make_listed_organization()
    add_contact(organization, "Awa", "Traoré", main=True, email="awa.traore@example.org")
    page = client.get(_url(organization)).content.decode()
    assert "awa.traore@example.org" not in page
    client.post(_url(organization), _data())
    (message,) = smtp_server.messages
    assert message["To"] == "awa.traore@example.org"


def test_no_address_is_ever_shown_on_the_pages(client, listed):
    for url in (reverse("portal:organization", args=[listed.slug]), _url(listed)):
        assert SECRET_ADDRESS not in client.get(url).content.decode()


def test_an_organisation_without_any_address_points_to_the_network(client, settings, smtp_server):
    organization = make_listed_organization()
    page = client.get(_url(organization)).content.decode()
    assert settings.NETWORK_CONTACT_EMAIL in page
    assert 'name="message"' not in page
    response = client.post(_url(organization), _data())
    assert response.status_code == 200
    assert smtp_server.messages == []
    organization_page = client.get(reverse("portal:organization", args=[organization.slug]))
    assert _url(organization) not in organization_page.content.decode()


def test_the_honeypot_pretends_success_and_sends_nothing(client, listed, smtp_server):
    response = client.post(_url(listed), _data(nickname="bot"))
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_a_form_sent_too_fast_is_shown_again_with_what_was_typed(
    client, listed, settings, smtp_server
):
    settings.REFERENCING_MIN_SECONDS = 5
    just_shown = client.get(_url(listed)).context["form"]["started"].value()
    response = client.post(_url(listed), _data(started=just_shown))
    assert response.status_code == 200
    assert smtp_server.messages == []
    html = response.content.decode()
    assert "envoyé très vite" in html
    assert "Stage au Burkina Faso" in html


def test_too_many_messages_from_one_address_are_refused(client, listed, settings, smtp_server):
    settings.REFERENCING_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(_url(listed), _data()).status_code == 302
    response = client.post(_url(listed), _data())
    assert response.status_code == 429
    assert len(smtp_server.messages) == 2
    assert "Accueillez-vous des stagiaires" in response.content.decode()


def test_a_bad_email_and_a_long_message_give_french_errors_tied_to_fields(
    client, listed, smtp_server
):
    response = client.post(_url(listed), _data(email="mariam@", message="x" * 5001, subject=""))
    assert response.status_code == 200
    assert smtp_server.messages == []
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_message_error"' in html
    assert 'id="id_subject_error"' in html
    assert 'value="mariam@"' in html
    assert "Mariam Diallo" in html


def test_a_header_injection_in_the_name_stays_on_one_line(client, listed, smtp_server):
    client.post(_url(listed), _data(name="Mariam\r\nBcc: victim@example.org"))
    (message,) = smtp_server.messages
    assert message["Bcc"] is None
    assert "victim@example.org" in message["Reply-To"]
    assert "\n" not in message["Reply-To"]


def test_an_unlisted_organisation_has_no_contact_form(client, db):
    organization = make_listed_organization()
    organization.status = "draft"
    organization.save()
    assert client.get(_url(organization)).status_code == 404
