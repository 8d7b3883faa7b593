"""Images that users upload: checked by content, resized, and stripped of their metadata.

A photo straight from a phone carries its GPS position and the device in its EXIF block, and
can weigh several megabytes: what the public site shows is a re-encoded copy without them.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Bigger than any screen shows in a page column, small enough for a mobile connection.
MAX_DIMENSION = 1600
# Decompression bombs: a tiny file that expands to gigapixels.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    extension: str


def clean_image(upload: UploadedFile, *, max_dimension: int = MAX_DIMENSION) -> CleanImage:
    """The upload re-encoded without metadata and at most `max_dimension` pixels wide or high.

    Raises ValidationError (in French) when the file is too big, is not an image whatever its
    name says, or is an image of a format the site does not publish.
    """
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image weighs %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="image_too_big",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image is too large in pixels."), code="image_too_large")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image that can be read (JPEG, PNG, WebP or GIF)."),
            code="not_an_image",
        ) from None
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Images in %(format)s are not accepted: use JPEG, PNG, WebP or GIF.")
            % {"format": image_format},
            code="image_format",
        )
    # The orientation lives in the EXIF block that is dropped: apply it to the pixels first.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_dimension, max_dimension))
    extension = ACCEPTED_FORMATS[image_format]
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    elif image_format == "GIF":
        # Only the first frame: an animation is not re-encoded.
        image.save(output, "GIF")
    else:
        image.save(output, image_format)
    return CleanImage(
        content=ContentFile(output.getvalue()),
        width=image.width,
        height=image.height,
        extension=extension,
    )


def validate_image_upload(upload: UploadedFile) -> None:
    """A form field validator: the same checks as clean_image, without keeping the result."""
    clean_image(upload)
    upload.seek(0)
