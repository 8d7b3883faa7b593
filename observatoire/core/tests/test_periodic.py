import datetime

import pytest
from django.core.management import call_command
from django_tasks import task

from observatoire.core import periodic

RUNS = []


@task()
def record_run() -> None:
    RUNS.append("run")


@pytest.fixture
def registered_sweep(settings, monkeypatch):
    """The test's sweep alone: the apps' own sweeps would need the database."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    RUNS.clear()
    monkeypatch.setattr(periodic, "_registry", {})
    periodic.register(record_run, every=datetime.timedelta(minutes=5))


def test_a_sweep_is_enqueued_again_only_once_its_interval_has_elapsed(registered_sweep):
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    last = {}
    assert record_run.module_path in periodic.enqueue_due(last, now=start)
    assert periodic.enqueue_due(last, now=start + datetime.timedelta(minutes=4)) == []
    assert record_run.module_path in periodic.enqueue_due(
        last, now=start + datetime.timedelta(minutes=5)
    )
    assert RUNS == ["run", "run"]


def test_clock_once_runs_every_registered_sweep(registered_sweep, capsys):
    call_command("clock", "--once")
    assert RUNS == ["run"]
    assert "record_run" in capsys.readouterr().out
