import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from observatoire.core.testing import make_user
from observatoire.watch import selectors, services
from observatoire.watch.models import WatchFeed, WatchItem, WatchItemSource

from .factories import make_item

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 1, 10)


def test_an_item_entered_gets_a_unique_address_and_is_published_with_who_and_when():
    staff = make_user("staff")
    first = services.watch_item_create(user=staff, kind="funding_call", title="Fonds FRIO 2027")
    second = services.watch_item_create(user=staff, kind="funding_call", title="Fonds FRIO 2027")
    assert (first.slug, second.slug) == ("fonds-frio-2027", "fonds-frio-2027-2")
    assert first.status == WatchItem.Status.TO_QUALIFY and first.created_by == staff

    services.watch_item_publish(item=first, user=staff)

    first.refresh_from_db()
    assert first.status == WatchItem.Status.PUBLISHED
    assert first.qualified_by == staff and first.qualified_at and first.published_at
    assert first.history.count() == 2
    assert first.history.first().history_user == staff


def test_an_item_past_its_deadline_cannot_be_published():
    item = make_item(publish=False, days_left=-1)
    with pytest.raises(ValidationError) as error:
        services.watch_item_publish(item=item, user=None)
    assert "deadline" in error.value.error_dict
    item.refresh_from_db()
    assert item.status == WatchItem.Status.TO_QUALIFY


def test_discarded_items_leave_the_queue_and_the_public_list():
    item = make_item()
    services.watch_item_discard(item=item, user=make_user("staff"))
    assert not selectors.public_items().exists()
    assert not WatchItem.objects.to_qualify().exists()


def test_expiry_marks_published_items_past_their_deadline_once():
    past = make_item("Clos", deadline=TODAY - datetime.timedelta(days=1), days_left=None)
    last_day = make_item("Dernier jour", deadline=TODAY, days_left=None)
    undated = make_item("Sans date", days_left=None)
    waiting = make_item("À qualifier", publish=False, days_left=-5)

    assert services.expire_due(today=TODAY) == 1
    assert services.expire_due(today=TODAY) == 0  # the sweep is idempotent

    statuses = dict(WatchItem.objects.values_list("pk", "status"))
    assert statuses[past.pk] == WatchItem.Status.EXPIRED
    assert statuses[last_day.pk] == WatchItem.Status.PUBLISHED  # the deadline day is included
    assert statuses[undated.pk] == WatchItem.Status.PUBLISHED
    assert statuses[waiting.pk] == WatchItem.Status.TO_QUALIFY


def test_merging_moves_the_sightings_fills_blanks_and_discards_the_duplicate():
    feed_a = WatchFeed.objects.create(name="A", url="https://a.example.org/rss")
    feed_b = WatchFeed.objects.create(name="B", url="https://b.example.org/rss")
    survivor = make_item("Jeunesse VI", publish=False, funder="")
    duplicate = make_item(
        "Appel Jeunesse VI (MEAE)",
        publish=False,
        funder="MEAE",
        source_url="https://meae.example.org/j6",
    )
    WatchItemSource.objects.create(item=survivor, feed=feed_a, guid="1")
    WatchItemSource.objects.create(item=duplicate, feed=feed_b, guid="2")
    WatchItemSource.objects.create(item=duplicate, feed=feed_a, guid="1x")

    services.watch_item_merge(duplicate=duplicate, survivor=survivor, user=make_user("staff"))

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert survivor.sources.count() == 3
    assert survivor.funder == "MEAE" and survivor.source_url == "https://meae.example.org/j6"
    assert duplicate.status == WatchItem.Status.DISCARDED and duplicate.merged_into == survivor
    with pytest.raises(ValidationError):
        services.watch_item_merge(duplicate=survivor, survivor=survivor, user=None)


def test_open_items_are_published_not_past_their_deadline_soonest_first():
    later = make_item("Plus tard", days_left=40)
    sooner = make_item("Bientôt", days_left=3)
    undated = make_item("Sans date", days_left=None)
    make_item("Offre", kind=WatchItem.Kind.JOB, days_left=1)
    make_item("Non publiée", publish=False)
    closed = make_item("Close", days_left=5)
    WatchItem.objects.filter(pk=closed.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    items = list(selectors.open_items(kinds=["funding_call"]))

    assert items == [sooner, later, undated]
    assert list(selectors.open_items(kinds=["funding_call"], limit=1)) == [sooner]


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://Example.ORG/Appel/?utm_source=x&id=3#haut", "https://example.org/Appel?id=3"),
        ("https://example.org/appel/", "https://example.org/appel"),
    ],
)
def test_links_are_normalised_for_duplicate_detection(url, normalised):
    assert services.normalise_link(url) == normalised


def test_expiry_and_feed_collection_are_registered_as_periodic_sweeps():
    from observatoire.core import periodic

    every = {entry.name: entry.every for entry in periodic.registered()}
    assert every["observatoire.watch.tasks.expire_watch_items"] == datetime.timedelta(days=1)
    assert every["observatoire.watch.tasks.collect_watch_feeds"] == datetime.timedelta(minutes=15)
