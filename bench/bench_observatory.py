#!/usr/bin/env python
"""Time `observatory.figures.collect()` on an existing database (the demo network by default).

    DATABASE_URL=sqlite:///var/observatoire.sqlite3 python bench/bench_observatory.py [--repeat 3]

Prints, for the last twelve months and for the current year, with and without a filter, the
median time of `collect()` and the number of queries it ran. `collect()` is not cached (see
docs/observatory.md), so this is what each dashboard and barometer page pays (twice for the
dashboard: the period and the one before).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from observatoire.core.periods import Period
    from observatoire.observatory.figures import Filters, collect
    from observatoire.organizations.models import Organization

    translation.activate("fr")
    departement = (
        Organization.objects.exclude(departement=None)
        .values_list("departement__code", flat=True)
        .first()
    ) or ""
    print(f"{Organization.objects.count()} organisations")
    year = timezone.localdate().year
    for period in (Period.last_twelve_months(), Period.year(year)):
        for filters in (Filters(), Filters(departement=departement)):
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    collect(period, filters)
                    times.append(time.perf_counter() - started)
            label = f"{period.label}, {filters.as_params() or 'no filter'}"
            print(f"{label}: {statistics.median(times):.3f} s, {len(queries)} queries")


if __name__ == "__main__":
    main()
