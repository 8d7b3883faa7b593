"""Staff import an XLSX file in a real browser: upload, map, preview, commit, report."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatoire.core.testing import make_organization
from observatoire.imports.tests.helpers import xlsx_bytes
from observatoire.organizations.models import Organization

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_staff_imports_an_xlsx_through_the_preview(staff_page):
    page = staff_page
    existing = make_organization("Les Amis d'Antsirabe", postal_code="86000")
    rows = [
        ["Raison sociale", "SIRET", "Code postal", "Ville", "Courriel", "Remarque"],
        ["Solidarité Gironde Sénégal", "", "33000", "Bordeaux", "contact@sgs.fr", "x"],
        ["Les Amis d'Antsirabe", "", "86000", "Poitiers", "", ""],
        ["Mauvais SIRET", "12345678901234", "", "", "", ""],
    ]
    page.goto(reverse("admin:imports_importjob_upload"))
    page.select_option("select[name=kind]", "organizations")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "structures.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows)}],
    )
    page.click("input[type=submit]")

    expect(page.locator("#content")).to_contain_text("Étape 2 sur 4")
    # The guesses from the French headers; the unknown column is left out.
    expect(page.locator("select[name=column_0]")).to_have_value("name")
    expect(page.locator("select[name=column_3]")).to_have_value("commune")
    expect(page.locator("select[name=column_5]")).to_have_value("")
    page.fill("input[name=save_as]", "Tableau des partenaires")
    page.click("input[type=submit]")

    expect(page.locator("#content")).to_contain_text("Étape 3 sur 4")
    error_row = page.locator("tr[data-line='4']")
    expect(error_row).to_have_class(re.compile("import-error"))
    expect(error_row).to_contain_text("SIRET")
    duplicate = page.locator("select[name=choice-3]")
    expect(duplicate).to_have_value(f"update:{existing.pk}")
    expect(page.locator("select[name=choice-2]")).to_have_value("create")
    page.click("input[name=commit]")

    expect(page.locator("#import-state")).to_have_text("Terminé")
    expect(page.locator("#import-created")).to_have_text("1")
    expect(page.locator("#import-updated")).to_have_text("1")
    expect(page.locator("#import-skipped")).to_have_text("1")
    with page.expect_download() as download_info:
        page.click("#import-report")
    report = download_info.value.path().read_text(encoding="utf-8-sig")
    assert report.startswith("Ligne;Résultat")
    assert "Mauvais SIRET" in report
    assert Organization.objects.filter(name="Solidarité Gironde Sénégal").exists()
