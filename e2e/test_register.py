"""Staff work the register in a real browser: search, open, correct, filter, save, export."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatoire.core.testing import make_organization
from observatoire.referentials.models import Commune

pytestmark = pytest.mark.browser


def test_staff_finds_an_organization_and_a_wrong_siren_is_explained(staff_page):
    page = staff_page
    make_organization(
        "Association Eau Vive Charente",
        acronym="EVC",
        commune=Commune.objects.get(insee_code="16015"),
    )
    make_organization("Ville de Poitiers", kind_slug="commune")
    page.goto(reverse("admin:organizations_organization_changelist"))
    page.fill("#searchbar", "eau vivé")
    page.press("#searchbar", "Enter")
    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Angoulême")
    page.click("#result_list tbody tr th a")

    page.fill("input[name=siren]", "123456789")
    page.fill("input[name=name]", "Eau Vive Charente")
    page.click("input[name=_save]")
    expect(page.locator(".errorlist").first).to_contain_text("SIREN")
    expect(page.locator("input[name=name]")).to_have_value("Eau Vive Charente")
    expect(page.locator("input[name=siren]")).to_have_value("123456789")


def test_staff_filters_saves_the_search_and_exports(staff_page):
    page = staff_page
    make_organization(
        "Ville de Bordeaux", kind_slug="commune", commune=Commune.objects.get(insee_code="33063")
    )
    make_organization("Association Eau Vive Charente")
    page.goto(reverse("admin:organizations_organization_changelist") + "?family=local_authority")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    page.fill("#saved-search-name", "Collectivités")
    page.click(".save-search-form input[type=submit]")
    expect(page.locator(".saved-searches nav")).to_contain_text("Collectivités")

    with page.expect_download() as download_info:
        page.click("a.export-link >> nth=0")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), encoding="utf-8-sig").read()
    assert "Ville de Bordeaux" in content
    assert "Eau Vive" not in content
