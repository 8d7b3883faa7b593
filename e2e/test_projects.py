"""A project moves from emergence to implementation through its checklist, in a real browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatoire.projects.models import Phase, Project

pytestmark = pytest.mark.browser


def _tick_every_entry(page, phase: str) -> None:
    section = page.locator(f"#phase-{phase}")
    buttons = section.get_by_role("button", name=re.compile("^Cocher"))
    remaining = buttons.count()
    while remaining:
        buttons.first.click()
        remaining -= 1
        # Each tick reloads the page: wait for it before the next one.
        expect(buttons).to_have_count(remaining)


def test_staff_take_a_project_from_emergence_to_implementation(staff_page):
    page = staff_page
    page.goto(reverse("projects:list"))
    page.get_by_role("link", name="Nouveau projet").click()
    page.fill("input[name=title]", "Eau potable à Dédougou")
    page.fill("input[name=planned_start]", "2026-03-01")
    page.fill("input[name=planned_end]", "2026-01-31")
    page.get_by_role("button", name="Enregistrer").click()
    # The end before the start is explained, and the title typed is kept.
    expect(page.locator(".field-error").first).to_contain_text("La fin prévue précède le début")
    expect(page.locator("input[name=title]")).to_have_value("Eau potable à Dédougou")
    page.fill("input[name=planned_end]", "2027-12-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Le projet a été créé.")
    project = Project.objects.get()

    page.get_by_role("link", name="Étapes", exact=True).click()
    expect(page.locator("#lacking-title")).to_be_visible()
    # Moving on with entries missing shows what is missing first.
    page.get_by_role("button", name="Passer à la phase « Construction »").click()
    warning = page.locator("#phase-warning")
    expect(warning).to_contain_text("Enjeux partagés")
    project.refresh_from_db()
    assert project.phase == Phase.EMERGENCE

    _tick_every_entry(page, "emergence")
    expect(page.locator("#phase-emergence")).to_contain_text("4 sur 4 faites")
    page.get_by_role("button", name="Passer à la phase « Construction »").click()
    expect(page.locator(".messages")).to_contain_text("en phase « Construction »")
    expect(page.locator("#phase-construction")).to_contain_text("Convention de partenariat")

    _tick_every_entry(page, "construction")
    page.get_by_role("button", name="Passer à la phase « Mise en œuvre »").click()
    expect(page.locator(".project-phase")).to_contain_text("Mise en œuvre")
    expect(page.locator("#phase-implementation")).to_contain_text("Capitalisation")

    project.refresh_from_db()
    assert project.phase == Phase.IMPLEMENTATION
    assert project.checklist.filter(done_on__isnull=True, phase="construction").count() == 0
    reasons = [row.history_change_reason for row in project.history.all()]
    assert "phase: construction → implementation" in reasons
