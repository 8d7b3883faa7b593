"""Referencing in a real browser: an anonymous visitor asks to be listed, staff qualify."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from observatoire.core.testing import PASSWORD, ensure_reference_data, make_organization, make_user
from observatoire.organizations.models import Consent, Organization
from observatoire.referencing.models import ReferencingRequest
from observatoire.referentials.models import Commune
from observatoire.referentials.selectors import communes_index_clear

pytestmark = pytest.mark.browser


def test_a_visitor_is_listed_after_confirming_and_staff_qualifying(page, live_server, settings):
    ensure_reference_data()
    communes_index_clear()  # the communes were reloaded: their ids changed
    cache.clear()
    settings.REFERENCING_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    make_organization(
        "Les Amis de Kalo Diarra",
        status=Organization.Status.QUALIFIED,
        commune=Commune.objects.get(insee_code="86194"),
    )
    staff = make_user("staff", email="camille.roux@example.org")

    page.goto(reverse("core:home"))
    page.get_by_role("link", name="Demander le référencement").first.click()
    expect(page).to_have_url(re.compile(r"/referencement/$"))

    page.get_by_label("Nom de la structure").fill("Association Kalo Diarra")
    # While typing, listed organisations with a similar name are suggested.
    expect(page.locator(".live-matches")).to_contain_text("Les Amis de Kalo Diarra")
    page.get_by_label("Type de structure").select_option(label="Association")
    page.get_by_label("Numéro RNA").fill("W332001234")
    page.get_by_label("Code postal et commune").fill("Bordeaux 33000")
    # A wrong SIREN first: the error is explained and nothing typed is lost.
    page.get_by_label("SIREN", exact=False).first.fill("123456789")
    water = page.get_by_label("Eau, assainissement et hygiène")
    water.focus()
    page.keyboard.press("Space")
    expect(water).to_be_checked()
    page.get_by_label("Mali", exact=True).check()
    page.locator("#id_contacts-0-first_name").fill("Mariam")
    page.locator("#id_contacts-0-last_name").fill("Diallo")
    page.locator("#id_contacts-0-job_title").fill("Présidente")
    page.locator("#id_contacts-0-email").fill("mariam.diallo@example.org")
    page.get_by_label("J'accepte que mon nom").check()
    page.get_by_label("Je souhaite recevoir la lettre").check()
    page.get_by_label("Votre adresse e-mail").fill("mariam.diallo@example.org")
    page.get_by_role("button", name="Envoyer la demande", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("SIREN")
    siren = page.locator("#id_siren")
    expect(siren).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Nom de la structure")).to_have_value("Association Kalo Diarra")
    expect(page.get_by_label("Eau, assainissement et hygiène")).to_be_checked()
    summary.get_by_role("link").first.click()
    siren.fill("")

    page.get_by_role("button", name="Envoyer la demande", exact=True).click()
    matches = page.locator("#matches")
    expect(matches).to_be_visible()
    expect(matches).to_contain_text("Les Amis de Kalo Diarra")
    expect(matches).to_contain_text("Poitiers")
    page.get_by_label("Aucune de celles-ci").check()
    page.get_by_role("button", name="Confirmer et envoyer la demande").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    expect(page.locator("main")).to_contain_text("mariam.diallo@example.org")

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/confirmer/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer ma demande").click()
    expect(page.locator(".messages")).to_contain_text("votre adresse est confirmée")
    expect(page.locator("main")).to_contain_text("Nouvelle")
    referencing_request = ReferencingRequest.objects.get()
    assert referencing_request.email_confirmed_at is not None
    assert referencing_request.target_organization is None

    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(reverse("admin:referencing_referencingrequest_changelist") + "?queue=new")
    page.get_by_role("link", name="Association Kalo Diarra").click()
    expect(page.locator("#content-main")).to_contain_text("Les Amis de Kalo Diarra")
    page.get_by_role("button", name="Qualifier comme nouvelle structure").click()
    expect(page.locator(".messagelist")).to_contain_text("qualifiée")

    organization = Organization.objects.get(name="Association Kalo Diarra")
    assert organization.status == Organization.Status.QUALIFIED
    assert organization.commune.insee_code == "33063"
    assert list(organization.themes.values_list("slug", flat=True)) == ["water-sanitation"]
    person = organization.people.get()
    assert (person.first_name, person.last_name) == ("Mariam", "Diallo")
    assert set(person.consents.values_list("purpose", flat=True)) == {
        Consent.Purpose.DIRECTORY,
        Consent.Purpose.NEWSLETTER,
    }
    assert Organization.objects.count() == 2
