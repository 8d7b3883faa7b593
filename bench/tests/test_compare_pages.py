"""The pure parts of bench/compare_pages.py: sampling, growth, result rows (no database)."""

import json

from bench import compare_pages as pages


def test_sample_is_deterministic_and_order_free():
    slugs = [f"org-{number}" for number in range(1000)]
    first = pages.sample_slugs(slugs, 200, seed=1901)
    assert len(first) == len(set(first)) == 200
    assert pages.sample_slugs(list(reversed(slugs)), 200, seed=1901) == first
    assert pages.sample_slugs(slugs, 200, seed=7) != first


def test_sample_of_a_small_set_is_all_of_it():
    assert pages.sample_slugs(["b", "a"], 200) == ["a", "b"]


def test_growth():
    assert pages.growth(2.0, 5.0) == 2.5
    assert pages.growth(0, 5.0) is None
    assert pages.growth(None, 5.0) is None


def test_summary_percentiles_and_throughput():
    figures = pages.summary([float(v) for v in range(1, 101)], elapsed_s=2.0)
    assert figures == {"requests": 100, "p50_ms": 50.5, "p95_ms": 95.0, "rps": 50.0}


def record(report_s: float, queries: int, p95: float, rps: float) -> dict:
    return {
        "report": {"figures_s": report_s, "html_s": report_s, "pdf_s": 2 * report_s},
        "queries": {"organisation pages": queries},
        "http": {"organisation pages": {"p50_ms": p95 / 2, "p95_ms": p95, "rps": rps}},
    }


def test_rows_follow_the_contract_and_compute_growth():
    measured = {100: record(1.0, 12, 10.0, 400.0), 1000: record(4.0, 13, 30.0, 200.0)}
    demo = {"report": {"figures_s": 0.5, "html_s": 0.6, "pdf_s": 3.0}}
    rows = pages.build_rows((100, 1000), measured, demo)
    keys = {"measure", "unit", "ours", "theirs", "tool", "ratio", "target", "met"}
    assert all(set(entry) == keys and entry["theirs"] is None for entry in rows)
    by_measure = {entry["measure"]: entry for entry in rows}
    pdf = by_measure["annual report, national: pdf, p50: growth"]
    assert (pdf["unit"], pdf["ours"], pdf["met"]) == ("x", 4.0, True)
    assert by_measure["annual report, one network: pdf, p50"]["ours"] == 3.0
    p95 = by_measure["organisation pages, HTTP 16 connections: p95: growth"]
    assert (p95["ours"], p95["met"]) == (3.0, True)
    # One more query at the larger size: a page whose cost grows with the data.
    queries = by_measure["queries per page: organisation pages: growth"]
    assert queries["met"] is False
    assert by_measure["queries per page: organisation pages, 1,000 organisations"]["ours"] == 13
    json.dumps(rows)  # the lead's runner writes them as they are


def test_a_cost_growing_faster_than_the_data_is_not_met():
    measured = {100: record(1.0, 5, 10.0, 400.0), 1000: record(11.0, 5, 10.0, 400.0)}
    rows = {entry["measure"]: entry for entry in pages.build_rows((100, 1000), measured, None)}
    assert rows["annual report, national: figures, p50: growth"]["met"] is False
    assert rows["queries per page: organisation pages: growth"]["met"] is True


def test_options():
    args = pages.parse_args(["--quick"])
    assert args.sizes == (200, 2000) and args.repeat == 1
    args = pages.parse_args(["-n", "200000", "--database", "20000=x.sqlite3"])
    assert args.sizes == (20000, 200000) and args.database == ["20000=x.sqlite3"]


def test_a_dataset_is_copied_once_then_again_when_it_changes(tmp_path):
    import sqlite3

    source, target = tmp_path / "national.sqlite3", tmp_path / "pages.sqlite3"
    with sqlite3.connect(source) as database:
        database.execute("CREATE TABLE t (v)")
        database.execute("INSERT INTO t VALUES (1)")
    pages.copy_sqlite(source, target)
    with sqlite3.connect(target) as copy:  # the worker writes in its copy
        copy.execute("INSERT INTO t VALUES (2)")
    pages.copy_sqlite(source, target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 2  # kept
    with sqlite3.connect(source) as database:
        database.execute("INSERT INTO t VALUES (3), (4)")
    pages.copy_sqlite(source, target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 3  # copied again


def test_throughput_growth_is_met_when_it_falls_less_than_the_data_grows():
    assert pages.growth_row("x", 400.0, 200.0, 10, "req/s")["met"] is True
    falling = pages.growth_row("x", 400.0, 20.0, 10, "req/s")
    assert (falling["ours"], falling["met"], falling["target"]) == (0.05, False, "> 0.1 (data x10)")
