"""In Chromium: a search with two facets, and the axe-core check of the search pages."""

import re

import pytest
from django.urls import reverse

from e2e.accessibility import assert_accessible
from observatoire.core.testing import ensure_reference_data

pytestmark = pytest.mark.browser


@pytest.fixture
def browsed_network(page):
    ensure_reference_data()
    from observatoire.portal.tests.conftest import build_network

    return build_network()


def test_search_with_two_facets_then_remove_one(page, browsed_network):
    page.goto(reverse("portal:directory"))
    assert_accessible(page)
    page.fill("#search-q", "eau")
    page.check("#f-country-BF")
    page.check("#f-kind-association")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"country=BF"))
    results = page.locator(".result h3")
    assert sorted(results.all_inner_texts()) == ["Eau Vive Gironde", "Écoles du Sahel"]
    assert page.is_checked("#f-country-BF")
    assert page.input_value("#search-q") == "eau"
    # Removing the country filter keeps the words and the other filter.
    page.get_by_role("link", name=re.compile("Burkina Faso")).click()
    page.wait_for_url(lambda url: "country=BF" not in url)
    assert page.input_value("#search-q") == "eau"
    assert page.is_checked("#f-kind-association")
    assert_accessible(page)

    page.goto(reverse("portal:panorama") + "?theme=education")
    assert page.locator(".result h3").all_inner_texts() == ["Cantines scolaires"]
    assert_accessible(page)
