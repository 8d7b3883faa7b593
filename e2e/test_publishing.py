"""An organisation editor publishes a project through moderation, in a real browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import (
    PASSWORD,
    ensure_reference_data,
    make_organization,
    make_person,
    make_user,
)
from observatoire.organizations.models import Affiliation
from observatoire.projects.models import Project

pytestmark = pytest.mark.browser

TITLE = "Potagers scolaires à Tikaré"


def _log_in(page, email: str) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/$"))


def test_an_editor_publishes_a_project_that_staff_approve(page):
    ensure_reference_data()
    organization = make_organization(status="qualified")
    Affiliation.objects.create(
        person=make_person("Awa", "Traoré"), organization=organization, role="Présidente"
    )
    make_user("organization_editor", email="paul.girard@example.org", organization=organization)
    make_user("staff", email="camille.roux@example.org")

    _log_in(page, "paul.girard@example.org")
    page.goto(reverse("projects:create"))
    page.fill("input[name=title]", TITLE)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Le projet a été créé.")

    page.get_by_role("link", name="Mon organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organization.name)
    assert_accessible(page)
    page.get_by_role("button", name=f"Demander la publication de « {TITLE} »").click()
    expect(page.locator(".messages")).to_contain_text("a été demandée")
    expect(page.locator("#projects-title + table")).to_contain_text("En attente de relecture")

    # The organisation space's forms.
    page.get_by_role("link", name="Modifier la fiche").click()
    assert_accessible(page)
    page.goto(reverse("publishing:contacts", args=[organization.pk]))
    assert_accessible(page)
    page.goto(reverse("publishing:event_create", args=[organization.pk]))
    assert_accessible(page)
    page.goto(reverse("publishing:news_create", args=[organization.pk]))
    page.get_by_role("button", name="Envoyer pour relecture").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert_accessible(page)

    # Not online before approval.
    project = Project.objects.get(title=TITLE)
    assert page.goto(reverse("portal:project", args=[project.slug])).status == 404

    page.goto("/")
    page.get_by_role("button", name="Se déconnecter").click()
    _log_in(page, "camille.roux@example.org")
    page.get_by_role("link", name="Modération").click()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approuver et publier").click()
    expect(page.locator(".messages")).to_contain_text("Approuvée")

    page.goto(reverse("portal:project", args=[project.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
