"""Staff compose a campaign in the rich-text editor, preview it at both widths and test-send it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.newsletters.models import MailingList

pytestmark = pytest.mark.browser


def test_staff_compose_preview_and_test_send_a_campaign(staff_page, smtp_server):
    page = staff_page
    MailingList.objects.create(name="Lettre du réseau", slug="lettre", purpose="newsletter")

    page.goto(reverse("campaigns_staff:create"))
    assert_accessible(page)
    page.get_by_label("Nom", exact=False).first.fill("Lettre de mai")
    page.get_by_label("Objet").fill("La lettre du réseau — mai")
    page.get_by_label("Lettre du réseau").check()
    editor = page.locator("trix-editor")
    expect(editor).to_be_visible()  # Trix replaced the plain textarea
    editor.click()
    page.keyboard.type("Bonjour {{ prenom }}, voici les appels du mois.")
    page.get_by_label("Ajouter les appels à projets ouverts").check()
    page.get_by_role("button", name="Enregistrer et voir l'aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Aperçu")
    desktop, mobile = page.locator("iframe.preview-desktop"), page.locator("iframe.preview-mobile")
    expect(desktop).to_be_visible()
    expect(mobile).to_be_visible()
    assert desktop.bounding_box()["width"] > mobile.bounding_box()["width"]
    # The preview is the message as sent, for the sample recipient.
    assert "Bonjour Camille, voici les appels du mois." in mobile.get_attribute("srcdoc")
    assert_accessible(page, exclude=["iframe"])

    page.get_by_label("Envoyer un test à").fill("claire.martin@example.org")
    page.get_by_role("button", name="Envoyer le test").click()

    expect(page.get_by_text("Test envoyé à claire.martin@example.org.")).to_be_visible()
    [message] = smtp_server.messages
    assert message["Subject"] == "[TEST] La lettre du réseau — mai"
    assert (
        "Bonjour Camille, voici les appels du mois." in message.get_body(("plain",)).get_content()
    )

    # The campaign's page and the list, with their statistics, pass the same checks.
    page.get_by_role("link", name="Lettre de mai").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lettre de mai")
    expect(page.get_by_role("button", name="Confirmer l'envoi")).to_be_visible()
    assert_accessible(page)
    page.goto(reverse("campaigns_staff:list"))
    expect(page.get_by_role("link", name="Lettre de mai")).to_be_visible()
    assert_accessible(page)
