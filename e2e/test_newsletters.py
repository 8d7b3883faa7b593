"""Subscribing to a letter in the browser: the form, the mail, the confirmation link."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import ensure_reference_data
from observatoire.newsletters.models import Subscription
from observatoire.newsletters.tests.factories import make_list

pytestmark = pytest.mark.browser


def test_subscribe_then_confirm_from_the_mail(page, live_server, settings, smtp_server):
    ensure_reference_data()
    cache.clear()
    settings.REFERENCING_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    make_list("Lettre mensuelle du réseau", is_public=True, description="Une lettre par mois.")

    page.goto("/lettre/")
    assert_accessible(page)
    page.get_by_label("Lettre mensuelle du réseau").check()
    page.get_by_label("Adresse e-mail").fill("awa@")
    page.get_by_role("button", name="S’abonner").click()
    # An invalid address: the error sits under the field, what was typed is kept.
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("awa@")
    assert_accessible(page)

    page.get_by_label("Adresse e-mail").fill("awa.traore@example.org")
    page.get_by_label("Prénom").fill("Awa")
    page.get_by_label(re.compile("m’envoie les listes")).check()
    page.get_by_role("button", name="S’abonner").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()

    (message,) = smtp_server.messages
    assert message["To"] == "awa.traore@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/lettre/confirmer/\S+/", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", name="Votre inscription est confirmée")).to_be_visible()
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED
    page.goto(link)
    expect(page.get_by_role("heading", name="Votre inscription est déjà confirmée")).to_be_visible()


def test_staff_build_a_dynamic_list_with_a_live_count(staff_page):
    from observatoire.newsletters.tests.factories import contact, water_authority

    page = staff_page
    contact(
        water_authority(), "Claire", "Moreau", "claire@begles.fr", main=True, purposes=["mailings"]
    )
    page.get_by_role("link", name="Listes de diffusion").click()
    expect(page.get_by_role("heading", name="Listes de diffusion", level=1)).to_be_visible()
    page.get_by_role("link", name="Nouvelle liste").click()
    page.locator("[name=name]").fill("Collectivités de Gironde — eau")
    page.locator("[name=purpose]").select_option("mailings")
    page.locator("[name=kind]").select_option("dynamic")
    page.locator("[name=filter_family]").select_option("local_authority")
    expect(page.locator("#live-count")).to_contain_text("1 contacts joignables")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Collectivités de Gironde — eau")).to_be_visible()
    expect(page.locator("main")).to_contain_text("claire@begles.fr")
    assert_accessible(page)
