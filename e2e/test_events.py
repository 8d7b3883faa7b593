"""Events in a real browser: a visitor takes the last place, another waits, a cancellation
frees the place and the one waiting gets it; every mail goes through a real SMTP server."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from observatoire.core.testing import ensure_reference_data
from observatoire.events import services
from observatoire.events.models import Registration
from observatoire.events.tests.factories import make_event, make_person

pytestmark = pytest.mark.browser


def _register(page, *, first_name, last_name, email):
    page.goto(reverse("events:list"))
    page.get_by_role("link", name="Formation : monter un projet de solidarité").click()
    expect(page.locator("main")).to_contain_text("(heure de Paris)")
    page.locator(".register-box a.button").click()
    page.get_by_label("Prénom").fill(first_name)
    page.locator("#id_last_name").fill(last_name)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Votre fuseau horaire").select_option("Africa/Dakar")


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_cancellation_gives_the_place_to_the_visitor_waiting(
    page, browser, live_server, settings, smtp_server
):
    ensure_reference_data()
    cache.clear()
    settings.REFERENCING_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    event = make_event(
        "formation-monter-un-projet",
        title="Formation : monter un projet de solidarité",
        capacity=2,
        online_url="https://visio.example.org/formation-projet",
    )
    services.registration_create(
        event=event, person=make_person("Claire"), email="claire@example.org", notify=False
    )

    # The first visitor takes the last place.
    _register(page, first_name="Mariam", last_name="Diallo", email="mariam.diallo@example.org")
    expect(page.locator("main")).to_contain_text("1 place restante")
    page.get_by_role("button", name="S'inscrire", exact=True).click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    expect(page.locator("main")).to_contain_text("est confirmée")
    (confirmation,) = smtp_server.messages
    assert confirmation["To"] == "mariam.diallo@example.org"
    assert "Votre inscription est confirmée" in confirmation["Subject"]
    assert [a.get_content_type() for a in confirmation.iter_attachments()] == ["text/calendar"]

    # The second visitor, in another browser, finds the event full and waits.
    other = browser.new_context(base_url=live_server.url, locale="fr-FR")
    other.set_default_timeout(10_000)
    second = other.new_page()
    try:
        _register(second, first_name="Kossi", last_name="Mensah", email="kossi.mensah@example.org")
        expect(second.locator("main")).to_contain_text("L'événement est complet")
        second.get_by_role("button", name="S'inscrire sur liste d'attente").click()
        expect(second.locator("main")).to_contain_text("vous êtes sur liste d'attente")
    finally:
        other.close()
    assert len(smtp_server.messages) == 2
    assert "liste d'attente" in smtp_server.messages[1]["Subject"]
    assert smtp_server.messages[1]["To"] == "kossi.mensah@example.org"

    # The first cancels through the link of her e-mail.
    link = re.search(r"http://\S+/evenements/inscription/\S+/", _body(confirmation)).group(0)
    page.goto(link)
    expect(page.locator("main")).to_contain_text("Confirmée")
    # Times in Paris and in the zone she chose.
    expect(page.locator("main")).to_contain_text("heure locale : Sénégal (Dakar)")
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator(".messages")).to_contain_text("Votre inscription est annulée")
    expect(page.locator("main")).to_contain_text("Annulé")

    # The one waiting gets the place, and the e-mail saying so with the calendar file.
    assert len(smtp_server.messages) == 3
    promoted = smtp_server.messages[2]
    assert promoted["To"] == "kossi.mensah@example.org"
    assert "Une place vous est attribuée" in promoted["Subject"]
    assert "visio.example.org/formation-projet" in _body(promoted)
    assert [a.get_content_type() for a in promoted.iter_attachments()] == ["text/calendar"]
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "claire@example.org": "confirmed",
        "mariam.diallo@example.org": "cancelled",
        "kossi.mensah@example.org": "confirmed",
    }
