#!/usr/bin/env python
"""Deduplication against Splink (DuckDB backend): F1 and time, on the same records.

    python bench/compare_dedup.py [-n 200000] [--seed 1901] [--output PATH] [--quick]

Three comparisons (see bench/README.md): the labelled sets (threshold chosen on the development
half, measured on the held-out half), the generated register with planted duplicates, and
30,000 incoming organisations linked against a 600,000-organisation reference.
"""

import argparse
import csv
import datetime
import functools
import logging
import os
import random
import sqlite3
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
VAR = BENCH_DIR / "var"
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(1, str(BENCH_DIR))  # bench_dedup's loaders and metrics

from bench.common import machine, write_json  # noqa: E402


@functools.cache
def description_fields() -> tuple[str, ...]:
    """The fields of the matcher's Description, in order: what both tools are given."""
    import dataclasses

    from observatoire.deduplication.matching import Description

    return tuple(f.name for f in dataclasses.fields(Description))


# Thresholds tried on the development part, for each tool (ours: its score; Splink: the match
# probability of its model).
OUR_SWEEP = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99)
SPLINK_SWEEP = (
    0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.99999, 0.999999,
    0.9999999, 0.99999999,
)  # fmt: skip
# Pairs sampled to estimate Splink's u probabilities (its documentation advises 1e7 or more).
SPLINK_U_PAIRS = [1e7]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1901)
    parser.add_argument("--output", type=Path, help="write the result JSON there")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (under a minute)")
    parser.add_argument(
        "--database",
        type=Path,
        help="SQLite register to read (default: part A's national dataset, else "
        "bench/var/register-<N>-<seed>.sqlite3)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=BASE_DIR.parent / "shared" / "data" / "benchmarks"
    )
    parser.add_argument("--incoming", type=int, default=30000, help="records linked (part 3)")
    parser.add_argument("--reference", type=int, default=600000, help="reference size (part 3)")
    parser.add_argument(
        "--splink-u-pairs",
        type=float,
        default=1e7,
        help="pairs Splink samples to estimate u (default 1e7; 1e6 with --quick)",
    )
    parser.add_argument(
        "--per-row-sample",
        type=int,
        default=200,
        help="incoming rows matched one by one with find_matches, as the import preview does "
        "(0: not measured)",
    )
    parser.add_argument(
        "--preview-rows",
        type=int,
        default=0,
        help="part 4: the import preview of a file of this many rows against the register, "
        "row by row (find_matches, on a sample) and in one batch (0: not run)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("labelled", "register", "linking", "preview"),
    )
    return parser.parse_args(argv)


# Metrics (the same for both tools) -------------------------------------------------------------


def metrics(predicted: set, true: set) -> dict:
    """Pairwise precision, recall and F1 of predicted pairs against true pairs."""
    from bench_dedup import metrics as pairwise

    return pairwise(predicted, true)


def pairs_within(groups) -> set[tuple[int, int]]:
    from bench_dedup import pairs_within as within

    return within(groups)


def components(ids, pairs) -> list[list[int]]:
    from bench_dedup import components as joined

    return joined(ids, pairs)


def true_pairs(truth: dict[int, object], ids) -> set[tuple[int, int]]:
    clusters = defaultdict(list)
    for pk in ids:
        clusters[truth[pk]].append(pk)
    return pairs_within(clusters.values())


def best_threshold(f1_by_threshold: dict) -> float:
    """The threshold with the best F1 (the lowest of equal ones)."""
    return max(sorted(f1_by_threshold), key=lambda t: f1_by_threshold[t])


def ratio(ours, theirs) -> float | None:
    return round(ours / theirs, 3) if ours is not None and theirs else None


# Records -------------------------------------------------------------------------------------


def description(record: dict):
    from observatoire.deduplication.matching import Description

    return Description(
        **{f: record.get(f) or (None if f in ID_FIELDS else "") for f in description_fields()}
    )


ID_FIELDS = ("commune_id", "departement_id")


def as_records(descriptions) -> list[dict]:
    """(id, Description) pairs as plain records (the fields both tools are given)."""
    return [
        {"id": pk, **{f: getattr(d, f) for f in description_fields()}} for pk, d in descriptions
    ]


def register_records(path: Path, limit: int | None = None) -> list[dict]:
    """The register's organisations (not merged), with the fields the finder reads."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sql = (
        "SELECT id, name, acronym, siren, siret, rna, website, public_email, commune_id, "
        "departement_id, phone, address_line1, postal_code FROM organizations_organization "
        "WHERE merged_into_id IS NULL ORDER BY id"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = connection.execute(sql).fetchall()
    connection.close()
    return [dict(zip(("id", *description_fields()), row, strict=True)) for row in rows]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return name
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # two letters swapped
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind == 1:  # a letter left out
        word = word[:j] + word[j + 1 :]
    else:  # a letter doubled
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def vary_name(rng: random.Random, name: str) -> str:
    """A name as another source writes it: accents, case, a slip, a generic word, 'St'."""
    changes = rng.sample(range(6), rng.choice((1, 1, 2)))
    for change in changes:
        if change == 0:
            name = _strip_accents(name)
        elif change == 1:
            name = name.upper()
        elif change == 2:
            name = _typo(rng, name)
        elif change == 3:
            name = name[12:] if name.startswith("Association ") else f"Association {name}"
        elif change == 4:
            name = name.replace("Saint-", "St ").replace("–", " - ").replace("'", " ")
        else:
            name = " ".join(w for w in name.split() if w.lower() not in {"de", "la", "du", "des"})
    return name.strip() or "?"


def variant(rng: random.Random, record: dict, new_id: int) -> dict:
    """A planted duplicate of `record`: its name varied, some fields dropped, others kept."""
    kept = {
        "acronym": 0.5,
        "siren": 0.4,
        "siret": 0.3,
        "rna": 0.4,
        "website": 0.3,
        "email": 0.3,
        "phone": 0.5,
        "address": 0.5,
    }
    copy = {"id": new_id, "name": vary_name(rng, record["name"])}
    for field in description_fields()[1:]:
        share = kept.get(field, 0.9)  # the place: nearly always the same
        copy[field] = record.get(field) if rng.random() < share else None
    if copy["commune_id"] is None:
        copy["postal_code"] = None
    return copy


def name_of(record: dict) -> str:
    return " ".join(_strip_accents(record["name"]).casefold().split())


def plant_duplicates(
    base: list[dict], *, share: float = 0.05, seed: int = 1901
) -> tuple[list[dict], dict[int, int]]:
    """The base records plus planted variants of `share` of them (one, sometimes two each).

    Returns the records and their truth: the id of the base record each one comes from (its
    own id for a base record). Only organisations whose name no other one bears get variants:
    a variant without identifiers of one of two "Écoles Sans Frontières Dordogne" would be as
    much the other's, and the truth would be a coin toss.
    """
    rng = random.Random(seed)
    next_id = max(r["id"] for r in base) + 1
    records, truth, planted = list(base), {r["id"]: r["id"] for r in base}, []
    names = Counter(name_of(r) for r in base)
    for record in base:
        if rng.random() >= share or names[name_of(record)] > 1:
            continue
        for _ in range(1 if rng.random() < 0.8 else 2):
            planted.append(variant(rng, record, next_id))
            truth[next_id] = record["id"]
            next_id += 1
    return records + planted, truth


# Associations-register-like records for the linking reference and the incoming file.
SYLLABLES = "ka lo mé ri sa na bou té di za ko fa ni go lu ra ou ba ké mi si da yé".split()
ASSOCIATION_PATTERNS = (
    "Association {word} {theme}",
    "Les Amis de {word}",
    "{theme} pour {word}",
    "Collectif {word} {commune}",
    "Comité {word}–{country}",
    "{word} Solidarité {commune}",
)


def association_records(count: int, *, first_id: int, seed: int, communes: list) -> list[dict]:
    """Deterministic association-like records: an invented word makes most names distinct."""
    from bench_register import COUNTRY_WORDS, THEME_WORDS

    rng = random.Random(seed)
    records = []
    for index in range(count):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        commune_id, commune, departement_id, postal_code = rng.choice(communes)
        name = rng.choice(ASSOCIATION_PATTERNS).format(
            word=word,
            theme=rng.choice(THEME_WORDS),
            commune=commune,
            country=rng.choice(COUNTRY_WORDS),
        )
        records.append(
            {
                "id": first_id + index,
                "name": name,
                "rna": f"W{rng.randint(10, 95)}{rng.randint(0, 9999999):07d}",
                "commune_id": commune_id,
                "departement_id": departement_id,
                "postal_code": postal_code,
                "address": f"{rng.randint(1, 200)} rue {rng.choice(THEME_WORDS)}",
            }
        )
    return records


def communes_of(path: Path | None) -> list[tuple]:
    if path is None or not path.exists():
        return [
            (i, f"Commune {i}", i % 95 + 1, f"{i % 95 + 1:02d}{i % 1000:03d}")
            for i in range(1, 500)
        ]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT id, name, departement_id, substr(postal_codes, 1, 5) FROM referentials_commune "
        "ORDER BY id"
    ).fetchall()
    connection.close()
    return rows


# Splink ----------------------------------------------------------------------------------------

SPLINK_COLUMNS = (
    "name_norm",
    "name_prefix",
    "name_suffix",
    "area",
    "acronym",
    "postcode",
    "commune",
    "siren",
    "web",
    "phone",
    "address",
)


def splink_row(record: dict) -> tuple:
    """The record as given to Splink: the same fields, normalised as a data team would (the
    product's name folding: lower case, no accents, no legal form or generic word)."""
    from observatoire.core.text import fold
    from observatoire.deduplication.matching import name_key, phone_key, web_domain

    norm = name_key(record.get("name") or "") or fold(record.get("name") or "")
    compact = norm.replace(" ", "")
    siren = record.get("siren") or ((record.get("siret") or "")[:9] if record.get("siret") else "")
    web = web_domain(record.get("website") or "")
    postcode = record.get("postal_code") or ""
    departement = record.get("departement_id")
    area = str(departement) if departement else (postcode[:2] or "-")
    values = (
        norm,
        compact[:6],
        compact[-6:],
        area,
        fold(record.get("acronym") or ""),
        postcode,
        str(record["commune_id"]) if record.get("commune_id") else "",
        siren,
        web,
        phone_key(record.get("phone") or ""),
        fold(record.get("address") or ""),
    )
    return (record["id"], *[v or None for v in values])


def splink_load(connection, table: str, records: list[dict]) -> None:
    """Write the records to a CSV file and read it into DuckDB (what a data team would do)."""
    path = VAR / f"splink-{table}-{os.getpid()}.csv"
    VAR.mkdir(exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(("unique_id", *SPLINK_COLUMNS))
        writer.writerows(splink_row(r) for r in records)
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in SPLINK_COLUMNS)
    connection.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv('{path}', header=true, "
        f"columns={{'unique_id': 'BIGINT', {columns}}})"
    ).fetchall()
    path.unlink()


def splink_settings(connection, tables: list[str], link_type: str):
    """A documented, ordinary Splink model: Jaro-Winkler levels on the normalised name, exact
    levels on the other fields present in the data, blocking on the name and the identifiers."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    present = set()
    for column in SPLINK_COLUMNS:
        filled = sum(
            connection.execute(f"SELECT count({column}) FROM {table}").fetchall()[0][0]
            for table in tables
        )
        total = sum(
            connection.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables
        )
        if filled >= 0.01 * total:
            present.add(column)
    comparisons = [
        cl.JaroWinklerAtThresholds("name_norm", [0.95, 0.88, 0.8]).configure(
            term_frequency_adjustments=True
        )
    ]
    for column in ("acronym", "postcode", "commune", "siren", "web", "phone"):
        if column in present:
            comparisons.append(cl.ExactMatch(column))
    if "address" in present:
        comparisons.append(cl.LevenshteinAtThresholds("address", [2]))
    blocking = [
        block_on("name_norm"),
        block_on("name_prefix", "area"),
        block_on("name_suffix", "area"),
    ]
    blocking += [block_on(c) for c in ("siren", "web", "phone") if c in present]
    if "address" in present and "postcode" in present:
        blocking.append(block_on("postcode", "address"))
    settings = SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    deterministic = [block_on("name_norm")] + [
        block_on(c) for c in ("siren", "web") if c in present
    ]
    return settings, deterministic, present


def splink_run(
    records: list[dict],
    *,
    incoming: list[dict] | None = None,
    min_probability: float,
    max_pairs: float | None = None,
) -> dict:
    """Train a Splink model without labels on the records, predict the pairs scoring at least
    `min_probability`. With `incoming`, link_only between incoming and records."""
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    timings = {}
    started = time.perf_counter()
    connection = duckdb.connect()
    splink_load(connection, "reference", records)
    tables = ["reference"]
    if incoming is not None:
        splink_load(connection, "incoming", incoming)
        tables.append("incoming")
    timings["load"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    db_api = DuckDBAPI(connection=connection)
    settings, deterministic, present = splink_settings(
        connection, tables, "link_only" if incoming is not None else "dedupe_only"
    )
    frames = [db_api.register(t) for t in tables]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs or SPLINK_U_PAIRS[0], seed=1901
    )
    # Two EM sessions: one blocked on the name's start (the other fields learnt), one on a field
    # other than the name (the name learnt). A session that cannot estimate a level keeps the
    # values of the others (Splink refuses an m probability of 0).
    sessions = [block_on("name_prefix", "area")]
    if "postcode" in present:
        sessions.append(block_on("postcode"))
    elif present & {"siren", "web", "phone", "address"}:
        sessions.append(block_on("name_norm"))
    failed = []
    for rule in sessions:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as error:
            failed.append(str(error)[:120])
    timings["training"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=min_probability)
    scored = connection.execute(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {predictions.physical_name}"
    ).fetchall()
    timings["predict"] = round(time.perf_counter() - started, 2)
    return {
        "scored": [(a, b, p) for a, b, p in scored],
        "training_failures": failed,
        "timings": timings,
        "linker": linker,
        "predictions": predictions,
        "connection": connection,
    }


def splink_cluster(run: dict, threshold: float) -> list[list[int]]:
    """Splink's own clustering (connected components of the pairs at the threshold), timed."""
    started = time.perf_counter()
    clusters = run["linker"].clustering.cluster_pairwise_predictions_at_threshold(
        run["predictions"], threshold_match_probability=threshold
    )
    rows = (
        run["connection"]
        .execute(f"SELECT cluster_id, unique_id FROM {clusters.physical_name}")
        .fetchall()
    )
    groups = defaultdict(list)
    for cluster, pk in rows:
        groups[cluster].append(pk)
    run["timings"]["clustering"] = round(time.perf_counter() - started, 2)
    return [g for g in groups.values() if len(g) > 1]


def splink_seconds(run: dict) -> float:
    return round(sum(run["timings"].values()), 2)


def close(run: dict) -> None:
    run["connection"].close()


# Ours --------------------------------------------------------------------------------------------


def ours_scored(records: list[dict]) -> tuple[dict, dict]:
    """Every candidate pair of the finder's blocking, scored in full (for the threshold sweep)."""
    from observatoire.deduplication.blocking import candidate_pairs, prepare_items
    from observatoire.deduplication.matching import score_codes

    items = prepare_items((r["id"], description(r)) for r in records)
    scores = {(a, b): score_codes(items[a], items[b])[0] for a, b in candidate_pairs(items)}
    return items, scores


def ours_grouped(records: list[dict], threshold: float) -> tuple[list[list[int]], float]:
    """The product's grouping (`group_duplicates`: the finder's pairs, average linkage)."""
    from observatoire.deduplication.blocking import group_duplicates

    started = time.perf_counter()
    groups = group_duplicates(((r["id"], description(r)) for r in records), min_score=threshold)
    return groups, round(time.perf_counter() - started, 2)


# 1. Labelled sets ----------------------------------------------------------------------------


def by_part(truth: dict, groups, thresholds) -> dict:
    """Pairwise metrics of the groups at each threshold, on the development part (records of
    an even true id) and on the held-out part (odd). A predicted pair joining the two parts
    is wrong in both. Pairs are counted, not listed: a low threshold can chain a large share
    of the register into one group."""
    part_of = {pk: int(root) % 2 for pk, root in truth.items()}
    true = [0, 0]
    for root, size in Counter(truth.values()).items():
        true[int(root) % 2] += size * (size - 1) // 2
    figures = {}
    for t in thresholds:
        predicted, hits = [0, 0], [0, 0]
        for group in groups(t):
            size = len(group)
            inside = Counter(part_of[pk] for pk in group)
            for parity in (0, 1):
                outside = size - inside[parity]  # pairs with no record in the part excluded
                predicted[parity] += size * (size - 1) // 2 - outside * (outside - 1) // 2
            for root, count in Counter(truth[pk] for pk in group).items():
                hits[int(root) % 2] += count * (count - 1) // 2
        figures[t] = {
            part: counted_metrics(hits[parity], predicted[parity], true[parity])
            for part, parity in (("development", 0), ("held_out", 1))
        }
    return figures


def counted_metrics(hits: int, predicted: int, true: int) -> dict:
    """`metrics` from the counts of pairs."""
    precision = hits / predicted if predicted else 0.0
    recall = hits / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": predicted,
        "true_pairs": true,
    }


def choose(figures: dict) -> tuple[float, dict]:
    """The threshold with the best development F1, and its held-out figures."""
    threshold = best_threshold({t: f["development"]["f1"] for t, f in figures.items()})
    return threshold, figures[threshold]["held_out"]


def compare_dedupe(name: str, records: list[dict], truth: dict, *, grouping: bool) -> dict:
    """Both tools on all the records; each chooses its threshold on the development part and
    is measured on the held-out part. `grouping`: ours groups with the product's average
    linkage (`group_scored`); else, as Splink, connected components of the pairs."""
    from observatoire.deduplication.blocking import find_pairs, group_scored

    ids = [r["id"] for r in records]
    truth = {pk: truth[pk] for pk in ids}
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if grouping:
        items, scores = ours_scored(records)
        timings["pairs_and_scores"] = round(time.perf_counter() - started, 2)

        def our_groups(t):
            return group_scored(items, dict(scores), t)
    else:
        found, _compared = find_pairs(
            [(r["id"], description(r)) for r in records],
            min_score=min(OUR_SWEEP),
            timings=timings,
        )
        scored = [(p.first_id, p.second_id, p.score) for p in found]

        def our_groups(t):
            return components(ids, [(a, b) for a, b, score in scored if score >= t])

    our_seconds = round(time.perf_counter() - started, 2)
    our_figures = by_part(truth, our_groups, OUR_SWEEP)
    our_threshold, ours = choose(our_figures)
    if grouping:  # the product's run at that threshold: pairs, scores and groups
        _groups, our_seconds = ours_grouped(records, our_threshold)

    print(f"  ours: {our_seconds} s, threshold {our_threshold}; now Splink", flush=True)
    run = splink_run(records, min_probability=min(SPLINK_SWEEP))
    their_figures = by_part(
        truth,
        lambda t: components(ids, [(a, b) for a, b, p in run["scored"] if p >= t]),
        SPLINK_SWEEP,
    )
    their_threshold, theirs = choose(their_figures)
    splink_cluster(run, their_threshold)  # timed with the rest, as a Splink user runs it
    splink_time = splink_seconds(run)
    splink_timings, failures = run["timings"], run["training_failures"]
    close(run)
    print_pair(f"{name}, held-out part", ours, our_seconds, theirs, splink_time)

    def development(figures):
        return {t: f["development"]["f1"] for t, f in figures.items()}

    return {
        "set": name,
        "records": len(records),
        "ours": {
            "threshold": our_threshold,
            "held_out": ours,
            "development": our_figures[our_threshold]["development"],
            "seconds": our_seconds,
            "timings": timings,
            "f1_by_threshold_development": development(our_figures),
        },
        "splink": {
            "threshold": their_threshold,
            "held_out": theirs,
            "development": their_figures[their_threshold]["development"],
            "seconds": splink_time,
            "timings": splink_timings,
            "training_failures": failures,
            "f1_by_threshold_development": development(their_figures),
        },
    }


def french_labelled() -> dict:
    """The French labelled pairs: side a linked to side b; even pairs choose, odd ones measure."""
    from bench_dedup import french_pairs

    from observatoire.deduplication.blocking import candidate_pairs
    from observatoire.deduplication.matching import build_features, score_pair

    rows = french_pairs()
    same = {i for i, (row, _a, _b) in enumerate(rows) if row["same"] == "1"}
    started = time.perf_counter()
    our_scores = {}
    for i, (_row, a, b) in enumerate(rows):
        blocked = bool(candidate_pairs({1: build_features(a), 2: build_features(b)}))
        our_scores[i] = score_pair(a, b)[0] if blocked else 0.0
    our_seconds = time.perf_counter() - started
    side_a = as_records((i + 1, a) for i, (_r, a, _b) in enumerate(rows))
    side_b = as_records((100001 + i, b) for i, (_r, _a, b) in enumerate(rows))
    run = splink_run(side_a, incoming=side_b, min_probability=min(SPLINK_SWEEP))
    their_scores = defaultdict(float)
    for x, y, p in run["scored"]:
        first, second = sorted((x, y))
        if second - 100001 == first - 1:
            their_scores[first - 1] = p
    splink_time = splink_seconds(run)
    close(run)

    def measure(scores, threshold, parity):
        part = {i for i in range(len(rows)) if i % 2 == parity}
        return metrics({i for i in part if scores.get(i, 0.0) >= threshold}, same & part)

    our_threshold = best_threshold({t: measure(our_scores, t, 0)["f1"] for t in OUR_SWEEP})
    their_threshold = best_threshold({t: measure(their_scores, t, 0)["f1"] for t in SPLINK_SWEEP})
    ours, theirs = measure(our_scores, our_threshold, 1), measure(their_scores, their_threshold, 1)
    print_pair("French pairs, odd pairs", ours, our_seconds, theirs, splink_time)
    return {
        "set": "dedupe_fr_labelled (French pairs)",
        "labelled_pairs": len(rows),
        "ours": {"threshold": our_threshold, "held_out": ours, "seconds": round(our_seconds, 2)},
        "splink": {"threshold": their_threshold, "held_out": theirs, "seconds": splink_time},
    }


def labelled_sets(args) -> list[dict]:
    from bench_dedup import load_csv_example, load_patstat

    results = []
    for name, loader in (
        ("patstat (company names)", load_patstat),
        ("csv_example (name, address, phone)", load_csv_example),
    ):
        descriptions, truth = loader(args.data_dir)
        if args.quick:  # the first clusters, about 300 records
            kept = sorted({truth[pk] for pk, _d in descriptions}, key=int)
            keep, count = set(), 0
            sizes = defaultdict(int)
            for pk, _d in descriptions:
                sizes[truth[pk]] += 1
            for cluster in kept:
                if sizes[cluster] > 60:
                    continue
                keep.add(cluster)
                count += sizes[cluster]
                if count >= 300:
                    break
            descriptions = [(pk, d) for pk, d in descriptions if truth[pk] in keep]
        truth = {pk: int(root) for pk, root in truth.items()}
        results.append(compare_dedupe(name, as_records(descriptions), truth, grouping=True))
    results.append(french_labelled())
    return results


# 2. The generated register with planted duplicates ------------------------------------------


def source_database(args) -> Path | None:
    if args.database:
        return args.database
    try:
        from bench import national

        path = national.dataset_path(args.organizations, args.seed)
        if path.exists():
            return path
    except ImportError:
        pass
    path = VAR / f"register-{args.organizations}-{args.seed}.sqlite3"
    if path.exists():
        return path
    # The 200,000-organisation register serves smaller sizes through its first N rows.
    path = VAR / f"register-200000-{args.seed}.sqlite3"
    return path if path.exists() else None


def base_records(args, count: int) -> list[dict]:
    path = source_database(args)
    if path is None:
        return association_records(count, first_id=1, seed=args.seed, communes=communes_of(None))
    return register_records(path, limit=count)


def register_run(args) -> dict:
    """Ours (the finder's blocking and scoring, as duplicates_find runs them) and Splink on the
    register plus planted variants; thresholds chosen on the even base ids, measured on odd."""
    size = 2000 if args.quick else args.organizations
    base = base_records(args, size)
    records, truth = plant_duplicates(base, seed=args.seed)
    print(
        f"\nRegister: {len(base)} organisations, {len(records) - len(base)} planted variants",
        flush=True,
    )
    name = f"register ({len(base)} organisations, planted duplicates)"
    result = compare_dedupe(name, records, truth, grouping=False)
    result.update(organizations=len(base), planted=len(records) - len(base))
    return result


# 3. Linking incoming records against a large reference --------------------------------------


def linking_sets(args) -> tuple[list[dict], list[dict], dict[int, int]]:
    """The reference (the register, completed with association-like records) and the incoming
    file: a third variants of reference records (truth: which one), the rest new records."""
    reference_size = 6000 if args.quick else args.reference
    incoming_size = 300 if args.quick else args.incoming
    path = source_database(args)
    communes = communes_of(path)
    register = base_records(args, min(reference_size, 200000 if not args.quick else 2000))
    extra = reference_size - len(register)
    reference = register + association_records(
        extra, first_id=10_000_001, seed=args.seed, communes=communes
    )
    rng = random.Random(args.seed + 1)
    matched = incoming_size // 3
    truth = {}
    incoming = []
    names = Counter(name_of(r) for r in reference)
    unique = [r for r in reference if names[name_of(r)] == 1]  # see plant_duplicates
    for index, record in enumerate(rng.sample(unique, matched)):
        pk = 20_000_001 + index
        incoming.append(variant(rng, record, pk))
        truth[pk] = record["id"]
    incoming += association_records(
        incoming_size - matched, first_id=30_000_001, seed=args.seed + 2, communes=communes
    )
    return reference, incoming, truth


def linking_run(args) -> dict:
    from observatoire.deduplication.blocking import link_pairs

    reference, incoming, truth = linking_sets(args)
    print(f"\nLinking {len(incoming)} incoming records against {len(reference)}", flush=True)
    true_links = set(truth.items())
    # Thresholds chosen on the incoming records of even index, measured on the odd ones.
    parity_of = {r["id"]: index % 2 for index, r in enumerate(incoming)}

    def sweep(scored, thresholds, parity):
        links = [(a, b, s) for a, b, s in scored if parity_of[a] == parity]
        true = {(a, b) for a, b in true_links if parity_of[a] == parity}
        return {t: metrics({(a, b) for a, b, s in links if s >= t}, true) for t in thresholds}

    timings: dict[str, float] = {}
    started = time.perf_counter()
    found, compared = link_pairs(
        [(r["id"], description(r)) for r in incoming],
        [(r["id"], description(r)) for r in reference],
        min_score=min(OUR_SWEEP),
        timings=timings,
    )
    our_seconds = round(time.perf_counter() - started, 2)
    our_scored = [(p.first_id, p.second_id, p.score) for p in found]
    our_dev = sweep(our_scored, OUR_SWEEP, 0)
    our_threshold = best_threshold({t: m["f1"] for t, m in our_dev.items()})
    ours = sweep(our_scored, (our_threshold,), 1)[our_threshold]

    print(f"  ours: {our_seconds} s, threshold {our_threshold}; now Splink", flush=True)
    run = splink_run(reference, incoming=incoming, min_probability=min(SPLINK_SWEEP))
    incoming_ids = set(parity_of)
    their_scored = [(a, b, p) if a in incoming_ids else (b, a, p) for a, b, p in run["scored"]]
    their_dev = sweep(their_scored, SPLINK_SWEEP, 0)
    their_threshold = best_threshold({t: m["f1"] for t, m in their_dev.items()})
    theirs = sweep(their_scored, (their_threshold,), 1)[their_threshold]
    splink_time = splink_seconds(run)
    splink_timings = run["timings"]
    close(run)
    print_pair("linking (odd incoming records)", ours, our_seconds, theirs, splink_time)
    per_row = None if args.quick else per_row_matches(incoming, args.per_row_sample)
    return {
        "find_matches_per_row": per_row,
        "set": f"linking {len(incoming)} against {len(reference)}",
        "incoming": len(incoming),
        "reference": len(reference),
        "true_links": len(true_links),
        "ours": {
            "threshold": our_threshold,
            "compared_pairs": compared,
            "held_out": ours,
            "seconds": our_seconds,
            "timings": timings,
            "f1_by_threshold_development": {t: m["f1"] for t, m in our_dev.items()},
        },
        "splink": {
            "threshold": their_threshold,
            "held_out": theirs,
            "seconds": splink_time,
            "timings": splink_timings,
            "f1_by_threshold_development": {t: m["f1"] for t, m in their_dev.items()},
        },
    }


def per_row_matches(incoming: list[dict], sample: int) -> dict | None:
    """The import preview's own path, `find_matches` row by row on the register in the
    database, on a sample of the incoming records: its time per row, for comparison."""
    from django.db import DatabaseError

    from observatoire.deduplication.matching import find_matches
    from observatoire.organizations.models import Organization

    if not sample:
        return None
    rows = incoming[:: max(1, len(incoming) // sample)][:sample]
    try:
        register = Organization.objects.count()
        started = time.perf_counter()
        for record in rows:
            find_matches(description(record))
        seconds = time.perf_counter() - started
    except DatabaseError as error:  # no register, or one on an older migration state
        return {"error": str(error)[:200]}
    figures = {
        "register_organizations": register,
        "rows": len(rows),
        "seconds": round(seconds, 2),
        "ms_per_row": round(1000 * seconds / len(rows), 1),
        "extrapolated_seconds": round(seconds / len(rows) * len(incoming), 1),
    }
    print(
        f"  find_matches row by row (the import preview), {len(rows)} rows against "
        f"{register} organisations in the database: {figures['ms_per_row']} ms a row, "
        f"{figures['extrapolated_seconds']} s for {len(incoming)} rows"
    )
    return figures


# 4. The import preview: row by row against one batch -------------------------------------------


def preview_run(args) -> dict:
    """The matches the import preview shows for a file of `--preview-rows` rows (a third
    variants of register records, the rest new associations) against the register in the
    database: `find_matches` row by row as the preview pages ask it (the matches, then the
    default target), timed on `--per-row-sample` rows and extrapolated, against
    `organization_matches_many` on the whole file; and how often both give the same matches."""
    import resource

    from observatoire.deduplication.matching import find_matches
    from observatoire.deduplication.selectors import organization_matches_many
    from observatoire.imports.importers import MATCH_UPDATE_SCORE
    from observatoire.organizations.models import Organization

    size = args.preview_rows
    path = source_database(args)
    register = base_records(args, args.organizations)
    rng = random.Random(args.seed + 3)
    names = Counter(name_of(r) for r in register)
    unique = [r for r in register if names[name_of(r)] == 1]
    rows = []
    for index, record in enumerate(rng.sample(unique, size // 3)):
        row = variant(rng, record, index)
        # As an imported row has them: the département is the commune's, or none.
        row["departement_id"] = record["departement_id"] if row["commune_id"] else None
        rows.append(row)
    rows += association_records(
        size - len(rows), first_id=len(rows), seed=args.seed + 4, communes=communes_of(path)
    )
    descriptions = {r["id"]: description(r) for r in rows}
    organizations = Organization.objects.count()
    print(f"\nImport preview: {size} rows against {organizations} organisations", flush=True)

    def small_batch(count: int) -> float:
        started = time.perf_counter()
        organization_matches_many(dict(list(descriptions.items())[:count]))
        return round(time.perf_counter() - started, 2)

    fixed = small_batch(50)  # loading and preparing the register: the batch's fixed cost
    started = time.perf_counter()
    batched = organization_matches_many(descriptions)
    batch_seconds = round(time.perf_counter() - started, 2)
    print(f"  batch: {batch_seconds} s for {size} rows ({fixed} s for 50 rows)", flush=True)

    sample = rows[:: max(1, size // args.per_row_sample)][: args.per_row_sample]
    same = differ = same_target = 0
    only_per_row = only_batch = 0
    started = time.perf_counter()
    for record in sample:
        found = find_matches(descriptions[record["id"]])
        best = find_matches(descriptions[record["id"]], limit=1, min_score=MATCH_UPDATE_SCORE)
        expected = [(m.organization.pk, m.score, m.reason_codes) for m in found]
        got = batched[record["id"]]
        target = got[0][0] if got and got[0][1] >= MATCH_UPDATE_SCORE else None
        same_target += target == (best[0].organization.pk if best else None)
        if got == expected:
            same += 1
        else:
            differ += 1
            only_per_row += len({m[0] for m in expected} - {m[0] for m in got})
            only_batch += len({m[0] for m in got} - {m[0] for m in expected})
    per_row_seconds = time.perf_counter() - started
    per_row_ms = 1000 * per_row_seconds / len(sample)
    figures = {
        "organizations": organizations,
        "rows": size,
        "batch_seconds": batch_seconds,
        "batch_seconds_50_rows": fixed,
        "per_row_sample": len(sample),
        "per_row_ms": round(per_row_ms, 1),
        "per_row_extrapolated_seconds": round(per_row_ms * size / 1000, 1),
        "crossover_rows": round(1000 * fixed / per_row_ms) if per_row_ms else None,
        "sample_same_matches": same,
        "sample_different_matches": differ,
        "sample_same_default_target": same_target,
        "records_only_per_row": only_per_row,
        "records_only_batch": only_batch,
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load": os.getloadavg(),
    }
    print(
        f"  row by row: {figures['per_row_ms']} ms a row ({len(sample)} rows sampled), "
        f"{figures['per_row_extrapolated_seconds']} s for {size} rows; crossover about "
        f"{figures['crossover_rows']} rows\n"
        f"  same matches on {same} of {len(sample)} sampled rows; where they differ, "
        f"{only_per_row} records only row by row, {only_batch} only in the batch; same "
        f"proposed record to update on {same_target}",
        flush=True,
    )
    return figures


# Result --------------------------------------------------------------------------------------


def print_pair(label, ours, our_seconds, theirs, their_seconds) -> None:
    print(f"  {label}")
    for tool, m, seconds in (("ours", ours, our_seconds), ("Splink", theirs, their_seconds)):
        print(
            f"    {tool:<7} precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
            f"F1 {m['f1']:.3f}  {seconds:.1f} s"
        )


def rows_of(result: dict, tool: str, linking_limit: float | None = None) -> list[dict]:
    """Contract rows: F1 and time for one comparison."""
    ours, theirs = result["ours"], result["splink"]
    rows = [
        {
            "measure": f"{result['set']}: F1 (held-out part)",
            "unit": "F1",
            "ours": ours["held_out"]["f1"],
            "theirs": theirs["held_out"]["f1"],
            "tool": tool,
            "ratio": ratio(ours["held_out"]["f1"], theirs["held_out"]["f1"]),
            "target": ">= 1.0",
            "met": ours["held_out"]["f1"] >= theirs["held_out"]["f1"],
        },
        {
            "measure": f"{result['set']}: time",
            "unit": "s",
            "ours": ours["seconds"],
            "theirs": theirs["seconds"],
            "tool": tool,
            "ratio": ratio(ours["seconds"], theirs["seconds"]),
            "target": "<= 1.0",
            "met": ours["seconds"] <= theirs["seconds"],
        },
    ]
    if linking_limit is not None:
        rows.append(
            {
                "measure": f"{result['set']}: our time, under 2 minutes",
                "unit": "s",
                "ours": ours["seconds"],
                "theirs": None,
                "tool": None,
                "ratio": None,
                "target": f"< {linking_limit:g}",
                "met": ours["seconds"] < linking_limit,
            }
        )
    return rows


def setup_django(args) -> None:
    import django
    from django.conf import settings

    if settings.configured:
        return  # under pytest
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"  # settings refuse to start without a real secret key otherwise
    VAR.mkdir(exist_ok=True)
    os.environ.setdefault("DATA_DIR", str(VAR))
    # Only read: the records are read with plain sqlite3, and `find_matches` (the import
    # preview's path, timed on a sample) queries the register. Without one, an empty file.
    path = source_database(args)
    if path is None or args.quick:
        path = VAR / "compare-dedup-unused.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    django.setup()


def run(args) -> dict:
    import splink

    setup_django(args)
    SPLINK_U_PAIRS[0] = 1e6 if args.quick else args.splink_u_pairs
    tool = f"Splink {splink.__version__} (DuckDB)"
    details: dict = {
        "splink": splink.__version__,
        "quick": args.quick,
        "splink_u_pairs": SPLINK_U_PAIRS[0],
    }
    rows: list[dict] = []
    if "labelled" not in args.skip:
        details["labelled"] = labelled_sets(args)
        for result in details["labelled"]:
            rows += rows_of(result, tool)
    if "register" not in args.skip:
        details["register"] = register_run(args)
        rows += rows_of(details["register"], tool)
    if "linking" not in args.skip:
        details["linking"] = linking_run(args)
        rows += rows_of(details["linking"], tool, linking_limit=120.0)
    if args.preview_rows and "preview" not in args.skip:
        details["preview"] = preview_run(args)
    details["machine"] = machine()
    details["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    result = {
        "comparison": "dedup",
        "title": f"Deduplication and linking, against {tool}",
        "rows": rows,
        "details": details,
    }
    if args.output:
        write_json(args.output, result)
        print(f"\nWritten to {args.output}")
    return result


def main(argv=None) -> None:
    run(parse_args(argv))


if __name__ == "__main__":
    main()
