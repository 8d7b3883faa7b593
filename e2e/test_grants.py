"""Staff follow a laureate: a payment over the remainder is refused in French, then recorded."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.grants import services
from observatoire.grants.testing import make_application, make_call

pytestmark = pytest.mark.browser


def test_staff_record_payments_and_create_the_project(staff_page):
    page = staff_page
    application = make_application(
        make_call(), amount="10000", project_title="Pompes solaires à Koudougou"
    )
    grant = services.grant_open(application=application)
    services.instalment_add(
        grant=grant, expected_on="2026-06-01", amount=6000, condition="à la signature"
    )

    page.goto(reverse("grants:call", args=[application.call.slug]))
    assert_accessible(page)
    page.get_by_role("link", name="Pompes solaires à Koudougou").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pompes solaires à Koudougou")

    page.get_by_text("Enregistrer un versement").click()
    page.fill("#id_payment-paid_on", "2026-06-03")
    page.fill("#id_payment-amount", "12000")
    page.get_by_role("button", name="Enregistrer le versement").click()
    error = page.locator("#id_payment-amount_error")
    expect(error).to_contain_text("dépasse le reste à verser")
    expect(page.locator("#id_payment-amount")).to_have_value("12000")
    assert_accessible(page)

    page.fill("#id_payment-amount", "6000")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text("Le versement est enregistré.")).to_be_visible()
    expect(page.get_by_text("reste à verser 4")).to_be_visible()

    page.get_by_role("button", name="Créer le projet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pompes solaires à Koudougou")
