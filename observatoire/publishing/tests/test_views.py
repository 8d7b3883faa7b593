"""The organisation space and the moderation queue, with each persona that may use them or not."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatoire.core.testing import make_organization, make_person, make_user
from observatoire.news.models import NewsItem
from observatoire.organizations.models import Affiliation
from observatoire.organizations.services import consent_record
from observatoire.projects.models import Project
from observatoire.projects.services import project_save
from observatoire.publishing import services
from observatoire.publishing.models import Submission

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login(client, organization):
    for url in [
        reverse("publishing:home"),
        reverse("publishing:space", args=[organization.pk]),
        reverse("moderation:queue"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_editor_reaches_their_own_space_only(client, organization, editor):
    other = make_organization("Ville de Châtellerault", kind_slug="commune")
    client.force_login(editor)
    response = client.get(reverse("publishing:home"))
    assert response["Location"] == reverse("publishing:space", args=[organization.pk])
    page = client.get(reverse("publishing:space", args=[organization.pk]))
    assert page.status_code == 200
    assert reverse("publishing:space", args=[organization.pk]) in page.text  # header link
    for name in ["space", "details", "contacts", "event_create", "news_create"]:
        assert client.get(reverse(f"publishing:{name}", args=[other.pk])).status_code == 403


def test_staff_open_any_space_and_editors_not_the_queue(client, organization, editor, staff):
    client.force_login(staff)
    assert client.get(reverse("publishing:space", args=[organization.pk])).status_code == 200
    assert client.get(reverse("moderation:queue")).status_code == 200
    client.force_login(editor)
    assert client.get(reverse("moderation:queue")).status_code == 403
    observatory = make_user("observatory")
    client.force_login(observatory)
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.get(reverse("publishing:space", args=[organization.pk])).status_code == 403


def _details_post(organization, **changes) -> dict:
    data = {
        "description": organization.description,
        "website": "",
        "public_email": "",
        "phone": "",
        "address_line1": "",
        "address_line2": "",
        "postal_code": "",
    }
    for field in services.VISIBILITY_FIELDS:
        data[f"visibility_{field}"] = "public" if field != "phone" else "members"
    data.update(changes)
    return data


def test_details_are_queued_and_the_queue_shows_the_difference(client, organization, editor, staff):
    client.force_login(editor)
    response = client.post(
        reverse("publishing:details", args=[organization.pk]),
        _details_post(organization, website="https://eauvive.example"),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.website == ""
    submission = Submission.objects.get()

    client.force_login(staff)
    queue = client.get(reverse("moderation:queue"))
    assert "Changes to the details" in queue.text or "Modifications de la fiche" in queue.text
    detail = client.get(reverse("moderation:submission", args=[submission.pk]))
    assert "https://eauvive.example" in detail.text
    response = client.post(
        reverse("moderation:submission", args=[submission.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.website == "https://eauvive.example"


def test_bad_details_keep_what_was_typed(client, organization, editor):
    client.force_login(editor)
    response = client.post(
        reverse("publishing:details", args=[organization.pk]),
        _details_post(organization, website="pas une adresse", visibility_phone="n'importe"),
    )
    assert response.status_code == 200
    assert 'value="pas une adresse"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Submission.objects.exists()


def test_rejecting_without_a_reason_shows_an_error(client, organization, editor, staff):
    project = project_save(project=Project(title="Maraîchage à Kaya"), lead=organization)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    client.force_login(staff)
    response = client.post(
        reverse("moderation:submission", args=[submission.pk]), {"action": "reject", "message": ""}
    )
    assert response.status_code == 200
    assert "field-error" in response.text
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING


def test_an_editor_asks_to_publish_a_project_their_organisation_leads(client, organization, editor):
    project = project_save(project=Project(title="Maraîchage à Kaya"), lead=organization)
    client.force_login(editor)
    url = reverse("publishing:project_publish", args=[organization.pk, project.pk])
    assert client.post(url).status_code == 302
    submission = Submission.objects.get()
    assert submission.content_object == project
    assert submission.submitted_by == editor
    page = client.get(reverse("publishing:space", args=[organization.pk]))
    assert "status--pending" in page.text

    other = make_organization("Ville de Châtellerault", kind_slug="commune")
    theirs = project_save(project=Project(title="Jumelage"), lead=other)
    assert (
        client.post(
            reverse("publishing:project_publish", args=[organization.pk, theirs.pk])
        ).status_code
        == 403
    )


def test_contacts_roles_and_directory_consent(client, organization, editor, staff):
    listed = make_person("Awa", "Traoré")
    hidden = make_person("Jean", "Dupont")
    Affiliation.objects.create(person=listed, organization=organization, role="Présidente")
    affiliation = Affiliation.objects.create(person=hidden, organization=organization, role="")
    consent_record(
        person=listed, purpose="directory", granted=True, source="staff", wording="Annuaire"
    )
    client.force_login(editor)
    url = reverse("publishing:contacts", args=[organization.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.text.count("Oui : accord donné pour y figurer") == 1
    assert page.text.count("Non : pas d’accord pour y figurer") == 1
    data = {
        f"contact-{a.pk}-role": a.role
        for a in Affiliation.objects.filter(organization=organization)
    }
    data[f"contact-{affiliation.pk}-role"] = "Trésorier"
    assert client.post(url, data).status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.role == ""  # the public page keeps the old role until approved
    assert 'value="Trésorier"' in client.get(url).text

    submission = Submission.objects.get()
    client.force_login(staff)
    detail = client.get(reverse("moderation:submission", args=[submission.pk]))
    assert "Rôle de Jean Dupont" in detail.text
    services.submission_approve(submission=submission, reviewer=staff)
    affiliation.refresh_from_db()
    assert affiliation.role == "Trésorier"
    assert affiliation.history.first().history_user == staff


def test_a_file_that_is_not_an_image_is_refused_in_french(client, organization, editor):
    client.force_login(editor)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(
        reverse("publishing:news_create", args=[organization.pk]),
        {
            "title": "Mission à Tikaré",
            "summary": "",
            "body": "Compte rendu.",
            "language": "fr",
            "image": fake,
            "image_alt": "Le forage",
        },
    )
    assert response.status_code == 200
    assert "n’est pas une image" in response.text or "pas une image" in response.text
    assert 'value="Mission à Tikaré"' in response.text
    assert not NewsItem.objects.exists()


def test_an_editor_writes_news_with_an_image(client, organization, editor):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), "teal").save(buffer, "JPEG")
    client.force_login(editor)
    response = client.post(
        reverse("publishing:news_create", args=[organization.pk]),
        {
            "title": "Mission à Tikaré",
            "summary": "",
            "body": "Compte rendu.",
            "language": "fr",
            "image": SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg"),
            "image_alt": "Le forage de Tikaré",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.organization == organization and not item.is_published
    assert Submission.objects.get().kind == Submission.Kind.NEWS


def test_an_event_with_its_end_before_its_start_keeps_what_was_typed(client, organization, editor):
    client.force_login(editor)
    response = client.post(
        reverse("publishing:event_create", args=[organization.pk]),
        {
            "title": "Ciné-débat",
            "kind": "public_event",
            "starts_at": "2027-03-10T20:00",
            "ends_at": "2027-03-10T18:00",
        },
    )
    assert response.status_code == 200
    assert 'value="Ciné-débat"' in response.text
    assert "field-error" in response.text


def test_the_queue_ignores_an_unknown_status(client, staff):
    client.force_login(staff)
    assert client.get(reverse("moderation:queue"), {"statut": "<script>"}).status_code == 200


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _submit_some(organization, editor, count: int, start: int) -> None:
    for number in range(start, start + count):
        project = project_save(project=Project(title=f"Projet {number}"), lead=organization)
        services.publication_request(obj=project, organization=organization, user=editor)
        services.news_item_save(
            item=NewsItem(title=f"Actualité {number}", body="Texte."),
            organization=organization,
            user=editor,
        )


def test_the_queue_and_the_space_do_not_query_per_row(client, organization, editor, staff):
    _submit_some(organization, editor, 2, 0)
    client.force_login(staff)
    queue_url = reverse("moderation:queue")
    space_url = reverse("publishing:space", args=[organization.pk])
    _queries(client, space_url)  # warms the content-type cache
    queue_few, space_few = _queries(client, queue_url), _queries(client, space_url)
    _submit_some(organization, editor, 4, 2)
    assert _queries(client, queue_url) == queue_few
    assert _queries(client, space_url) == space_few


def test_editors_do_not_tick_published_themselves(client, organization, editor, staff):
    client.force_login(editor)
    assert 'name="is_published"' not in client.get(reverse("projects:create")).text
    client.force_login(staff)
    assert 'name="is_published"' in client.get(reverse("projects:create")).text


def test_staff_set_publishing_without_moderation_in_the_back_office(client, organization, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert 'name="publishes_directly"' in page.text
    assert reverse("publishing:space", args=[organization.pk]) in page.text


def test_an_editor_corrects_an_event_sent_back_then_it_is_queued_again(
    client, organization, editor, staff
):
    client.force_login(editor)
    data = {
        "title": "Ciné-débat : l'eau au Sahel",
        "kind": "public_event",
        "starts_at": "2027-03-10T20:00",
        "ends_at": "2027-03-10T22:30",
        "venue": "Cinéma Le Dietrich, Poitiers",
    }
    assert (
        client.post(reverse("publishing:event_create", args=[organization.pk]), data).status_code
        == 302
    )
    submission = Submission.objects.get()
    services.submission_request_changes(
        submission=submission, reviewer=staff, message="Précisez le lieu."
    )
    event = submission.content_object
    url = reverse("publishing:event_edit", args=[organization.pk, event.pk])
    form = client.get(url)
    assert 'value="2027-03-10T20:00"' in form.text
    data["address"] = "8 rue Edouard Grimaux, Poitiers"
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    submission.refresh_from_db()
    assert event.address == "8 rue Edouard Grimaux, Poitiers"
    assert event.sittings.count() == 1
    assert submission.status == Submission.Status.PENDING

    services.submission_approve(submission=submission, reviewer=staff)
    # Once published, the event is the network's team's to change.
    assert client.get(url).status_code == 404
