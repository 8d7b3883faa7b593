#!/usr/bin/env python
"""Directory search with facets, side by side with Datasette serving the same organisations.

    python bench/compare_search.py -n 200000              # part A's national dataset
    python bench/compare_search.py --database bench/var/x.sqlite3 --quick

Builds a Datasette SQLite file from the product's public index (the organisations the directory
lists, their indexed words in an FTS5 table, the same facet columns), generates 200
deterministic queries, checks on a sample that both tools find the same number of hits, then
times both server-side (in-process, one request at a time) and over HTTP at 16 connections
(server on core 0, load generator on core 1), HTML and JSON. See bench/README.md.
"""

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import machine, percentile, write_json  # noqa: E402

DATABASE_NAME = "directory"  # Datasette serves the file under /<its stem>/
TABLE = "organizations"
# Our facet name -> the Datasette column; the multi-valued ones are JSON arrays.
SINGLE = {"kind": "kind", "departement": "departement"}
ARRAYS = {"theme": "themes", "sdg": "sdgs", "country": "countries", "action": "actions"}
TARGET_P95 = 0.8
TARGET_THROUGHPUT = 1.0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--database", type=Path, help="a SQLite copy of the product's database")
    parser.add_argument("--database-url", help="unsupported here: the comparison is on SQLite")
    parser.add_argument("--output", type=Path, help="write the result JSON there")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, under a minute")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--sample", type=int, default=50, help="queries whose hits are compared")
    parser.add_argument("--repeat", type=int, default=2, help="server-side runs per query")
    parser.add_argument("--rounds", type=int, default=2, help="HTTP load: times each URL")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8710, help="first of the two ports used")
    parser.add_argument("--skip-http", action="store_true", help="server-side figures only")
    args = parser.parse_args(argv)
    if args.quick:
        args.organizations = min(args.organizations, 2000)
        args.queries, args.sample, args.repeat, args.rounds = 40, 20, 1, 1
    return args


# Setting up ------------------------------------------------------------------------------------


def dataset(args) -> Path:
    """The SQLite file to measure: --database, else part A's national dataset (built if needed)."""
    if args.database:
        return args.database.resolve()
    try:
        from bench import national  # part A's generator
    except ImportError:
        sys.exit("bench/national.py is missing: give a SQLite copy with --database")

    national.ensure(args.organizations, args.seed)
    return national.dataset_path(args.organizations, args.seed)


def setup_django(database: Path) -> None:
    """Django on `database`, settings as in production for what the search does (DEBUG off)."""
    from bench.bench_portal import use_database

    use_database(database)
    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Datasette's in-process client
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from observatoire.portal.index import index_rebuild
    from observatoire.portal.models import OrganizationEntry

    if not OrganizationEntry.objects.exists():
        print("The public index is empty: rebuilding it")
        index_rebuild()


# The Datasette file ----------------------------------------------------------------------------


def build_datasette_file(path: Path) -> dict:
    """Write `path`: table `organizations` with what the directory lists and filters on, and a
    standalone FTS5 table `organizations_fts` holding the same indexed words as ours (rowid =
    id). Reads the product's index through Django's connection. Returns the counts."""
    from observatoire.organizations.models import Organization
    from observatoire.portal.models import OrganizationEntry, OrganizationFacet

    started = time.perf_counter()
    entries = {
        key: {"name_text": name_text, "body_text": body_text, "sort_name": sort_name}
        for key, name_text, body_text, sort_name in OrganizationEntry.objects.order_by(
            "pk"
        ).values_list("pk", "name_text", "body_text", "sort_name")
    }
    facets: dict[int, dict[str, list[str]]] = {key: {} for key in entries}
    ordered = OrganizationFacet.objects.order_by("entry_id", "facet", "value")
    for key, facet, value in ordered.values_list("entry_id", "facet", "value").iterator(10000):
        if key in facets:
            facets[key].setdefault(facet, []).append(value)
    details = {
        pk: (name, slug, commune or locality or "")
        for pk, name, slug, commune, locality in Organization.objects.filter(
            pk__in=list(entries)
        ).values_list("pk", "name", "slug", "commune__name", "seat_locality")
    }
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    columns = ", ".join(
        [f"{c} text" for c in SINGLE.values()] + [f"{c} text" for c in ARRAYS.values()]
    )
    with sqlite3.connect(path) as db:
        db.execute(
            f"CREATE TABLE {TABLE} (id integer primary key, name text, slug text, town text, "
            f"{columns}, sort_name text)"
        )
        db.execute(
            f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5(name_text, body_text, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        rows, texts = [], []
        for key, entry in entries.items():
            values = facets[key]
            name, slug, town = details[key]
            rows.append(
                (key, name, slug, town)
                + tuple((values.get(f) or [None])[0] for f in SINGLE)
                + tuple(json.dumps(values.get(f, [])) for f in ARRAYS)
                + (entry["sort_name"],)
            )
            texts.append((key, entry["name_text"], entry["body_text"]))
        marks = ", ".join("?" * len(rows[0])) if rows else ""
        if rows:
            db.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", rows)
            db.executemany(
                f"INSERT INTO {TABLE}_fts(rowid, name_text, body_text) VALUES (?, ?, ?)", texts
            )
        # The indexes a careful Datasette user would add: the sort and the equality filters.
        for column in ("sort_name", *SINGLE.values()):
            db.execute(f"CREATE INDEX {TABLE}_{column} ON {TABLE}({column})")
        db.execute(f"INSERT INTO {TABLE}_fts({TABLE}_fts) VALUES ('optimize')")
        # The words and their document counts, which the query generator reads.
        db.execute(f"CREATE VIRTUAL TABLE {TABLE}_fts_vocab USING fts5vocab({TABLE}_fts, row)")
        db.execute("ANALYZE")
    db.close()
    return {"organizations": len(rows), "seconds": round(time.perf_counter() - started, 1)}


def datasette_metadata(path: Path) -> Path:
    """Metadata telling Datasette which FTS table searches the table, its key and its sort."""
    metadata = {
        "databases": {
            DATABASE_NAME: {
                "tables": {
                    TABLE: {
                        "fts_table": f"{TABLE}_fts",
                        "fts_pk": "id",
                        "sort": "sort_name",
                        "facets": [],
                    },
                    f"{TABLE}_fts": {"hidden": True},
                    f"{TABLE}_fts_vocab": {"hidden": True},
                }
            }
        }
    }
    path.write_text(json.dumps(metadata, indent=2))
    return path


# The queries -----------------------------------------------------------------------------------


def make_queries(datasette_file: Path, count: int, seed: int) -> list[dict]:
    """`count` deterministic searches: rare, common and two-word terms taken from the listed
    organisations' names, a few words found nowhere, and facet filters only; each with 0 to 2
    facet filters (one value each) taken from a real organisation so that most find something."""
    from observatoire.core.text import fold
    from observatoire.portal.text import STOP_WORDS, query_terms

    rng = random.Random(seed)
    with sqlite3.connect(f"file:{datasette_file}?mode=ro", uri=True) as db:
        rows = db.execute(
            f"SELECT name, {', '.join(SINGLE.values())}, {', '.join(ARRAYS.values())} "
            f"FROM {TABLE} ORDER BY id"
        ).fetchall()
        frequency = dict(db.execute(f"SELECT term, doc FROM {TABLE}_fts_vocab").fetchall())
    db.close()

    def df(word: str) -> int:
        terms = query_terms(word)
        return frequency.get(terms[0], 0) if terms else 0

    rare_at_most, common_at_least = max(3, len(rows) // 2000), max(2, len(rows) // 50)

    def name_words(row) -> list[str]:
        return [
            w for w in fold(row[0]).split() if w.isalpha() and len(w) > 2 and w not in STOP_WORDS
        ]

    queries = []
    families = ["rare"] * 6 + ["common"] * 5 + ["two words"] * 6 + ["no hit"] + ["facets only"] * 2
    for number in range(count):
        family = families[number % len(families)]
        # Terms and filters come from one organisation, so that most searches find something.
        for _attempt in range(50):
            row = rows[rng.randrange(len(rows))]
            found = name_words(row)
            if family == "rare":
                found = [w for w in found if 1 <= df(w) <= rare_at_most]
            elif family == "common":
                found = [w for w in found if df(w) >= common_at_least]
            if len(found) >= (2 if family == "two words" else 1):
                break
        if family in ("rare", "common"):
            q = rng.choice(found) if found else ""
        elif family == "two words":
            q = " ".join(found[:2])
        elif family == "no hit":
            q = "".join(rng.choice("bcdfghjklmnpqrstvxz") for _ in range(7))
        else:
            q = ""
        available = [(f, row[1 + i]) for i, f in enumerate(SINGLE) if row[1 + i]]
        for i, facet in enumerate(ARRAYS):
            values = json.loads(row[1 + len(SINGLE) + i])
            if values:
                available.append((facet, rng.choice(values)))
        wanted = rng.choice([1, 2]) if family == "facets only" else rng.choice([0, 1, 2])
        filters = dict(rng.sample(available, min(wanted, len(available))))
        queries.append({"family": family, "q": q, "filters": filters})
    return queries


def our_url(query: dict, json_format: bool) -> str:
    params = {**({"q": query["q"]} if query["q"] else {}), **query["filters"]}
    if json_format:
        params["format"] = "json"
    return "/annuaire/?" + urlencode(params)


def datasette_url(query: dict, json_format: bool) -> str:
    """The same search for Datasette: our stems in FTS5 syntax (last one a prefix, as ours),
    the same filters as exact or array-contains matches, the same facets computed."""
    from observatoire.portal.text import fts5_match, query_terms

    params: list[tuple[str, str]] = []
    terms = query_terms(query["q"])
    if terms:
        params += [("_search", fts5_match(terms, prefix_last=True)), ("_searchmode", "raw")]
    for facet, value in query["filters"].items():
        if facet in SINGLE:
            params.append((SINGLE[facet], value))
        else:
            params.append((f"{ARRAYS[facet]}__arraycontains", value))
    params += [("_facet", column) for column in SINGLE.values()]
    params += [("_facet_array", column) for column in ARRAYS.values()]
    suffix = ".json" if json_format else ""
    return f"/{DATABASE_NAME}/{TABLE}{suffix}?" + urlencode(params)


# Measuring -------------------------------------------------------------------------------------


def datasette_app(datasette_file: Path, metadata: Path):
    from datasette.app import Datasette

    from bench.httpload import DATASETTE_SETTINGS

    return Datasette(
        immutables=[str(datasette_file)],
        settings=DATASETTE_SETTINGS,
        metadata=json.loads(metadata.read_text()),
    )


def compare_hits(queries: list[dict], app) -> dict:
    """Our total and Datasette's filtered row count for each query of the sample."""
    from django.test import Client

    client = Client()

    async def theirs(url):
        response = await app.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.json()["filtered_table_rows_count"]

    mismatches, checked = [], []
    for query in queries:
        ours = client.get(our_url(query, True)).json()["total"]
        other = asyncio.run(theirs(datasette_url(query, True)))
        checked.append({**query, "ours": ours, "theirs": other})
        if ours != other:
            mismatches.append(checked[-1])
    return {"checked": len(checked), "mismatches": mismatches, "hits": checked}


def server_side(queries: list[dict], app, repeat: int) -> dict:
    """Each query in-process, one at a time: ours through Django's test client with the cache of
    facet counts bypassed (every request counts, as the first visit of a search does; labels
    stay cached as in production), Datasette's through its in-process ASGI client (it caches
    nothing across requests)."""
    from django.test import Client

    from observatoire.portal import search

    client = Client()
    cached_counts = search.search_counts
    search.search_counts = search._counts
    times: dict[str, list[float]] = {}

    async def datasette_times(urls):
        spent = []
        for url in urls:
            started = time.perf_counter()
            response = await app.client.get(url)
            spent.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return spent

    for label, json_format in (("html", False), ("json", True)):
        ours_urls = [our_url(q, json_format) for q in queries]
        their_urls = [datasette_url(q, json_format) for q in queries]
        client.get(ours_urls[0])  # loads the facet index and the labels once
        asyncio.run(datasette_times(their_urls[:1]))
        ours, theirs = [], []
        for _ in range(repeat):
            for url in ours_urls:
                started = time.perf_counter()
                response = client.get(url)
                ours.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            theirs += asyncio.run(datasette_times(their_urls))
        times[f"ours_{label}"], times[f"theirs_{label}"] = ours, theirs
    search.search_counts = cached_counts
    return times


def over_http(args, database: Path, datasette_file: Path, metadata: Path, queries) -> dict:
    """Both servers in turn on core 0, the load generator on core 1, HTML then JSON."""
    from bench.httpload import load, serve_datasette, serve_django

    results = {}
    log = BENCH_DIR / "var" / "compare-search-servers.log"
    with serve_django(
        database, args.port, cpus="0", workers=args.workers, threads=args.threads, log=log
    ) as base:
        load([base + our_url(q, True) for q in queries[:5]], args.concurrency, rounds=1)
        for label, json_format in (("html", False), ("json", True)):
            urls = [base + our_url(q, json_format) for q in queries]
            results[f"ours_{label}"] = load(urls, args.concurrency, cpus="1", rounds=args.rounds)
    with serve_datasette(
        datasette_file, args.port + 1, cpus="0", metadata=metadata, log=log
    ) as base:
        load([base + datasette_url(q, True) for q in queries[:5]], args.concurrency, rounds=1)
        for label, json_format in (("html", False), ("json", True)):
            urls = [base + datasette_url(q, json_format) for q in queries]
            results[f"theirs_{label}"] = load(urls, args.concurrency, cpus="1", rounds=args.rounds)
    return results


# The result ------------------------------------------------------------------------------------


def row(measure: str, unit: str, ours: float, theirs: float, target: str | None) -> dict:
    ratio = round(ours / theirs, 3) if theirs else None
    met = None
    if target and ratio is not None:
        bound = float(target.split()[1])
        met = ratio <= bound if target.startswith("<=") else ratio >= bound
    return {
        "measure": measure,
        "unit": unit,
        "ours": round(ours, 2),
        "theirs": round(theirs, 2),
        "tool": DATASETTE,
        "ratio": ratio,
        "target": target,
        "met": met,
    }


DATASETTE = "Datasette"


def result_rows(local: dict, http: dict | None, concurrency: int) -> list[dict]:
    rows = []
    for label in ("html", "json"):
        ours, theirs = local[f"ours_{label}"], local[f"theirs_{label}"]
        name = label.upper()
        rows.append(
            row(
                f"{name}, server-side: p50",
                "ms",
                percentile(ours, 0.5),
                percentile(theirs, 0.5),
                None,
            )
        )
        rows.append(
            row(
                f"{name}, server-side: p95",
                "ms",
                percentile(ours, 0.95),
                percentile(theirs, 0.95),
                f"<= {TARGET_P95}",
            )
        )
    for label in ("html", "json") if http else ():
        ours, theirs = http[f"ours_{label}"], http[f"theirs_{label}"]
        name = f"{label.upper()}, end to end over HTTP, {concurrency} connections"
        rows.append(row(f"{name}: p50", "ms", ours["p50_ms"], theirs["p50_ms"], None))
        rows.append(row(f"{name}: p95", "ms", ours["p95_ms"], theirs["p95_ms"], f"<= {TARGET_P95}"))
        rows.append(
            row(
                f"{name}: throughput",
                "requests/s",
                ours["requests_per_second"],
                theirs["requests_per_second"],
                f">= {TARGET_THROUGHPUT}",
            )
        )
    return rows


def run(args) -> dict:
    import datasette

    global DATASETTE
    DATASETTE = f"Datasette {datasette.__version__}"
    database = dataset(args)
    print(f"Dataset: {database}")
    setup_django(database)
    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    datasette_file = var / f"{DATABASE_NAME}.db"
    built = build_datasette_file(datasette_file)
    metadata = datasette_metadata(var / f"{DATABASE_NAME}-metadata.json")
    print(f"Datasette file: {built['organizations']} organisations in {built['seconds']} s")
    queries = make_queries(datasette_file, args.queries, args.seed)
    print(f"{len(queries)} queries: {dict(Counter(q['family'] for q in queries))}")
    app = datasette_app(datasette_file, metadata)
    hits = compare_hits(queries[: args.sample], app)
    print(f"Hit counts compared on {hits['checked']} queries: {len(hits['mismatches'])} differ")
    local = server_side(queries, app, args.repeat)
    for item in result_rows(local, None, args.concurrency):  # printed now: HTTP takes a while
        print(f"  {item['measure']:60} ours {item['ours']:9.1f}  theirs {item['theirs']:9.1f}")
    http = None if args.skip_http else over_http(args, database, datasette_file, metadata, queries)
    rows = result_rows(local, http, args.concurrency)
    for item in rows:
        print(
            f"  {item['measure']:60} ours {item['ours']:9.1f}  theirs {item['theirs']:9.1f} "
            f"{item['unit']:10} ratio {item['ratio']}  target {item['target']}  met {item['met']}"
        )
    result = {
        "comparison": "search",
        "title": f"Directory search with facets, against {DATASETTE}",
        "rows": rows,
        "details": {
            "machine": machine(),
            "load": os.getloadavg(),
            "dataset": str(database),
            "organizations_listed": built["organizations"],
            "queries": len(queries),
            "families": dict(Counter(q["family"] for q in queries)),
            "hits": hits,
            "server_side_runs_per_query": args.repeat,
            "http": {
                k: {n: v for n, v in r.items() if n not in ("latencies_ms", "per_url_p50_ms")}
                for k, r in (http or {}).items()
            },
            "gunicorn": {"workers": args.workers, "threads": args.threads},
            "datasette_settings": __import__("bench.httpload").httpload.DATASETTE_SETTINGS,
            "query_list": queries,
        },
    }
    if args.output:
        write_json(args.output, result)
        print(f"Written to {args.output}")
    return result


def main(argv=None) -> None:
    run(parse_args(argv))


if __name__ == "__main__":
    main()
