"""Writes of the watch: entry, qualification, publication, discarding, merging and expiry.

Every write is atomic and leaves a history row (django-simple-history); the public cache is
invalidated by the signals registered in `apps.py`.
"""

import datetime
import hashlib
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.core.text import unique_slug

from .models import WatchFeed, WatchItem, WatchItemSource
from .selectors import search_text_for

ELIGIBILITY_FIELDS = (
    "organization_kinds",
    "countries",
    "departements",
    "themes",
    "sdgs",
    "needs",
    "tags",
)


def normalise_link(url: str) -> str:
    """The link without what differs between two announcements of the same page.

    Scheme and host in lower case, `utm_*` parameters, the fragment and a trailing slash dropped.
    """
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def link_fingerprint(url: str) -> str:
    normalised = normalise_link(url)
    return hashlib.sha256(normalised.encode()).hexdigest() if normalised else ""


def _prepare(item: WatchItem) -> None:
    if not item.slug:
        others = WatchItem.objects.exclude(pk=item.pk) if item.pk else WatchItem.objects.all()
        item.slug = unique_slug(others, item.title, fallback="opportunite", max_length=300)
    item.fingerprint = link_fingerprint(item.source_url)
    item.search_text = search_text_for(item)


def _set_eligibility(item: WatchItem, eligibility: dict[str, Iterable] | None) -> None:
    for name, values in (eligibility or {}).items():
        if name not in ELIGIBILITY_FIELDS:
            raise ValueError(name)
        getattr(item, name).set(values)


def _save(item: WatchItem, user) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        item._history_user = user
    item.full_clean()
    item.save()


def watch_item_create(
    *, user, eligibility: dict[str, Iterable] | None = None, publish: bool = False, **fields
) -> WatchItem:
    """Enter a new item (to qualify, or published at once with `publish=True`)."""
    with transaction.atomic():
        item = WatchItem(**fields)
        if user is not None and getattr(user, "is_authenticated", False):
            item.created_by = user
        _prepare(item)
        _save(item, user)
        _set_eligibility(item, eligibility)
        if publish:
            watch_item_publish(item=item, user=user)
    return item


def watch_item_update(
    *, item: WatchItem, user, eligibility: dict[str, Iterable] | None = None, **fields
) -> WatchItem:
    """Change an item's fields and eligibility; its address stays the same."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(item, name, value)
        _prepare(item)
        _save(item, user)
        _set_eligibility(item, eligibility)
    return item


def watch_item_publish(*, item: WatchItem, user, today: datetime.date | None = None) -> WatchItem:
    """Put the item online: qualified by `user` now, refused when its deadline is past."""
    today = today or timezone.localdate()
    if item.deadline is not None and item.deadline < today:
        raise ValidationError(
            {"deadline": _("The deadline has passed: this item can no longer be published.")}
        )
    with transaction.atomic():
        now = timezone.now()
        item.status = WatchItem.Status.PUBLISHED
        item.qualified_by = user if getattr(user, "is_authenticated", False) else None
        item.qualified_at = now
        item.published_at = item.published_at or now
        _save(item, user)
    return item


def watch_item_discard(*, item: WatchItem, user) -> WatchItem:
    """Take the item out of the queue or offline: it stays recorded, not shown."""
    with transaction.atomic():
        item.status = WatchItem.Status.DISCARDED
        item.qualified_by = user if getattr(user, "is_authenticated", False) else None
        item.qualified_at = timezone.now()
        _save(item, user)
    return item


def watch_item_merge(*, duplicate: WatchItem, survivor: WatchItem, user) -> WatchItem:
    """Merge `duplicate` into `survivor`: its sightings move, its blanks fill the survivor's.

    The duplicate is discarded and points to the survivor (its public address redirects there).
    """
    if duplicate.pk == survivor.pk:
        raise ValidationError(_("An item cannot be merged into itself."))
    with transaction.atomic():
        duplicate = WatchItem.objects.select_for_update().get(pk=duplicate.pk)
        survivor = WatchItem.objects.select_for_update().get(pk=survivor.pk)
        kept = set(survivor.sources.values_list("feed_id", "guid"))
        for source in duplicate.sources.all():
            if (source.feed_id, source.guid) in kept:
                source.delete()
            else:
                source.item = survivor
                source.save(update_fields=["item"])
        for name in ["summary", "source_url", "funder", "published_on", "opens_on", "deadline"]:
            if not getattr(survivor, name) and getattr(duplicate, name):
                setattr(survivor, name, getattr(duplicate, name))
        if survivor.amount_min is None and survivor.amount_max is None:
            survivor.amount_min, survivor.amount_max = duplicate.amount_min, duplicate.amount_max
        survivor.funder_organization = survivor.funder_organization or duplicate.funder_organization
        _prepare(survivor)
        _save(survivor, user)
        for name in ELIGIBILITY_FIELDS:
            if not getattr(survivor, name).exists():
                getattr(survivor, name).set(getattr(duplicate, name).all())
        if not survivor.zones and duplicate.zones:
            survivor.zones = duplicate.zones
            survivor.save(update_fields=["zones"])
        duplicate.status = WatchItem.Status.DISCARDED
        duplicate.merged_into = survivor
        duplicate.qualified_by = user if getattr(user, "is_authenticated", False) else None
        duplicate.qualified_at = timezone.now()
        _save(duplicate, user)
    return survivor


def expire_due(*, today: datetime.date | None = None) -> int:
    """Mark expired the published items whose deadline is past; how many. Idempotent."""
    today = today or timezone.localdate()
    expired = 0
    with transaction.atomic():
        for item in WatchItem.objects.published().filter(deadline__lt=today).select_for_update():
            item.status = WatchItem.Status.EXPIRED
            item.save(update_fields=["status", "updated_at"])
            expired += 1
    return expired


def watch_feed_save(*, feed: WatchFeed, default_themes: Iterable | None = None) -> WatchFeed:
    """Add or change a feed; a new address is read afresh (no conditional GET of the old one)."""
    with transaction.atomic():
        if feed.pk:
            previous = WatchFeed.objects.filter(pk=feed.pk).values_list("url", flat=True).first()
            if previous != feed.url:
                feed.etag = feed.last_modified = ""
        feed.full_clean()
        feed.save()
        if default_themes is not None:
            feed.default_themes.set(default_themes)
    return feed


def watch_feed_set_active(*, feed: WatchFeed, active: bool) -> WatchFeed:
    feed.is_active = active
    feed.save(update_fields=["is_active", "updated_at"])
    return feed


def record_sighting(*, item: WatchItem, feed: WatchFeed, guid: str, url: str) -> WatchItemSource:
    """Note that `feed` announced `item` under `guid` (once per feed and guid)."""
    source, created = WatchItemSource.objects.get_or_create(
        feed=feed, guid=guid, defaults={"item": item, "url": url[:500]}
    )
    if not created:
        source.url = url[:500]
        source.seen_at = timezone.now()
        source.save(update_fields=["url", "seen_at"])
    return source
