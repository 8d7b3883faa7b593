"""Calls for proposals in a real browser: an organisation finds itself, fills, attaches, submits."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.calls.models import Application
from observatoire.calls.testing import PDF_BYTES, listed_organization, make_call
from observatoire.core.testing import ensure_reference_data

pytestmark = pytest.mark.browser


def test_an_applicant_applies_with_a_pdf_and_gets_the_mail(
    page, live_server, settings, smtp_server, tmp_path
):
    ensure_reference_data()
    settings.SITE_URL = live_server.url
    settings.CALLS_ATTACHMENTS_ROOT = tmp_path
    call = make_call(title="Fonds micro-projets 2027")
    listed_organization("Association Eau Vive Charente")
    pdf = tmp_path / "presentation.pdf"
    pdf.write_bytes(PDF_BYTES)

    page.goto(reverse("calls:list"))
    page.get_by_role("link", name="Fonds micro-projets 2027").click()
    expect(page.locator("main")).to_contain_text("heure de Paris")
    assert_accessible(page)
    page.get_by_role("link", name="Déposer une candidature").click()

    page.get_by_label("Nom, SIREN ou numéro RNA de votre structure").fill("eau vive")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("C'est nous")).click()
    page.get_by_label("Votre nom").fill("Marie Dupont")
    page.get_by_label("Votre adresse e-mail").fill("marie@eauvive.example.org")
    page.get_by_label("Titre du projet").fill("Forages solaires à Koudougou")
    page.get_by_role("button", name="Commencer la candidature").click()
    expect(page.locator(".messages")).to_contain_text("Votre candidature est commencée")
    (resume,) = smtp_server.messages
    assert "/appels/candidature/" in resume.get_content()

    # An error first (too many words): what was typed stays.
    page.get_by_label("Résumé du projet").fill(
        "un deux trois quatre cinq six sept huit neuf dix onze"
    )
    page.get_by_label("Montant demandé").fill("4 500")
    page.get_by_label("Zone").select_option("Afrique")
    page.get_by_label("Présentation (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator(".field-error").first).to_contain_text("11 mots")
    expect(page.get_by_label("Montant demandé")).to_have_value("4 500")
    assert_accessible(page)

    page.get_by_label("Résumé du projet").fill("Des forages pour trois villages")
    page.get_by_label("Présentation (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator(".messages")).to_contain_text("Votre candidature a été déposée")
    application = Application.objects.get(call=call)
    assert application.status == Application.Status.SUBMITTED
    assert application.submissions.get().attachments.get().original_name == "presentation.pdf"
    confirmation = smtp_server.messages[-1]
    assert "Candidature reçue" in confirmation["Subject"]
    assert "Des forages pour trois villages" in confirmation.get_content()
