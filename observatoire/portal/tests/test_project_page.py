"""The public page of a project: only published projects, fields by their visibility."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.finance.models import FunderKind, Funding
from observatoire.partnerships.models import Partnership
from observatoire.portal import records
from observatoire.projects.models import (
    Project,
    ProjectPartner,
    ProjectPhoto,
    ProjectPlace,
    ProjectUpdate,
)
from observatoire.referentials.models import SDG, Country, Theme

from .factories import make_listed_organization, make_member

pytestmark = pytest.mark.django_db


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#0a6e8a").save(buffer, "JPEG")
    return SimpleUploadedFile("borne.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def project(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.create(
        title="Eau potable à Dédougou",
        slug="eau-potable-dedougou",
        acronym="EPD",
        summary="Des bornes-fontaines pour trois quartiers.",
        description="Un projet mené avec la commune.\nDeuxième ligne.",
        phase="implementation",
        is_published=True,
    )
    project.themes.set(Theme.objects.filter(slug="water-sanitation"))
    project.sdgs.set(SDG.objects.filter(number=6))
    burkina = Country.objects.get(iso2="BF")
    project.countries.set([burkina])
    ProjectPlace.objects.create(project=project, name="Dédougou", country=burkina)
    lead = make_listed_organization("Association Eau Vive Charente")
    foreign = make_organization("Commune de Dédougou", kind_slug="commune")
    ProjectPartner.objects.create(project=project, organization=foreign, role="beneficiary")
    ProjectPartner.objects.create(project=project, organization=lead, role="lead")
    agency = make_organization("Agence de l'eau Adour-Garonne")
    Funding.objects.create(
        project=project,
        funder=agency,
        funder_kind=FunderKind.WATER_AGENCY,
        requested=Decimal("30000"),
        granted=Decimal("25000"),
    )
    public = ProjectUpdate.objects.create(
        project=project, date="2026-03-01", title="Première borne posée", text="Inaugurée."
    )
    ProjectPhoto.objects.create(update=public, image=_jpeg(), caption="La borne du marché")
    internal = ProjectUpdate.objects.create(
        project=project, date="2026-03-02", title="Note interne", text="Retards.", is_public=False
    )
    ProjectPhoto.objects.create(update=internal, image=_jpeg(), caption="Chantier")
    return project


def _page(client, project):
    return client.get(reverse("portal:project", args=[project.slug]))


def test_the_public_sees_the_published_fields(client, project):
    response = _page(client, project)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Eau potable à Dédougou",
        "(EPD)",
        "Des bornes-fontaines pour trois quartiers.",
        "Un projet mené avec la commune.<br>Deuxième ligne.",
        "Mise en œuvre",
        "ODD 6",
        "Burkina Faso",
        "Dédougou",
        "Commune de Dédougou",
        "Agence de l&#x27;eau Adour-Garonne",
        "Première borne posée",
        'alt="La borne du marché"',
    ):
        assert text in html, text
    lead = project.partners.get(role="lead").organization
    assert reverse("portal:organization", args=[lead.slug]) in html
    # The lead partner comes first; a partner outside the directory has no link.
    assert html.index("Association Eau Vive Charente") < html.index("Commune de Dédougou")
    assert "Commune de Dédougou</a>" not in html
    # The budget is for members by default, the internal update is not public.
    assert "25 000" not in html and "25000" not in html
    assert "Note interne" not in html


def test_a_hidden_description_is_absent(client, project):
    project.field_visibility = {"description": "staff", "partners": "members"}
    project.save()
    html = _page(client, project).content.decode()
    assert "Un projet mené avec la commune" not in html
    assert "Commune de Dédougou" not in html
    # Title, phase, themes, SDGs and countries stay public whatever the settings.
    assert "Eau potable à Dédougou" in html and "ODD 6" in html and "Burkina Faso" in html


def test_members_see_the_funding_granted(client, project):
    member = make_listed_organization("Comité de jumelage Niort–Atakpamé")
    make_member(member)
    client.force_login(make_user(Role.ORGANIZATION_EDITOR, organization=member))
    assert "25 000" in _page(client, project).content.decode().replace("\u202f", " ").replace(
        "\xa0", " "
    )


def test_an_unpublished_project_is_not_found(client, project):
    Project.objects.filter(pk=project.pk).update(is_published=False)
    assert _page(client, project).status_code == 404
    assert client.get("/projets/inconnu/").status_code == 404


def _photo_url(project, caption):
    photo = ProjectPhoto.objects.get(caption=caption)
    return reverse("portal:project_photo", args=[project.slug, photo.pk])


def test_the_photo_of_a_public_update_is_served(client, project):
    response = client.get(_photo_url(project, "La borne du marché"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_the_photo_of_a_non_public_update_is_not_found(client, project):
    assert client.get(_photo_url(project, "Chantier")).status_code == 404


def test_photos_are_not_found_when_updates_are_not_public(client, project):
    project.field_visibility = {"updates": "members"}
    project.save()
    assert client.get(_photo_url(project, "La borne du marché")).status_code == 404
    assert "Première borne posée" not in _page(client, project).content.decode()


def test_photos_of_an_unpublished_project_are_not_found(client, project):
    url = _photo_url(project, "La borne du marché")
    Project.objects.filter(pk=project.pk).update(is_published=False)
    assert client.get(url).status_code == 404


def test_the_partnership_of_the_project_is_shown_when_public(client, project):
    french = make_listed_organization("Ville de Niort", kind_slug="commune")
    foreign = make_organization("Commune d'Atakpamé", kind_slug="commune")
    project.partnership = Partnership.objects.create(
        french_authority=french, foreign_authority=foreign, since_year=2005
    )
    project.save()
    html = _page(client, project).content.decode()
    assert "Ville de Niort" in html and "2005" in html
    # The French authority's page names the partnership and links to none but listed records.
    html = client.get(reverse("portal:organization", args=[french.slug])).content.decode()
    assert "Commune d&#x27;Atakpamé" in html and "Coopération décentralisée" in html


def test_the_page_reads_a_bounded_number_of_queries(client, project, django_assert_max_num_queries):
    for index in range(5):
        update = ProjectUpdate.objects.create(
            project=project, date="2026-04-01", title=f"Nouvelle {index}", text="…"
        )
        ProjectPhoto.objects.create(update=update, image=_jpeg(), caption=f"Photo {index}")
    with django_assert_max_num_queries(11):  # with its map
        assert _page(client, project).status_code == 200


def test_what_the_page_shows_costs_as_many_queries_in_a_larger_register(
    project, django_assert_max_num_queries
):
    def grow(start: int) -> None:
        """More partners, places and updates on the page, and more projects around it."""
        burkina = Country.objects.get(iso2="BF")
        for index in range(start, start + 4):
            partner = make_listed_organization(f"Association partenaire {index}")
            ProjectPartner.objects.create(project=project, organization=partner, role="partner")
            ProjectPlace.objects.create(project=project, name=f"Quartier {index}", country=burkina)
            ProjectUpdate.objects.create(
                project=project, date="2026-04-01", title=f"Nouvelle {index}", text="…"
            )
            Project.objects.create(title=f"Autre {index}", slug=f"autre-{index}", is_published=True)

    grow(0)
    with django_assert_max_num_queries(11) as small:
        records.project_page(project, audience="public")
    count = len(small.captured_queries)
    grow(4)
    with django_assert_max_num_queries(count):
        page = records.project_page(project, audience="public")
    assert len(page["places"]) == 9 and len(page["updates"]) == 9


def test_an_edit_shows_at_once_on_the_cached_page(client, project, django_assert_max_num_queries):
    _page(client, project)
    with django_assert_max_num_queries(4):  # the project, the cache's version and entry
        assert "Première borne posée" in _page(client, project).content.decode()
    photo = ProjectPhoto.objects.get(caption="La borne du marché")
    photo.caption = "La borne de la gare"
    photo.save()
    project.title = "Eau potable à Dédougou et Safané"
    project.save()
    html = _page(client, project).content.decode()
    assert "La borne de la gare" in html and "La borne du marché" not in html
    assert "Eau potable à Dédougou et Safané" in html
