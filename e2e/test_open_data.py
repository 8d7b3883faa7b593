"""The open-data page in Chromium: accessible, its columns described, staff regenerate the files."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.opendata.services import open_data_publish
from observatoire.portal.tests.factories import make_listed_organization

pytestmark = pytest.mark.browser


def test_staff_read_the_open_data_page_and_generate_the_files_again(staff_page, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    make_listed_organization()
    open_data_publish()
    page = staff_page

    page.goto(reverse("opendata:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")
    page.locator("summary", has_text="Colonnes de « Organisations »").click()
    expect(page.get_by_role("rowheader", name="departement", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Générer à nouveau les fichiers").click()
    expect(page.get_by_text("Les fichiers vont être générés à nouveau")).to_be_visible()
    expect(page.get_by_role("link", name="organisations.csv")).to_be_visible()
