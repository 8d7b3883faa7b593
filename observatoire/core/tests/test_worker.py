"""The background worker: a real `db_worker` process runs a task enqueued by another process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from observatoire.core.tasks import healthcheck_task

ROOT = Path(__file__).resolve().parents[3]


def test_healthcheck_task_returns_ok():
    # The test settings run tasks immediately.
    result = healthcheck_task.enqueue()

    assert result.return_value == "ok"


def test_worker_healthcheck_command_with_immediate_tasks(capsys):
    call_command("worker_healthcheck", timeout=1)

    assert "worker ok" in capsys.readouterr().out


@pytest.fixture
def worker_env(tmp_path):
    """Development settings on a file SQLite database, tasks stored in it for a worker."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return env


def manage(env, *args, timeout=60):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_worker_process_runs_the_healthcheck_task(worker_env):
    # With no worker running, nothing runs the task: the health check says so.
    waiting = manage(worker_env, "worker_healthcheck", "--timeout", "1")
    assert waiting.returncode == 1
    assert "no worker ran health-check task" in waiting.stderr

    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        checked = manage(worker_env, "worker_healthcheck", "--timeout", "20")
    finally:
        worker.terminate()
        worker_output, _ = worker.communicate(timeout=20)

    assert checked.returncode == 0, checked.stderr + worker_output
    assert "returned 'ok'" in checked.stdout
