"""The map page in Chromium with no tile server: outlines, markers, filters, accessibility."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.maps.tests.register import build_register

pytestmark = pytest.mark.browser


def test_maps_draw_on_shipped_outlines_and_follow_the_filters(page, settings):
    settings.MAP_TILE_URL = ""
    build_register()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(reverse("maps:index"))

    organizations = page.locator('[data-map="organizations"]')
    expect(organizations).to_have_attribute("data-ready", "drawn")
    expect(organizations).to_have_attribute("data-points", "3")
    # No tiles: the outlines are the base layer, and markers sit on them.
    assert page.locator("#organisations .leaflet-tile").count() == 0
    assert page.locator("#organisations .leaflet-overlay-pane path").count() > 50
    assert page.locator("#organisations .leaflet-marker-icon").count() >= 1

    countries = page.locator('[data-map="countries"]')
    expect(countries).to_have_attribute("data-ready", "drawn")
    expect(countries).to_have_attribute("data-coloured", "2")  # Burkina Faso and Morocco
    assert page.locator('#pays path[fill="#deebf7"], #pays path[fill="#08519c"]').count() >= 1
    page.get_by_role("button", name="Projets").click()
    expect(countries).to_have_attribute("data-subject", "projects")
    expect(page.locator('[data-map="partnerships"]')).to_have_attribute("data-lines", "1")
    expect(page.locator('[data-map="departements"]')).to_have_attribute("data-ready", "drawn")
    expect(page.locator('[data-map="projects"]')).to_have_attribute("data-points", "1")

    # The tables say the same without the maps.
    table = page.get_by_role("table", name="Structures par département")
    expect(table.get_by_role("row", name=re.compile(r"^(86 )?Vienne"))).to_contain_text("2")

    # A popup links to the organisation's page.
    page.locator("select[name=country]").select_option("MA")
    expect(page).to_have_url(re.compile(r"country=MA"))
    expect(organizations).to_have_attribute("data-points", "1")
    page.locator("#organisations .leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text("Ville de Poitiers")

    # The embed code follows the filters, and copies with one button.
    expect(page.locator("#embed-map")).to_contain_text("/widget/carte/?country=MA")
    page.get_by_role("button", name="Copier le code").first.click()
    expect(page.locator("#embed-status")).to_have_text("Code copié.")
    assert_accessible(page)

    # The widget another site frames: the same map, minimal chrome, still accessible.
    page.goto(reverse("maps:widget_map") + "?country=BF")
    expect(page.locator('[data-map="organizations"]')).to_have_attribute("data-points", "2")
    assert_accessible(page)
    assert errors == []
