"""Time the annual report: figures, HTML and PDF, for the demo network or a national register.

    .venv/bin/python bench/bench_annual_report.py                      # the demo network
    .venv/bin/python bench/bench_annual_report.py --organizations 200000

The demo network is loaded once into `bench/var/annual-report-demo.sqlite3` (migrated, then
`load_demo_network`), and reused. With `--organizations N` the script works on a copy
(`bench/var/annual-report-register-N-1901.sqlite3`, made once, migrated) of the register that
`bench/bench_register.py -n N` generates; the source is never modified.

Measured, `--repeat` times each, p50 and max in seconds:
- figures: `observatoire.observatory.figures.collect()` for the year (every query of the report);
- HTML: the standalone HTML of the default template (figures included, as `annual_report
  --format html` does);
- PDF: the same through WeasyPrint (figures included);
- for the demo, also the published report's PDF, rendered from its snapshot (no figures to
  compute: what a visitor of /rapport-annuel/<year>/pdf/ waits for).
Targets: PDF under 10 s for the demo network, under 60 s at national scale.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
TARGETS = {"demo": 10.0, "register": 60.0}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=0, help="0 = the demo network")
    parser.add_argument("--seed", type=int, default=1901, help="the register's seed")
    parser.add_argument("--year", type=int, default=0, help="default: the current year")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--source", default="", help="the generated register (default: bench/var/register-N-SEED)"
    )
    return parser.parse_args(argv)


def prepare_database(args) -> Path:
    if args.organizations:
        source = (
            Path(args.source)
            if args.source
            else (BENCH_DIR / "var" / f"register-{args.organizations}-{args.seed}.sqlite3")
        )
        if not source.exists():
            sys.exit(f"{source} not found: run bench/bench_register.py -n {args.organizations}.")
        database = BENCH_DIR / "var" / f"annual-report-{source.name}"
        if not database.exists() or database.stat().st_mtime < source.stat().st_mtime:
            print(f"Copying {source} to {database}")
            shutil.copyfile(source, database)
    else:
        database = BENCH_DIR / "var" / "annual-report-demo.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # the settings need a real secret key otherwise
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DATA_DIR"] = str(BENCH_DIR / "var")
    sys.path.insert(0, str(BASE_DIR))
    return database


def timed(repeat: int, function) -> tuple[list[float], object]:
    durations, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return durations, result


def measure(year: int, repeat: int) -> tuple[dict[str, list[float]], bytes, bytes]:
    """Durations (s) of the figures, the HTML and the PDF of `year`'s report; the last HTML, PDF.

    Django must be set up on a migrated database; the report is created in a rolled-back
    transaction, so the database is left as it was.
    """
    from django.conf import settings
    from django.db import transaction
    from django.utils import translation

    from observatoire.core.periods import Period
    from observatoire.observatory.figures import collect
    from observatoire.reports import render, selectors, services

    results: dict[str, list[float]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        results["figures (collect)"], _ = timed(repeat, lambda: collect(Period.year(year)))
        with transaction.atomic():
            report = services.report_create(year=year)
            results["HTML, default template"], html = timed(
                repeat, lambda: render.document_html(report)
            )
            results["PDF, default template"], pdf = timed(repeat, lambda: render.report_pdf(report))
            transaction.set_rollback(True)
        published = selectors.published_report(year=year - 1)
        if published is not None:
            results[f"PDF, published {year - 1} (snapshot)"], _ = timed(
                repeat, lambda: render.report_pdf(published)
            )
    return results, html, pdf


def main(argv=None) -> None:
    args = parse_args(argv)
    database = prepare_database(args)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.DEBUG = False  # no query log while timing
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from observatoire.organizations.demo import demo_is_loaded, load_demo_network
    from observatoire.organizations.models import Organization

    if not args.organizations and not demo_is_loaded():
        print("Loading the demo network (once)")
        load_demo_network()
    year = args.year or timezone.localdate().year
    scale = "register" if args.organizations else "demo"
    print(
        f"{database.name}: {Organization.objects.count()} organisations, report of {year}, "
        f"{args.repeat} runs each"
    )
    results, html, pdf = measure(year, args.repeat)
    print(f"HTML {len(html) / 1024:.0f} KiB, PDF {len(pdf) / 1024:.0f} KiB")
    for label, durations in results.items():
        print(
            f"  {label:<34} p50 {statistics.median(durations):6.2f} s   max {max(durations):6.2f} s"
        )
    worst = max(results["PDF, default template"])
    target = TARGETS[scale]
    verdict = "OK" if worst < target else "OVER TARGET"
    print(f"PDF with fresh figures: {worst:.2f} s, target {target:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
