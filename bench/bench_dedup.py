#!/usr/bin/env python
"""Measure the duplicate finder: quality on labelled sets, speed on a large generated register.

    python bench/bench_dedup.py [--min-score 0.8] [--organizations 200000] [--skip-register]

For each labelled set it prints pairwise precision, recall and F1 and the run time, then runs the
finder (`duplicates_find`) on the register that bench_register.py generates (reused from
bench/var/ when there) and writes bench/results/<date>-dedup.json. See bench/README.md.
"""

import argparse
import csv
import datetime
import json
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
DATA_DIR = BASE_DIR.parent / "shared" / "data" / "benchmarks"
FRENCH_SET = BENCH_DIR / "data" / "dedupe_fr_labelled.csv"
sys.path.insert(0, str(BENCH_DIR))

sys.path.insert(0, str(BASE_DIR))

import bench_register  # noqa: E402  (reused: its database and its generator)

from bench.common import machine  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-score", type=float, default=None, help="default: the finder's")
    parser.add_argument("--organizations", "-n", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--skip-register", action="store_true", help="labelled sets only")
    parser.add_argument(
        "--development-only",
        action="store_true",
        help="the development halves only (no full set, no held-out half): for choices while "
        "working; implies --skip-register and writes no result file",
    )
    return parser.parse_args(argv)


# Metrics ---------------------------------------------------------------------------------------


def metrics(predicted: set, true: set) -> dict:
    hits = len(predicted & true)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(predicted),
        "true_pairs": len(true),
    }


def pairs_within(groups) -> set[tuple[int, int]]:
    pairs = set()
    for members in groups:
        for first, second in combinations(sorted(members), 2):
            pairs.add((first, second))
    return pairs


def components(ids, pairs) -> list[list[int]]:
    """Connected components of the found pairs (what merging every pair would give)."""
    parent = {pk: pk for pk in ids}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for first, second in pairs:
        parent[root(first)] = root(second)
    groups = defaultdict(list)
    for pk in ids:
        groups[root(pk)].append(pk)
    return [members for members in groups.values() if len(members) > 1]


def evaluate_clusters(name, records, truth, min_score, development_only=False) -> dict:
    """Run the finder on records and compare with the true clusters: on the whole set, then on
    its development half (true cluster ids even: the only rows looked at while developing) and
    its held-out half (odd ids), each half run as a register of its own."""
    if development_only:
        subset = half(records, truth, 0)
        result = {"set": f"{name}, development half only"}
        result.update(evaluate_part(subset, truth, min_score, sweep=True))
        print_result(result)
        return result
    result = {"set": name}
    result.update(evaluate_part(records, truth, min_score, sweep=True))
    for part, parity in (("development", 0), ("held_out", 1)):
        result[part] = evaluate_part(half(records, truth, parity), truth, min_score)
    print_result(result)
    return result


def evaluate_part(records, truth, min_score, sweep=False) -> dict:
    from observatoire.deduplication.blocking import find_pairs, group_duplicates

    ids = [pk for pk, _d in records]
    started = time.perf_counter()
    found, compared = find_pairs(records, min_score=min_score)
    seconds = time.perf_counter() - started
    predicted = {(p.first_id, p.second_id) for p in found}
    clusters = defaultdict(list)
    for pk in ids:
        clusters[truth[pk]].append(pk)
    true = pairs_within(clusters.values())
    started = time.perf_counter()
    groups = group_duplicates(records, min_score=min_score)
    group_seconds = time.perf_counter() - started
    result = {
        "records": len(records),
        "clusters": len(clusters),
        "compared_pairs": compared,
        "seconds": round(seconds, 2),
        "grouping_seconds": round(group_seconds, 2),
        "pairs": metrics(predicted, true),
        # The finder's groups (average linkage over the compared pairs, see blocking.py).
        "clustered": metrics(pairs_within(groups), true),
        # Every proposed pair joined (connected components), for comparison.
        "components": metrics(pairs_within(components(ids, predicted)), true),
    }
    if sweep:
        # The same run at other thresholds, for information: the default is not picked per set.
        from observatoire.deduplication.blocking import (
            candidate_pairs,
            group_scored,
            prepare_items,
        )
        from observatoire.deduplication.matching import score_codes

        items = prepare_items(records)
        scores = {(a, b): score_codes(items[a], items[b])[0] for a, b in candidate_pairs(items)}
        result["f1_by_threshold"] = {
            str(threshold): {
                "pairs_f1": metrics(
                    {pair for pair, score in scores.items() if score >= threshold}, true
                )["f1"],
                "clustered_f1": metrics(
                    pairs_within(group_scored(items, dict(scores), threshold)), true
                )["f1"],
            }
            for threshold in SWEEP
        }
    return result


SWEEP = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def print_result(result: dict) -> None:
    print(
        f"\n{result['set']}: {result['records']} records, {result.get('clusters', '-')} "
        f"true entities, {result['compared_pairs']} pairs compared, {result['seconds']} s"
    )
    for part in ("", "development", "held_out"):
        if part and part not in result:
            continue
        figures = result[part] if part else result
        if part:
            print(
                f"  {part} half ({figures['records']} records, {figures['clusters']} entities, "
                f"true ids {'even' if part == 'development' else 'odd'}):"
            )
        for label in ("pairs", "clustered", "components"):
            if label not in figures:
                continue
            m = figures[label]
            flag = "" if m["f1"] >= 0.9 or label == "components" else "   <-- below 0.90"
            print(
                f"  {'  ' if part else ''}{label:<10} precision {m['precision']:.3f}  "
                f"recall {m['recall']:.3f}  F1 {m['f1']:.3f}  ({m['predicted_pairs']} "
                f"predicted, {m['true_pairs']} true){flag}"
            )
    if "f1_by_threshold" in result:
        print(
            "  F1 at other thresholds (pairs / clustered): "
            + ", ".join(
                f"{t}: {v['pairs_f1']:.2f}/{v.get('clustered_f1', v['pairs_f1']):.2f}"
                for t, v in result["f1_by_threshold"].items()
            )
        )


# Labelled sets ---------------------------------------------------------------------------------


def load_patstat(data_dir: Path) -> tuple[list, dict]:
    """The patstat records as (id, Description) and their true cluster ids."""
    from observatoire.deduplication.matching import Description

    records, truth = [], {}
    with open(data_dir / "dedupe_patstat_reference.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            pk = int(row["person_id"])
            records.append((pk, Description(name=row["person_name"])))
            truth[pk] = row["leuven_id"]
    return records, truth


def load_csv_example(data_dir: Path) -> tuple[list, dict]:
    """The Chicago sites as (id, Description) and their true entity ids."""
    from observatoire.deduplication.matching import Description

    records, truth = [], {}
    path = data_dir / "dedupe_csv_example_with_true_ids.csv"
    with open(path, newline="", encoding="utf-8", errors="replace") as file:
        for row in csv.DictReader(file):
            pk = int(row["Id"])
            records.append(
                (
                    pk,
                    Description(
                        name=row["Site name"],
                        address=row["Address"],
                        postal_code=row["Zip"],
                        phone=row["Phone"],
                        website=row["Website"],
                        email=row["Email Address"],
                    ),
                )
            )
            truth[pk] = row["True Id"]
    return records, truth


def half(records: list, truth: dict, parity: int) -> list:
    """The development half (true cluster ids even, parity 0) or the held-out one (odd, 1)."""
    return [(pk, d) for pk, d in records if int(truth[pk]) % 2 == parity]


def patstat(data_dir: Path, min_score: float, development_only: bool = False) -> dict:
    records, truth = load_patstat(data_dir)
    return evaluate_clusters("patstat (company names)", records, truth, min_score, development_only)


def csv_example(data_dir: Path, min_score: float, development_only: bool = False) -> dict:
    records, truth = load_csv_example(data_dir)
    return evaluate_clusters(
        "csv_example (name, address, phone)", records, truth, min_score, development_only
    )


def french_pairs() -> list[tuple[dict, object, object]]:
    """The French labelled pairs: (row, Description a, Description b)."""
    from observatoire.deduplication.matching import Description

    places: dict[str, int] = {}

    def place(code: str) -> int | None:
        return places.setdefault(code, len(places) + 1) if code else None

    def describe(row, side) -> Description:
        return Description(
            name=row[f"name_{side}"],
            acronym=row[f"acronym_{side}"],
            departement_id=place("d" + row[f"departement_{side}"])
            if row[f"departement_{side}"]
            else None,
            commune_id=place("c" + row[f"commune_{side}"]) if row[f"commune_{side}"] else None,
            website=row[f"website_{side}"],
        )

    with open(FRENCH_SET, newline="", encoding="utf-8") as file:
        return [(row, describe(row, "a"), describe(row, "b")) for row in csv.DictReader(file)]


def french_set(min_score: float) -> dict:
    """Labelled pairs: each pair scored, and counted found only if the blocking proposes it."""
    from observatoire.deduplication.blocking import candidate_pairs
    from observatoire.deduplication.matching import build_features, score_pair

    started = time.perf_counter()
    predicted, true, rows = set(), set(), []
    scored = []
    for index, (row, a, b) in enumerate(french_pairs()):
        score, _reasons = score_pair(a, b)
        blocked = bool(candidate_pairs({1: build_features(a), 2: build_features(b)}))
        if row["same"] == "1":
            true.add(index)
        if score >= min_score and blocked:
            predicted.add(index)
        scored.append((index, score if blocked else 0.0))
        rows.append((row["category"], row["same"] == "1", score >= min_score and blocked))
    seconds = time.perf_counter() - started
    by_category = defaultdict(lambda: [0, 0])
    for category, same, found in rows:
        by_category[category][0] += 1
        by_category[category][1] += int(same == found)
    result = {
        "set": "dedupe_fr_labelled (French pairs)",
        "records": len(rows) * 2,
        "labelled_pairs": len(rows),
        "positives": len(true),
        "compared_pairs": len(rows),
        "seconds": round(seconds, 2),
        "pairs": metrics(predicted, true),
        "f1_by_threshold": {
            str(threshold): {
                "pairs_f1": metrics({i for i, score in scored if score >= threshold}, true)["f1"]
            }
            for threshold in SWEEP
        },
        "accuracy_by_category": {
            category: f"{right}/{total}" for category, (total, right) in sorted(by_category.items())
        },
    }
    print_result(result)
    for category, value in result["accuracy_by_category"].items():
        print(f"    {category:<28} {value} right")
    return result


# The large register ----------------------------------------------------------------------------


def register_run(args, min_score: float) -> dict:
    from django.core.management import call_command

    from observatoire.deduplication.models import DuplicateCandidate
    from observatoire.deduplication.services import duplicates_find

    register_args = bench_register.parse_args(
        ["--organizations", str(args.organizations), "--seed", str(args.seed)]
    )
    call_command("migrate", verbosity=0)
    if not bench_register.database_is_ready(register_args):
        print(f"Generating {args.organizations} organisations (bench_register's generator)")
        bench_register.generate(register_args)
    from django.db import connection

    # A first run, as on a register never scanned (no merge records in the bench database).
    DuplicateCandidate.objects.all()._raw_delete(connection.alias)
    started = time.perf_counter()
    result = duplicates_find(min_score=min_score)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = duplicates_find(min_score=min_score)
    rerun = time.perf_counter() - started
    record = {
        "set": f"generated register ({args.organizations} organisations)",
        "organizations": result.scanned,
        "compared_pairs": result.compared,
        "pairs_found": result.found,
        "seconds": round(seconds, 2),
        "rerun_seconds": round(rerun, 2),
        "rerun_created": again.created,
        "timings": result.timings,
    }
    flag = "" if seconds < 60 else "   <-- over the 60 s target"
    print(
        f"\nFinder on {result.scanned} organisations: {result.compared} pairs compared, "
        f"{result.found} candidate pairs, {seconds:.1f} s{flag} (re-run {rerun:.1f} s)"
    )
    print("  " + ", ".join(f"{k} {v} s" for k, v in result.timings.items()))
    return record


def main(argv=None) -> None:
    args = parse_args(argv)
    bench_register.configure_environment(
        bench_register.parse_args(
            ["--organizations", str(args.organizations), "--seed", str(args.seed)]
        )
    )
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from observatoire.deduplication.services import DEFAULT_MIN_SCORE

    settings.DEBUG = False
    min_score = args.min_score if args.min_score is not None else DEFAULT_MIN_SCORE
    print(f"Threshold: pairs scoring {min_score} or more are predicted duplicates")
    results = [
        patstat(args.data_dir, min_score, args.development_only),
        csv_example(args.data_dir, min_score, args.development_only),
        french_set(min_score),
    ]
    if args.development_only:
        return
    if not args.skip_register:
        results.append(register_run(args, min_score))
    record = {
        "date": datetime.datetime.now(datetime.UTC).astimezone().isoformat(timespec="seconds"),
        "min_score": min_score,
        "machine": machine(),
        "results": results,
    }
    path = BENCH_DIR / "results" / f"{timezone.localdate().isoformat()}-dedup.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
