#!/usr/bin/env python
"""Annual report, API lists and public pages at two sizes of register: how each cost grows.

    .venv/bin/python bench/compare_pages.py                       # 20,000 and 200,000
    .venv/bin/python bench/compare_pages.py --quick               # tiny sizes, under a minute
    .venv/bin/python bench/compare_pages.py --database 20000=bench/var/x.sqlite3 ...

For each size, a worker process (Django is set up once per process, on one database) works on
a copy of the national dataset (`bench/var/pages-<N>-<seed>.sqlite3`, migrated) and measures:
the annual report (figures, HTML, PDF), the queries each page runs, and the throughput of the
API lists and of the public pages. The parent puts the sizes side by side: the growth rows
divide the cost at the larger size by the cost at the smaller one, next to the growth of the
data. The demo network's annual report is measured once (one network). See bench/README.md.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.common import machine, percentile, write_json  # noqa: E402

SIZES = (20000, 200000)
QUICK_SIZE = 2000
SAMPLE = 200  # organisation and project pages visited, the same at every size
CONNECTIONS = 16


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-n", "--organizations", type=int, help="the larger size (default 200,000; 2,000 quick)"
    )
    parser.add_argument("--small", type=int, help="the smaller size (default N / 10)")
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few requests")
    parser.add_argument("--output", type=Path, help="write the result JSON there")
    parser.add_argument("--repeat", type=int, help="runs of each report step (default 3, quick 1)")
    parser.add_argument(
        "--requests", type=int, help="requests per HTTP scenario (default 800, quick 50)"
    )
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="N=PATH",
        help="use this SQLite file for size N instead of the national dataset (copied first)",
    )
    parser.add_argument("--skip-demo", action="store_true", help="no demo-network report")
    parser.add_argument("--skip-pdf", action="store_true", help="figures and HTML only")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    large = args.organizations or (QUICK_SIZE if args.quick else SIZES[1])
    args.sizes = (args.small or large // 10, large)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.requests = args.requests or (50 if args.quick else 800)
    return args


# Pure helpers (tested) -------------------------------------------------------------------------


def sample_slugs(slugs, count: int = SAMPLE, seed: int = 1901) -> list[str]:
    """`count` slugs drawn deterministically: the same for the same set whatever its order."""
    ordered = sorted(slugs)
    if len(ordered) <= count:
        return ordered
    return random.Random(seed).sample(ordered, count)


def growth(small: float | None, large: float | None) -> float | None:
    """large / small, rounded; None when either is missing or the small one is zero."""
    if small is None or large is None or small == 0:
        return None
    return round(large / small, 2)


def summary(durations_ms: list[float], elapsed_s: float | None = None) -> dict:
    """p50 / p95 in ms, and requests per second when the wall time of the run is given."""
    figures = {
        "requests": len(durations_ms),
        "p50_ms": round(statistics.median(durations_ms), 2),
        "p95_ms": round(percentile(durations_ms, 0.95), 2),
    }
    if elapsed_s:
        figures["rps"] = round(len(durations_ms) / elapsed_s, 1)
    return figures


def row(measure: str, unit: str, ours, target: str | None = None, met: bool | None = None) -> dict:
    """A result row without a competitor (the contract's shape)."""
    return {
        "measure": measure,
        "unit": unit,
        "ours": ours,
        "theirs": None,
        "tool": None,
        "ratio": None,
        "target": target,
        "met": met,
    }


def growth_row(
    label: str, small: float | None, large: float | None, data_growth: float, unit: str = "s"
) -> dict:
    """How a figure grew between the two sizes. A cost (time) is met when it grew less than the
    data did; a throughput (req/s) when it fell by less than the data grew."""
    factor = growth(small, large)
    if unit == "req/s":
        floor = round(1 / data_growth, 3)
        target = f"> {floor:g} (data x{data_growth:g})"
        met = None if factor is None else factor > floor
    else:
        target = f"< {data_growth:g} (data x{data_growth:g})"
        met = None if factor is None else factor < data_growth
    return row(f"{label}: growth", "x", factor, target, met)


def build_rows(sizes: tuple[int, int], measured: dict[int, dict], demo: dict | None) -> list[dict]:
    """The result rows: each figure at each size, then its growth from the small to the large."""
    small, large = sizes
    data_growth = round(large / small, 2)
    rows = []
    if demo:
        for step, unit in (("figures_s", "s"), ("html_s", "s"), ("pdf_s", "s")):
            if demo["report"].get(step) is not None:
                label = f"annual report, one network: {step.removesuffix('_s')}, p50"
                rows.append(row(label, unit, demo["report"][step]))
    for measure, unit, path in figure_paths(measured[small]):
        values = [dig(measured[size], path) for size in sizes]
        for size, value in zip(sizes, values, strict=True):
            rows.append(row(f"{measure}, {size:,} organisations", unit, value))
        if unit != "queries":  # a query count must not grow at all: its rows say so
            rows.append(growth_row(measure, *values, data_growth, unit))
        else:
            same = None if None in values else values[1] <= values[0]
            rows.append(row(f"{measure}: growth", "x", growth(*values), "<= 1.0", same))
    return rows


def dig(record: dict, path: tuple):
    for key in path:
        if not isinstance(record, dict) or key not in record:
            return None
        record = record[key]
    return record


def figure_paths(record: dict) -> list[tuple[str, str, tuple]]:
    """(measure, unit, path in a worker's record) of every figure reported, in order."""
    paths = [
        (f"annual report, national: {step.removesuffix('_s')}, p50", "s", ("report", step))
        for step in ("figures_s", "html_s", "pdf_s")
        if dig(record, ("report", step)) is not None
    ]
    for label in record.get("queries", {}):
        paths.append((f"queries per page: {label}", "queries", ("queries", label)))
    for label in record.get("http", {}):
        base = f"{label}, HTTP {CONNECTIONS} connections"
        paths += [
            (f"{base}: p50", "ms", ("http", label, "p50_ms")),
            (f"{base}: p95", "ms", ("http", label, "p95_ms")),
            (f"{base}: throughput", "req/s", ("http", label, "rps")),
        ]
    for label in record.get("server", {}):
        paths.append((f"{label}, in process: p50", "ms", ("server", label, "p50_ms")))
    return paths


# Datasets --------------------------------------------------------------------------------------


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy (write-ahead log included), unless `target` is already a copy of this
    very `source` (its path, size and time recorded beside it: the worker writes in the copy)."""
    from bench.bench_portal import copy_database

    stamp = Path(f"{target}.source.json")
    state = source.stat()
    origin = {"path": str(source.resolve()), "size": state.st_size, "mtime": state.st_mtime}
    if target.exists() and stamp.exists() and json.loads(stamp.read_text()) == origin:
        return
    stamp.unlink(missing_ok=True)
    copy_database(source, target)
    stamp.write_text(json.dumps(origin))


def dataset(size: int, args) -> Path:
    """The working copy for `size`: of --database N=PATH, else of part A's national dataset."""
    given = dict(item.split("=", 1) for item in args.database)
    if str(size) in given:
        source = Path(given[str(size)])
    else:
        from bench import national

        national.ensure(size, args.seed)
        source = national.dataset_path(size, args.seed)
    target = BENCH_DIR / "var" / f"pages-{size}-{args.seed}.sqlite3"
    if source.resolve() != target.resolve():
        copy_sqlite(source, target)
    return target


def run_worker(database: Path, args, *, demo: bool = False) -> dict:
    """Measure one database in a child process (Django is set up once per process)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "worker.json"
        command = [sys.executable, __file__, "--worker", str(database)]
        command += ["--worker-output", str(output), "--repeat", str(args.repeat)]
        command += ["--requests", str(args.requests), "--seed", str(args.seed)]
        command += ["--skip-pdf"] * args.skip_pdf + ["--quick"] * args.quick
        command += ["--report-only"] * demo
        subprocess.run(command, check=True)
        return json.loads(output.read_text())


def run(args) -> dict:
    """Measure both sizes (and the demo network), and return the contract's result."""
    started = time.perf_counter()
    measured = {size: run_worker(dataset(size, args), args) for size in args.sizes}
    demo = None
    if not args.skip_demo:
        demo = run_worker(demo_database(), args, demo=True)
    result = {
        "comparison": "pages",
        "title": "Annual report, API lists and public pages: how each cost grows "
        f"from {args.sizes[0]:,} to {args.sizes[1]:,} organisations",
        "rows": build_rows(args.sizes, measured, demo),
        "details": {
            "sizes": list(args.sizes),
            "seed": args.seed,
            "measured": {str(size): record for size, record in measured.items()},
            "demo": demo,
            "machine": machine(),
            "seconds": round(time.perf_counter() - started, 1),
        },
    }
    return result


def demo_database() -> Path:
    """The demo network's database of bench_annual_report.py (loaded there once if missing)."""
    database = BENCH_DIR / "var" / "annual-report-demo.sqlite3"
    if not database.exists():
        subprocess.run(
            [sys.executable, str(BENCH_DIR / "bench_annual_report.py"), "--repeat", "1"],
            check=True,
        )
    return database


# The worker ------------------------------------------------------------------------------------


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # the settings need a real secret key otherwise
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DATA_DIR"] = str(BENCH_DIR / "var")
    os.environ["MEDIA_ROOT"] = str(BENCH_DIR / "var" / "media")
    os.environ["API_ANON_RATE"] = "1000000/minute"  # counted, never reached
    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log while timing
    settings.API_ANON_RATE = os.environ["API_ANON_RATE"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def report_figures(repeat: int, skip_pdf: bool) -> dict:
    """p50 in seconds of the annual report's figures, HTML and PDF (bench_annual_report's)."""
    from django.utils import timezone

    import bench.bench_annual_report as annual

    year = activity_year() or timezone.localdate().year
    if skip_pdf:
        durations, _ = annual.timed(repeat, lambda: _figures(year))
        return {"year": year, "figures_s": round(statistics.median(durations), 3)}
    results, html, pdf = annual.measure(year, repeat)
    return {
        "year": year,
        "figures_s": round(statistics.median(results["figures (collect)"]), 3),
        "html_s": round(statistics.median(results["HTML, default template"]), 3),
        "pdf_s": round(statistics.median(results["PDF, default template"]), 3),
        "html_kib": len(html) // 1024,
        "pdf_kib": len(pdf) // 1024,
    }


def activity_year() -> int | None:
    """The year the national dataset's activity happened in (its `bench_meta`), if recorded."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM bench_meta WHERE key = 'summary'")
            found = cursor.fetchone()
    except DatabaseError:
        return None
    return json.loads(found[0]).get("activity_year") if found else None


def _figures(year: int):
    from observatoire.core.periods import Period
    from observatoire.observatory.figures import collect

    return collect(Period.year(year))


def page_urls(seed: int) -> dict[str, list[str]]:
    """The URLs of each scenario: the public pages (sampled) and the API lists."""
    from django.conf import settings

    from observatoire.events.models import Event
    from observatoire.portal.index import listed_organizations
    from observatoire.projects.models import Project

    organizations = sample_slugs(listed_organizations().values_list("slug", flat=True), seed=seed)
    projects = sample_slugs(
        Project.objects.published().exclude(slug="").values_list("slug", flat=True), seed=seed
    )

    def deep(count: int) -> int:  # 90 % of the way through the list
        return max(1, (count // settings.API_PAGE_SIZE) * 9 // 10)

    listed = listed_organizations().count()
    published = Project.objects.published().count()
    events = Event.objects.published().count()
    return {
        "home /": ["/"],
        "organisation pages": [f"/annuaire/{slug}/" for slug in organizations],
        "project pages": [f"/projets/{slug}/" for slug in projects],
        "API organisations, first page": ["/api/v1/organisations/"],
        "API organisations, deep page": [f"/api/v1/organisations/?page={deep(listed)}"],
        "API projects, first page": ["/api/v1/projets/"],
        "API projects, deep page": [f"/api/v1/projets/?page={deep(published)}"],
        "API events, first page": ["/api/v1/evenements/"],
        "API events, deep page": [f"/api/v1/evenements/?page={deep(events)}"],
    }


def count_queries(urls: dict[str, list[str]]) -> dict[str, int]:
    """Queries of one GET of each scenario's first URL, the cache warm (what scales with data)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(), {}
    for label, addresses in urls.items():
        client.get(addresses[0])  # warm the shared parts (labels, version number)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(addresses[0])
        assert response.status_code == 200, (addresses[0], response.status_code)
        counts[label] = len(queries)
    return counts


def in_process(urls: dict[str, list[str]], requests: int) -> dict[str, dict]:
    """Server-side time per scenario through Django's test client, cache warm, one thread."""
    from django.test import Client

    client, figures = Client(), {}
    for label, addresses in urls.items():
        durations = []
        for number in range(min(requests, 4 * len(addresses))):
            started = time.perf_counter()
            response = client.get(addresses[number % len(addresses)])
            durations.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        figures[label] = summary(durations)
    return figures


PAGES = ("home /", "organisation pages", "project pages")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def over_http(database: Path, urls: dict[str, list[str]], requests: int) -> dict[str, dict]:
    """Throughput and latency over HTTP: gunicorn on core 0, the load (16 connections) on core 1.

    The public pages run twice: cold (the cache emptied, each URL once, at least 16 requests)
    then warm; the API lists warm only (their pages are not cached, only the labels are).
    """
    from django.core.cache import cache

    from bench import httpload

    figures = {}
    env = {"API_ANON_RATE": os.environ["API_ANON_RATE"]}
    with httpload.serve_django(database, free_port(), cpus="0", env=env) as base:
        for label, paths in urls.items():
            addresses = [base + path for path in paths]
            if label in PAGES:
                cache.clear()
                cold = addresses * max(1, -(-CONNECTIONS // len(addresses)))
                figures[f"{label}, cold"] = _http_figures(httpload.load(cold, CONNECTIONS, "1", 1))
            rounds = max(1, requests // len(addresses))
            key = f"{label}, warm" if label in PAGES else label
            figures[key] = _http_figures(httpload.load(addresses, CONNECTIONS, "1", rounds))
            print(f"  HTTP {key:40} {figures[key]}", flush=True)
    return figures


def _http_figures(result: dict) -> dict:
    if result["errors"]:
        raise RuntimeError(f"HTTP errors: {result['failures']}")
    return {
        "requests": result["requests"],
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "rps": result["requests_per_second"],
    }


def worker(args) -> dict:
    setup_django(args.worker)
    from django.core.cache import cache

    from observatoire.events.models import Event
    from observatoire.organizations.models import Organization
    from observatoire.projects.models import Project

    record = {
        "database": str(args.worker),
        "counts": {
            "organizations": Organization.objects.count(),
            "projects": Project.objects.count(),
            "events": Event.objects.count(),
        },
    }
    print(f"{args.worker.name}: {record['counts']}", flush=True)
    record["report"] = report_figures(args.repeat, args.skip_pdf)
    print(f"  annual report: {record['report']}", flush=True)
    if args.report_only:  # the demo network
        return record
    urls = page_urls(args.seed)
    cache.clear()
    record["queries"] = count_queries(urls)
    print(f"  queries per page: {record['queries']}", flush=True)
    record["server"] = in_process(urls, args.requests)
    for label, figures in record["server"].items():
        print(f"  in process {label:34} p50 {figures['p50_ms']:8.1f} ms", flush=True)
    record["http"] = over_http(args.worker, urls, args.requests)
    return record


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.worker:
        write_json(args.worker_output, worker(args))
        return
    result = run(args)
    print(f"{'measure':72} {'unit':>7} {'ours':>10} {'target':>18}")
    for entry in result["rows"]:
        print(
            f"{entry['measure']:72} {entry['unit']:>7} {entry['ours']!s:>10} "
            f"{entry['target'] or '':>18}"
        )
    if args.output:
        write_json(args.output, result)
        print(f"Written to {args.output}")


if __name__ == "__main__":
    main()
