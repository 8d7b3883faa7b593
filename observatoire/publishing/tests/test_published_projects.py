"""What an organisation editor changes on a project already online waits for the network's team."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from observatoire.core.testing import make_organization
from observatoire.projects.models import Project, ProjectPartner
from observatoire.projects.services import project_save
from observatoire.projects.testing import project_form_data
from observatoire.publishing import services
from observatoire.publishing.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organization):
    project = project_save(
        project=Project(title="Maraîchage à Kaya", summary="Des jardins", is_published=True),
        lead=organization,
    )
    return project


def _edit_data(project, **overrides):
    """The project form as the editor posts it, changing only `overrides`."""
    kept = {
        "title": project.title,
        "summary": project.summary,
        "planned_start": "",
        "planned_end": "",
    }
    return project_form_data(project, **{**kept, **overrides})


def _public_page(client, project):
    client.logout()
    return client.get(reverse("portal:project", args=[project.slug]))


def _submission(project):
    return Submission.objects.open().get(object_id=project.pk, kind=Submission.Kind.PROJECT)


def test_a_public_change_takes_the_project_offline_until_staff_approve(
    client, organization, editor, staff, project
):
    client.force_login(editor)
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        _edit_data(project, summary="Trois puits et une école"),
        follow=True,
    )
    assert "hors ligne jusqu’à ce que l’équipe du réseau approuve" in response.text
    project.refresh_from_db()
    assert project.summary == "Trois puits et une école"
    assert not project.is_published
    assert _public_page(client, project).status_code == 404

    submission = _submission(project)
    assert submission.submitted_by == editor
    services.submission_approve(submission=submission, reviewer=staff)
    project.refresh_from_db()
    assert project.is_published
    assert "Trois puits et une école" in _public_page(client, project).text


def test_internal_fields_and_hidden_parts_change_without_moderation(
    client, organization, editor, project
):
    client.force_login(editor)
    # The description is public by default: staff hid it.
    project.field_visibility = {"description": "staff"}
    project.save()
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        _edit_data(
            project,
            origin_note="Né d'une rencontre à Poitiers",
            description="Notes internes",
            visibility_description="staff",
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.origin_note == "Né d'une rencontre à Poitiers"
    assert project.is_published
    assert not Submission.objects.exists()


def test_a_trusted_organisation_and_staff_change_a_published_project_directly(
    client, organization, editor, staff, project
):
    organization.publishes_directly = True
    organization.save()
    client.force_login(editor)
    client.post(reverse("projects:edit", args=[project.pk]), _edit_data(project, summary="A"))
    organization.publishes_directly = False
    organization.save()
    client.force_login(staff)
    client.post(
        reverse("projects:edit", args=[project.pk]),
        _edit_data(project, summary="B", is_published="on"),
    )
    project.refresh_from_db()
    assert (project.summary, project.is_published) == ("B", True)
    assert not Submission.objects.exists()


def test_adding_a_partner_is_moderated(client, organization, editor, project):
    partner = make_organization(name="Commune de Kaya", status="qualified")
    client.force_login(editor)
    client.post(
        reverse("projects:partners", args=[project.pk]),
        {
            "action": "add",
            "organization": partner.pk,
            "role": ProjectPartner.Role.PARTNER,
            "iati_role": "",
            "contribution": "",
        },
    )
    project.refresh_from_db()
    assert project.partners.filter(organization=partner).exists()
    assert not project.is_published
    assert _submission(project).kind == Submission.Kind.PROJECT


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (2400, 1200), "green")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (12.0, 20.0, 0.0)}  # GPS position
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_news_item_waits_offline_while_the_project_stays_online(
    client, organization, editor, staff, project
):
    client.force_login(editor)
    response = client.post(
        reverse("projects:news", args=[project.pk]),
        {
            "action": "add",
            "date": "2026-04-01",
            "title": "Premières récoltes",
            "text": "Les jardins donnent.",
            "is_public": "on",
            "photo": SimpleUploadedFile("jardin.jpg", _jpeg_with_gps(), "image/jpeg"),
            "caption": "Un jardin",
            "credit": "Association",
        },
    )
    assert response.status_code == 302
    update = project.updates.get()
    assert not update.is_public
    photo = update.photos.get()
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == 1600  # resized
        assert not stored.getexif()  # position and device dropped
    project.refresh_from_db()
    assert project.is_published
    assert "Premières récoltes" not in _public_page(client, project).text

    # A second news item joins the same submission.
    client.force_login(editor)
    client.post(
        reverse("projects:news", args=[project.pk]),
        {
            "action": "add",
            "date": "2026-05-01",
            "title": "Marché",
            "text": "Vente.",
            "is_public": "on",
        },
    )
    submission = _submission(project)
    assert len(submission.changes["updates"]) == 2

    client.force_login(staff)
    page = client.get(reverse("moderation:submission", args=[submission.pk]))
    assert "Premières récoltes" in page.text and "Marché" in page.text
    services.submission_approve(submission=submission, reviewer=staff)
    assert project.updates.filter(is_public=True).count() == 2
    assert "Premières récoltes" in _public_page(client, project).text


def test_a_file_that_is_not_an_image_is_refused_and_the_news_kept(client, editor, project):
    client.force_login(editor)
    response = client.post(
        reverse("projects:news", args=[project.pk]),
        {
            "action": "add",
            "date": "2026-04-01",
            "title": "Premières récoltes",
            "text": "Les jardins donnent.",
            "is_public": "on",
            "photo": SimpleUploadedFile("jardin.jpg", b"%PDF-1.4 not a photo", "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "Premières récoltes" in response.text
    assert not project.updates.exists()
