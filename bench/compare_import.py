#!/usr/bin/env python
"""Import of the associations-register file: ours against sqlite-utils and psql \\copy.

    python bench/compare_import.py                      # 2,000,000 rows, SQLite and PostgreSQL
    python bench/compare_import.py --quick --output /tmp/import.json

For each encoding (UTF-8, Windows-1252) the waldec file of bench/national_rna.py is loaded, each
load in a process of its own (wall time and that process's peak RSS, from wait4):
- ours: the product's RNA import (`import_rna`, what `manage.py import_rna` runs: decoding,
  every row checked, duplicate keys, international associations kept as candidates matched
  against the register), into a migrated database holding the register;
- theirs: `sqlite-utils insert DB rna FILE --csv --delimiter ';'` into an empty SQLite file, and
  `psql -c "\\copy rna FROM FILE WITH (FORMAT csv, DELIMITER ';', HEADER, ENCODING ...)"` into
  a table of text columns. Both store every row, untyped, unchecked.
The headline figures load the clean twin of the file (same associations, no malformed row),
which every tool can load; the file with 2 % malformed rows is then loaded by each tool and
what happens is reported (`\\copy` stops at the first malformed row). See bench/README.md.
"""

import argparse
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench import national_rna  # noqa: E402
from bench.common import machine, run_measured, write_json  # noqa: E402

VAR = BENCH_DIR / "var"
ENCODINGS = {"utf-8": ("UTF-8", "UTF8"), "cp1252": ("Windows-1252", "WIN1252")}
TARGET_RATIO = 2.0
TARGET_PEAK_MIB = 1024
QUICK_ROWS = 50_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000, help="rows of the file")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows, empty register")
    parser.add_argument(
        "-n",
        "--organizations",
        type=int,
        default=200_000,
        help="register size: the national dataset of this size if built",
    )
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument(
        "--database",
        type=Path,
        help="SQLite register to copy for ours (default: the national "
        "dataset, else bench/var/register-200000-1901.sqlite3, else empty)",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database for both (name with 'bench'); "
        "default: a throw-away cluster from scripts/with_postgres.sh",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=VAR,
        help="where both SQLite databases are written (default bench/var; /dev/shm takes the "
        "disk's fsync out of the comparison)",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--encoding",
        choices=sorted(ENCODINGS),
        action="append",
        help="only this encoding (repeatable; default both)",
    )
    parser.add_argument("--output", type=Path, help="write the result JSON there")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a file for ours, in a child
    parser.add_argument("--postgres-part", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows = min(args.rows, QUICK_ROWS)
    args.encoding = args.encoding or ["utf-8", "cp1252"]
    return args


# Ours, in a child process ------------------------------------------------------------------------


def django_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",  # only so that the settings start without a secret key
        "DATA_DIR": str(VAR),
        "MEDIA_ROOT": str(VAR / "media-compare-import"),
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }


def child(path: str) -> dict:
    """Import one file with the product's importer; print what it did."""
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log
    from observatoire.imports.models import RnaCandidate
    from observatoire.imports.rna import import_rna
    from observatoire.organizations.models import Organization

    started = time.perf_counter()
    with open(path, "rb") as file:
        summary = import_rna(file=file)
    seconds = time.perf_counter() - started
    return {
        "import_seconds": round(seconds, 2),
        "rows": summary.rows,
        "candidates": summary.candidates,
        "new": summary.new,
        "matched": summary.matched,
        "dissolved": summary.dissolved,
        "repeated": summary.repeated,
        "malformed": summary.malformed,
        "problems": summary.problems,
        "in_table": RnaCandidate.objects.count(),
        "register": Organization.objects.count(),
    }


def ours(path: Path, database_url: str) -> dict:
    command = [sys.executable, __file__, "--child", str(path)]
    run = run_measured(command, cwd=BASE_DIR, env=django_env(database_url))
    if run["returncode"] != 0:
        raise RuntimeError(f"our import failed: {run['stderr'][-2000:]}")
    return {**_figures(run), **json.loads(run["stdout"].splitlines()[-1])}


def _figures(run: dict) -> dict:
    return {
        "seconds": round(run["seconds"], 2),
        "cpu_seconds": round(run["cpu_seconds"], 2),
        "peak_mib": round(run["peak_mib"], 1),
        "returncode": run["returncode"],
    }


def manage(database_url: str, *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command, "-v", "0"],
        cwd=BASE_DIR, env=django_env(database_url), check=True,
    )  # fmt: skip


# Theirs ------------------------------------------------------------------------------------------


def sqlite_utils(path: Path, encoding: str, database: Path) -> dict:
    database.unlink(missing_ok=True)
    command = [str(Path(sys.executable).with_name("sqlite-utils")), "insert", str(database),
               "rna", str(path), "--csv", "--delimiter", ";"]  # fmt: skip
    if encoding != "utf-8":
        command += ["--encoding", encoding]
    run = run_measured(command)
    result = _figures(run)
    try:
        with sqlite3.connect(database) as connection:
            result["rows_stored"] = connection.execute("SELECT count(*) FROM rna").fetchone()[0]
    except sqlite3.Error:
        result["rows_stored"] = 0
    if run["returncode"]:
        result["error"] = run["stderr"].strip().splitlines()[-1][:300]
    database.unlink(missing_ok=True)
    return result


def psql_copy(path: Path, encoding: str, database_url: str) -> dict:
    columns = ", ".join(f'"{c}" text' for c in national_rna.COLUMNS)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", database_url, "-c",
                    f"DROP TABLE IF EXISTS rna; CREATE TABLE rna ({columns})"],
                   check=True, capture_output=True)  # fmt: skip
    copy = (f"\\copy rna FROM '{path}' WITH (FORMAT csv, DELIMITER ';', HEADER, "
            f"ENCODING '{ENCODINGS[encoding][1]}')")  # fmt: skip
    run = run_measured(["psql", "-q", "-v", "ON_ERROR_STOP=1", database_url, "-c", copy])
    result = _figures(run)
    count = subprocess.run(["psql", "-tA", database_url, "-c", "SELECT count(*) FROM rna"],
                           capture_output=True, text=True)  # fmt: skip
    result["rows_stored"] = int(count.stdout.strip() or 0)
    if run["returncode"]:
        result["error"] = " ".join(run["stderr"].split())[:300]
    subprocess.run(["psql", "-q", database_url, "-c", "DROP TABLE rna"], capture_output=True)
    return result


# The comparison ----------------------------------------------------------------------------------


def files(args) -> dict:
    """(encoding, malformed?) -> path of the generated file, written once."""
    paths = {}
    for encoding in args.encoding:
        for malformed in (False, True):
            path = national_rna.dataset_path(args.rows, args.seed, encoding, malformed)
            if not path.exists():
                print(f"Writing {path.name}", flush=True)
            paths[encoding, malformed] = national_rna.ensure(args.rows, args.seed, encoding,
                                                             malformed)  # fmt: skip
    return paths


def register_source(args) -> tuple[Path | None, str]:
    if args.database:
        return args.database, f"copy of {args.database.name}"
    if not args.quick:
        try:
            from bench import national

            path = national.dataset_path(args.organizations, args.seed)
            if path.exists():
                return path, f"copy of the national dataset {path.name}"
        except ImportError:
            pass
        path = VAR / "register-200000-1901.sqlite3"
        if path.exists():
            return path, f"copy of {path.name}"
    return None, "empty register (freshly migrated database)"


def clear_candidates(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            connection.execute("DELETE FROM imports_rnacandidate")
    else:
        subprocess.run(["psql", "-q", database_url, "-c", "TRUNCATE imports_rnacandidate"],
                       check=True, capture_output=True)  # fmt: skip


def compare(paths: dict, args, database_url: str, theirs, tool: str) -> dict:
    """Ours and theirs on each file of `paths`, in turn; candidates emptied before each of ours."""
    measured = {}
    for (encoding, malformed), path in paths.items():
        label = f"{ENCODINGS[encoding][0]}, {'2 % malformed' if malformed else 'clean'}"
        clear_candidates(database_url)
        mine = ours(path, database_url)
        print(f"  ours   {label}: {mine['seconds']:.1f} s, {mine['peak_mib']:.0f} MiB, "
              f"{mine['candidates']:,} candidates, {mine['malformed']:,} malformed",
              flush=True)  # fmt: skip
        other = theirs(path, encoding)
        print(f"  {tool} {label}: {other['seconds']:.1f} s, {other['peak_mib']:.0f} MiB, "
              f"{other['rows_stored']:,} rows stored"
              + (f", failed: {other['error'][:120]}" if other["returncode"] else ""),
              flush=True)  # fmt: skip
        measured[f"{encoding}{'-malformed' if malformed else ''}"] = {"ours": mine, "theirs": other}
    return measured


def sqlite_part(paths: dict, args) -> dict:
    source, note = register_source(args)
    database = args.work_dir / "compare-import-ours.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    if source is None:
        from bench.bench_import import template_database

        shutil.copyfile(template_database(), database)
    else:
        shutil.copyfile(source, database)
    manage(url, "migrate", "--no-input")
    print(f"SQLite ({note})", flush=True)
    theirs = args.work_dir / "compare-import-theirs.sqlite3"
    measured = compare(
        paths, args, url,
        lambda path, encoding: sqlite_utils(path, encoding, theirs), "sqlite-utils",
    )  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return {"register": note, "work_dir": str(args.work_dir), "runs": measured}


def postgres_part(paths: dict, args, database_url: str) -> dict:
    if "bench" not in database_url.rsplit("/", 1)[-1]:
        # A throw-away cluster's default database: work in a database of our own.
        subprocess.run(["psql", "-q", database_url, "-c", "CREATE DATABASE observatoire_bench"],
                       check=True, capture_output=True)  # fmt: skip
        database_url = database_url.rsplit("/", 1)[0] + "/observatoire_bench"
    manage(database_url, "migrate", "--no-input")
    print("PostgreSQL (empty register, freshly migrated database)", flush=True)
    measured = compare(
        paths, args, database_url,
        lambda path, encoding: psql_copy(path, encoding, database_url), "psql \\copy",
    )  # fmt: skip
    version = subprocess.run(["psql", "-tA", database_url, "-c", "SHOW server_version"],
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {"register": "empty register (freshly migrated database)", "server": version,
            "runs": measured}  # fmt: skip


def postgres_in_cluster(paths: dict, args) -> dict | None:
    """Run the PostgreSQL part under scripts/with_postgres.sh (a throw-away cluster)."""
    part = VAR / "compare-import-postgres.json"
    part.unlink(missing_ok=True)
    command = [str(BASE_DIR / "scripts" / "with_postgres.sh"), sys.executable, __file__,
               "--rows", str(args.rows), "--seed", str(args.seed),
               "--postgres-part", str(part)]  # fmt: skip
    for encoding in args.encoding:
        command += ["--encoding", encoding]
    subprocess.run(command, cwd=BASE_DIR, check=True)
    return json.loads(part.read_text()) if part.exists() else None


def _ratio(ours_value, theirs_value):
    return round(ours_value / theirs_value, 2) if ours_value and theirs_value else None


def rows_of(database: str, tool: str, part: dict, rows: int) -> list[dict]:
    table = []
    for key, run in part["runs"].items():
        encoding = key.removesuffix("-malformed")
        label = f"{database}, {ENCODINGS[encoding][0]}, {rows:,} rows"
        mine, other = run["ours"], run["theirs"]
        if key.endswith("-malformed"):
            ok = other["returncode"] == 0
            ratio = _ratio(mine["seconds"], other["seconds"]) if ok else None
            table.append({
                "measure": f"{label}, 2 % malformed: time (theirs: "
                + ("loaded" if ok else "fails") + f", {other['rows_stored']:,} rows stored)",
                "unit": "s", "ours": mine["seconds"], "theirs": other["seconds"] if ok else None,
                "tool": tool, "ratio": ratio, "target": f"<= {TARGET_RATIO}",
                "met": None if ratio is None else ratio <= TARGET_RATIO,
            })  # fmt: skip
            continue
        ratio = _ratio(mine["seconds"], other["seconds"])
        table += [
            {"measure": f"{label} (clean twin): time", "unit": "s", "ours": mine["seconds"],
             "theirs": other["seconds"], "tool": tool, "ratio": ratio,
             "target": f"<= {TARGET_RATIO}", "met": ratio is not None and ratio <= TARGET_RATIO},
            {"measure": f"{label} (clean twin): rows per second", "unit": "rows/s",
             "ours": round(rows / mine["seconds"]), "theirs": round(rows / other["seconds"]),
             "tool": tool, "ratio": _ratio(other["seconds"], mine["seconds"]),
             "target": f">= {1 / TARGET_RATIO}",
             "met": ratio is not None and ratio <= TARGET_RATIO},
            {"measure": f"{label} (clean twin): peak memory (ours < {TARGET_PEAK_MIB} MiB)",
             "unit": "MiB", "ours": mine["peak_mib"], "theirs": other["peak_mib"], "tool": tool,
             "ratio": _ratio(mine["peak_mib"], other["peak_mib"]),
             "target": f"< {TARGET_PEAK_MIB} MiB", "met": mine["peak_mib"] < TARGET_PEAK_MIB},
        ]  # fmt: skip
    return table


def tool_versions() -> dict:
    versions = {}
    try:
        from importlib.metadata import version

        versions["sqlite-utils"] = version("sqlite-utils")
    except Exception:  # noqa: BLE001 (not installed: the SQLite part says so when it runs)
        pass
    psql = subprocess.run(["psql", "--version"], capture_output=True, text=True)
    versions["psql"] = psql.stdout.strip()
    return versions


def run(args) -> dict:
    VAR.mkdir(exist_ok=True)
    started = time.perf_counter()
    paths = files(args)
    details: dict = {
        "rows": args.rows, "seed": args.seed, "load_average": os.getloadavg(),
        "files": {f"{e}{'-malformed' if m else ''}": {"path": str(p.relative_to(BASE_DIR)),
                  "mib": round(p.stat().st_size / 2**20, 1)} for (e, m), p in paths.items()},
        "versions": tool_versions(), "machine": machine(),
    }  # fmt: skip
    versions = details["versions"]
    rows: list[dict] = []
    if not args.skip_sqlite:
        details["sqlite"] = sqlite_part(paths, args)
        tool = f"sqlite-utils {versions.get('sqlite-utils', '')}".strip()
        rows += rows_of("SQLite", tool, details["sqlite"], args.rows)
    if not args.skip_postgres:
        if args.database_url:
            details["postgresql"] = postgres_part(paths, args, args.database_url)
        else:
            details["postgresql"] = postgres_in_cluster(paths, args)
        if details["postgresql"]:
            tool = f"psql \\copy (PostgreSQL {details['postgresql']['server']})"
            rows += rows_of("PostgreSQL", tool, details["postgresql"], args.rows)
    details["seconds"] = round(time.perf_counter() - started, 1)
    return {
        "comparison": "import",
        "title": f"Import of the {args.rows:,}-row associations-register file, against "
        f"sqlite-utils {versions.get('sqlite-utils', '')} and psql \\copy",
        "rows": rows,
        "details": details,
    }


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return
    if args.postgres_part:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            write_json(args.postgres_part, postgres_part(files(args), args, url))
        return
    result = run(args)
    output = args.output or BENCH_DIR / "results" / (
        f"{datetime.datetime.now(datetime.UTC).date().isoformat()}-compare-import.json"
    )
    write_json(output, result)
    for row in result["rows"]:
        print(f"{row['measure']}: ours {row['ours']} {row['unit']}, theirs {row['theirs']}, "
              f"ratio {row['ratio']} (target {row['target']}, met {row['met']})")  # fmt: skip
    print(f"Written {output}")


if __name__ == "__main__":
    main()
