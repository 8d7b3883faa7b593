"""Writes of news items: address, publication date and image, the same for every caller."""

from django.db import transaction
from django.utils import timezone

from observatoire.core.images import CleanImage, clean_image
from observatoire.core.text import unique_slug

from .models import NewsItem


def news_item_save(
    *, item: NewsItem, image_upload=None, image: CleanImage | None = None, user=None
) -> NewsItem:
    """Save `item`: a slug from its title, `published_at` on first publication, a cleaned image.

    `image_upload` (an uploaded file) is checked and re-encoded by `clean_image`, which raises
    a ValidationError in French when it is not an acceptable image; `image` is one a form
    already cleaned.
    """
    cleaned = image or (clean_image(image_upload) if image_upload is not None else None)
    with transaction.atomic():
        if not item.slug:
            others = NewsItem.objects.exclude(pk=item.pk) if item.pk else NewsItem.objects.all()
            item.slug = unique_slug(others, item.title, fallback="actualite", max_length=200)
        if item.is_published and item.published_at is None:
            item.published_at = timezone.now()
        if item.created_by_id is None and user is not None and user.is_authenticated:
            item.created_by = user
        if cleaned is not None:
            stem = item.slug[:80]
            item.image.save(f"{stem}.{cleaned.extension}", cleaned.content, save=False)
        item.full_clean()
        item.save()
    return item
