#!/usr/bin/env python
"""Benchmark the imports: rows per second and peak memory on generated files.

    python bench/bench_import.py --rows 200000 --rows 2000000

For each size, the script writes (deterministic seed) a CSV file of organisations as Excel in
French writes it (Windows-1252, `;`), then, in a fresh child process on a bench database of its
own (bench/var/), runs the real code paths: `import_job_create` (content check, storage copy),
`import_job_map` (the preview's pass: every row validated, duplicate keys), and
`import_job_run` (the commit the background task runs: the rows the preview checked, read back,
their duplicate keys looked up against the register, bulk writes with history and search index,
report); it prints both, and their sum (preview + commit). It also reads a waldec-like RNA
file through `import_rna`. Peak memory is the child's maximum resident set size
(`resource.getrusage`). Results go to bench/results/<date>-import.json. See bench/README.md.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
VAR = BENCH_DIR / "var"
TARGET_ROWS_PER_SECOND = 20_000
TARGET_PEAK_MIB = 1024
GENERATOR_VERSION = 1


def configure_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ["DATA_DIR"] = str(VAR)
    os.environ["MEDIA_ROOT"] = str(VAR / "media-import")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log while timing


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# Generation ------------------------------------------------------------------------------------

PREFIXES = [
    "Association",
    "Solidarité",
    "Amitié",
    "Les Amis de",
    "Collectif",
    "Entraide",
    "Partage",
    "Échanges",
    "Horizons",
    "Passerelles",
    "Coopération",
    "Comité de jumelage",
]
WORDS = [
    "Eau",
    "Santé",
    "Éducation",
    "Agriculture",
    "Énergie",
    "Culture",
    "Jeunesse",
    "Femmes",
    "Enfance",
    "Écoles",
    "Puits",
    "Forêts",
    "Artisans",
    "Médecins",
    "Vélos",
]
PLACES = ["Ouagadougou", "Antsirabe", "Dakar", "Oujda", "Kpalimé", "Bamako", "Cotonou", "Hué",
          "Niamey", "Sfax", "Jacmel", "Dschang", "Kindia", "Zinder", "Ségou"]  # fmt: skip
HEADER = ["Raison sociale", "Sigle", "SIRET", "N° RNA", "Adresse", "Code postal", "Ville",
          "Courriel", "Téléphone", "Site web"]  # fmt: skip


def luhn_complete(base: str) -> str:
    from observatoire.core.validators import luhn_is_valid

    for digit in "0123456789":
        if luhn_is_valid(base + digit):
            return base + digit
    raise AssertionError("unreachable")


def communes_sample(database: Path) -> list[tuple[str, str]]:
    import sqlite3

    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT postal_codes, name FROM referentials_commune WHERE postal_codes != '' "
            "ORDER BY insee_code"
        ).fetchall()
    return [(codes.split()[0], name) for codes, name in rows]


def generate_csv(path: Path, rows: int, seed: int, communes: list[tuple[str, str]]) -> None:
    """`rows` organisations; about 1 % with an error, 1 % repeating an earlier row."""
    rng = random.Random(seed)
    with open(path, "w", encoding="cp1252", newline="") as file:
        file.write(";".join(HEADER) + "\r\n")
        earlier: list[str] = []
        for index in range(rows):
            if earlier and rng.random() < 0.01:
                file.write(rng.choice(earlier))
                continue
            postal_code, commune = rng.choice(communes)
            name = f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {rng.choice(PLACES)} {index}"
            siret = luhn_complete(f"{index + 100000000:09d}"[:9] + f"{rng.randrange(10**4):04d}")
            if rng.random() < 0.01:
                siret = siret[:-1] + str((int(siret[-1]) + 1) % 10)  # a wrong check digit
            rna = f"W{rng.randrange(10**9):09d}" if rng.random() < 0.5 else ""
            cells = [
                name,
                "".join(w[0] for w in name.split()[:3]).upper(),
                siret,
                rna,
                f"{rng.randint(1, 120)} rue {rng.choice(PLACES)}",
                postal_code,
                commune,
                f"contact{index}@example.org",
                f"05 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
                f"www.asso{index}.fr" if rng.random() < 0.3 else "",
            ]
            line = ";".join(c.replace(";", ",") for c in cells) + "\r\n"
            file.write(line)
            if len(earlier) < 1000:
                earlier.append(line)


def generate_waldec(path: Path, rows: int, seed: int, communes) -> None:
    """A waldec-like file: 1 association in 20 has an international social-object code."""
    rng = random.Random(seed)
    columns = ["id", "id_ex", "siret", "rup_mi", "gestion", "date_creat", "date_decla",
               "date_publi", "date_disso", "nature", "groupement", "titre", "titre_court",
               "objet", "objet_social1", "objet_social2", "adrs_complement", "adrs_numvoie",
               "adrs_repetition", "adrs_typevoie", "adrs_libvoie", "adrs_distrib",
               "adrs_codeinsee", "adrs_codepostal", "adrs_libcommune", "siteweb", "position",
               "maj_time"]  # fmt: skip
    international = ["020020", "020000", "009050", "014040", "019025", "024050"]
    other = ["011000", "006030", "007003", "015000", "017015"]
    with open(path, "w", encoding="cp1252", newline="") as file:
        file.write(";".join(columns) + "\n")
        for index in range(rows):
            postal_code, commune = rng.choice(communes)
            code = rng.choice(international) if rng.random() < 0.05 else rng.choice(other)
            name = f"{rng.choice(PREFIXES).upper()} {rng.choice(WORDS).upper()} {index}"
            values = {
                "id": f"W{index + 100000000:09d}", "titre": name, "objet_social1": code,
                "objet_social2": "000000", "date_creat": "2005-03-01",
                "objet": "Favoriser les échanges et la solidarité internationale",
                "adrs_numvoie": str(rng.randint(1, 99)), "adrs_typevoie": "RUE",
                "adrs_libvoie": "de la République", "adrs_codepostal": postal_code,
                "adrs_libcommune": commune.upper(), "position": "D" if index % 50 == 0 else "A",
            }  # fmt: skip
            file.write(";".join(values.get(c, "") for c in columns) + "\n")


# One measurement, in a child process -----------------------------------------------------------


def measure(args) -> dict:
    database = Path(args.database)
    configure_django(database)
    from django.core.files import File

    from observatoire.imports.models import ImportJob
    from observatoire.imports.services import import_job_create, import_job_map, import_job_run
    from observatoire.organizations.models import Organization

    result: dict = {"rows": args.rows[0], "baseline_rss_mib": round(peak_mib(), 1),
                    "load_average": os.getloadavg()[0]}  # fmt: skip
    path = Path(args.file)
    started = time.perf_counter()
    with open(path, "rb") as file:
        job = import_job_create(owner=None, kind="organizations", upload=File(file, name=path.name))
    result["upload_seconds"] = round(time.perf_counter() - started, 2)

    started, cpu = time.perf_counter(), time.process_time()
    job = import_job_map(job=job, mapping=job.mapping)
    seconds = time.perf_counter() - started
    result["preview_pass"] = {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "rows_per_second": round(job.total_rows / seconds),
        "rows_with_errors_or_repeated": job.error_rows,
        "peak_rss_mib": round(peak_mib(), 1),
    }
    print(f"  preview pass (validation + duplicate keys): {job.total_rows / seconds:,.0f} rows/s"
          f" ({seconds:.1f} s, CPU {result['preview_pass']['cpu_seconds']} s)")  # fmt: skip

    job.state = ImportJob.State.QUEUED
    job.save(update_fields=["state"])
    started, cpu = time.perf_counter(), time.process_time()
    summary = import_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.failure
    result["commit"] = {
        "seconds": round(seconds, 1),
        # On a shared machine the wall time follows the load; the process's CPU time less so.
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "rows_per_second": round(summary.rows / seconds),
        "created": summary.created,
        "skipped": summary.skipped,
        "errors": summary.errors,
        "organizations_in_register": Organization.objects.count(),
        "peak_rss_mib": round(peak_mib(), 1),
    }
    print(f"  commit (import_job_run: the preview's checked rows read back, their duplicate keys "
          f"looked up against the register, created rows written with their history rows and "
          f"search index, the register's indexes, the report, one transaction and its "
          f"checkpoint): {summary.rows / seconds:,.0f} rows/s ({seconds:.1f} s, CPU "
          f"{result['commit']['cpu_seconds']} s), {summary.created} created")  # fmt: skip
    both = result["preview_pass"]["seconds"] + seconds
    result["preview_and_commit"] = {
        "seconds": round(both, 1),
        "cpu_seconds": round(
            result["preview_pass"]["cpu_seconds"] + result["commit"]["cpu_seconds"], 1
        ),
        "rows_per_second": round(summary.rows / both),
    }
    print(f"  preview + commit (what an import costs from mapping to done): "
          f"{summary.rows / both:,.0f} rows/s ({both:.1f} s, CPU "
          f"{result['preview_and_commit']['cpu_seconds']} s)")  # fmt: skip

    # The generated search text must be what the services compute.
    from observatoire.organizations.services import organization_build_search_text

    result["peak_rss_mib"] = round(peak_mib(), 1)  # the import's peak, before the check below
    last = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    picked = random.Random(7).sample(range(1, last + 1), min(200, last))
    sample = Organization.objects.select_related("commune").filter(pk__in=picked)
    result["search_text_mismatches"] = sum(
        organization_build_search_text(o) != o.search_text for o in sample
    )
    return result


def measure_rna(args) -> dict:
    """The RNA import, in its own process, against the register the import just filled."""
    configure_django(Path(args.database))
    from observatoire.imports.models import RnaCandidate
    from observatoire.imports.rna import import_rna

    result: dict = {}
    if args.waldec:
        started = time.perf_counter()
        with open(args.waldec, "rb") as file:
            rna = import_rna(file=file)
        seconds = time.perf_counter() - started
        result["rna"] = {
            "rows": rna.rows,
            "seconds": round(seconds, 1),
            "rows_per_second": round(rna.rows / seconds),
            "candidates": rna.candidates,
            "in_table": RnaCandidate.objects.count(),
        }
        print(f"  RNA import: {rna.rows / seconds:,.0f} rows/s, {rna.candidates} candidates")
        result["rna"]["peak_rss_mib"] = round(peak_mib(), 1)
    return result


def migrations_digest() -> str:
    """A short digest of the project's migration files: a new migration means a new template."""
    names = sorted(
        str(path.relative_to(BASE_DIR))
        for path in (BASE_DIR / "observatoire").glob("*/migrations/[0-9]*.py")
    )
    return hashlib.sha1("\n".join(names).encode()).hexdigest()[:10]


def template_database() -> Path:
    """A migrated database with the shipped reference data, copied for each measurement."""
    path = VAR / f"import-template-{GENERATOR_VERSION}-{migrations_digest()}-cache.sqlite3"
    if not path.exists():
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1",
               "DATABASE_URL": f"sqlite:///{path}.tmp", "DATA_DIR": str(VAR)}  # fmt: skip
        # The cache table too: the public pages' cache is bumped when a public record changes.
        for command in (["migrate", "--no-input"], ["createcachetable"]):
            subprocess.run(
                [sys.executable, "manage.py", *command, "-v", "0"],
                cwd=BASE_DIR, env=env, check=True,
            )  # fmt: skip
        os.replace(f"{path}.tmp", path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per file (repeatable)")
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--waldec-rows", type=int, default=200_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--waldec", help=argparse.SUPPRESS)
    parser.add_argument("--rna-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args)))
        return
    if args.rna_child:
        print(json.dumps(measure_rna(args)))
        return

    sizes = args.rows or [200_000, 2_000_000]
    VAR.mkdir(exist_ok=True)
    template = template_database()
    communes = communes_sample(template)
    runs = []
    for rows in sizes:
        csv_path = VAR / f"import-{rows}-{args.seed}.csv"
        if not csv_path.exists():
            print(f"Writing {csv_path.name}")
            generate_csv(csv_path.with_suffix(".tmp"), rows, args.seed, communes)
            os.replace(csv_path.with_suffix(".tmp"), csv_path)  # never a half-written file
        waldec = VAR / f"waldec-{args.waldec_rows}-{args.seed}.csv"
        if not waldec.exists():
            generate_waldec(waldec.with_suffix(".tmp"), args.waldec_rows, args.seed, communes)
            os.replace(waldec.with_suffix(".tmp"), waldec)
        database = VAR / f"import-run-{rows}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, database)
        shutil.rmtree(VAR / "media-import", ignore_errors=True)
        print(f"Importing {rows:,} rows ({csv_path.stat().st_size / 2**20:.0f} MiB)")
        output = subprocess.run(
            [sys.executable, __file__, "--child", "--rows", str(rows), "--database",
             str(database), "--file", str(csv_path), "--waldec", str(waldec)],
            cwd=BASE_DIR, check=True, capture_output=True, text=True,
        )  # fmt: skip
        for line in output.stdout.splitlines()[:-1]:
            print(line)
        run = json.loads(output.stdout.splitlines()[-1])
        output = subprocess.run(
            [sys.executable, __file__, "--rna-child", "--database", str(database),
             "--waldec", str(waldec)],
            cwd=BASE_DIR, check=True, capture_output=True, text=True,
        )  # fmt: skip
        for line in output.stdout.splitlines()[:-1]:
            print(line)
        run.update(json.loads(output.stdout.splitlines()[-1]))
        run["file_mib"] = round(csv_path.stat().st_size / 2**20, 1)
        run["meets_target"] = (
            run["commit"]["rows_per_second"] >= TARGET_ROWS_PER_SECOND
            and run["peak_rss_mib"] < TARGET_PEAK_MIB
        )
        print(
            f"  => {rows:,} rows: preview pass {run['preview_pass']['rows_per_second']:,} rows/s,"
            f" commit {run['commit']['rows_per_second']:,} rows/s (the target's figure),"
            f" preview + commit {run['preview_and_commit']['rows_per_second']:,} rows/s,"
            f" peak RSS "
            f"{run['peak_rss_mib']:,.0f} MiB (import process; target "
            f"≥ {TARGET_ROWS_PER_SECOND:,} rows/s, "
            f"< {TARGET_PEAK_MIB} MiB)"
        )
        runs.append(run)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    import sqlite3

    import django

    results = (
        BENCH_DIR
        / "results"
        / f"{datetime.datetime.now(datetime.UTC).date().isoformat()}-import.json"
    )
    code = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
    ).stdout.strip()
    for run in runs:
        run["code"] = code
    document = {
        "what": "organisation import, CSV Windows-1252 ';', on SQLite: preview pass and commit "
        "as the background task runs them (import_job_map, import_job_run), RNA waldec import",
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "seed": args.seed,
        "runs": runs,
    }
    if results.exists():
        # Runs of other sizes measured earlier the same day stay beside these.
        measured = {run["rows"] for run in runs}
        earlier = json.loads(results.read_text()).get("runs", [])
        document["runs"] = sorted(
            [r for r in earlier if r["rows"] not in measured] + runs, key=lambda r: r["rows"]
        )
    results.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"Written {results.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
