#!/usr/bin/env python
"""`make bench`: every side-by-side comparison of issue 10 in one run, on the same data.

    .venv/bin/python bench/run_national.py                    # 200,000 organisations
    .venv/bin/python bench/run_national.py --quick            # tiny sizes, a smoke run
    .venv/bin/python bench/run_national.py --only search,import
    .venv/bin/python bench/run_national.py --pass import="--encoding utf-8 --work-dir /dev/shm"

Builds (or reuses) the national dataset of `bench/national.py`, then runs each
`bench/compare_<name>.py` in its own process, in turn (never two at once: they pin servers and
load generators to the two cores), each writing its result JSON. Collects them with the machine
description into `bench/results/<date>.json` (runs of the same day are kept side by side), prints
one table and writes it into README.md between the `national-bench` markers (after a run of
some comparisons only, the others keep their latest earlier result, dated in the header). A
comparison that fails is recorded with its exit code and the run goes on with the next one; the
exit code of this script is then 1.
"""

import argparse
import datetime
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BASE_DIR))

from bench import common  # noqa: E402

COMPARISONS = ("search", "import", "dedup", "pages")
README_START = "<!-- national-bench:start -->"
README_END = "<!-- national-bench:end -->"
TOOLS = ("datasette", "sqlite-utils", "splink", "duckdb", "Django", "gunicorn", "psycopg")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes: checks that everything runs"
    )
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of {', '.join(COMPARISONS)}"
    )
    parser.add_argument(
        "--pass",
        dest="passed",
        action="append",
        default=[],
        metavar="NAME=ARGS",
        help="more options for one comparison, e.g. import='--encoding utf-8' (repeatable)",
    )
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    parser.add_argument(
        "--results", type=Path, default=BENCH_DIR / "results", help="where <date>.json goes"
    )
    args = parser.parse_args(argv)
    args.selected = [name for name in args.only.split(",") if name] or list(COMPARISONS)
    args.extra = {}
    for item in args.passed:
        name, _, options = item.partition("=")
        args.extra.setdefault(name, []).extend(shlex.split(options))
    unknown = sorted((set(args.selected) | set(args.extra)) - set(COMPARISONS))
    if unknown:
        parser.error(f"unknown comparison(s): {', '.join(unknown)}")
    return args


def _first_line(command: list[str]) -> str:
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return output.strip().splitlines()[0] if output.strip() else ""


def machine() -> dict:
    """What the figures were measured on: hardware, system, and the versions compared."""
    versions = {}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    postgres = shutil.which("postgres") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), reverse=True)), None
    )
    return {
        **common.machine(),
        "postgresql": _first_line([str(postgres), "--version"]) if postgres else None,
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "versions": versions,
    }


def git_commit() -> str:
    return _first_line(["git", "-C", str(BASE_DIR), "rev-parse", "--short", "HEAD"])


def run_comparison(name: str, args, output: Path) -> dict:
    """Run one compare script in its own process, its output streamed to ours."""
    script = BENCH_DIR / f"compare_{name}.py"
    command = [sys.executable, str(script), "--output", str(output), "--seed", str(args.seed)]
    command += ["--quick"] if args.quick else ["--organizations", str(args.organizations)]
    command += args.extra.get(name, [])
    print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=BASE_DIR)
    seconds = round(time.monotonic() - started, 1)
    if completed.returncode != 0 or not output.exists():
        return {
            "comparison": name,
            "error": f"exit code {completed.returncode}",
            "seconds": seconds,
            "rows": [],
        }
    result = json.loads(output.read_text())
    result["seconds"] = seconds
    return result


def ensure_dataset(args) -> dict:
    """The national dataset every comparison reads, built once before any of them is timed."""
    command = [sys.executable, str(BENCH_DIR / "national.py"), "--seed", str(args.seed)]
    command += ["--organizations", str(300 if args.quick else args.organizations)]
    print(f"=== dataset: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=BASE_DIR)
    return {
        "organizations": 300 if args.quick else args.organizations,
        "seed": args.seed,
        "ok": completed.returncode == 0,
        "seconds": round(time.monotonic() - started, 1),
    }


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int) or (isinstance(value, float) and abs(value) >= 100):
        return f"{value:,.0f}".replace(",", "\u202f")
    return f"{value:.3g}".replace(".", ",") if isinstance(value, float) else str(value)


def table(comparisons: list[dict]) -> str:
    """A Markdown table of every row of every comparison (French, like the README)."""
    lines = [
        "| comparaison | mesure | nous | eux | outil | rapport | cible | atteinte |",
        "| --- | --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for result in comparisons:
        if result.get("error"):
            lines.append(
                f"| {result['comparison']} | échec du script ({result['error']}) "
                "| – | – | – | – | – | – |"
            )
            continue
        for row in result.get("rows", []):
            unit = f" {row['unit']}" if row.get("unit") else ""
            ours = _number(row.get("ours"))
            theirs = _number(row.get("theirs"))
            lines.append(
                f"| {result['comparison']} | {row['measure']} "
                f"| {ours}{unit if ours != '–' else ''} "
                f"| {theirs}{unit if theirs != '–' else ''} "
                f"| {row.get('tool') or '–'} | {_number(row.get('ratio'))} "
                f"| {row.get('target') or '–'} | {_number(row.get('met'))} |"
            )
    return "\n".join(lines)


def write_results(record: dict, directory: Path) -> Path:
    """bench/results/<date>.json, keeping the earlier runs of the same day."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{record['date']}.json"
    runs = []
    if path.exists():
        try:
            runs = json.loads(path.read_text()).get("runs", [])
        except (ValueError, AttributeError):
            runs = []
    runs.append(record)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n")
    temporary.replace(path)
    return path


def earlier_comparisons(directory: Path, record: dict) -> list[tuple[dict, dict]]:
    """For a run of some comparisons only: the latest earlier result of each other one, with
    its run (same dataset and seed, not a quick run, not failed), so the README keeps a row
    for every comparison and says where each came from."""
    ran = {result["comparison"] for result in record["comparisons"]}
    found: dict[str, tuple[dict, dict]] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            runs = json.loads(path.read_text()).get("runs", [])
        except (ValueError, AttributeError):
            continue
        for run in runs:
            if run is record or run.get("quick") or run.get("seed") != record["seed"]:
                continue
            organizations = (run.get("dataset") or {}).get("organizations")
            if organizations != record["dataset"]["organizations"]:
                continue
            for result in run.get("comparisons", []):
                name = result.get("comparison")
                if name in COMPARISONS and name not in ran and not result.get("error"):
                    found[name] = (run, result)  # files and runs in time order: the latest wins
    return [found[name] for name in COMPARISONS if name in found]


def _run_header(run: dict) -> str:
    described = run["machine"]
    return (
        f"{run['date']}, commit `{run['commit']}`, "
        f"{_number(run['dataset']['organizations'])} organisations (graine {run['seed']}), "
        f"{described['cores']} cœurs {described['cpu']}, {described['ram']}, "
        f"charge au départ {described['load_average_at_start'][0]}"
        f"{', exécution rapide (--quick)' if run['quick'] else ''}"
    )


def update_readme(readme: Path, record: dict, earlier: list[tuple[dict, dict]] = ()) -> bool:
    """Replace the table between the markers; False when the markers are missing."""
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        return False
    header = f"Dernière exécution : {_run_header(record)}."
    comparisons = list(record["comparisons"])
    for run, result in earlier:
        header += (
            f"\nLa comparaison « {result['comparison']} » vient d'une exécution antérieure : "
            f"{_run_header(run)}."
        )
        comparisons.append(result)
    order = {name: index for index, name in enumerate(COMPARISONS)}
    comparisons.sort(key=lambda result: order.get(result.get("comparison"), len(order)))
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{header}\n\n{table(comparisons)}\n{README_END}{tail}")
    return True


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    record = {
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "commit": git_commit(),
        "seed": args.seed,
        "quick": args.quick,
        "options": {name: " ".join(options) for name, options in args.extra.items()},
        "machine": machine(),
    }
    record["dataset"] = ensure_dataset(args)
    if not record["dataset"]["ok"]:
        print("The national dataset could not be built: nothing was measured.", file=sys.stderr)
        return 1
    comparisons = []
    with tempfile.TemporaryDirectory(prefix="observatoire-bench-") as scratch:
        for name in args.selected:
            comparisons.append(run_comparison(name, args, Path(scratch) / f"{name}.json"))
    record["comparisons"] = comparisons
    record["seconds"] = round(time.monotonic() - started, 1)
    path = write_results(record, args.results)
    print(f"\n{table(comparisons)}\n")
    print(f"Written to {path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path}")
    if not args.no_readme and not args.quick:
        if update_readme(BASE_DIR / "README.md", record, earlier_comparisons(args.results, record)):
            print("README.md: table updated")
        else:
            print("README.md: markers not found, table not written", file=sys.stderr)
    return 1 if any(result.get("error") for result in comparisons) else 0


if __name__ == "__main__":
    sys.exit(main())
