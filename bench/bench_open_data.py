#!/usr/bin/env python
"""Time and peak memory of the full open-data export on a generated register.

    python bench/bench_open_data.py --organizations 20000 [--projects 5000]
    python bench/bench_open_data.py --source path/to/portal-20000-5000-1901.sqlite3

Starts from a copy of the register with projects that bench_portal.py generates
(bench/var/portal-<N>-<P>-<seed>.sqlite3, or --source), qualifies every organisation with a
public page so that all of them are exported, then writes every format once into a temporary
directory, each format on its own, and prints the seconds, the rows, the size and the peak
resident memory of the process. See bench/README.md.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench_portal import copy_database  # a sibling script, importable as such

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=20000)
    parser.add_argument("--projects", "-p", type=int, help="default: a quarter of N")
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--source", type=Path, help="the database to start from")
    parser.add_argument("--rebuild", action="store_true", help="copy the source again")
    return parser.parse_args(argv)


def configure(args) -> Path:
    """Copy the source database (once) and point Django at the copy."""
    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    source = args.source or var / f"portal-{args.organizations}-{args.projects}-{args.seed}.sqlite3"
    target = var / f"opendata-{args.organizations}-{args.projects}-{args.seed}.sqlite3"
    if args.rebuild or not target.exists():
        if not source.exists():
            sys.exit(f"{source} is missing: run bench/bench_portal.py -n {args.organizations}")
        copy_database(source, target)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # only so that the settings start without a secret key
    os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log while timing
    return target


def prepare() -> tuple[int, int]:
    """Every organisation listed (qualified, with its page address), as in a live directory."""
    from django.core.management import call_command
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    from observatoire.organizations.models import Organization
    from observatoire.projects.models import Project

    call_command("migrate", verbosity=0)
    Organization.objects.filter(slug="").update(
        status=Organization.Status.QUALIFIED,
        slug=Concat(Value("organisation-"), Cast(F("pk"), CharField())),
    )
    Organization.objects.exclude(status=Organization.Status.QUALIFIED).filter(
        merged_into__isnull=True
    ).update(status=Organization.Status.QUALIFIED)
    listed = Organization.objects.filter(status="qualified", merged_into__isnull=True).count()
    return listed, Project.objects.published().count()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    args = parse_args(argv)
    args.projects = args.projects or args.organizations // 4
    configure(args)
    from observatoire.opendata.services import FORMATS, open_data_write

    organizations, projects = prepare()
    print(f"{organizations} listed organisations, {projects} published projects")
    baseline = peak_mib()
    print(f"peak resident memory before the export: {baseline:.0f} MiB")
    total = 0.0
    with tempfile.TemporaryDirectory() as directory:
        for file_format in FORMATS:
            output = Path(directory) / file_format
            output.mkdir()
            started = time.perf_counter()
            manifest = open_data_write(directory=output, formats=[file_format])
            seconds = time.perf_counter() - started
            total += seconds
            rows = sum(entry.rows for entry in manifest.files)
            size = sum(entry.size for entry in manifest.files) / 1024 / 1024
            print(
                f"{file_format:12} {seconds:7.1f} s  {rows:8} rows  {size:7.1f} MiB  "
                f"peak {peak_mib():.0f} MiB"
            )
    print(f"{'all formats':12} {total:7.1f} s  peak resident memory {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
