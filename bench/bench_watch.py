#!/usr/bin/env python
"""Time the public « Opportunités » list and the collection of a large feed.

    python bench/bench_watch.py [--items 2000] [--entries 500] [--repeat 5]

Uses its own SQLite database (bench/var/watch-<items>.sqlite3, rebuilt at each run): migrates,
bulk-inserts `--items` published open items with eligibility (themes, kinds, countries, zones),
then prints the median time and the query count of the public list through the view (test
client, template included, cache cleared before each run) for a few filters, and the time to
collect a feed of `--entries` new entries from a local HTTP server, then to read it again.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent


def setup(items: int) -> None:
    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    database = var / f"watch-{items}.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def generate(count: int, seed: int = 8) -> None:
    from django.utils import timezone

    from observatoire.referentials.models import Country, OrganizationKind, Theme
    from observatoire.watch.models import WatchItem, WatchKind
    from observatoire.watch.selectors import search_text_for

    rng = random.Random(seed)
    today = timezone.localdate()
    themes = list(Theme.objects.all())
    kinds = list(OrganizationKind.objects.all())
    countries = list(Country.objects.all())
    rows = []
    for number in range(count):
        item = WatchItem(
            kind=rng.choice(WatchKind.values),
            title=f"Appel à projets numéro {number} coopération",
            slug=f"appel-{number}",
            summary="Soutien aux projets de solidarité internationale. " * 5,
            funder=rng.choice(["AFD", "Région Nouvelle-Aquitaine", "Fondation de France"]),
            deadline=today + datetime.timedelta(days=rng.randint(0, 200)),
            zones=rng.choice([[], [], ["AF"], ["AS"]]),
            status=WatchItem.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        item.search_text = search_text_for(item)
        rows.append(item)
    WatchItem.objects.bulk_create(rows, batch_size=500)
    links = {"themes": [], "organization_kinds": [], "countries": []}
    for item in WatchItem.objects.only("pk"):
        for theme in rng.sample(themes, 2):
            links["themes"].append(
                WatchItem.themes.through(watchitem_id=item.pk, theme_id=theme.pk)
            )
        for kind in rng.sample(kinds, rng.randint(0, 3)):
            links["organization_kinds"].append(
                WatchItem.organization_kinds.through(
                    watchitem_id=item.pk, organizationkind_id=kind.pk
                )
            )
        for country in rng.sample(countries, rng.randint(0, 2)):
            links["countries"].append(
                WatchItem.countries.through(watchitem_id=item.pk, country_id=country.pk)
            )
    for name, rows in links.items():
        getattr(WatchItem, name).through.objects.bulk_create(rows, batch_size=2000)


def time_list(repeat: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for query in [
        {},
        {"pays": "SN"},
        {"structure": "association", "echeance": "31"},
        {"q": "numero 15"},
    ]:
        times = []
        for _ in range(repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/opportunites/", query)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
        label = "&".join(f"{k}={v}" for k, v in query.items()) or "no filter"
        print(f"list {label}: {statistics.median(times) * 1000:.0f} ms, {len(queries)} queries")


def time_feed(entries: int) -> None:
    from observatoire.watch.collect import collect_feed
    from observatoire.watch.models import WatchFeed

    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>B</title>'
        + "".join(
            f"<item><title>Entrée {n}</title><link>https://b.example.org/{n}</link>"
            f"<guid>b-{n}</guid><description>Date limite : 15/03/2030</description></item>"
            for n in range(entries)
        )
        + "</channel></rss>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed = WatchFeed.objects.create(
        name="Bench", url=f"http://127.0.0.1:{server.server_address[1]}/rss"
    )
    for label in ["first read", "read again"]:
        started = time.perf_counter()
        result = collect_feed(feed=feed)
        elapsed = time.perf_counter() - started
        print(
            f"feed of {entries} entries, {label}: {elapsed:.2f} s "
            f"(new {result.new}, seen again {result.seen_again}, error {result.error!r})"
        )
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(args.items)
    from django.utils import translation

    translation.activate("fr")
    started = time.perf_counter()
    generate(args.items)
    print(f"{args.items} open items generated in {time.perf_counter() - started:.1f} s")
    time_list(args.repeat)
    time_feed(args.entries)


if __name__ == "__main__":
    main()
