"""The public pages of an organisation, a project, the events and the groups in Chromium:
axe-core finds no WCAG 2.1 AA violation, and a visitor writes to an organisation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import ensure_reference_data, make_organization
from observatoire.events.tests.factories import make_event
from observatoire.groups.models import Group, GroupMember
from observatoire.organizations.models import InterventionPlace
from observatoire.portal.tests.factories import add_contact, make_listed_organization
from observatoire.projects.models import (
    Project,
    ProjectPartner,
    ProjectPhoto,
    ProjectPlace,
    ProjectUpdate,
)
from observatoire.referentials.models import SDG, Country, Theme

pytestmark = pytest.mark.browser


def _listed_organization():
    organization = make_listed_organization(
        acronym="EVC",
        description="Accès à l'eau potable au Burkina Faso depuis 1998.",
        website="https://eau-vive.example.org",
        public_email="contact@eau-vive.example.org",
    )
    organization.themes.set(Theme.objects.filter(slug="water-sanitation"))
    # Every official colour, so that the contrast of each tile is checked.
    organization.sdgs.set(SDG.objects.all())
    organization.countries.set(Country.objects.filter(iso2__in=["BF", "TG"]))
    InterventionPlace.objects.create(
        organization=organization, name="Dédougou", country=Country.objects.get(iso2="BF")
    )
    add_contact(organization, "Awa", "Traoré", role="Présidente", consent=True)
    return organization


def test_a_visitor_reads_an_organisation_page_and_writes_to_it(page, settings, smtp_server):
    ensure_reference_data()
    settings.REFERENCING_MIN_SECONDS = 0
    organization = _listed_organization()
    page.goto(reverse("portal:organization", args=[organization.slug]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Association Eau Vive Charente")
    expect(page.locator("main")).to_contain_text("Awa Traoré — Présidente")
    assert_accessible(page)

    page.get_by_role("link", name="Écrire à Association Eau Vive Charente").click()
    page.get_by_label("Votre nom").fill("Mariam Diallo")
    page.get_by_label("Votre adresse e-mail").fill("mariam.diallo@")
    page.get_by_label("Objet").fill("Stage au Burkina Faso")
    page.get_by_label("Message").fill("Accueillez-vous des stagiaires cet été ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Message")).to_have_value("Accueillez-vous des stagiaires cet été ?")
    assert_accessible(page)

    page.get_by_label("Votre adresse e-mail").fill("mariam.diallo@example.org")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("heading", name="Message envoyé")).to_be_visible()
    assert "contact@eau-vive.example.org" not in page.content()
    (message,) = smtp_server.messages
    assert message["To"] == "contact@eau-vive.example.org"
    assert message["Reply-To"] == "Mariam Diallo <mariam.diallo@example.org>"


def _jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#0a6e8a").save(buffer, "JPEG")
    return SimpleUploadedFile("borne.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_project_page_is_accessible_with_its_photos(page, settings, tmp_path):
    ensure_reference_data()
    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.create(
        title="Eau potable à Dédougou",
        slug="eau-potable-dedougou",
        summary="Des bornes-fontaines pour trois quartiers.",
        description="Un projet mené avec la commune de Dédougou.",
        phase="implementation",
        is_published=True,
    )
    project.sdgs.set(SDG.objects.filter(number__in=[6, 11, 17]))
    burkina = Country.objects.get(iso2="BF")
    project.countries.set([burkina])
    ProjectPlace.objects.create(project=project, name="Dédougou", country=burkina)
    lead = make_listed_organization()
    ProjectPartner.objects.create(project=project, organization=lead, role="lead")
    ProjectPartner.objects.create(
        project=project,
        organization=make_organization("Commune de Dédougou", kind_slug="commune"),
        role="partner",
    )
    update = ProjectUpdate.objects.create(
        project=project, date="2026-03-01", title="Première borne posée", text="Inaugurée."
    )
    ProjectPhoto.objects.create(update=update, image=_jpeg(), caption="La borne du marché")

    page.goto(reverse("portal:project", args=[project.slug]))
    expect(page.get_by_role("img", name="La borne du marché")).to_be_visible()
    assert page.locator("img").evaluate("img => img.naturalWidth") == 40
    assert_accessible(page)
    page.get_by_role("link", name="Association Eau Vive Charente").click()
    expect(page.locator("main")).to_contain_text("Eau potable à Dédougou")


def test_the_event_and_group_pages_are_accessible(page):
    ensure_reference_data()
    organization = _listed_organization()
    group = Group.objects.create(
        name="Groupe pays Burkina Faso",
        slug="groupe-burkina-faso",
        kind=Group.Kind.COUNTRY,
        summary="Les structures qui agissent au Burkina Faso.",
        is_published=True,
    )
    GroupMember.objects.create(group=group, organization=organization, joined_on="2020-01-01")
    event = make_event(
        "rencontre-burkina",
        title="Rencontre du groupe Burkina Faso",
        group=group,
        summary="Point sur les projets en cours.",
        description="Ordre du jour : les projets d'eau.",
        capacity=30,
    )
    event.partner_organizers.add(organization)
    first_start = event.sittings.get().starts_at

    for url in (
        reverse("events:list"),
        reverse("events:month", args=[first_start.year, first_start.month]),
        reverse("events:detail", args=[event.slug]),
        reverse("events:register", args=[event.slug]),
        reverse("groups:list"),
        reverse("groups:detail", args=[group.slug]),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.get_by_role("link", name="Association Eau Vive Charente").click()
    expect(page.locator("main")).to_contain_text("Groupe pays Burkina Faso")

    # The registration form sent empty: the errors are announced and tied to their fields.
    page.goto(reverse("events:register", args=[event.slug]))
    page.locator("form.registration-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto(reverse("events:list") + "?passes=1&type=training&page=99&inconnu=1")
    assert_accessible(page)
