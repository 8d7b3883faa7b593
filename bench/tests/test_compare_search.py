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
