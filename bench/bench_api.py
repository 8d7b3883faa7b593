"""API list throughput: /api/v1/organisations/ pages on a generated register.

Runs on the database of bench_portal.py (the register of bench_register.py, its projects and
the public index), through Django's test client in one thread: every request goes through the
middleware, the token and throttling machinery (the rate counted in the database cache, as in
production), the directory's search, the serializer and the JSON renderer. Prints requests/s
and p50/p95 per scenario.

    .venv/bin/python bench/bench_register.py -n 20000 --skip-pages   # the register, once
    .venv/bin/python bench/bench_portal.py -n 20000 --repeat 1       # projects and index, once
    .venv/bin/python bench/bench_api.py -n 20000 --requests 200
"""

import argparse
import json
import logging
import statistics
import sys
import time
import warnings
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import bench_portal  # noqa: E402

SCENARIOS = [
    ("first page, 20 rows", {"page_size": "20"}),
    ("first page, 100 rows", {"page_size": "100"}),
    ("page 50, 20 rows", {"page": "50"}),
    ("page 500, 20 rows", {"page": "500"}),
    ("country=BF", {"country": "BF"}),
    ("theme + département", {"theme": "education", "departement": "33"}),
    ("q=eau", {"q": "eau"}),
    ("q=eau + country=SN, 100 rows", {"q": "eau", "country": "SN", "page_size": "100"}),
    ("detail", None),
]


def parse_args(argv=None) -> argparse.Namespace:
    """This script's options; the dataset's (-n, --projects, --seed, ...) are bench_portal's."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per scenario")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    own, rest = parser.parse_known_args(argv)
    args = bench_portal.parse_args(rest)
    args.requests, args.json = own.requests, own.json
    return args


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv=None) -> None:
    args = parse_args(argv)
    args.projects = args.projects if args.projects is not None else args.organizations // 4
    database = bench_portal.configure(args)

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from observatoire.portal.index import listed_organizations

    settings.DEBUG = False
    settings.API_ANON_RATE = "1000000/minute"  # counted (in the cache) but never reached
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_portal_meta (dataset text)")
        cursor.execute("SELECT dataset FROM bench_portal_meta")
        if cursor.fetchone() is None:
            sys.exit(f"{database} has no public index: run bench/bench_portal.py first")
    listed = listed_organizations().count()
    print(f"Database: {database} ({listed} listed organisations)")
    cache.clear()
    client = Client()
    slugs = list(listed_organizations().order_by("?").values_list("slug", flat=True)[:50])
    rows = []
    for label, params in SCENARIOS:
        urls = (
            [f"/api/v1/organisations/{slug}/" for slug in slugs]
            if params is None
            else ["/api/v1/organisations/?" + "&".join(f"{k}={v}" for k, v in params.items())]
        )
        assert client.get(urls[0]).status_code == 200, urls[0]  # warm-up, and a check
        times = []
        started = time.perf_counter()
        for number in range(args.requests):
            begin = time.perf_counter()
            response = client.get(urls[number % len(urls)])
            times.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200
        elapsed = time.perf_counter() - started
        count = json.loads(response.content).get("count", 1)
        rows.append(
            {
                "scenario": label,
                "results": count,
                "requests_per_s": round(args.requests / elapsed, 1),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
            }
        )
    print(f"{'scenario':34} {'matches':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(
            f"{row['scenario']:34} {row['results']:>8} {row['requests_per_s']:>7} "
            f"{row['p50_ms']:>7} {row['p95_ms']:>7}"
        )
    if args.json:
        args.json.write_text(json.dumps({"organizations": listed, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
