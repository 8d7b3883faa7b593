"""Staff reach the observatory from the menu, filter the dashboard without JavaScript tricks,
and both pages pass the accessibility checks."""

import re

import pytest
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import make_organization
from observatoire.organizations.models import Organization
from observatoire.referentials.models import SDG, Commune, Country

pytestmark = pytest.mark.browser


def test_staff_read_and_filter_the_dashboard_then_the_barometers(staff_page):
    page = staff_page
    bordeaux = Commune.objects.get(insee_code="33063")
    eau_vive = make_organization(
        "Eau Vive Gironde", commune=bordeaux, status=Organization.Status.QUALIFIED
    )
    eau_vive.sdgs.set(SDG.objects.filter(number__in=[6, 13]))
    eau_vive.countries.set(Country.objects.filter(iso2="BF"))

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Observatoire"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord de l’observatoire")
    listed = page.get_by_role("row", name="Structures référencées", exact=False).first
    expect(listed).to_contain_text("1")

    page.get_by_label("Département").select_option("33")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"departement=33"))
    expect(page.get_by_label("Département")).to_have_value("33")
    assert_accessible(page)

    page.get_by_role("link", name="Baromètres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Baromètres de l’observatoire")
    expect(page.locator("[data-map='countries']")).to_have_attribute("data-ready", "drawn")
    expect(page.locator("[data-map='countries']")).to_have_attribute("data-coloured", "1")
    assert "departement=33" in page.url
    assert_accessible(page)
