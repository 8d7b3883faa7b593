import pytest
from django.urls import reverse

from observatoire.watch import demo, selectors
from observatoire.watch.models import WatchItem

pytestmark = pytest.mark.django_db


def test_the_demo_shows_open_closing_expired_and_queued_items(client):
    demo.load_demo(seed=7)
    demo.load_demo(seed=7)  # a second run adds nothing

    assert WatchItem.objects.count() == 30
    counts = selectors.queue_counts()
    assert counts["to_qualify"] == 5 and counts["expired"] == 3
    closing = selectors.public_items(filters=selectors.PublicFilters(due="7"))
    assert closing.count() == 2
    queued = WatchItem.objects.to_qualify()
    assert all(item.sources.exists() for item in queued)
    assert {source.feed.is_active for item in queued for source in item.sources.all()} == {False}
    fisong = WatchItem.objects.get(title__startswith="FISONG")
    assert fisong.themes.exists() and fisong.organization_kinds.exists() and fisong.sdgs.exists()
    assert client.get(reverse("watch:list")).status_code == 200
