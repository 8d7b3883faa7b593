#!/usr/bin/env python
"""Time /sitemap.xml and its organisation files on a register of N listed organisations.

    python bench/bench_sitemap.py --organizations 200000 [--repeat 5]

Its own SQLite database in bench/var/ (reused on later runs with the same N), never the
development one. Prints the number of files and the time of the index, of the first and of the
last file of organisations (each with up to 10,000 addresses), as Django's test client gets them:
rendered afresh, then (median) from the public cache.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
CHUNK = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",  # the settings refuse to start without a real secret key otherwise
        ALLOWED_HOSTS="testserver",
        DATA_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / f'sitemap-{args.organizations}.sqlite3'}",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from observatoire.organizations.models import Organization
    from observatoire.referentials.models import OrganizationKind

    settings.DEBUG = False  # no query log while timing
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    have = Organization.objects.count()
    if have != args.organizations:
        Organization.objects.all().delete()
        kinds = list(OrganizationKind.objects.all())
        started = time.perf_counter()
        for first in range(0, args.organizations, CHUNK):
            Organization.objects.bulk_create(
                Organization(
                    name=f"Association de solidarité {number}",
                    slug=f"association-de-solidarite-{number}",
                    kind=kinds[number % len(kinds)],
                    status=Organization.Status.QUALIFIED,
                )
                for number in range(first, min(first + CHUNK, args.organizations))
            )
        print(
            f"generated {args.organizations} organisations in {time.perf_counter() - started:.1f} s"
        )

    client = Client()
    cache.clear()

    def timed(url: str) -> tuple[float, float, bytes]:
        """Rendered afresh (public cache emptied) and median once cached, in ms."""
        runs = []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            response = client.get(url)
            runs.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return runs[0], statistics.median(runs[1:]), response.content

    fresh, cached, index = timed("/sitemap.xml")
    files = index.count(b"<sitemap>")
    pages = index.count(b"sitemap-structures.xml")
    print(f"N={args.organizations}: index {files} files ({pages} of organisations)")
    print(f"  {'/sitemap.xml':34} fresh {fresh:7.1f} ms  cached {cached:7.1f} ms")
    for page in (1, pages):
        url = f"/sitemap-structures.xml?p={page}"
        fresh, cached, content = timed(url)
        count = content.count(b"<url>")
        print(f"  {url:34} fresh {fresh:7.1f} ms  cached {cached:7.1f} ms  ({count} addresses)")


if __name__ == "__main__":
    main()
