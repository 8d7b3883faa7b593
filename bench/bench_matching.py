#!/usr/bin/env python
"""Time the matcher: N organisations of the generated register against 1,000 open calls.

    python bench/bench_matching.py [-n 20000] [--calls 1000] [--singles 300] [--source PATH]

Starts from a copy of the register that bench_register.py generates
(bench/var/register-200000-1901.sqlite3, or --source), migrates it, adds the open calls
(deterministic: `random.Random(seed)`) and prints the time of `matches_for_organizations` over
the first N organisations, the p50/p95 of `opportunities_for` for single organisations (reasons
written), and the peak memory of the process. See bench/README.md.
"""

import argparse
import datetime
import random
import resource
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from bench_portal import copy_database, use_database  # noqa: E402  (the same register copy)

GENERATOR_VERSION = 1


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=200000)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=300, help="single organisations timed")
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--register", type=int, default=200000, help="size of the register")
    parser.add_argument("--source", type=Path, help="the register database to copy")
    parser.add_argument("--rebuild", action="store_true", help="copy the register again")
    return parser.parse_args(argv)


def configure(args) -> Path:
    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    source = args.source or var / f"register-{args.register}-{args.seed}.sqlite3"
    target = var / f"matching-{args.register}-{args.seed}.sqlite3"
    if args.rebuild or not target.exists():
        if not source.exists():
            sys.exit(f"{source} is missing: run bench/bench_register.py -n {args.register}")
        copy_database(source, target)
    use_database(target)
    return target


def generate_calls(args) -> float:
    """`args.calls` open items of every matched kind, with a realistic spread of eligibility."""
    from django.db import transaction
    from django.utils import timezone

    from observatoire.referentials.models import (
        SDG,
        Country,
        Departement,
        Need,
        OrganizationKind,
        Theme,
    )
    from observatoire.watch.models import WatchItem

    started = time.perf_counter()
    rng = random.Random(args.seed)
    usual = list(
        Country.objects.filter(
            iso2__in=["BF", "SN", "MG", "MA", "TG", "ML", "BJ", "CM", "HT", "VN", "NE", "TN"]
        ).values_list("pk", flat=True)
    )
    all_countries = list(Country.objects.order_by("pk").values_list("pk", flat=True))
    themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    sdgs = list(SDG.objects.order_by("pk").values_list("pk", flat=True))
    needs = list(Need.objects.order_by("pk").values_list("pk", flat=True))
    kinds = list(OrganizationKind.objects.order_by("pk").values_list("pk", flat=True))
    departements = list(
        Departement.objects.filter(region__name__icontains="Aquitaine").values_list("pk", flat=True)
    ) or list(Departement.objects.values_list("pk", flat=True)[:12])
    funders = ["AFD", "Région Nouvelle-Aquitaine", "MEAE – DAECT", "Agence de l'eau Adour-Garonne",
               "Fondation de France", "Union européenne"]  # fmt: skip
    item_kinds = (
        ["funding_call"] * 12 + ["training"] * 3 + ["job"] * 2 + ["volunteering", "event"] * 1
    )
    today = timezone.localdate()
    now = timezone.now()
    WatchItem.objects.all().delete()
    links = {
        name: []
        for name in ("themes", "sdgs", "countries", "organization_kinds", "departements", "needs")
    }
    with transaction.atomic():
        items = []
        for number in range(args.calls):
            zones = []
            if rng.random() < 0.2:
                zones = [rng.choice(["AF", "AF", "AF", "AS", "AM", "EU"])]
            items.append(
                WatchItem(
                    kind=rng.choice(item_kinds),
                    title=f"Appel {number} – {rng.choice(funders)}",
                    slug=f"appel-bench-{number}",
                    funder=rng.choice(funders),
                    status=WatchItem.Status.PUBLISHED,
                    deadline=None
                    if rng.random() < 0.1
                    else today + datetime.timedelta(days=rng.randint(1, 180)),
                    published_at=now - datetime.timedelta(days=rng.randint(0, 60)),
                    zones=zones,
                )
            )
        items = WatchItem.objects.bulk_create(items)
        for item in items:
            if rng.random() < 0.85:
                links["themes"] += [(item.pk, t) for t in rng.sample(themes, rng.randint(1, 2))]
            links["sdgs"] += [(item.pk, s) for s in rng.sample(sdgs, rng.randint(0, 2))]
            if not item.zones and rng.random() < 0.4:
                pool = usual if rng.random() < 0.8 else all_countries
                links["countries"] += [(item.pk, c) for c in rng.sample(pool, rng.randint(1, 3))]
            if rng.random() < 0.5:
                links["organization_kinds"] += [
                    (item.pk, k) for k in rng.sample(kinds, rng.randint(1, 5))
                ]
            if rng.random() < 0.1:
                links["departements"] += [
                    (item.pk, d) for d in rng.sample(departements, rng.randint(1, 2))
                ]
            links["needs"] += [(item.pk, n) for n in rng.sample(needs, rng.randint(0, 1))]
        for name, pairs in links.items():
            through = getattr(WatchItem, name).through
            column = [
                f.attname
                for f in through._meta.concrete_fields
                if f.attname not in ("id", "watchitem_id")
            ][0]
            through.objects.bulk_create(
                [through(watchitem_id=i, **{column: v}) for i, v in pairs], batch_size=5000
            )
    return round(time.perf_counter() - started, 1)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv=None) -> None:
    args = parse_args(argv)
    configure(args)
    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from observatoire.matching import selectors
    from observatoire.organizations.models import Organization
    from observatoire.watch.models import WatchItem

    settings.DEBUG = False
    print(f"Database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    call_command("migrate", verbosity=0)
    dataset = f"{args.calls}:{args.seed}:{GENERATOR_VERSION}"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_matching_meta (dataset text)")
        cursor.execute("SELECT dataset FROM bench_matching_meta")
        ready = cursor.fetchone() == (dataset,)
    if not ready:
        print(f"Generating {args.calls} open calls (seed {args.seed})")
        print(f"  done in {generate_calls(args)} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("DELETE FROM bench_matching_meta")
            cursor.execute("INSERT INTO bench_matching_meta VALUES (%s)", [dataset])
    ids = list(
        Organization.objects.order_by("pk").values_list("pk", flat=True)[: args.organizations]
    )
    print(f"{len(ids)} organisations, {WatchItem.objects.open().count()} open items")
    memory_before = peak_memory_mb()

    started, cpu = time.perf_counter(), time.process_time()
    result = selectors.matches_for_organizations(organization_ids=ids, per_organization=10)
    bulk_seconds = time.perf_counter() - started
    bulk_cpu = time.process_time() - cpu
    matched = sum(1 for matches in result.values() if matches)
    total = sum(len(matches) for matches in result.values())
    memory_bulk = peak_memory_mb()
    started = time.perf_counter()
    sample = random.Random(args.seed).sample(ids, min(1000, len(ids)))
    reasons = sum(len(m.reasons) for pk in sample for m in result[pk])
    reasons_seconds = time.perf_counter() - started
    del result

    times = []
    for pk in random.Random(args.seed + 1).sample(ids, min(args.singles, len(ids))):
        organization = Organization.objects.get(pk=pk)
        started = time.perf_counter()
        matches = selectors.opportunities_for(organization=organization, limit=20)
        for match in matches:
            match.reasons  # noqa: B018  (written as the page does)
        times.append(time.perf_counter() - started)

    print(
        f"matches_for_organizations, {len(ids)} organisations x 10 best: {bulk_seconds:.1f} s "
        f"({bulk_cpu:.1f} s of CPU, {bulk_seconds / len(ids) * 1e6:.0f} µs per organisation); "
        f"{matched} with a match, "
        f"{total} matches"
    )
    print(f"  reasons of 1,000 organisations' matches ({reasons} reasons): {reasons_seconds:.2f} s")
    print(
        f"opportunities_for, {len(times)} single organisations (limit 20, reasons written): "
        f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms,"
        f" mean {statistics.mean(times) * 1000:.0f} ms"
    )
    print(
        f"Peak memory (max RSS): {memory_before:.0f} MB before the bulk run, "
        f"{memory_bulk:.0f} MB after it"
    )


if __name__ == "__main__":
    main()
