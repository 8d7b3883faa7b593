"""HTTP tools shared by the comparisons: serve the product or Datasette, fire requests at them.

    with serve_django(Path("bench/var/x.sqlite3"), 8101, cpus="0") as base:
        result = load([base + "/annuaire/?q=eau"], concurrency=16, cpus="1")

Servers and load generator are pinned to different cores with `taskset` (when present) so that
one does not steal the other's CPU. `load` runs in its own process (aiohttp, asyncio).
"""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import percentile  # noqa: E402

# Datasette's settings for the comparison, the same page and facet sizes as the directory's
# (20 results, 30 values per facet); the time limits are raised from 1 s and 200 ms so that a
# slow facet on 200,000 rows is measured rather than silently dropped (Datasette then returns
# the page without that facet and reports it in "facets_timed_out").
DATASETTE_SETTINGS = {
    "default_page_size": 20,
    "default_facet_size": 30,
    "max_returned_rows": 1000,
    "sql_time_limit_ms": 10000,
    "facet_time_limit_ms": 10000,
    "facet_suggest_time_limit_ms": 0,  # no suggestions: the page asks for its facets by name
    "suggest_facets": 0,
    "allow_facet": 1,
    "num_sql_threads": 3,  # Datasette's default: its queries run in threads next to the loop
}


def pinned(command: list[str], cpus: str | None) -> list[str]:
    """`command` run on the cores `cpus` ("0", "1", "0-1"), if taskset exists."""
    if cpus and shutil.which("taskset"):
        return ["taskset", "-c", cpus, *command]
    return command


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll `url` until it answers (any HTTP status), or fail if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def _server(command: list[str], env: dict, probe: str, log: Path | None) -> Iterator[None]:
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        command, env=env, cwd=BASE_DIR, stdout=output, stderr=subprocess.STDOUT
    )
    try:
        wait_until_up(probe, process)
        yield
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # graceful for gunicorn and uvicorn
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log:
            output.close()


def django_environment(
    database: Path | None = None, database_url: str | None = None, env: dict | None = None
) -> dict:
    """Production-like settings for the product: DEBUG off, a secret key, local hosts."""
    if database_url is None:
        if database is None:
            raise ValueError("give a SQLite file or a database URL")
        database_url = f"sqlite:///{Path(database).resolve()}"
    var = BENCH_DIR / "var"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",  # TLS ends at a proxy in production; plain HTTP here
        "DATABASE_URL": database_url,
        "DATA_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "STATIC_ROOT": str(var / "staticfiles"),
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }


def collect_static(environment: dict) -> None:
    """The manifest the production static storage needs (once: skipped when it exists)."""
    if (Path(environment["STATIC_ROOT"]) / "staticfiles.json").exists():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=environment,
        cwd=BASE_DIR,
        check=True,
    )


@contextlib.contextmanager
def serve_django(
    database: Path | None,
    port: int,
    cpus: str = "0",
    workers: int = 1,
    threads: int = 4,
    database_url: str | None = None,
    env: dict | None = None,
    probe: str = "/",
    log: Path | None = None,
) -> Iterator[str]:
    """Run the product under gunicorn (`config.wsgi`) on 127.0.0.1:`port`, pinned to `cpus`;
    yields the base URL. `threads` > 1 uses the gthread worker (keep-alive connections)."""
    environment = django_environment(database, database_url, env)
    collect_static(environment)
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--keep-alive", "5",
        "--timeout", "120",
        "--backlog", "2048",
        "--log-level", "warning",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with _server(pinned(command, cpus), environment, base + probe, log):
        yield base


@contextlib.contextmanager
def serve_datasette(
    database: Path,
    port: int,
    cpus: str = "0",
    settings: dict | None = None,
    metadata: Path | None = None,
    log: Path | None = None,
) -> Iterator[str]:
    """Run `datasette serve -i database` (immutable: no change detection, counts cached) on
    127.0.0.1:`port`, pinned to `cpus`; yields the base URL."""
    command = [sys.executable, "-m", "datasette", "serve", "-i", str(database)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    for name, value in {**DATASETTE_SETTINGS, **(settings or {})}.items():
        command += ["--setting", name, str(value)]
    if metadata:
        command += ["--metadata", str(metadata)]
    base = f"http://127.0.0.1:{port}"
    with _server(pinned(command, cpus), dict(os.environ), base + "/-/versions.json", log):
        yield base


def summary(latencies: list[float], errors: int, seconds: float) -> dict:
    """p50, p95, max in ms and requests per second of one run."""
    done = len(latencies)
    return {
        "requests": done + errors,
        "errors": errors,
        "seconds": round(seconds, 3),
        "requests_per_second": round(done / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 0.5), 2) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
    }


async def _fire(urls: list[str], concurrency: int, rounds: int) -> dict:
    import aiohttp

    queue: asyncio.Queue = asyncio.Queue()
    for _ in range(rounds):
        for url in urls:
            queue.put_nowait(url)
    latencies: list[float] = []
    per_url: dict[str, list[float]] = {}
    failures: list[str] = []

    async def worker(session):
        while not queue.empty():
            url = queue.get_nowait()
            started = time.perf_counter()
            try:
                async with session.get(url, allow_redirects=False) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError) as error:
                failures.append(f"{url}: {type(error).__name__}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                failures.append(f"{url}: HTTP {status}")
                continue
            latencies.append(elapsed)
            per_url.setdefault(url, []).append(elapsed)

    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return {
        **summary(latencies, len(failures), seconds),
        "concurrency": concurrency,
        "rounds": rounds,
        "latencies_ms": [round(v, 3) for v in latencies],
        "per_url_p50_ms": {u: round(percentile(v, 0.5), 2) for u, v in per_url.items()},
        "failures": failures[:20],
    }


def load(urls: list[str], concurrency: int = 16, cpus: str | None = "1", rounds: int = 3) -> dict:
    """Fire every URL `rounds` times over `concurrency` connections, from a process pinned to
    `cpus`; a non-200 answer counts as an error. Returns the summary and every latency."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(urls, file)
    try:
        command = [sys.executable, __file__, "--urls", file.name]
        command += ["--concurrency", str(concurrency), "--rounds", str(rounds)]
        done = subprocess.run(pinned(command, cpus), capture_output=True, text=True, check=True)
    finally:
        os.unlink(file.name)
    return json.loads(done.stdout)


def sequential(urls: list[str], repeat: int = 1) -> dict:
    """Fetch each URL `repeat` times, one after the other (no concurrency): close to the
    server-side time plus one local round trip. Every status must be 200."""
    latencies, errors = [], 0
    started = time.perf_counter()
    for _ in range(repeat):
        for url in urls:
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=120) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors += 1
    result = summary(latencies, errors, time.perf_counter() - started)
    result["latencies_ms"] = [round(v, 3) for v in latencies]
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="The load generator `load()` runs (aiohttp).")
    parser.add_argument("--urls", type=Path, required=True, help="a JSON list of URLs")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    urls = json.loads(args.urls.read_text())
    print(json.dumps(asyncio.run(_fire(urls, args.concurrency, args.rounds))))


if __name__ == "__main__":
    main()
