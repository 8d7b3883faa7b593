import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from observatoire.core import images
from observatoire.core.images import clean_image


def photo_with_gps(width=3000, height=2000, orientation=None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (44.0, 50.0, 0.0), 3: "W", 4: (0.0, 34.0, 0.0)}
    exif[0x8825] = gps
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(content: bytes, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_a_phone_photo_is_resized_and_loses_its_position_and_device():
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo does carry EXIF

    cleaned = clean_image(upload(original))

    result = Image.open(io.BytesIO(cleaned.content.read()))
    assert (result.width, result.height) == (1600, 1067) == (cleaned.width, cleaned.height)
    assert not result.getexif()
    assert "exif" not in result.info
    assert cleaned.extension == "jpg"


def test_the_orientation_is_applied_before_the_metadata_is_dropped():
    # Orientation 6: the camera was turned, viewers rotate the picture by 90°.
    cleaned = clean_image(upload(photo_with_gps(400, 300, orientation=6)))
    assert (cleaned.width, cleaned.height) == (300, 400)


def test_a_png_stays_a_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(buffer, "PNG")
    cleaned = clean_image(upload(buffer.getvalue(), "logo.png"))
    assert cleaned.extension == "png"
    assert Image.open(io.BytesIO(cleaned.content.read())).format == "PNG"


def test_a_file_named_like_an_image_is_checked_by_its_content():
    with pytest.raises(ValidationError) as error:
        clean_image(upload(b"%PDF-1.4 not an image at all", "photo.jpg"))
    assert error.value.code == "not_an_image"


def test_a_truncated_image_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_image(upload(photo_with_gps(200, 100)[:300]))
    assert error.value.code == "not_an_image"


def test_an_image_format_the_site_does_not_publish_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "TIFF")
    with pytest.raises(ValidationError) as error:
        clean_image(upload(buffer.getvalue(), "scan.tiff"))
    assert error.value.code == "image_format"


def test_an_upload_over_the_size_limit_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        clean_image(upload(photo_with_gps(400, 300)))
    assert error.value.code == "image_too_big"
    assert "1000" in str(error.value) or "Ko" in str(error.value) or "KB" in str(error.value)


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as error:
        clean_image(upload(photo_with_gps(40, 40)))
    assert error.value.code == "image_too_large"
