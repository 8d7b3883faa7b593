import datetime

import feedparser
import pytest

from observatoire.core.testing import ensure_reference_data
from observatoire.referentials.models import Theme
from observatoire.watch import collect
from observatoire.watch.models import WatchFeed, WatchItem, WatchItemSource

from .conftest import Answer

pytestmark = pytest.mark.django_db


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Appels</title><link>https://bailleur.example.org/</link>"
        "<description>Les appels</description><language>fr</language>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def rss_item(guid: str, title: str, link: str, description: str = "") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        f"<description>{description}</description>"
        "<pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate></item>"
    )


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Agence</title><id>urn:agence</id><updated>2026-11-01T00:00:00Z</updated>
  <entry>
    <title>Appel 1 % eau 2027</title>
    <id>urn:agence:1</id>
    <link href="https://eau.example.org/appel-2027"/>
    <updated>2026-11-01T00:00:00Z</updated>
    <summary type="html">&lt;p&gt;Date limite de d\xc3\xa9p\xc3\xb4t :
      15/03/2027&lt;/p&gt;</summary>
  </entry>
</feed>"""


def make_feed(server, path: str, **fields) -> WatchFeed:
    fields.setdefault("name", path)
    return WatchFeed.objects.create(url=server.url(path), **fields)


def test_an_rss_feed_brings_items_to_qualify_with_the_feeds_kind_funder_and_themes(feed_server):
    ensure_reference_data()
    water = Theme.objects.get(slug="water-sanitation")
    feed_server.answers["/rss"] = Answer(
        rss(
            rss_item(
                "a1",
                "FISONG 2027",
                "https://afd.example.org/fisong?utm_source=rss",
                "&lt;p&gt;Innovation &amp;amp; ONG. Date limite : 15/03/2027&lt;/p&gt;",
            )
        ),
        etag='"v1"',
    )
    feed = make_feed(feed_server, "/rss", default_kind="funding_call", funder="AFD")
    feed.default_themes.add(water)

    result = collect.collect_feed(feed=feed)

    item = WatchItem.objects.get()
    assert result.new == 1 and result.error == ""
    assert item.status == WatchItem.Status.TO_QUALIFY
    assert (item.kind, item.funder, item.title) == ("funding_call", "AFD", "FISONG 2027")
    assert item.summary == "Innovation & ONG. Date limite : 15/03/2027"
    assert item.deadline == datetime.date(2027, 3, 15)
    assert item.published_on == datetime.date(2026, 11, 2)
    assert list(item.themes.all()) == [water]
    assert item.sources.get().guid == "a1"
    feed.refresh_from_db()
    assert feed.last_status == WatchFeed.Status.OK and feed.etag == '"v1"'


def test_an_atom_feed_is_read_too(feed_server):
    feed_server.answers["/atom"] = Answer(ATOM, content_type="application/atom+xml")
    feed = make_feed(feed_server, "/atom", default_kind="funding_call")

    collect.collect_feed(feed=feed)

    item = WatchItem.objects.get()
    assert item.title == "Appel 1 % eau 2027"
    assert item.source_url == "https://eau.example.org/appel-2027"
    assert item.deadline == datetime.date(2027, 3, 15)


def test_reading_a_feed_again_changes_nothing_and_a_304_is_understood(feed_server):
    feed_server.answers["/rss"] = Answer(
        rss(rss_item("a1", "Appel", "https://x.example.org/a")), etag='"v1"'
    )
    feed = make_feed(feed_server, "/rss")
    collect.collect_feed(feed=feed)
    before = list(WatchItem.objects.values_list("pk", "title", "updated_at"))

    again = collect.collect_feed(feed=feed)  # the server answers 304 to If-None-Match
    assert again.not_modified
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'

    feed_server.answers["/rss"].etag = ""  # a server without conditional GET
    third = collect.collect_feed(feed=feed)
    assert third.seen_again == 1 and third.new == 0
    assert list(WatchItem.objects.values_list("pk", "title", "updated_at")) == before
    assert WatchItemSource.objects.count() == 1


def test_the_same_item_in_two_feeds_is_one_item_with_two_sightings(feed_server):
    feed_server.answers["/a"] = Answer(
        rss(rss_item("a-1", "FRIO 2027", "HTTPS://Region.example.org/frio/?utm_medium=x#top"))
    )
    feed_server.answers["/b"] = Answer(
        rss(
            rss_item("b-9", "FRIO 2027", "https://region.example.org/frio"),
            # Another link but the same title and the same deadline: the same call.
            rss_item(
                "b-10",
                "Jeunesse VI",
                "https://b.example.org/jeunesse",
                "Date limite : 1er mars 2027",
            ),
        )
    )
    feed_server.answers["/c"] = Answer(
        rss(
            rss_item(
                "c-1",
                "Jeunesse  VI",
                "https://c.example.org/jeunesse-vi",
                "Deadline: March 1, 2027",
            )
        )
    )
    for path in ["/a", "/b", "/c"]:
        collect.collect_feed(feed=make_feed(feed_server, path))

    assert WatchItem.objects.count() == 2
    frio = WatchItem.objects.get(title="FRIO 2027")
    assert frio.sources.count() == 2
    youth = WatchItem.objects.get(title="Jeunesse VI")
    assert youth.sources.count() == 2


def test_scripts_and_event_handlers_in_a_feed_are_never_stored(feed_server):
    feed_server.answers["/evil"] = Answer(
        rss(
            rss_item(
                "x",
                "Appel &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;",
                "javascript:alert(3)",
                "&lt;p onclick='alert(4)'&gt;Texte&lt;/p&gt;&lt;script&gt;alert(5)&lt;/script&gt;"
                "&amp;lt;script&amp;gt;alert(6)&amp;lt;/script&amp;gt;",
            )
        )
    )
    collect.collect_feed(feed=make_feed(feed_server, "/evil"))

    item = WatchItem.objects.get()
    stored = f"{item.title} {item.summary} {item.source_url}".lower()
    for dangerous in ["<script", "alert(", "onerror", "onclick", "<img", "javascript:"]:
        assert dangerous not in stored
    assert item.title == "Appel" and item.summary == "Texte"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(b"<html><body>Pas un flux</body></html>", content_type="text/html"), "RSS"),
        (Answer(b"Erreur", status=500), "500"),
        (Answer(b"x" * 3000), "trop volumineux"),
        (Answer(b"x" * 3000, declare_length=False), "trop volumineux"),
        (Answer(rss(), delay=2), "secondes"),
    ],
    ids=["malformed", "error-500", "huge", "huge-without-length", "slow"],
)
def test_a_failing_feed_records_why_in_french_and_changes_nothing_else(
    feed_server, settings, answer, message
):
    settings.WATCH_FEED_MAX_BYTES = 2000
    settings.WATCH_FEED_TIMEOUT = 0.5
    settings.LANGUAGE_CODE = "fr"
    feed_server.answers["/bad"] = answer
    feed_server.answers["/good"] = Answer(rss(rss_item("g", "Bon", "https://g.example.org/")))
    bad = make_feed(feed_server, "/bad")
    good = make_feed(feed_server, "/good")

    results = collect.collect_due_feeds()

    bad.refresh_from_db()
    assert bad.last_status == WatchFeed.Status.ERROR
    assert message.lower() in bad.last_error.lower()
    assert bad.consecutive_failures == 1 and bad.last_fetched_at is None
    assert results[good.pk].new == 1  # the other feeds go on
    assert WatchItem.objects.count() == 1


def test_a_feed_that_cannot_be_reached_is_an_error(settings):
    settings.WATCH_FEED_TIMEOUT = 1
    feed = WatchFeed.objects.create(name="Mort", url="http://127.0.0.1:9/flux")
    collect.collect_feed(feed=feed)
    collect.collect_feed(feed=feed)
    feed.refresh_from_db()
    assert feed.last_status == WatchFeed.Status.ERROR and feed.consecutive_failures == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date limite : 15/03/2027", datetime.date(2027, 3, 15)),
        ("Clôture des candidatures le 1er avril 2027", datetime.date(2027, 4, 1)),
        ("Deadline: March 15th, 2027.", datetime.date(2027, 3, 15)),
        ("Applications close 2027-01-31", datetime.date(2027, 1, 31)),
        ("Publié le 15/03/2027", None),  # no deadline keyword: not a deadline
        ("Date limite : 31/02/2027", None),  # not a real date
    ],
)
def test_deadlines_are_found_only_after_a_deadline_keyword(text, expected):
    assert collect.find_deadline(text) == expected


def test_inactive_and_recently_read_feeds_are_not_due(feed_server):
    feed_server.answers["/rss"] = Answer(rss(rss_item("a", "A", "https://a.example.org/")))
    make_feed(feed_server, "/rss", is_active=False)
    assert collect.collect_due_feeds() == {}
    assert feedparser  # parsed back in the feed tests
