"""Staff build the annual report from the default template in a browser and publish it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import make_organization
from observatoire.organizations.models import Organization
from observatoire.reports.models import AnnualReport

pytestmark = pytest.mark.browser


def test_staff_reorder_publish_and_read_the_annual_report(staff_page):
    page = staff_page
    year = timezone.localdate().year
    make_organization("Eau Vive Gironde", status=Organization.Status.QUALIFIED)

    page.goto(reverse("reports:list"))
    page.get_by_label("Année").fill(str(year))
    page.get_by_role("button", name="Créer le rapport").click()
    expect(page.locator("h1")).to_have_text(f"Rapport annuel {year}")
    assert_accessible(page)

    # The second section goes first, without JavaScript.
    page.get_by_role("button", name="Monter Structures et adhérents").click()
    expect(page.locator(".report-editor-section h2").first).to_contain_text(
        "Structures et adhérents"
    )
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".messages")).to_contain_text("Le rapport est publié")
    assert AnnualReport.objects.get().is_published

    page.goto(reverse("annual_report:public", args=[year]))
    expect(page.locator("h1")).to_have_text(f"Rapport annuel {year}")
    figure = page.locator(".report-figure", has_text="Structures référencées").first
    expect(figure.locator("dd")).to_have_text("1")
    expect(page.locator(".report-section h2").first).to_have_text("Structures et adhérents")
    assert_accessible(page)
