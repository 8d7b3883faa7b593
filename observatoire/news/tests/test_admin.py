"""Staff write news in the back office: address, publication date and images handled for them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from observatoire.core.testing import make_user
from observatoire.news.models import NewsItem

pytestmark = pytest.mark.django_db

ADD = reverse("admin:news_newsitem_add")


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("staff"))
    return client


def phone_photo() -> bytes:
    image = Image.new("RGB", (2400, 1800), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (45.0, 34.0, 0.0), 3: "E", 4: (0.0, 20.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def form(**values):
    return {
        "title": "Retour de mission à Dédougou",
        "slug": "",
        "organization": "",
        "language": "fr",
        "summary": "La délégation est rentrée.",
        "body": "Une semaine de travail avec la commune.",
        "image_alt": "",
        "is_published": "on",
        **values,
    }


def test_staff_publish_a_news_item_with_a_photo_stripped_of_its_metadata(staff_client):
    photo = SimpleUploadedFile("IMG_2041.jpg", phone_photo(), content_type="image/jpeg")
    response = staff_client.post(
        ADD, form(image=photo, image_alt="La délégation devant la mairie de Dédougou")
    )

    assert response.status_code == 302, response.content.decode()
    item = NewsItem.objects.get()
    assert item.slug == "retour-de-mission-a-dedougou"
    assert item.published_at is not None
    assert item.created_by.email == "staff@personas.test"
    with item.image.open("rb") as stored_file:
        stored = Image.open(io.BytesIO(stored_file.read()))
    assert max(stored.size) == 1600
    assert not stored.getexif()
    assert item.history.count() == 1


def test_a_pdf_named_like_a_photo_is_refused_in_french_and_the_form_keeps_the_text(staff_client):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = staff_client.post(ADD, form(image=fake, image_alt="Une photo"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "n’est pas une image" in page or "n'est pas une image" in page, page
    assert "Retour de mission à Dédougou" in page
    assert not NewsItem.objects.exists()


def test_an_image_needs_its_description(staff_client):
    photo = SimpleUploadedFile("IMG_2041.jpg", phone_photo(), content_type="image/jpeg")
    response = staff_client.post(ADD, form(image=photo))
    assert response.status_code == 200
    assert not NewsItem.objects.exists()


def test_the_publication_date_is_kept_when_the_item_is_edited(staff_client):
    staff_client.post(ADD, form())
    item = NewsItem.objects.get()
    first = item.published_at
    change = reverse("admin:news_newsitem_change", args=[item.pk])
    response = staff_client.post(change, form(title="Retour de Dédougou", slug=item.slug))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.published_at == first and item.title == "Retour de Dédougou"


@pytest.mark.parametrize("role", ["organization_editor", "observatory"])
def test_others_cannot_write_news_in_the_back_office(client, role):
    client.force_login(make_user(role))
    response = client.post(ADD, form())
    assert response.status_code in {302, 403}
    assert not NewsItem.objects.exists()


def test_the_add_form_opens_with_the_fields_staff_fill(staff_client):
    page = staff_client.get(ADD).content.decode()
    for field in ["title", "slug", "organization", "language", "body", "image", "image_alt"]:
        assert f'name="{field}"' in page


def test_the_list_searches_and_filters(staff_client):
    staff_client.post(ADD, form())
    changelist = reverse("admin:news_newsitem_changelist")
    assert "Dédougou" in staff_client.get(changelist, {"q": "dédougou"}).content.decode()
    page = staff_client.get(changelist, {"source": "organization"}).content.decode()
    assert "Retour de mission" not in page
