"""An organisation editor finds the opportunities that fit and subscribes to the digest."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import PASSWORD, ensure_reference_data, make_user

pytestmark = pytest.mark.browser


def test_an_editor_reads_its_matches_and_subscribes_to_the_weekly_digest(page):
    ensure_reference_data()
    from observatoire.matching.tests.factories import make_item, water_in_senegal

    organization = water_in_senegal()
    make_item(
        "Agence de l'eau : appel Afrique", themes=["water-sanitation"], zones=["AF"], days_left=400
    )
    make_user("organization_editor", email="paul.girard@example.org", organization=organization)

    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", "paul.girard@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(reverse("publishing:space", args=[organization.pk]))
    page.get_by_role("link", name="Opportunités qui correspondent").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Opportunités qui correspondent")
    expect(page.locator(".matches")).to_contain_text("Zone : Afrique")
    assert_accessible(page)

    page.get_by_role("button", name="Recevoir la lettre").click()
    expect(page.locator("#digest-form")).to_contain_text("Cochez la case pour accepter")
    assert_accessible(page)
    page.get_by_label(re.compile("J'accepte de recevoir")).check()
    page.get_by_role("button", name="Recevoir la lettre").click()
    expect(page.locator(".messages")).to_contain_text("recevra la lettre chaque semaine")
    expect(page.get_by_role("table")).to_contain_text("paul.girard@example.org")
