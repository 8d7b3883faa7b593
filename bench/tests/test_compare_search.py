"""The directory search comparison: its HTTP tools, its Datasette file and its query set."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import httpload


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.path.startswith("/ok") else 404
        body = b"fine" if status == 200 else b"missing"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_load_counts_requests_and_errors(tiny_server):
    urls = [f"{tiny_server}/ok?a", f"{tiny_server}/ok?b", f"{tiny_server}/missing"]

    result = httpload.load(urls, concurrency=4, cpus=None, rounds=3)

    assert result["requests"] == 9
    assert result["errors"] == 3
    assert len(result["latencies_ms"]) == 6
    assert result["failures"][0].endswith("HTTP 404")
    assert result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["requests_per_second"] > 0


def test_sequential_times_each_url_once(tiny_server):
    result = httpload.sequential([f"{tiny_server}/ok", f"{tiny_server}/missing"])

    assert (result["requests"], result["errors"], len(result["latencies_ms"])) == (2, 1, 1)


def test_summary_of_known_latencies():
    result = httpload.summary([float(v) for v in range(1, 101)], errors=2, seconds=4.0)

    assert result["requests"] == 102
    assert result["requests_per_second"] == 25.0
    assert (result["p50_ms"], result["p95_ms"], result["max_ms"]) == (51.0, 95.0, 100.0)


@pytest.fixture
def datasette_file(db, tmp_path):
    from bench import compare_search
    from observatoire.portal.tests.conftest import build_network

    build_network()
    path = tmp_path / "directory.db"
    compare_search.build_datasette_file(path)
    return path


def test_datasette_file_holds_our_public_organisations_and_facet_values(datasette_file):
    import json
    import sqlite3

    from observatoire.portal.models import OrganizationEntry, OrganizationFacet

    with sqlite3.connect(datasette_file) as db:
        rows = db.execute(
            "SELECT id, kind, departement, themes, sdgs, countries, actions FROM organizations"
        ).fetchall()
        words = db.execute("SELECT rowid, name_text, body_text FROM organizations_fts").fetchall()
    db.close()
    theirs = {}
    for key, kind, departement, *arrays in rows:
        values = {("kind", kind), ("departement", departement)}
        for facet, column in zip(("theme", "sdg", "country", "action"), arrays, strict=True):
            values |= {(facet, value) for value in json.loads(column)}
        theirs[key] = {v for v in values if v[1] is not None}
    ours = {key: set() for key in OrganizationEntry.objects.values_list("pk", flat=True)}
    for key, facet, value in OrganizationFacet.objects.values_list("entry_id", "facet", "value"):
        ours[key].add((facet, value))

    assert len(ours) == 3  # the three listed organisations; the draft is absent
    assert theirs == ours
    assert sorted(words) == sorted(
        OrganizationEntry.objects.values_list("pk", "name_text", "body_text")
    )


def test_the_query_set_is_deterministic_and_both_tools_count_the_same_hits(
    datasette_file, tmp_path
):
    from bench import compare_search

    first = compare_search.make_queries(datasette_file, 12, seed=7)
    assert first == compare_search.make_queries(datasette_file, 12, seed=7)
    assert first != compare_search.make_queries(datasette_file, 12, seed=8)
    assert len(first) == 12
    assert all(len(query["filters"]) <= 2 for query in first)

    metadata = compare_search.datasette_metadata(tmp_path / "metadata.json")
    app = compare_search.datasette_app(datasette_file, metadata)
    queries = [*first, {"family": "extra", "q": "Écoles", "filters": {"country": "BF"}}]
    hits = compare_search.compare_hits(queries, app)

    assert hits["checked"] == 13
    assert hits["mismatches"] == []
    assert hits["hits"][-1]["ours"] == 1


def test_result_rows_compute_ratios_and_targets():
    from bench import compare_search

    local = {
        "ours_html": [10.0] * 20,
        "theirs_html": [20.0] * 20,
        "ours_json": [30.0] * 20,
        "theirs_json": [20.0] * 20,
    }
    http = {
        name: {"p50_ms": p, "p95_ms": p, "requests_per_second": rps}
        for name, p, rps in (
            ("ours_html", 8.0, 30.0),
            ("theirs_html", 10.0, 20.0),
            ("ours_json", 10.0, 10.0),
            ("theirs_json", 10.0, 20.0),
        )
    }

    rows = {row["measure"]: row for row in compare_search.result_rows(local, http, 16)}

    assert rows["HTML, server-side: p95"]["ratio"] == 0.5
    assert rows["HTML, server-side: p95"]["met"] is True
    assert rows["JSON, server-side: p95"]["met"] is False
    throughput = rows["HTML, end to end over HTTP, 16 connections: throughput"]
    assert (throughput["ratio"], throughput["met"]) == (1.5, True)
    assert rows["JSON, end to end over HTTP, 16 connections: throughput"]["met"] is False
    assert rows["HTML, server-side: p50"]["target"] is None
