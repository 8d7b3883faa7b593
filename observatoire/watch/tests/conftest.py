import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    delay: float = 0.0
    etag: str = ""
    declare_length: bool = True


@dataclass
class FeedServer:
    """A local HTTP server: `answers[path]` is what it serves, `requests` what it was asked."""

    base: str
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def feed_server():
    server_state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            state: FeedServer = server_state["state"]
            state.requests.append((self.path, dict(self.headers)))
            answer = state.answers.get(self.path)
            if answer is None:
                self.send_error(404)
                return
            if answer.delay:
                time.sleep(answer.delay)
            if answer.etag and self.headers.get("If-None-Match") == answer.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            if answer.declare_length:
                self.send_header("Content-Length", str(len(answer.body)))
            if answer.etag:
                self.send_header("ETag", answer.etag)
            self.end_headers()
            try:
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state = FeedServer(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    server_state["state"] = state
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
