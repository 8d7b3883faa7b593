"""The weekly digest through a real SMTP server: once a week, only what is new, easy to leave."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import free_port
from observatoire.core import periodic
from observatoire.core.testing import make_person
from observatoire.matching import services
from observatoire.matching.models import DigestSending
from observatoire.matching.tasks import send_weekly_digests
from observatoire.organizations.models import Affiliation
from observatoire.organizations.privacy import person_erase, person_personal_data

from .factories import TODAY, make_item, water_in_senegal

pytestmark = pytest.mark.django_db
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


@pytest.fixture
def subscription():
    organization = water_in_senegal()
    return services.digest_subscribe(
        organization=organization,
        address="awa@eauvive.fr",
        wording=services.digest_wording(organization=organization),
    )


@pytest.fixture
def water_call():
    return make_item("Agence de l'eau : appel Afrique", themes=["water-sanitation"], zones=["AF"])


def test_the_digest_is_sent_once_with_the_unsubscribe_headers(
    smtp_server, subscription, water_call
):
    make_item("Réservé aux communes", kinds=["commune"])

    first = services.digest_send_weekly(today=TODAY)
    again = services.digest_send_weekly(today=TODAY + datetime.timedelta(days=2))

    assert (first.sent, again.sent) == (1, 0)
    (message,) = smtp_server.messages
    assert message["To"] == "awa@eauvive.fr"
    assert "Association Eau Vive Charente" in message["Subject"]
    unsubscribe = f"/opportunites/lettre/{subscription.token}/"
    assert (
        message["List-Unsubscribe"].strip().startswith("<http")
        and unsubscribe in (message["List-Unsubscribe"])
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "appel Afrique" in body
        assert "Zone : Afrique" in body
        assert unsubscribe in body
        assert "Réservé aux communes" not in body
    sending = DigestSending.objects.get()
    assert (sending.status, sending.item_count, sending.week) == ("sent", 1, TODAY)


def test_nothing_new_since_the_last_digest_sends_nothing(smtp_server, subscription, water_call):
    services.digest_send_weekly(today=TODAY)

    run = services.digest_send_weekly(today=NEXT_WEEK)

    assert run.nothing_new == 1
    assert len(smtp_server.messages) == 1


def test_the_next_digest_lists_only_what_was_published_since_the_last_one(
    smtp_server, subscription, water_call
):
    services.digest_send_weekly(today=TODAY)
    make_item(
        "Eau potable au Sénégal",
        themes=["water-sanitation"],
        countries=["SN"],
        published_at=timezone.now() + datetime.timedelta(seconds=1),
    )

    services.digest_send_weekly(today=NEXT_WEEK)

    second = smtp_server.messages[1].get_body(("plain",)).get_content()
    assert "Eau potable au Sénégal" in second
    assert "appel Afrique" not in second


def test_no_mail_when_no_opportunity_fits(smtp_server, subscription):
    make_item("Réservé aux communes", kinds=["commune"])

    assert services.digest_send_weekly(today=TODAY).nothing_new == 1
    assert smtp_server.messages == []


def test_an_unsubscribed_address_gets_nothing(smtp_server, subscription, water_call):
    services.digest_unsubscribe(subscription=subscription)

    services.digest_send_weekly(today=TODAY)

    assert smtp_server.messages == []


def test_an_smtp_failure_is_recorded_and_retried_at_the_next_run(
    smtp_server, settings, subscription, water_call, caplog
):
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nobody listens there

    failed = services.digest_send_weekly(today=TODAY)
    settings.EMAIL_PORT = port
    retried = services.digest_send_weekly(today=TODAY)
    third = services.digest_send_weekly(today=TODAY)

    assert (failed.failed, retried.sent, third.sent) == (1, 1, 0)
    assert len(smtp_server.messages) == 1
    sending = DigestSending.objects.get()
    assert (sending.status, sending.attempts) == ("sent", 2)
    assert "awa@eauvive.fr" in caplog.text


def test_a_sending_left_half_done_by_a_killed_worker_is_not_sent_again(
    smtp_server, subscription, water_call
):
    DigestSending.objects.create(subscription=subscription, week=TODAY, status="sending")

    services.digest_send_weekly(today=TODAY)

    assert smtp_server.messages == []


def test_the_task_is_registered_as_a_periodic_sweep():
    assert send_weekly_digests.module_path in {entry.name for entry in periodic.registered()}


def test_the_unsubscribe_link_asks_to_confirm_on_get(client, subscription):
    response = client.get(reverse("matching:unsubscribe", args=[subscription.token]))

    assert response.status_code == 200
    assert "Se désabonner" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None


def test_a_one_click_post_unsubscribes_and_the_address_gets_nothing_more(
    smtp_server, subscription, water_call
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # a mail client has no CSRF token

    response = client.post(
        reverse("matching:unsubscribe", args=[subscription.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "ne recevra plus" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    services.digest_send_weekly(today=TODAY)
    assert smtp_server.messages == []


def test_an_unknown_unsubscribe_token_says_the_link_is_not_valid(client):
    response = client.get(reverse("matching:unsubscribe", args=["inconnu"]))

    assert response.status_code == 404
    assert "pas valide" in response.content.decode()


def test_a_person_s_export_lists_their_subscriptions_and_erasure_ends_them():
    organization = water_in_senegal()
    person = make_person("Awa", "Traoré", email="awa@eauvive.fr")
    Affiliation.objects.create(person=person, organization=organization)
    subscription = services.digest_subscribe(
        organization=organization, address="awa@eauvive.fr", wording="J'accepte."
    )
    assert subscription.person == person

    exported = person_personal_data(person)
    person_erase(person=person)

    assert exported["opportunity_digests"][0]["address"] == "awa@eauvive.fr"
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert "awa" not in subscription.address
    assert subscription.person is None


def test_markup_in_an_item_title_is_shown_as_text_in_the_html_digest(smtp_server, subscription):
    make_item("<script>alert(1)</script> Appel eau", themes=["water-sanitation"], zones=["AF"])

    services.digest_send_weekly(today=TODAY)

    html = smtp_server.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Appel eau" in html
